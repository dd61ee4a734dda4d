"""Malformed requests stay 4xx: oversized bodies are refused before anything reads them, bodies that are not
UTF-8 get the 400 page, nothing a request sends can forge a log line, and HEAD works wherever GET does."""

import http.client
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from quiz.models import Answer, Attempt, ReviewEntry, ReviewPlan
from tests.quiz_helpers import QUIZ_SLUG, answer, start
from tests.served_site import Browser, served_site

MEGABYTE = 1024 * 1024
START = f"/quiz/{QUIZ_SLUG}/start/"
UPLOAD = "/markdownx/upload/"
BOUNDARY = "a-boundary-nobody-would-type"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
CSRF_COOKIE = "csrftoken=" + "a" * 32
SECURITY_HEADERS = ["Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"]


def file_part_head(name="file", filename="huge.bin"):
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()


def title_of(body):
    return re.search(r"<title>(.*?)</title>", body, re.S).group(1)


def assert_in_the_sites_layout_with_security_headers(headers, body):
    assert 'class="site-header"' in body
    for name in SECURITY_HEADERS:
        assert headers[name], name


@pytest.mark.django_db
def test_a_100_mb_file_posted_to_the_quiz_start_is_refused_unread_in_the_sites_layout(client, shipped_content):
    # The test client's body holds only the first bytes: reading on past them would fail the test.
    response = client.generic(
        "POST", START, file_part_head(), content_type=MULTIPART, CONTENT_LENGTH=str(100 * MEGABYTE)
    )

    assert response.status_code == 413
    body = response.content.decode()
    assert title_of(body).startswith("Too large")
    assert "at most 1 MB" in body
    assert_in_the_sites_layout_with_security_headers(response, body)
    assert not Attempt.objects.exists()


@pytest.mark.django_db
def test_a_huge_upload_is_refused_before_the_csrf_and_staff_checks_read_it(settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = tmp_path
    anonymous = Client(enforce_csrf_checks=True, HTTP_COOKIE=CSRF_COOKIE)

    response = anonymous.generic(
        "POST", UPLOAD, file_part_head("image", "huge.png"), content_type=MULTIPART, CONTENT_LENGTH=str(300 * MEGABYTE)
    )

    assert response.status_code == 413
    assert "at most 5 MB" in response.content.decode()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_a_form_whose_fields_are_not_utf8_gets_the_400_page_and_changes_nothing(client, shipped_content):
    attempt = start(client)

    response = client.post(
        attempt.question_url(1), b"choice=1&note=%FF%FE", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert title_of(body).startswith("Bad request")
    assert "send it as UTF-8" in body
    assert_in_the_sites_layout_with_security_headers(response, body)
    attempt.refresh_from_db()
    assert attempt.answered_count == 0
    assert answer(client, attempt, 1).status_code == 302


class CutOff:
    """A request body whose client went away after the headers."""

    def read(self, *args):
        raise OSError("Connection reset by peer")

    readline = read


@pytest.mark.django_db
@pytest.mark.parametrize("content_type", ["application/x-www-form-urlencoded", MULTIPART])
@pytest.mark.parametrize("where", ["start", "answer"])
def test_a_form_cut_off_mid_body_is_a_bad_request_not_a_server_error_and_changes_nothing(
    shipped_content, content_type, where
):
    # The start takes no CSRF token (quiz.views.start says why), so there the view itself meets a multipart body.
    browser = Client(enforce_csrf_checks=True, raise_request_exception=False)
    url = START
    if where == "answer":
        url = start(browser).question_url(1)

    form = {"CONTENT_TYPE": content_type, "CONTENT_LENGTH": "100", "wsgi.input": CutOff()}
    response = browser.generic("POST", url, **form)

    assert response.status_code == (403 if where == "answer" and content_type == MULTIPART else 400)
    if response.status_code == 400:
        body = response.content.decode()
        assert title_of(body).startswith("Bad request") and "It arrived incomplete" in body
    assert Attempt.objects.count() == (1 if where == "answer" else 0)
    assert not Answer.objects.exists()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with served_site(tmp_path_factory.mktemp("malformed"), GUNICORN_WORKERS="1") as served:
        yield served


def send(site, method, path, headers, body_parts=(), encode_chunked=False):
    """(status, headers, body) of a request whose body goes out in ``body_parts``, as a client streams it."""
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=15)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        for part in body_parts:
            connection.send(f"{len(part):x}\r\n".encode() + part + b"\r\n" if encode_chunked else part)
        if encode_chunked:
            connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode(errors="replace")
    finally:
        connection.close()


def test_a_huge_upload_is_answered_as_soon_as_its_headers_arrive(site):
    headers = {"Content-Type": MULTIPART, "Content-Length": str(300 * MEGABYTE), "Cookie": CSRF_COOKIE}

    status, response_headers, body = send(site, "POST", UPLOAD, headers, [file_part_head("image"), b"\0" * 65536])

    assert status == 413
    assert_in_the_sites_layout_with_security_headers(response_headers, body)


def test_a_chunked_body_is_refused_once_it_goes_over_the_limit(site):
    headers = {"Content-Type": MULTIPART, "Transfer-Encoding": "chunked", "Cookie": CSRF_COOKIE}
    megabyte_parts = [file_part_head()] + [b"\0" * MEGABYTE] * 3

    status, response_headers, body = send(site, "POST", START, headers, megabyte_parts, encode_chunked=True)

    assert status == 413
    assert "at most 1 MB" in body
    assert_in_the_sites_layout_with_security_headers(response_headers, body)


def test_a_chunked_form_within_the_limit_is_read_like_any_other(site):
    browser = Browser(site)
    token = browser.csrf_token_from(f"/quiz/{QUIZ_SLUG}/")
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Transfer-Encoding": "chunked",
        "Cookie": f"csrftoken={browser.csrf_cookie()}",
    }

    status, response_headers, _ = send(
        site, "POST", START, headers, [b"csrfmiddlewaretoken=", token.encode()], encode_chunked=True
    )

    assert status == 302
    assert "/quiz/attempts/" in response_headers["Location"]


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "base64", "rot13", "idna", "no-such-charset"])
@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_request_in_an_encoding_other_than_utf8_gets_the_400_page_with_security_headers_and_a_log_line(
    site, charset, method
):
    path = f"/quiz/{QUIZ_SLUG}/?label=" + "a" * 70
    headers = {"Content-Type": f"application/x-www-form-urlencoded; charset={charset}", "Cookie": CSRF_COOKIE}
    body = [b"csrfmiddlewaretoken=" + b"a" * 32 + b"&a=1"] if method == "POST" else []
    headers["Content-Length"] = str(sum(map(len, body)))
    refusal_line = f"Refused a request body: status=400 path=/quiz/{QUIZ_SLUG}/ "
    refusals_before = site.log().count(refusal_line)

    status, response_headers, page = send(site, method, path, headers, body)

    assert status == 400
    assert title_of(page).startswith("Bad request")
    assert_in_the_sites_layout_with_security_headers(response_headers, page)
    assert site.log().count(refusal_line) == refusals_before + 1


