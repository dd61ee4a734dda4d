"""The explainer pages as readers see them, read and rendered once per content version (content.pages): an address
the page cache leaves to the view (a query string) runs no query the second time, and an edit shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Example, OutsourcingModel
from tests.html_pages import parse
from tests.test_content_at_scale import templates_rendered

pytestmark = pytest.mark.django_db

# Query strings the page cache leaves to the view, as a tracking tag in a shared link would.
TAGGED = ["/?utm_source=mail", "/bpo/?utm_source=mail", "/kpo/?utm_source=mail"]


def example_title(client, url, slug="data-entry"):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return parse(response).by_id(slug).find(class_="example__title").text


@pytest.mark.parametrize("url", TAGGED)
def test_a_readers_second_render_runs_no_query_and_renders_only_the_layout(client, shipped_content, url):
    first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert len(again) == 0, [query["sql"] for query in again.captured_queries]
    assert second.content == first.content
    rendered = templates_rendered(client, url)
    assert "base.html" in rendered
    assert not {"content/home_body.html", "content/model_page_body.html", "includes/quiz_cta.html"} & set(rendered)


@pytest.mark.parametrize("url", ["/?utm_source=mail", "/bpo/?utm_source=mail"])
def test_an_edit_shows_on_the_next_render(client, shipped_content, url):
    assert example_title(client, url) == "Data entry"
    example = Example.objects.get(slug="data-entry")
    example.title = "Keying in records"
    example.save()
    assert example_title(client, url) == "Keying in records"


def test_a_draft_staff_see_is_never_shown_to_readers(client, shipped_content, editor_client):
    example = Example.objects.get(slug="data-entry")
    example.published = False
    example.save()
    for url in ("/?utm_source=mail", "/bpo/?utm_source=mail"):
        staff_view = parse(editor_client.get(url))
        assert staff_view.by_id("data-entry").has(class_="draft-badge")
        assert "data-entry" not in set(parse(client.get(url)).ids())
        assert "data-entry" in set(parse(editor_client.get(url)).ids())


def test_staff_pages_are_read_for_every_request(shipped_content, editor_client):
    editor_client.get("/?utm_source=mail")
    with CaptureQueriesContext(connection) as again:
        editor_client.get("/?utm_source=mail")
    tables = " ".join(query["sql"] for query in again.captured_queries)
    assert "content_example" in tables and "content_comparisonvalue" in tables


@pytest.mark.parametrize(
    "url", ["/nothing-here/", "/bpo/?page=99", "/bpo/?page=0", "/bpo/?page=x", "/bpo/?page=2&page=3"]
)
def test_an_address_of_no_page_stays_a_404_when_asked_again(client, shipped_content, url):
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


def test_a_model_withdrawn_after_its_page_was_kept_answers_404(client, shipped_content):
    assert client.get("/kpo/?utm_source=mail").status_code == 200
    withdrawn = OutsourcingModel.objects.get(slug="kpo")
    withdrawn.published = False
    withdrawn.save()
    assert client.get("/kpo/?utm_source=mail").status_code == 404
