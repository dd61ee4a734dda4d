"""Pages assembled from pre-rendered parts, with a cost bounded in the content: the overview lists the first
examples of each model, a model's page lists its examples a page at a time, and learn-more links find the page."""

import pytest
from django.db import connection
from django.test.signals import template_rendered
from django.test.utils import CaptureQueriesContext
from django.utils.safestring import mark_safe

from content import parts
from content.models import EXAMPLES_PER_PAGE, Example, Section
from content.selectors import OVERVIEW_EXAMPLES
from editorial.previews import previewing
from outsourcing_site.page_cache import mark_content_changed
from quiz.models import Question
from tests.factories import QuestionFactory, multiply_content
from tests.html_pages import parse

pytestmark = pytest.mark.django_db

COMPRESSED_BUDGET_BYTES = 100_000


@pytest.fixture(autouse=True)
def parts_rendered_afresh():
    """Each test starts as a fresh process does: no part rendered yet."""
    parts.parts.clear()
    yield
    parts.parts.clear()


def templates_rendered(client, url):
    """The names of the templates (the page's and each include) rendering ``url`` renders, in order."""
    names = []

    def note(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(note)
    try:
        assert client.get(url).status_code == 200
    finally:
        template_rendered.disconnect(note)
    return names


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return parse(response)


def bpo_examples():
    return list(Example.objects.filter(outsourcing_model__slug="bpo", published=True).order_by("position", "pk"))


@pytest.mark.parametrize("url", ["/", "/bpo/"])
def test_a_page_renders_the_same_templates_with_ten_times_the_content_once_its_parts_are_rendered(
    client, shipped_content, pages_rendered_every_time, url
):
    client.get(url)
    shipped = templates_rendered(client, url)
    multiply_content(10)
    client.get(url)
    tenfold = templates_rendered(client, url)
    assert tenfold == shipped
    assert "includes/example_line.html" not in shipped and "includes/comparison_row.html" not in shipped
    assert len(shipped) < 30, shipped


def test_the_first_render_renders_each_part_once_and_the_next_none(client, shipped_content, pages_rendered_every_time):
    first = templates_rendered(client, "/")
    assert first.count("includes/example_line.html") == Example.objects.count()
    assert first.count("includes/comparison_row.html") == 5
    assert "includes/example_line.html" not in templates_rendered(client, "/")


def test_a_change_that_leaves_updated_at_alone_shows_with_the_next_content_version(
    client, shipped_content, pages_rendered_every_time
):
    page(client, "/")
    Example.objects.filter(slug="data-entry").update(title="Keying in records")
    Section.objects.get(slug="conclusion").save()
    line = page(client, "/").by_id("data-entry")
    assert line.find(class_="example__title").text == "Keying in records"


def test_an_unsaved_item_or_a_preview_is_rendered_but_never_stored(shipped_content):
    draft = Example(outsourcing_model=bpo_examples()[0].outsourcing_model, title="Unsaved", slug="unsaved")
    assert "Unsaved" in parts.example_card(draft, heading_level=3)
    saved = bpo_examples()[0]
    with previewing():
        saved.title = "Previewed text"
        assert "Previewed text" in parts.example_card(saved, heading_level=3)
    assert len(parts.parts) == 0


@pytest.mark.parametrize("url, queries", [("/", 9), ("/bpo/", 6), ("/bpo/?page=3", 6)])
def test_the_first_render_after_a_change_runs_as_many_queries_with_ten_times_the_content(
    client, shipped_content, pages_rendered_every_time, url, queries
):
    # A page reads its rows, the navigation's models and the quiz it invites readers to once per content version
    # (editorial.kept); multiply_content marks the content changed, as an edit does.
    mark_content_changed()
    with CaptureQueriesContext(connection) as shipped:
        client.get("/" if url == "/" else "/bpo/")
    multiply_content(10)
    with CaptureQueriesContext(connection) as tenfold:
        assert client.get(url).status_code == 200
    assert len(shipped) == len(tenfold) == queries, [query["sql"] for query in tenfold.captured_queries]


def test_the_overview_lists_the_first_examples_of_each_model_and_links_to_all_of_them(client, shipped_content):
    multiply_content(10)
    home = page(client, "/")
    section = home.by_id("bpo")
    lines = section.find("ul", class_="example-lines").find_all("li")
    first = bpo_examples()[:OVERVIEW_EXAMPLES]
    assert [line["id"] for line in lines] == [example.anchor for example in first]
    assert [line.find("a")["href"] for line in lines] == [f"/bpo/#{example.anchor}" for example in first]
    assert section.has("a", href="/bpo/") and "All 50 BPO examples, each explained" in section.text
    examples_row = home.by_id("compare-examples").find("td").text
    assert examples_row.endswith(f"{first[-1].title} and {50 - OVERVIEW_EXAMPLES} more")


def test_the_overview_at_todays_size_lists_every_example_without_a_link_to_more(client, shipped_content):
    section = page(client, "/").by_id("bpo")
    assert len(section.find("ul", class_="example-lines").find_all("li")) == 5
    assert "examples, each explained" not in section.text


def test_a_model_page_lists_its_examples_a_page_at_a_time_with_links_between_pages(client, shipped_content):
    multiply_content(10)
    examples = bpo_examples()
    pages = [page(client, url) for url in ("/bpo/", "/bpo/?page=2", "/bpo/?page=3")]
    shown = [[card["id"] for card in p.find_all("article", class_="example")] for p in pages]
    assert shown == [
        [example.anchor for example in examples[start : start + EXAMPLES_PER_PAGE]] for start in (0, 20, 40)
    ]
    first, middle, last = (p.find("nav", class_="pagination") for p in pages)
    assert first.links() == ["/bpo/?page=2"]
    assert middle.links() == ["/bpo/", "/bpo/?page=3"]
    assert last.links() == ["/bpo/?page=2"]
    assert pages[1].find("h2", id="examples-title").text == "Examples of BPO work, page 2 of 3"
    assert pages[1].find("link", rel="canonical")["href"].endswith("/bpo/?page=2")


def test_a_model_page_at_todays_size_is_one_page_without_page_links(client, shipped_content):
    model_page = page(client, "/bpo/")
    assert not model_page.has("nav", class_="pagination")
    assert model_page.find("h2", id="examples-title").text == "Examples of BPO work"


def test_asking_for_the_first_page_by_number_redirects_to_the_models_address(client, shipped_content):
    response = client.get("/bpo/?page=1")
    assert response.status_code == 302 and response["Location"] == "/bpo/"


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=4",
        "page=abc",
        "page=1.5",
        "page=",
        "page=%202",
        "page=%EF%BC%92",  # a full-width digit two, which int() would read
        "page=99999999999999999999",
        "page=2&page=3",
    ],
)
def test_a_page_number_that_names_no_page_is_a_404_in_the_sites_layout(client, shipped_content, query):
    multiply_content(10)
    not_found = page(client, f"/bpo/?{query}", status=404)
    assert not_found.find("h1").text == "We could not find that page"
    assert not_found.has("a", class_="skip-link", href="#main")