def test_control_characters_in_a_request_cannot_forge_a_log_line(site):
    forged = "2030-01-01 00:00:00,000 level=INFO logger=outsourcing_site.requests method=GET path=/forged status=200"
    encoded = forged.replace(" ", "%20")

    assert send(site, "GET", f"/no-such-page/%0A{encoded}", {})[0] == 404
    # Django's CSRF check logs the path as it is; only the log's formatter stands between it and the file.
    csrf_refused = f"/media/x%0D{encoded}%1B%5B2J%E2%80%A8end.png"
    assert send(site, "POST", csrf_refused, {"Content-Length": "0", "Cookie": CSRF_COOKIE})[0] == 403

    lines = site.log().splitlines()
    assert not [line for line in lines if line.startswith("2030-01-01")]
    assert any("path=/no-such-page/%0A2030-01-01%2000:00:00" in line for line in lines)
    [csrf_line] = [line for line in lines if "logger=django.security.csrf" in line and "/media/x" in line]
    assert "/media/x\\r2030-01-01 00:00:00" in csrf_line
    assert "\\x1b[2J\\u2028end.png" in csrf_line


def every_route(resolver=None, prefix=""):
    """The route of every URL pattern outside the admin, as a string like 'quiz/<slug:slug>/'."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver) and route != "admin/":
            yield from every_route(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route


@pytest.fixture
def finished_attempt(client, shipped_content):
    attempt = start(client)
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number)
    return attempt


@pytest.fixture
def stored_image(media_root):
    (media_root / "markdown-images").mkdir()
    (media_root / "markdown-images" / "chart.png").write_bytes(b"\x89PNG not really")
    return "/media/markdown-images/chart.png"


def addresses_answering_get(attempt, image, review):
    return {
        "": "/",
        "<slug:slug>/": "/bpo/",
        "which-fits/": "/which-fits/?nature-of-work=bpo&skill-level=kpo&decision-making=bpo&technology=kpo",
        "quiz/": "/quiz/",
        "quiz/<slug:slug>/": f"/quiz/{QUIZ_SLUG}/",
        "quiz/attempts/<uuid:public_id>/questions/<int:number>/": attempt.question_url(1),
        "quiz/attempts/<uuid:public_id>/results/": f"/quiz/attempts/{attempt.public_id}/results/",
        "quiz/review/<str:token>/": review,
        "quiz/review/<str:token>/reminder.ics": f"{review}reminder.ics",
        "sitemap.xml": "/sitemap.xml",
        "robots.txt": "/robots.txt",
        "favicon.ico": "/favicon.ico",
        "healthz": "/healthz",
        "media/<path:path>": image,
        "admin/": "/admin/login/",
    }


# Addresses that take only POST: GET and HEAD are both refused there.
POST_ONLY = {
    "quiz/<slug:slug>/start/",
    "quiz/attempts/<uuid:public_id>/practice/",
    "quiz/attempts/<uuid:public_id>/review/",
    "quiz/review/<str:token>/practise/",
    "quiz/review/<str:token>/stop/",
    "markdownx/markdownify/",
    "markdownx/upload/",
}


def test_head_is_answered_wherever_get_is_with_the_same_status_and_no_body(client, finished_attempt, stored_image):
    client.post(f"/quiz/attempts/{finished_attempt.public_id}/review/")
    plan = ReviewPlan.objects.get()
    # A fact due later, so the calendar reminder has a date to remind of.
    ReviewEntry.objects.create(plan=plan, fact="model:bpo", box=1, due_at=timezone.now() + timedelta(days=1))
    addresses = addresses_answering_get(finished_attempt, stored_image, plan.get_absolute_url())
    assert set(every_route()) | {"admin/"} == set(addresses) | POST_ONLY

    for route, url in addresses.items():
        get, head = client.get(url), client.head(url)
        assert get.status_code == 200, (route, get.status_code)
        assert head.status_code == 200, (route, head.status_code)
        assert b"".join(head.streaming_content if head.streaming else [head.content]) == b""
    for route in POST_ONLY:
        url = "/" + route.replace("<slug:slug>", QUIZ_SLUG).replace("<str:token>", plan.token)
        url = url.replace("<uuid:public_id>", str(finished_attempt.public_id))
        assert client.get(url).status_code == client.head(url).status_code == 405
