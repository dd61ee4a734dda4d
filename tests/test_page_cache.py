"""Anonymous readers get cached copies of /, the model pages and /quiz/; any edit shows on the next request."""

import io
import secrets
import shutil

import pytest
from django.conf import settings
from django.contrib.auth.models import Permission
from django.core.cache.backends.base import BaseCache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.template import RequestContext, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse

from content.models import Benefit, Example, OutsourcingModel
from editorial.signals import rows_reordered
from outsourcing_site import page_cache
from quiz.models import Quiz
from tests.quiz_helpers import start
from tests.test_editor_ordering import drag

pytestmark = pytest.mark.django_db

CACHED_PAGES = ["/", "/bpo/", "/kpo/", "/quiz/"]


class UnreachableCache(BaseCache):
    """A cache backend whose server is down: every call raises, as django-redis does when Redis is unreachable."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, *args, **kwargs):
        raise ConnectionError("cache server unreachable")

    add = set = delete = clear = get


@pytest.fixture
def editor(staff_user):
    """A signed-in staff member allowed to change content and quizzes, in a browser of their own."""
    staff_user.user_permissions.add(*Permission.objects.filter(content_type__app_label__in=["content", "quiz"]))
    browser = Client()
    browser.force_login(staff_user)
    return browser


def admin_change(browser, item, **changes):
    """Open ``item``'s change form in the admin and save it with ``changes``, like an editor would."""
    url = reverse(f"admin:{item._meta.app_label}_{item._meta.model_name}_change", args=[item.pk])
    page = browser.get(url)
    assert page.status_code == 200
    data = form_data(page.context["adminform"].form)
    for formset in page.context["inline_admin_formsets"]:
        data.update(form_data(formset.formset.management_form))
        for form in formset.formset.forms:
            data.update(form_data(form))
    data.update(changes)
    response = browser.post(url, {name: value for name, value in data.items() if value is not None})
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    return response


def form_data(form):
    data = {}
    for field in form:
        value = field.value()
        if value is False:
            value = None
        elif value is True:
            value = "on"
        data[field.html_name] = value
    return data


def example_heading(html, slug="data-entry"):
    return html.split(f'id="{slug}"')[1].split("</h")[0]


