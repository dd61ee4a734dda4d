"""Anonymous readers get cached copies of /, the model pages and /quiz/; any edit shows on the next request."""

import gzip
import io
import secrets
import shutil

import pytest
from django.conf import settings
from django.core.cache.backends.base import BaseCache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test import Client
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from content.models import Benefit, Example, OutsourcingModel
from content.pages import kept_pages
from editorial.signals import rows_reordered
from outsourcing_site import page_cache
from quiz.models import Quiz
from tests.editor_helpers import change_url, drag, save
from tests.html_pages import parse
from tests.quiz_helpers import start

pytestmark = pytest.mark.django_db

CACHED_PAGES = [
    "/",
    "/bpo/",
    "/kpo/",
    "/which-fits/",
    "/which-fits/?nature-of-work=kpo&skill-level=kpo&decision-making=bpo&technology=kpo",
    "/quiz/",
]


class UnreachableCache(BaseCache):
    """A cache backend whose server is down: every call raises, as django-redis does when Redis is unreachable."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    add = set = delete = clear = get


def admin_change(editor_client, item, **changes):
    """Save ``item``'s change form in the admin with ``changes``, like an editor would."""
    response = save(editor_client, change_url(item), **changes)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response


def change_behind_the_caches_back(item, **fields):
    """Write to the database without the ORM, so nothing marks cached pages stale, and forget the explainer pages
    this process keeps for readers (``content.pages``): only a page rendered afresh shows the change, a cached
    copy does not."""
    kept_pages.clear()
    table = connection.ops.quote_name(item._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(name)} = %s" for name in fields)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {table} SET {assignments} WHERE id = %s", [*fields.values(), item.pk])


