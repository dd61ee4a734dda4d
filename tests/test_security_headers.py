"""Every response carries the security headers; public pages carry the strict policy."""

import pytest

from tests.quiz_helpers import QUIZ_SLUG

STRICT_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}

PAGES = ["/", "/bpo/", "/kpo/", "/which-fits/", "/quiz/", f"/quiz/{QUIZ_SLUG}/", "/admin/login/", "/no-such-page/"]


def policy(response):
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_strict_content_security_policy(client, shipped_content, path):
    response = client.get(path)

    directives = policy(response)
    for name, value in STRICT_DIRECTIVES.items():
        assert directives[name] == value, name
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_the_browser_hardening_headers(client, shipped_content, path):
    response = client.get(path)

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in permissions


def test_the_quiz_session_cookie_is_http_only_and_same_site_lax(client, shipped_content):
    client.post(f"/quiz/{QUIZ_SLUG}/start/")

    session_cookie = client.cookies["sessionid"]
    assert session_cookie["httponly"]
    assert session_cookie["samesite"] == "Lax"


def test_the_csrf_cookie_is_same_site_lax(client, shipped_content):
    client.get("/admin/login/")

    assert client.cookies["csrftoken"]["samesite"] == "Lax"


def test_the_health_check_carries_no_cookie_and_is_never_cached(client, db):
    response = client.get("/healthz")

    assert not response.cookies
    assert {"no-cache", "no-store"} <= {directive.strip() for directive in response["Cache-Control"].split(",")}
