"""A cached page is a memory lookup: no query, no file of the shared cache folder opened or listed, no template.

The caches are laid out as production lays them out without Redis (outsourcing_site/settings.py): pages in
each process's memory, the shared counts in files. Every file the process opens or lists is seen through
Python's audit hooks, whoever opens it.
"""

import sys
import threading
from pathlib import Path

import pytest
from django.core.cache import caches
from django.test.signals import template_rendered

from outsourcing_site import settings as site_settings

pytestmark = pytest.mark.django_db

CACHED_PAGES = ["/", "/bpo/", "/kpo/", "/quiz/"]
FILE_EVENTS = {"open", "os.listdir", "os.scandir", "glob.glob", "os.remove", "os.rename", "os.replace", "os.mkdir"}


class FolderWatch:
    """Records every open, listing or change of a path under ``folder`` while it is on (Python's audit hooks)."""

    def __init__(self):
        self.folder = None
        self.touched = []
        self.lock = threading.Lock()

    def __call__(self, event, args):
        folder = self.folder
        if folder is None or event not in FILE_EVENTS or not args or not isinstance(args[0], (str, bytes, Path)):
            return
        path = Path(args[0].decode() if isinstance(args[0], bytes) else args[0])
        if path == folder or folder in path.parents:
            with self.lock:
                self.touched.append((event, str(path)))

    def watching(self, folder):
        self.folder = Path(folder).resolve()
        self.touched = []
        return self

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.folder = None


# An audit hook cannot be removed: one for the whole test process, off unless a test turns it on.
folder_watch = FolderWatch()
sys.addaudithook(folder_watch)


@pytest.fixture
def production_caches(settings, tmp_path):
    """The site's own cache settings, the shared cache's files in a folder of this test's."""
    folder = tmp_path / "cache"
    settings.CACHES = {
        alias: {**config, "LOCATION": str(folder)} if alias == "shared" else config
        for alias, config in site_settings.CACHES.items()
    }
    assert settings.CACHES["shared"]["BACKEND"] == "outsourcing_site.caches.FileCacheWithAtomicCounts"
    assert settings.CACHES["pages"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    return folder


@pytest.fixture
def templates_rendered():
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    yield rendered
    template_rendered.disconnect(record)


def test_the_watch_sees_the_shared_cache_open_its_files(production_caches):
    with folder_watch.watching(production_caches):
        caches["shared"].set("quiz-starts", 1)
        assert caches["shared"].get("quiz-starts") == 1

    assert ("open", str(production_caches)) in {(event, str(Path(path).parent)) for event, path in folder_watch.touched}


@pytest.mark.parametrize("url", CACHED_PAGES)
def test_a_cache_hit_opens_no_file_of_the_cache_folder_runs_no_query_and_renders_no_template(
    client, shipped_content, production_caches, templates_rendered, django_assert_num_queries, url
):
    first = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert first.status_code == 200
    assert templates_rendered, "the first request renders the page"
    templates_rendered.clear()

    with folder_watch.watching(production_caches), django_assert_num_queries(0):
        hit = client.get(url, HTTP_ACCEPT_ENCODING="gzip")

    assert (hit.status_code, hit.content) == (200, first.content)
    assert folder_watch.touched == []
    assert templates_rendered == []


def test_a_request_that_uses_the_shared_cache_is_seen_by_the_same_watch(client, production_caches):
    """The instrument can fail: the health check's round trip through the shared cache opens its files."""
    with folder_watch.watching(production_caches):
        health = client.get("/healthz")

    assert health.json()["cache"] == "ok"
    assert any(event == "open" for event, _ in folder_watch.touched)
