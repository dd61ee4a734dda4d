"""With REDIS_URL the cache lives in Redis; without a reachable Redis the site still serves every page."""

import json
import logging
import os
import socket
import subprocess
import sys
import threading
import uuid
from pathlib import Path

import pytest
import redis

from outsourcing_site.caches import redis_cache as redis_cache_in
from outsourcing_site.caches import redis_resting
from quiz.models import Attempt
from tests.quiz_helpers import QUIZ_SLUG, answer, start
from tests.served_site import Browser, served_site

PROJECT_DIR = Path(__file__).resolve().parent.parent
TEST_REDIS_URL = "redis://127.0.0.1:6379/15"
# Its own database, and keys under a prefix of their own, since other test runs may share the machine's Redis.
SERVED_SITE_REDIS_URL = "redis://127.0.0.1:6379/13"
CLOSED_PORT_REDIS_URL = "redis://127.0.0.1:1/0"
PUBLIC_PAGES = ["/", "/bpo/", "/kpo/", "/quiz/", f"/quiz/{QUIZ_SLUG}/", "/sitemap.xml", "/robots.txt", "/healthz"]


def redis_cache_settings(location, key_prefix="outsourcing-tests"):
    """CACHES as the settings build them when REDIS_URL is ``location``."""
    redis_cache = redis_cache_in(location, key_prefix)
    return {
        "default": redis_cache,
        "shared": redis_cache,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "redis-test-pages"},
    }


@pytest.fixture
def key_prefix(worker_id):
    """This test process's own keys: parallel workers share the machine's Redis."""
    return f"outsourcing-tests-{worker_id}"


def our_keys(connection, key_prefix):
    return connection.keys(f"{key_prefix}:*")


@pytest.fixture
def test_redis(key_prefix):
    connection = redis.Redis.from_url(TEST_REDIS_URL)
    connection.ping()  # fail here, loudly, if the machine's Redis is not running
    for key in our_keys(connection, key_prefix):
        connection.delete(key)
    yield connection
    for key in our_keys(connection, key_prefix):
        connection.delete(key)


def test_redis_url_puts_the_cache_in_redis(test_redis, key_prefix):
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "print(Client().get('/healthz').json()['cache'])\n"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "outsourcing_site.settings",
        "REDIS_URL": TEST_REDIS_URL,
        "CACHE_KEY_PREFIX": key_prefix,
    }
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.stdout.strip().splitlines()[-1] == "ok", result.stderr
    assert any(b"healthz" in key for key in our_keys(test_redis, key_prefix))


def test_everything_the_site_keeps_in_redis_is_json_not_pickle(tmp_path):
    prefix = f"json-test-{uuid.uuid4().hex}"
    connection = redis.Redis.from_url(SERVED_SITE_REDIS_URL)
    try:
        with served_site(tmp_path, REDIS_URL=SERVED_SITE_REDIS_URL, CACHE_KEY_PREFIX=prefix) as site:
            browser = Browser(site)
            assert [browser.request(path)[0] for path in ("/healthz", "/", "/quiz/")] == [200, 200, 200]
            form = f"csrfmiddlewaretoken={browser.csrf_token_from(f'/quiz/{QUIZ_SLUG}/')}".encode()
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            assert browser.request(f"/quiz/{QUIZ_SLUG}/start/", data=form, headers=headers)[0] == 302
        stored = {key.decode(): connection.get(key) for key in connection.keys(f"{prefix}:*")}
    finally:
        for key in connection.scan_iter(f"{prefix}:*"):
            connection.delete(key)

    assert f"{prefix}:1:healthz" in stored
    assert any(key.startswith(f"{prefix}:1:rl:") for key in stored)
    # A pickle would fail to load here, and unpickling one could run code.
    decoded = {key: json.loads(value) for key, value in stored.items()}
    assert decoded[f"{prefix}:1:healthz"] == "ok"


def test_the_quiz_start_limit_counts_in_redis(client, shipped_content, settings, test_redis, key_prefix):
    settings.CACHES = redis_cache_settings(TEST_REDIS_URL, key_prefix)
    settings.QUIZ_START_RATE = "2/h"

    statuses = [client.post(f"/quiz/{QUIZ_SLUG}/start/").status_code for _ in range(3)]

    assert statuses == [302, 302, 429]
    assert any(b"rl:" in key for key in our_keys(test_redis, key_prefix))


def test_with_redis_unreachable_every_public_page_is_served_and_the_failure_logged(
    client, shipped_content, settings, caplog
):
    settings.CACHES = redis_cache_settings(CLOSED_PORT_REDIS_URL)
    caplog.set_level(logging.ERROR)

    statuses = {path: client.get(path).status_code for path in PUBLIC_PAGES}

    assert statuses == dict.fromkeys(PUBLIC_PAGES, 200)
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok", "cache": "unavailable"}
    cache_failures = [record for record in caplog.records if record.name == "outsourcing_site.cache"]
    assert cache_failures
    assert "Connection refused" in str(cache_failures[0].exc_info[1])


def test_with_redis_unreachable_a_whole_quiz_can_still_be_taken(client, shipped_content, settings):
    settings.CACHES = redis_cache_settings(CLOSED_PORT_REDIS_URL)

    attempt = start(client)
    for number in range(1, attempt.total + 1):
        assert answer(client, attempt, number).status_code == 302
    attempt.refresh_from_db()

    assert attempt.is_finished
    assert client.get(f"/quiz/attempts/{attempt.public_id}/results/").status_code == 200
    assert Attempt.objects.count() == 1


@pytest.fixture
def hung_redis():
    """A Redis that takes connections and never answers, as a paused one does; yields the connections it took."""
    listener = socket.create_server(("127.0.0.1", 0))
    taken = []

    def take():
        while True:
            try:
                taken.append(listener.accept()[0])
            except OSError:
                return

    threading.Thread(target=take, daemon=True).start()
    redis_resting.until = 0.0
    yield f"redis://127.0.0.1:{listener.getsockname()[1]}/0", taken
    listener.close()
    for connection in taken:
        connection.close()
    redis_resting.until = 0.0


def test_a_hung_redis_costs_a_quiz_start_one_wait_not_one_per_cache_call(client, shipped_content, settings, hung_redis):
    location, taken = hung_redis
    settings.CACHES = redis_cache_settings(location)

    response = client.post(f"/quiz/{QUIZ_SLUG}/start/")

    assert response.status_code == 302
    # The start limit asks the cache twice (add, then incr); only the first may wait for the hung Redis.
    assert len(taken) == 1
    assert Attempt.objects.count() == 1


def test_redis_is_asked_again_once_its_rest_is_over(client, shipped_content, settings, hung_redis):
    location, taken = hung_redis
    settings.CACHES = redis_cache_settings(location)
    client.post(f"/quiz/{QUIZ_SLUG}/start/")
    redis_resting.until = 0.0

    client.post(f"/quiz/{QUIZ_SLUG}/start/")

    assert len(taken) == 2
