import io

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client, override_settings

from outsourcing_site.page_cache import local_version
from quiz.models import Quiz
from tests.editor_helpers import EDITOR_PASSWORD
from tests.quiz_helpers import QUIZ_SLUG
from tests.site_process import create_database, database_url, drop_database, manage, site_environment, unique_name

PRODUCTION_STATIC_STORAGE = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (test settings keep them in memory) and a content version stamp of its
    own: no cached page, rate-limit count or row kept in this process (editorial.kept) carries over from the test
    before, whose rows were rolled back."""
    for cache in caches.all(initialized_only=False):
        cache.clear()
    local_version.replace_until_commit()


@pytest.fixture
def pages_rendered_every_time(settings):
    """No page cache: for tests that count the queries a page's view runs."""
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.dummy.DummyCache"} for alias in ("default", "shared", "pages")
    }


@pytest.fixture
def shipped_content(db):
    """The content a fresh checkout ships with, loaded the way `make run` loads it."""
    call_command("load_content", stdout=io.StringIO())


@pytest.fixture
def shipped_quiz(shipped_content):
    """The quiz a fresh checkout ships with."""
    return Quiz.objects.get(slug=QUIZ_SLUG)


@pytest.fixture
def staff_user(django_user_model):
    """Staff, with no permission of their own: enough to see drafts on the site, nothing in the admin."""
    return django_user_model.objects.create_user("editor", password="a-long-test-password", is_staff=True)


@pytest.fixture
def reader_user(django_user_model):
    """Signed in, but not staff: a reader with an account."""
    return django_user_model.objects.create_user("reader", password="a-long-test-password")


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploads go to an empty folder of their own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture(scope="session")
def collected_static_root(tmp_path_factory):
    """Static files collected once, the way `make run` collects them: hashed names with .gz and .br copies."""
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES={"staticfiles": PRODUCTION_STATIC_STORAGE}):
        call_command("collectstatic", "--noinput", verbosity=0)
    return root


@pytest.fixture
def production_static(settings, collected_static_root):
    """Serve the collected files through WhiteNoise, with hashed names in the pages, as in production."""
    settings.STATIC_ROOT = collected_static_root
    settings.STORAGES = {**settings.STORAGES, "staticfiles": PRODUCTION_STATIC_STORAGE}
    return collected_static_root


@pytest.fixture
def editor(db, monkeypatch):
    """A member of the Editors group and nothing else, made the way the README says."""
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("create_editor", "maria", "--email", "maria@example.com", stdout=io.StringIO())
    return get_user_model().objects.get(username="maria")


@pytest.fixture
def editor_client(editor):
    """A browser signed in to the admin as the editor; the ``client`` fixture stays an anonymous reader."""
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "maria", "password": EDITOR_PASSWORD})
    assert response.status_code == 302 and response.url == "/admin/"
    return client


@pytest.fixture(scope="session")
def postgres_site_template():
    """A PostgreSQL database, migrated and loaded with the shipped content once per test process, for the
    databases of site processes (tests/site_process.py) to be copied from."""
    name = unique_name("template")
    create_database(name)
    try:
        environment = site_environment(DATABASE_URL=database_url(name))
        manage(environment, "migrate", "--noinput")
        manage(environment, "load_content")
        yield name
    finally:
        drop_database(name)


@pytest.fixture
def postgres_site_database(postgres_site_template):
    """A PostgreSQL database of this test's own with the shipped content, dropped afterwards."""
    name = unique_name("site")
    create_database(name, template=postgres_site_template)
    yield name
    drop_database(name)
