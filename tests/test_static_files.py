"""Static files: hashed names cached for a year, sent brotli or gzip compressed; HTML pages compressed too."""

import gzip
import re

import brotli
import pytest
from django.conf import settings
from django.templatetags.static import static
from django.utils.cache import get_max_age

from tests.html_pages import parse

pytestmark = pytest.mark.django_db

ONE_YEAR_IMMUTABLE = "max-age=31536000, public, immutable"


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
