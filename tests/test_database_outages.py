"""A hung or lost database cannot freeze a server.

Cached pages, robots.txt and static files answer at once, /healthz within a second, and every page that
needs the database a 503 in the site's layout with Retry-After, within the timeouts. The server is
gunicorn on PostgreSQL (tests/site_process.py), reached through a proxy that the test hangs or cuts.
"""

import json
import threading
import time

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import OperationalError
from django.http import HttpResponse
from django.test import Client
from django.urls import path

from bench.tcp_proxy import TcpProxy
from outsourcing_site import urls as site_urls
from tests.site_process import CONNECT_TIMEOUT, STATEMENT_TIMEOUT, SiteServer, database_url, postgres_address

# The longest a request that needs the database may take while the database does not answer.
DATABASE_BOUND = STATEMENT_TIMEOUT + CONNECT_TIMEOUT + 1
AT_ONCE = 0.5
CACHED_PAGES = ["/", "/bpo/", "/quiz/"]
# Pages each request of which reads the database (an explainer page with a tracking tag may be kept, content.pages).
DATABASE_PAGES = ["/quiz/bpo-or-kpo/", "/sitemap.xml", "/which-fits/?from=newsletter"]


@pytest.fixture
def database_proxy():
    with TcpProxy(postgres_address()) as proxy:
        yield proxy


@pytest.fixture
def server(postgres_site_database, database_proxy, collected_static_root, tmp_path):
    """The site on its database through the proxy, its cacheable pages already cached."""
    with SiteServer(
        tmp_path / "gunicorn.log",
        DATABASE_URL=database_url(postgres_site_database, "127.0.0.1", database_proxy.port),
        DJANGO_STATIC_ROOT=str(collected_static_root),
        DJANGO_CACHE_DIR=str(tmp_path / "cache"),
    ) as server:
        for page in CACHED_PAGES:
            assert server.get(page).status == 200
        yield server


def assert_unavailable_page(page, status, headers, html):
    assert status == 503, (page, status, html[:300])
    assert int(headers["Retry-After"]) > 0
    assert "<title>Briefly unavailable" in html
    assert 'class="site-header"' in html and 'class="site-footer"' in html


def assert_server_says_unavailable(page, reply):
    assert_unavailable_page(page, reply.status, reply.headers, reply.text)


def assert_site_says_unavailable(page, response):
    assert_unavailable_page(page, response.status_code, response, response.content.decode())


def test_healthz_answers_within_a_second_that_the_hung_database_is_unavailable(server, database_proxy):
    database_proxy.pause()

    reply = server.get("/healthz", timeout=DATABASE_BOUND)

    assert reply.seconds < 1
    assert reply.status == 503
    assert json.loads(reply.text) == {"status": "unavailable", "database": "unavailable", "cache": "ok"}


def test_pages_that_need_the_hung_database_answer_503_in_the_layout_within_the_timeouts(server, database_proxy):
    database_proxy.pause()

    for page in DATABASE_PAGES:
        reply = server.get(page, timeout=DATABASE_BOUND + 5)
        assert reply.seconds < DATABASE_BOUND, page
        assert_server_says_unavailable(page, reply)


def test_with_the_database_gone_readers_get_503_not_500_and_pages_again_once_it_is_back(server, database_proxy):
    database_proxy.cut()
    for page in DATABASE_PAGES:
        assert_server_says_unavailable(page, server.get(page, timeout=DATABASE_BOUND))

    database_proxy.resume()

    deadline = time.monotonic() + DATABASE_BOUND
    while server.get(DATABASE_PAGES[0]).status != 200:
        assert time.monotonic() < deadline, "still unavailable after the database came back"
        time.sleep(0.2)


def test_cached_pages_robots_txt_and_static_files_answer_at_once_while_readers_wait_on_a_hung_database(
    server, database_proxy
):
    stylesheet = server.stylesheet()
    database_proxy.pause()
    assert server.get(DATABASE_PAGES[0], timeout=DATABASE_BOUND).status == 503
    stop = threading.Event()

    def keep_asking_for_a_page_that_needs_the_database():
        while not stop.is_set():
            server.get(DATABASE_PAGES[0], timeout=DATABASE_BOUND)

    readers = [threading.Thread(target=keep_asking_for_a_page_that_needs_the_database) for _ in range(8)]
    for reader in readers:
        reader.start()
    try:
        for _ in range(3):
            for page in [*CACHED_PAGES, "/robots.txt", stylesheet]:
                reply = server.get(page, timeout=DATABASE_BOUND)
                assert (reply.status, reply.seconds < AT_ONCE) == (200, True), (page, reply.seconds)
    finally:
        stop.set()
        for reader in readers:
            reader.join()


def needs_the_database(request):
    raise OperationalError("connection to server failed: Connection refused")


def keeps_a_session(request):
    request.session["seen"] = True
    return HttpResponse("Seen.")


handler500 = site_urls.handler500
urlpatterns = [
    path("needs-the-database/", needs_the_database),
    path("keeps-a-session/", keeps_a_session),
    *site_urls.urlpatterns,
]


def test_a_view_that_finds_the_database_unavailable_answers_503_in_the_layout(client, settings):
    settings.ROOT_URLCONF = __name__

    response = client.get("/needs-the-database/")

    assert_site_says_unavailable("/needs-the-database/", response)
    assert "no-store" in response["Cache-Control"]


def test_a_middleware_that_finds_the_database_unavailable_answers_503_too(settings, monkeypatch):
    settings.ROOT_URLCONF = __name__

    def database_gone(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(SessionStore, "save", database_gone)

    response = Client(raise_request_exception=False).get("/keeps-a-session/")

    assert_site_says_unavailable("/keeps-a-session/", response)