def anonymous(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def example_heading(html, slug="data-entry"):
    return parse(html).by_id(slug).find(class_="example__title").text


def ids_on(html):
    return set(parse(html).ids())


def test_second_anonymous_request_is_served_from_the_cache_without_queries(client, shipped_content):
    for url in CACHED_PAGES:
        first = anonymous(client, url)
        with CaptureQueriesContext(connection) as queries:
            second = anonymous(client, url)
        assert len(queries) == 0, url
        assert second == first


def test_an_edit_in_the_admin_shows_on_the_next_anonymous_request(client, shipped_content, editor_client):
    example = Example.objects.get(slug="data-entry")
    for url in ["/", "/bpo/"]:
        assert example_heading(anonymous(client, url)) == "Data entry"
    admin_change(editor_client, example, title="Keying in records")
    for url in ["/", "/bpo/"]:
        assert example_heading(anonymous(client, url)) == "Keying in records"


def test_a_model_edit_shows_on_every_page_that_names_it(client, shipped_content, editor_client):
    for url in CACHED_PAGES:
        assert "KPX" not in anonymous(client, url)
    admin_change(editor_client, OutsourcingModel.objects.get(slug="kpo"), abbreviation="KPX")
    for url in ["/", "/bpo/", "/kpo/", "/quiz/"]:
        assert "KPX" in anonymous(client, url), url


def test_a_deletion_in_the_admin_shows_on_the_next_anonymous_request(client, shipped_content, editor_client):
    example = Example.objects.get(slug="telemarketing")
    assert "telemarketing" in ids_on(anonymous(client, "/bpo/"))
    response = editor_client.post(reverse("admin:content_example_delete", args=[example.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert "telemarketing" not in ids_on(anonymous(client, "/bpo/"))


def test_unpublishing_in_the_admin_hides_the_item_from_the_next_anonymous_request(
    client, shipped_content, editor_client
):
    assert "telemarketing" in ids_on(anonymous(client, "/"))
    admin_change(editor_client, Example.objects.get(slug="telemarketing"), published=None)
    assert "telemarketing" not in ids_on(anonymous(client, "/"))


def example_order(html):
    """The BPO examples' slugs in the order the page shows them."""
    slugs = set(Example.objects.filter(outsourcing_model__slug="bpo").values_list("slug", flat=True))
    return [anchor for anchor in parse(html).ids() if anchor in slugs]


def test_dragging_in_the_admin_list_shows_on_the_next_anonymous_request(client, shipped_content, editor_client):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    before = example_order(anonymous(client, "/bpo/"))
    assert len(before) == 5
    assert example_order(anonymous(client, "/bpo/")) == before
    response = drag(editor_client, f"/admin/content/example/?model={bpo.pk}", 1, 0)
    assert response.status_code == 200
    assert example_order(anonymous(client, "/bpo/")) == [before[1], before[0], *before[2:]]


def test_a_bulk_reorder_announced_as_rows_reordered_shows_on_the_next_anonymous_request(client, shipped_content):
    before = example_order(anonymous(client, "/bpo/"))
    examples = list(Example.objects.filter(outsourcing_model__slug="bpo"))
    for example in examples:
        example.position = 100 - before.index(example.slug)
    Example.objects.bulk_update(examples, ["position"])
    rows_reordered.send(sender=Example, rows=examples)
    assert example_order(anonymous(client, "/bpo/")) == before[::-1]


def test_changing_which_models_a_benefit_applies_to_shows_on_the_next_anonymous_request(client, shipped_content):
    benefit = Benefit.objects.filter(applies_to__slug="kpo").first()
    kpo = OutsourcingModel.objects.get(slug="kpo")

    def benefit_links_on_home_page():
        return parse(anonymous(client, "/")).by_id(benefit.anchor).links()

    assert benefit_links_on_home_page() == []  # it applies to every model, which the section says once
    benefit.applies_to.remove(kpo)
    assert benefit_links_on_home_page() == ["/bpo/"]


def test_load_content_shows_on_the_next_anonymous_request(client, shipped_content, tmp_path):
    data = shutil.copytree(settings.CONTENT_DATA_DIR, tmp_path / "data")
    path = data / "examples" / "data-entry.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Data entry", "title: Record keying"), encoding="utf-8"
    )
    assert "Record keying" not in anonymous(client, "/")
    call_command("load_content", str(data), "--replace", stdout=io.StringIO())
    assert "Record keying" in anonymous(client, "/")


def test_a_quiz_edit_shows_on_the_next_anonymous_request_for_the_quiz_page(client, shipped_content, editor_client):
    assert "Rename me" not in anonymous(client, "/quiz/")
    admin_change(editor_client, Quiz.objects.get(slug="bpo-or-kpo"), title="Rename me")
    assert "Rename me" in anonymous(client, "/quiz/")


def test_signed_in_staff_see_drafts_not_the_cached_page(client, shipped_content, editor_client):
    Example.objects.filter(slug="telemarketing").update(published=False)
    assert "telemarketing" not in ids_on(anonymous(client, "/bpo/"))
    staff_view = parse(editor_client.get("/bpo/"))
    assert staff_view.by_id("telemarketing").has(class_="draft-badge")
    assert "telemarketing" not in ids_on(anonymous(client, "/bpo/"))


def test_a_staff_page_never_goes_into_the_cache(client, shipped_content, editor_client):
    Example.objects.filter(slug="telemarketing").update(published=False)
    assert "telemarketing" in ids_on(editor_client.get("/").content.decode())
    assert "telemarketing" not in ids_on(anonymous(client, "/"))


def test_a_quiz_taker_with_a_session_is_never_served_a_cached_copy(client, shipped_content):
    quiz = Quiz.objects.get(slug="bpo-or-kpo")
    anonymous(client, "/quiz/")
    start(client)
    assert settings.SESSION_COOKIE_NAME in client.cookies
    change_behind_the_caches_back(quiz, title="Renamed while cached")
    assert "Renamed while cached" in anonymous(client, "/quiz/")
    assert "Renamed while cached" not in anonymous(Client(), "/quiz/")


def test_a_reader_with_a_pending_message_is_never_served_a_cached_copy(client, shipped_content):
    anonymous(client, "/")
    change_behind_the_caches_back(Example.objects.get(slug="data-entry"), title="Record keying")
    client.cookies["messages"] = "tampered-or-stale"
    assert example_heading(anonymous(client, "/")) == "Record keying"
    assert example_heading(anonymous(Client(), "/")) == "Data entry"


def test_a_cached_page_never_contains_a_csrf_token(client, shipped_content):
    for url in CACHED_PAGES:
        anonymous(client, url)
        with CaptureQueriesContext(connection) as queries:
            page = parse(anonymous(client, url))
        assert len(queries) == 0
        assert not page.has("input", name="csrfmiddlewaretoken")


def page_with_a_form(request):
    return HttpResponse(Template("<form method=post>{% csrf_token %}</form>").render(RequestContext(request)))


def page_that_sets_a_cookie(request):
    response = HttpResponse("<p>Welcome</p>")
    response.set_cookie("seen", secrets.token_hex(8))
    return response


urlpatterns = [path("form/", page_with_a_form, name="form"), path("cookie/", page_that_sets_a_cookie, name="cookie")]


@pytest.mark.parametrize("url, cookie", [("/form/", settings.CSRF_COOKIE_NAME), ("/cookie/", "seen")])
def test_a_marked_page_that_sets_a_cookie_or_token_is_rendered_for_each_reader(settings, monkeypatch, url, cookie):
    settings.ROOT_URLCONF = __name__
    monkeypatch.setattr(page_cache, "CACHED_PAGES", {"form", "cookie"})
    first, second = Client().get(url), Client().get(url)
    assert first.status_code == second.status_code == 200
    assert cookie in first.cookies and cookie in second.cookies
    assert first.cookies[cookie].value != second.cookies[cookie].value


def test_compressed_and_plain_copies_are_kept_apart(client, shipped_content):
    for _ in range(2):
        compressed = client.get("/", HTTP_ACCEPT_ENCODING="gzip, br")
        plain = client.get("/", HTTP_ACCEPT_ENCODING="identity")
        assert compressed["Content-Encoding"] == "gzip"
        assert "Content-Encoding" not in plain
        assert "Accept-Encoding" in compressed["Vary"]
        assert plain.content.decode().startswith("<!DOCTYPE html>")
        assert gzip.decompress(compressed.content) == plain.content


@pytest.mark.parametrize("url, status", [("/?utm_source=<script>", 200), ("/no-such-model/", 404)])
def test_query_strings_and_missing_pages_are_rendered_every_time(client, shipped_content, url, status):
    for _ in range(2):
        assert "base.html" in templates_rendered_for(client, url, status)


def templates_rendered_for(client, url, status):
    rendered = []

    def note(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(note)
    try:
        assert client.get(url).status_code == status
    finally:
        template_rendered.disconnect(note)
    return rendered


def test_a_forged_host_header_is_refused_not_cached(client, shipped_content):
    for _ in range(2):
        assert client.get("/", HTTP_HOST="attacker.example").status_code == 400
        page = parse(anonymous(client, "/"))
        assert page.find("link", rel="canonical")["href"] == "http://testserver/"


def test_pages_are_served_and_edits_saved_while_the_cache_is_down(client, shipped_content, editor_client, settings):
    settings.CACHES = {alias: {"BACKEND": f"{__name__}.UnreachableCache"} for alias in ("default", "shared", "pages")}
    assert example_heading(anonymous(client, "/")) == "Data entry"
    admin_change(editor_client, Example.objects.get(slug="data-entry"), title="Keying in records")
    assert example_heading(anonymous(client, "/")) == "Keying in records"
    assert Quiz.objects.get(slug="bpo-or-kpo").title in anonymous(client, "/quiz/")
