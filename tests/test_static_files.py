"""Static files: hashed names cached for a year, sent brotli or gzip compressed, with every security header a page
carries but none of the middleware run for each; HTML pages compressed too; cached pages kept with their security
headers, so a hit runs none of that middleware either."""

import gzip
import re

import brotli
import pytest
from django.conf import settings
from django.templatetags.static import static
from django.utils.cache import get_max_age
from django.utils.module_loading import import_string

from tests.html_pages import parse

pytestmark = pytest.mark.django_db

ONE_YEAR_IMMUTABLE = "max-age=31536000, public, immutable"
SECURITY_HEADERS = [
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
    "Strict-Transport-Security",
]


def body(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content


@pytest.fixture
def css_url(production_static):
    url = static("css/site.css")
    assert re.fullmatch(r"/static/css/site\.[0-9a-f]{12}\.css", url)
    return url


@pytest.fixture
def css_source(production_static):
    return (production_static / "css" / "site.css").read_bytes()


@pytest.fixture
def header_middleware_runs(settings, monkeypatch):
    """The name of each security-header middleware, every time one runs for a request."""
    runs = []
    for path in settings.SECURITY_HEADER_MIDDLEWARE:
        middleware = import_string(path)

        def counted(self, request, run=middleware.__call__, name=path):
            runs.append(name)
            return run(self, request)

        monkeypatch.setattr(middleware, "__call__", counted)
    return runs


def test_pages_link_the_hashed_css(client, shipped_content, css_url):
    stylesheets = [link["href"] for link in parse(client.get("/")).find_all("link", rel="stylesheet")]
    assert stylesheets == [css_url]


def test_hashed_css_may_be_cached_for_a_year_and_is_immutable(client, css_url, css_source):
    response = client.get(css_url)
    assert response.status_code == 200
    assert response["Cache-Control"] == ONE_YEAR_IMMUTABLE
    assert response["Content-Type"].startswith("text/css")
    assert body(response) == css_source


def test_css_is_sent_brotli_compressed_to_browsers_that_accept_it(client, css_url, css_source):
    response = client.get(css_url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response["Content-Encoding"] == "br"
    assert response["Cache-Control"] == ONE_YEAR_IMMUTABLE
    assert "Accept-Encoding" in response["Vary"]
    compressed = body(response)
    assert brotli.decompress(compressed) == css_source
    assert len(compressed) < len(css_source) / 3


def test_css_is_sent_gzip_compressed_to_browsers_that_accept_only_gzip(client, css_url, css_source):
    response = client.get(css_url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(response)) == css_source


@pytest.mark.parametrize("accept_encoding", ["identity", "", "compress;q=0.5, *;q=0", "\x00garbage"])
def test_css_is_sent_plain_when_no_known_compression_is_accepted(client, css_url, css_source, accept_encoding):
    response = client.get(css_url, HTTP_ACCEPT_ENCODING=accept_encoding)
    assert "Content-Encoding" not in response
    assert body(response) == css_source


def test_the_unhashed_name_is_not_cached_for_long(client, production_static):
    response = client.get("/static/css/site.css")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"]
    assert get_max_age(response) <= 60 * 60
    body(response)


@pytest.mark.parametrize(
    "url", ["/static/css/site.000000000000.css", "/static/css/../../manage.py", "/static/nothing.js"]
)
def test_unknown_or_tampered_static_addresses_are_not_found(client, shipped_content, production_static, url):
    response = client.get(url)
    assert response.status_code == 404


@pytest.mark.parametrize("url", ["/", "/bpo/", "/quiz/"])
def test_html_pages_are_gzip_compressed_for_browsers_that_accept_it(client, shipped_content, url):
    plain = client.get(url).content
    for _ in range(2):
        response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
        assert response["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response["Vary"]
        assert gzip.decompress(response.content) == plain
        assert len(response.content) < len(plain) / 2


def test_favicon_ico_answers_the_sites_icon_cacheable_for_a_day_with_the_security_headers(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert body(response) == (settings.BASE_DIR / "static" / "img" / "favicon.png").read_bytes()
    assert get_max_age(response) == 24 * 60 * 60
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.parametrize("secure", [True, False], ids=["https", "http"])
def test_static_files_carry_the_security_headers_pages_carry(client, shipped_content, css_url, settings, secure):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    page = client.get("/", secure=secure)
    css = client.get(css_url, secure=secure)

    assert css.status_code == 200
    body(css)
    expected = SECURITY_HEADERS if secure else SECURITY_HEADERS[:-1]  # HSTS only over HTTPS
    assert [name for name in SECURITY_HEADERS if name in page] == expected
    assert {name: css.get(name) for name in SECURITY_HEADERS} == {name: page.get(name) for name in SECURITY_HEADERS}


def test_a_static_file_runs_none_of_the_security_header_middleware(
    client, shipped_content, css_url, settings, header_middleware_runs
):
    client.get("/")
    header_middleware_runs.clear()

    body(client.get(css_url))
    assert header_middleware_runs == []

    client.get("/bpo/")
    assert header_middleware_runs == settings.SECURITY_HEADER_MIDDLEWARE


def test_a_static_file_asked_for_over_http_is_redirected_to_https_when_the_site_is_https_only(
    client, css_url, settings
):
    settings.SECURE_SSL_REDIRECT = True

    redirected = client.get(css_url)
    served = client.get(css_url, secure=True)

    assert redirected.status_code == 301
    assert redirected["Location"] == f"https://testserver{css_url}"
    assert redirected["X-Content-Type-Options"] == "nosniff"
    assert "default-src 'self'" in redirected["Content-Security-Policy"]
    assert served.status_code == 200
    body(served)


@pytest.mark.parametrize("secure", [True, False], ids=["https", "http"])
def test_a_cached_page_keeps_its_security_headers_and_a_hit_runs_none_of_the_middleware(
    client, shipped_content, settings, header_middleware_runs, secure
):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    client.get("/kpo/", secure=secure)
    header_middleware_runs.clear()
    rendered = client.get("/", secure=secure)
    assert header_middleware_runs == settings.SECURITY_HEADER_MIDDLEWARE
    header_middleware_runs.clear()

    hit = client.get("/", secure=secure)

    assert header_middleware_runs == []
    assert hit.content == rendered.content
    expected = SECURITY_HEADERS if secure else SECURITY_HEADERS[:-1]  # HSTS only over HTTPS
    assert [name for name in SECURITY_HEADERS if name in hit] == expected
    assert {name: hit.get(name) for name in SECURITY_HEADERS} == {name: rendered.get(name) for name in SECURITY_HEADERS}


def test_a_page_asked_for_over_http_is_redirected_to_https_even_once_it_is_cached(client, shipped_content, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/", secure=True).status_code == 200

    redirected = client.get("/")

    assert redirected.status_code == 301
    assert redirected["Location"] == "https://testserver/"
