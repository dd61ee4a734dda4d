import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_home_shows_every_example_dimension_value_and_benefit(client, shipped_content):
    response, html = page(client, "/")
    assert response.status_code == 200
    for example in Example.objects.all():
        assert f'id="{example.anchor}"' in html
        assert example.title in html
    for value in ComparisonValue.objects.all():
        assert value.text in html
    for dimension in ComparisonDimension.objects.all():
        assert f'<tr id="{dimension.anchor}">' in html
    for benefit in Benefit.objects.all():
        assert benefit.title in html
    assert html.count('<th scope="row">') == 5


def test_home_has_a_table_of_contents_whose_links_resolve(client, shipped_content):
    _, html = page(client, "/")
    toc = html.split('<nav class="toc"')[1].split("</nav>")[0]
    targets = [chunk.split('"')[0] for chunk in toc.split('href="#')[1:]]
    assert len(targets) >= 6
    for target in targets:
        assert f'id="{target}"' in html


def test_comparison_is_a_real_table_with_caption_and_scoped_headers(client, shipped_content):
    _, html = page(client, "/")
    table = html.split('<table class="comparison">')[1].split("</table>")[0]
    assert "<caption" in table
    assert table.count('<th scope="col">') == 3
    assert table.count('<th scope="row">') == 5


@pytest.mark.parametrize("slug, other", [("bpo", "kpo"), ("kpo", "bpo")])
def test_model_page_shows_its_own_five_examples_and_its_side_of_the_comparison(client, shipped_content, slug, other):
    response, html = page(client, f"/{slug}/")
    assert response.status_code == 200
    for example in Example.objects.filter(outsourcing_model__slug=slug):
        assert f'id="{example.anchor}"' in html
    for example in Example.objects.filter(outsourcing_model__slug=other):
        assert f'id="{example.anchor}"' not in html
    for value in ComparisonValue.objects.filter(outsourcing_model__slug=slug):
        assert value.text in html
    assert OutsourcingModel.objects.get(slug=slug).definition_html in html


def test_unpublished_example_is_hidden_from_readers(client, shipped_content):
    Example.objects.filter(slug="telemarketing").update(published=False)
    for url in ["/", "/bpo/"]:
        _, html = page(client, url)
        assert 'id="telemarketing"' not in html


def test_unpublished_example_is_shown_to_staff_marked_as_draft(client, shipped_content, staff_user):
    Example.objects.filter(slug="telemarketing").update(published=False)
    client.force_login(staff_user)
    _, html = page(client, "/bpo/")
    example = html.split('id="telemarketing"')[1].split("</article>")[0]
    assert "Draft" in example


def test_unpublished_model_page_is_a_404_for_readers(client, shipped_content):
    OutsourcingModel.objects.filter(slug="kpo").update(published=False)
    assert client.get("/kpo/").status_code == 404
    assert 'href="/kpo/"' not in page(client, "/")[1]


def test_unknown_model_is_a_404_in_the_sites_layout(client, shipped_content):
    response, html = page(client, "/no-such-model/")
    assert response.status_code == 404
    assert "We could not find that page" in html
    assert 'class="skip-link"' in html


def test_base_layout_has_landmarks_and_a_skip_link(client, shipped_content):
    _, html = page(client, "/")
    assert '<a class="skip-link" href="#main">' in html
    assert '<main id="main"' in html
    assert "<header" in html and "<footer" in html and '<nav class="site-nav" aria-label="Main">' in html


def multiply_content(factor):
    """Add (factor - 1) times as many examples and comparison dimensions as are shipped.

    Bulk inserts send no signals, so no generated quiz questions follow; tests that want them sync them.
    """
    models = list(OutsourcingModel.objects.all())
    examples = list(Example.objects.all())
    dimensions = list(ComparisonDimension.objects.all())
    copies = range(1, factor)
    Example.objects.bulk_create(
        Example(
            outsourcing_model=example.outsourcing_model,
            title=f"{example.title} {copy}",
            slug=f"{example.slug}-{copy}",
            summary=example.summary,
            position=example.position + copy * 10,
        )
        for copy in copies
        for example in examples
    )
    added = ComparisonDimension.objects.bulk_create(
        ComparisonDimension(
            title=f"{dimension.title} {copy}", slug=f"{dimension.slug}-{copy}", position=dimension.position + copy * 10
        )
        for copy in copies
        for dimension in dimensions
    )
    ComparisonValue.objects.bulk_create(
        ComparisonValue(dimension=dimension, outsourcing_model=model, text=f"Value {dimension.title}")
        for dimension in added
        for model in models
    )


@pytest.mark.parametrize("url, queries", [("/", 8), ("/bpo/", 5)])
def test_page_runs_the_same_number_of_queries_with_ten_times_the_content(
    client, shipped_content, pages_rendered_every_time, url, queries
):
    with CaptureQueriesContext(connection) as shipped:
        assert client.get(url).status_code == 200
    multiply_content(10)
    assert Example.objects.count() == 100
    with CaptureQueriesContext(connection) as tenfold:
        html = client.get(url).content.decode()
    assert "Data entry 9" in html
    assert "Value Skill level 9" in html
    assert len(shipped) == len(tenfold) == queries, [query["sql"] for query in tenfold.captured_queries]