def anonymous(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_second_anonymous_request_is_served_from_the_cache_without_queries(client, shipped_content):
    for url in CACHED_PAGES:
        first = anonymous(client, url)
        with CaptureQueriesContext(connection) as queries:
            second = anonymous(client, url)
        assert len(queries) == 0, url
        assert second == first


def test_an_edit_in_the_admin_shows_on_the_next_anonymous_request(client, shipped_content, editor):
    example = Example.objects.get(slug="data-entry")
    for url in ["/", "/bpo/"]:
        assert "Data entry" in example_heading(anonymous(client, url))
    admin_change(editor, example, title="Keying in records")
    for url in ["/", "/bpo/"]:
        heading = example_heading(anonymous(client, url))
        assert "Keying in records" in heading
        assert "Data entry" not in heading


def test_a_model_edit_shows_on_every_page_that_names_it(client, shipped_content, editor):
    for url in CACHED_PAGES:
        anonymous(client, url)
    admin_change(editor, OutsourcingModel.objects.get(slug="kpo"), abbreviation="KPX")
    for url in ["/", "/bpo/", "/kpo/", "/quiz/"]:
        assert "KPX" in anonymous(client, url), url


def test_a_deletion_in_the_admin_shows_on_the_next_anonymous_request(client, shipped_content, editor):
    example = Example.objects.get(slug="telemarketing")
    assert 'id="telemarketing"' in anonymous(client, "/bpo/")
    response = editor.post(reverse("admin:content_example_delete", args=[example.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert 'id="telemarketing"' not in anonymous(client, "/bpo/")


def test_unpublishing_in_the_admin_hides_the_item_from_the_next_anonymous_request(client, shipped_content, editor):
    assert 'id="telemarketing"' in anonymous(client, "/")
    admin_change(editor, Example.objects.get(slug="telemarketing"), published=None)
    assert 'id="telemarketing"' not in anonymous(client, "/")


def example_order(html):
    slugs = Example.objects.filter(outsourcing_model__slug="bpo").values_list("slug", flat=True)
    return sorted(slugs, key=lambda slug: html.index(f'id="{slug}"'))


def test_dragging_in_the_admin_list_shows_on_the_next_anonymous_request(client, shipped_content, editor):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    before = example_order(anonymous(client, "/bpo/"))
    assert example_order(anonymous(client, "/bpo/")) == before
    response = drag(editor, f"/admin/content/example/?outsourcing_model__id__exact={bpo.pk}", 1, 0)
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

    def benefit_on_home_page():
        return anonymous(client, "/").split(f'id="{benefit.anchor}"')[1].split("</article>")[0]

    assert 'href="/kpo/"' in benefit_on_home_page()
    benefit.applies_to.remove(OutsourcingModel.objects.get(slug="kpo"))
    assert 'href="/kpo/"' not in benefit_on_home_page()


def test_load_content_shows_on_the_next_anonymous_request(client, shipped_content, tmp_path):
    data = shutil.copytree(settings.CONTENT_DATA_DIR, tmp_path / "data")
    path = data / "examples" / "data-entry.md"
    path.write_text(
        path.read_text(encoding="utf-8").replace("title: Data entry", "title: Record keying"), encoding="utf-8"
    )
    assert "Record keying" not in anonymous(client, "/")
    call_command("load_content", str(data), "--replace", stdout=io.StringIO())
    assert "Record keying" in anonymous(client, "/")


def test_a_quiz_edit_shows_on_the_next_anonymous_request_for_the_quiz_page(client, shipped_content, editor):
    assert "Rename me" not in anonymous(client, "/quiz/")
    admin_change(editor, Quiz.objects.get(slug="bpo-or-kpo"), title="Rename me")
    assert "Rename me" in anonymous(client, "/quiz/")


def test_signed_in_staff_see_drafts_not_the_cached_page(client, shipped_content, editor):
    Example.objects.filter(slug="telemarketing").update(published=False)
    assert 'id="telemarketing"' not in anonymous(client, "/bpo/")
    staff_view = editor.get("/bpo/").content.decode()
    assert 'id="telemarketing"' in staff_view and "Draft" in staff_view
    assert 'id="telemarketing"' not in anonymous(client, "/bpo/")


def test_a_staff_page_never_goes_into_the_cache(client, shipped_content, editor):
    Example.objects.filter(slug="telemarketing").update(published=False)
    assert 'id="telemarketing"' in editor.get("/").content.decode()
    assert 'id="telemarketing"' not in anonymous(client, "/")


def test_a_quiz_taker_with_a_session_is_never_served_a_cached_copy(client, shipped_content):
    anonymous(client, "/quiz/")
    start(client)
    assert settings.SESSION_COOKIE_NAME in client.cookies
    with CaptureQueriesContext(connection) as queries:
        anonymous(client, "/quiz/")
    assert any("django_session" in query["sql"] for query in queries.captured_queries)


def test_a_reader_with_a_pending_message_is_never_served_a_cached_copy(client, shipped_content):
    anonymous(client, "/")
    client.cookies["messages"] = "tampered-or-stale"
    with CaptureQueriesContext(connection) as queries:
        anonymous(client, "/")
    assert len(queries) > 0


def test_a_cached_page_never_contains_a_csrf_token(client, shipped_content):
    for url in CACHED_PAGES:
        anonymous(client, url)
        with CaptureQueriesContext(connection) as queries:
            html = anonymous(client, url)
        assert len(queries) == 0
        assert "csrfmiddlewaretoken" not in html


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


@pytest.mark.parametrize("url, status", [("/?utm_source=<script>", 200), ("/no-such-model/", 404)])
def test_query_strings_and_missing_pages_are_rendered_every_time(client, shipped_content, url, status):
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == status
        assert len(queries) > 0


def test_a_forged_host_header_is_refused_not_cached(client, shipped_content):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400


def test_pages_are_served_and_edits_saved_while_the_cache_is_down(client, shipped_content, editor, settings):
    settings.CACHES = {alias: {"BACKEND": f"{__name__}.UnreachableCache"} for alias in ("default", "shared", "pages")}
    assert "Data entry" in anonymous(client, "/")
    admin_change(editor, Example.objects.get(slug="data-entry"), title="Keying in records")
    assert "Keying in records" in example_heading(anonymous(client, "/"))
    assert Quiz.objects.get(slug="bpo-or-kpo").title in anonymous(client, "/quiz/")
