import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel
from outsourcing_site.page_cache import mark_content_changed
from tests.factories import multiply_content
from tests.html_pages import parse

pytestmark = pytest.mark.django_db


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status
    return parse(response)


def test_home_shows_every_example_dimension_value_and_benefit(client, shipped_content):
    home = page(client, "/")
    for example in Example.objects.all():
        assert home.by_id(example.anchor).find(class_="example__title").text == example.title
    table = home.find("table", class_="comparison")
    cells = [cell.text for cell in table.find_all("td")]
    for value in ComparisonValue.objects.all():
        assert value.text in cells
    assert [row["id"] for row in table.find_all("tr", id=True)] == [
        dimension.anchor for dimension in ComparisonDimension.objects.all()
    ]
    assert len(table.find_all("th", scope="row")) == 5
    for benefit in Benefit.objects.all():
        assert home.by_id(benefit.anchor).find("h3").text == benefit.title


def test_home_has_a_table_of_contents_whose_links_resolve(client, shipped_content):
    home = page(client, "/")
    targets = home.find("nav", class_="toc").links()
    assert len(targets) >= 6
    assert all(target.startswith("#") for target in targets)
    assert {target.removeprefix("#") for target in targets} <= set(home.ids())


def test_comparison_is_a_real_table_with_caption_and_scoped_headers(client, shipped_content):
    table = page(client, "/").find("table", class_="comparison")
    assert table.find("caption").text
    assert len(table.find("thead").find_all("th", scope="col")) == 3
    assert len(table.find("tbody").find_all("th", scope="row")) == 5


@pytest.mark.parametrize("slug, other", [("bpo", "kpo"), ("kpo", "bpo")])
def test_model_page_shows_its_own_five_examples_and_its_side_of_the_comparison(client, shipped_content, slug, other):
    model_page = page(client, f"/{slug}/")
    examples = model_page.find("section", id="examples").find_all("article", class_="example")
    assert [example["id"] for example in examples] == [
        example.anchor for example in Example.objects.filter(outsourcing_model__slug=slug)
    ]
    assert len(examples) == 5
    others = set(Example.objects.filter(outsourcing_model__slug=other).values_list("slug", flat=True))
    assert not others & set(model_page.ids())
    glance = [value.text for value in model_page.find("dl", class_="glance").find_all("dd")]
    typed = [value.text for value in ComparisonValue.objects.filter(outsourcing_model__slug=slug)]
    listed = ", ".join(Example.objects.filter(outsourcing_model__slug=slug).values_list("title", flat=True))
    assert glance == [*typed, listed]
    definition = parse(OutsourcingModel.objects.get(slug=slug).definition_html)
    assert model_page.find("section", id="definition").text.endswith(definition.text)


def test_unpublished_example_is_hidden_from_readers(client, shipped_content):
    Example.objects.filter(slug="telemarketing").update(published=False)
    for url in ["/", "/bpo/"]:
        assert "telemarketing" not in page(client, url).ids()


def test_unpublished_example_is_shown_to_staff_marked_as_draft(client, shipped_content, staff_user):
    Example.objects.filter(slug="telemarketing").update(published=False)
    client.force_login(staff_user)
    example = page(client, "/bpo/").by_id("telemarketing")
    assert example.find(class_="draft-badge").text.startswith("Draft")


def test_unpublished_model_page_is_a_404_for_readers(client, shipped_content):
    OutsourcingModel.objects.filter(slug="kpo").update(published=False)
    assert client.get("/kpo/").status_code == 404
    assert "/kpo/" not in page(client, "/").links()


def test_unknown_model_is_a_404_in_the_sites_layout(client, shipped_content):
    not_found = page(client, "/no-such-model/", status=404)
    assert not_found.find("h1").text == "We could not find that page"
    assert not_found.has("a", class_="skip-link", href="#main")


def test_base_layout_has_landmarks_and_a_skip_link(client, shipped_content):
    home = page(client, "/")
    assert home.find("a", class_="skip-link")["href"] == "#main"
    assert home.has("main", id="main")
    assert home.has("header") and home.has("footer")
    assert home.has("nav", class_="site-nav", **{"aria-label": "Main"})


# With ten times the content the overview lists the first examples of each model; its model's third page lists
# the last copies.
@pytest.mark.parametrize(
    "url, tenfold_url, example, queries",
    [("/", "/", "data-entry-1", 9), ("/bpo/", "/bpo/?page=3", "data-entry-9", 6)],
)
def test_page_runs_the_same_number_of_queries_with_ten_times_the_content(
    client, shipped_content, pages_rendered_every_time, url, tenfold_url, example, queries
):
    # A page's rows, the navigation's models and the quiz it invites readers to are read by the first page after a
    # change of content, then kept (editorial.kept); multiply_content marks the content changed, as an edit does.
    mark_content_changed()
    with CaptureQueriesContext(connection) as shipped:
        assert client.get(url).status_code == 200
    multiply_content(10)
    assert Example.objects.count() == 100
    with CaptureQueriesContext(connection) as tenfold:
        tenfold_page = parse(client.get(tenfold_url))
    title = Example.objects.get(slug=example).title
    assert tenfold_page.by_id(example).find(class_="example__title").text == title
    assert "Value Skill level 9" in tenfold_page.text
    assert len(shipped) == len(tenfold) == queries, [query["sql"] for query in tenfold.captured_queries]