def test_a_second_page_is_a_404_while_the_examples_fit_on_one(client, shipped_content):
    assert client.get("/bpo/?page=2").status_code == 404


def test_a_learn_more_link_to_an_example_leads_to_the_page_that_lists_it(client, shipped_content):
    multiply_content(10)
    target = Example.objects.get(slug="data-entry-9")
    place = [example.pk for example in bpo_examples()].index(target.pk)
    expected_page = place // EXAMPLES_PER_PAGE + 1
    question = QuestionFactory(learn_more_section=None, learn_more_example=target)
    with CaptureQueriesContext(connection) as fetching:
        fetched = Question.objects.with_learn_more().get(pk=question.pk)
        url = fetched.learn_more_url
    assert len(fetching) == 1
    assert url == f"/bpo/?page={expected_page}#data-entry-9" == target.get_absolute_url()
    address, _, anchor = url.partition("#")
    assert page(client, address).by_id(anchor).find(class_="example__title").text == "Data entry 9"


def test_an_examples_address_counts_only_the_published_examples_before_it(shipped_content):
    multiply_content(10)
    examples = bpo_examples()
    assert Example.objects.get(slug="data-entry-9").get_absolute_url() == "/bpo/?page=3#data-entry-9"
    Example.objects.filter(pk__in=[example.pk for example in examples[:EXAMPLES_PER_PAGE]]).update(published=False)
    assert Example.objects.get(slug="data-entry-9").get_absolute_url() == "/bpo/?page=2#data-entry-9"


@pytest.mark.parametrize("url", ["/", "/bpo/"])
def test_a_page_of_a_hundred_times_the_content_stays_under_100_kb_compressed(client, shipped_content, url):
    multiply_content(100)
    assert Example.objects.count() == 1000
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < COMPRESSED_BUDGET_BYTES


def test_a_later_page_of_examples_is_cached_at_its_one_address_and_other_query_strings_are_not(client, shipped_content):
    multiply_content(10)
    first = client.get("/bpo/?page=2").content
    with CaptureQueriesContext(connection) as cached:
        assert client.get("/bpo/?page=2").content == first
    assert len(cached) == 0
    assert templates_rendered(client, "/bpo/?page=2") == []
    client.get("/bpo/?page=2&utm_source=mail")
    assert "content/model_detail.html" in templates_rendered(client, "/bpo/?page=2&utm_source=mail")


def test_a_part_whose_values_are_not_plain_is_rendered_but_not_kept(shipped_content):
    section = Section.objects.get(slug="introduction")
    section.title = mark_safe("Introduction, <em>marked safe</em>")
    assert "<em>marked safe</em>" in parts.section_card(section, back_to_contents=True)
    assert len(parts.parts) == 0
