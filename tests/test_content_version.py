"""The database is the source of truth for the content version: no cache outage, restore or second server
leaves a stale page for longer than CONTENT_VERSION_SECONDS, and a cached page costs no cache or database call.

The servers are gunicorn on PostgreSQL (tests/site_process.py); edits are made by another process, as by
an editor on another server.
"""

import io
import subprocess
import time

import pytest
import redis
from django.core.cache.backends.locmem import LocMemCache
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from bench.tcp_proxy import TcpProxy
from content.models import Example
from outsourcing_site.models import ContentVersion
from tests.site_process import (
    SiteServer,
    database_url,
    manage,
    postgres_client_environment,
    readme_backup_commands,
    site_environment,
    unique_name,
)

INTERVAL = 1  # CONTENT_VERSION_SECONDS, the default
# An edit committed by another process shows within the interval, plus one reading of the stamp.
EDIT_SHOWS_WITHIN = INTERVAL + 1.5
REDIS_URL = "redis://127.0.0.1:6379/13"
OLD_TITLE = "Data entry"
NEW_TITLE = "Keying in records"


class CountingCache(LocMemCache):
    """A memory cache that counts the calls made to it."""

    calls = 0

    def get(self, *args, **kwargs):
        CountingCache.calls += 1
        return super().get(*args, **kwargs)

    def set(self, *args, **kwargs):
        CountingCache.calls += 1
        return super().set(*args, **kwargs)

    def add(self, *args, **kwargs):
        CountingCache.calls += 1
        return super().add(*args, **kwargs)


class Abandoned(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_an_edit_writes_the_new_stamp_in_its_own_transaction():
    call_command("load_content", stdout=io.StringIO())
    example = Example.objects.get(slug="data-entry")
    before = ContentVersion.current_stamp()

    with pytest.raises(Abandoned), transaction.atomic():
        example.title = NEW_TITLE
        example.save()
        assert ContentVersion.current_stamp() != before
        raise Abandoned

    assert ContentVersion.current_stamp() == before
    example.save()
    assert ContentVersion.current_stamp() != before


def test_a_cached_page_asks_neither_the_shared_cache_nor_the_database(client, shipped_content, settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": f"{__name__}.CountingCache", "LOCATION": "counting-default"},
        "shared": {"BACKEND": f"{__name__}.CountingCache", "LOCATION": "counting-shared"},
    }
    assert client.get("/").status_code == 200
    CountingCache.calls = 0

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200

    assert (CountingCache.calls, len(queries)) == (0, 0)


@pytest.mark.django_db
def test_refresh_pages_gives_the_content_a_new_stamp():
    before = ContentVersion.current_stamp()
    output = io.StringIO()

    call_command("refresh_pages", stdout=output)

    assert ContentVersion.current_stamp() != before
    assert "Cached pages refreshed" in output.getvalue()


def site_server(tmp_path, database, static_root, **environment):
    return SiteServer(
        tmp_path / "gunicorn.log",
        DATABASE_URL=database_url(database),
        DJANGO_STATIC_ROOT=str(static_root),
        DJANGO_CACHE_DIR=str(tmp_path / "server-cache"),
        **environment,
    )


def rename_example(database, title, **environment):
    """Rename the example "data-entry" through the ORM, in a process of its own, like another server's admin."""
    code = (
        "from content.models import Example\n"
        "example = Example.objects.get(slug='data-entry')\n"
        f"example.title = {title!r}\n"
        "example.save()\n"
    )
    manage(site_environment(DATABASE_URL=database_url(database), **environment), "shell", "-c", code)


def seconds_until_shown(server, text, limit):
    started = time.monotonic()
    while text not in server.get("/").text:
        assert time.monotonic() - started < limit, f"{text!r} not shown after {limit} s"
        time.sleep(0.1)
    return time.monotonic() - started


def cache_the_home_page(server):
    for _ in range(2):
        assert OLD_TITLE in server.get("/").text


def test_an_edit_on_another_server_without_a_shared_cache_shows_within_the_interval(
    postgres_site_database, collected_static_root, tmp_path
):
    with site_server(tmp_path, postgres_site_database, collected_static_root) as server:
        cache_the_home_page(server)

        rename_example(postgres_site_database, NEW_TITLE, DJANGO_CACHE_DIR=str(tmp_path / "other-server-cache"))

        assert seconds_until_shown(server, NEW_TITLE, limit=10) < EDIT_SHOWS_WITHIN


@pytest.fixture
def redis_proxy():
    """The machine's Redis through a proxy the test can hang; the keys the test made are deleted afterwards."""
    prefix = unique_name("cache")
    with TcpProxy(("127.0.0.1", 6379)) as proxy:
        yield proxy, {"REDIS_URL": f"redis://127.0.0.1:{proxy.port}/13", "CACHE_KEY_PREFIX": prefix}
    keys = redis.Redis.from_url(REDIS_URL)
    for key in keys.scan_iter(f"{prefix}*"):
        keys.delete(key)


def test_an_edit_made_while_redis_hangs_shows_within_the_interval_and_cached_pages_never_wait_for_redis(
    postgres_site_database, collected_static_root, tmp_path, redis_proxy
):
    proxy, shared_cache = redis_proxy
    with site_server(tmp_path, postgres_site_database, collected_static_root, **shared_cache) as server:
        cache_the_home_page(server)
        proxy.pause()

        assert all(server.get(page).seconds < 0.3 for page in ["/", "/", "/"])
        rename_example(postgres_site_database, NEW_TITLE, **shared_cache)
        proxy.resume()

        assert seconds_until_shown(server, NEW_TITLE, limit=10) < EDIT_SHOWS_WITHIN


def test_a_restored_backup_shows_within_the_interval_on_a_running_server(
    postgres_site_database, collected_static_root, tmp_path
):
    backup, restore = readme_backup_commands(postgres_site_database, tmp_path / "outsourcing.dump")
    with site_server(tmp_path, postgres_site_database, collected_static_root) as server:
        cache_the_home_page(server)
        subprocess.run(backup, env=postgres_client_environment(), check=True, timeout=120)
        rename_example(postgres_site_database, NEW_TITLE)
        seconds_until_shown(server, NEW_TITLE, limit=10)

        subprocess.run(restore, env=postgres_client_environment(), check=True, timeout=120)

        assert seconds_until_shown(server, OLD_TITLE, limit=10) < EDIT_SHOWS_WITHIN
