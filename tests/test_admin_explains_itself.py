"""The admin explains itself: useful columns, search, filters, inlines, help texts and errors in plain words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel
from quiz.models import Question
from tests.editor_helpers import form_data
from tests.factories import BenefitFactory, ComparisonDimensionFactory, ComparisonValueFactory, ExampleFactory
from tests.html_pages import parse

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response)


def result_rows(list_page):
    """The rows of an admin list, as {the row's title: {column: cell text}}."""
    table = list_page.find_all("table", id="result_list")
    if not table:
        return {}
    return {
        row.find("th").text: {cell["class"].split()[0].removeprefix("field-"): cell.text for cell in row.find_all("td")}
        for row in table[0].find("tbody").find_all("tr")
    }


def test_the_comparison_list_shows_each_rows_values(editor_client, shipped_content):
    rows = result_rows(page(editor_client, "/admin/content/comparisondimension/"))
    for dimension in ComparisonDimension.objects.prefetch_related("values__outsourcing_model"):
        for value in dimension.values.all():
            assert f"{value.outsourcing_model.abbreviation}: {value.text}" in rows[dimension.title]["cells"]


def test_the_benefit_list_shows_which_models_each_applies_to(editor_client, shipped_content):
    rows = result_rows(page(editor_client, "/admin/content/benefit/"))
    for benefit in Benefit.objects.prefetch_related("applies_to"):
        assert rows[benefit.title]["models"] == ", ".join(model.abbreviation for model in benefit.applies_to.all())


def test_the_example_list_shows_the_model_of_each_example(editor_client, shipped_content):
    rows = result_rows(page(editor_client, "/admin/content/example/"))
    for example in Example.objects.select_related("outsourcing_model"):
        assert rows[example.title]["outsourcing_model"] == str(example.outsourcing_model)


@pytest.mark.parametrize(
    "url, rows",
    [
        ("/admin/content/example/?q=telemarketing", 1),
        ("/admin/content/example/?q=nonexistent-word", 0),
        ("/admin/content/comparisondimension/?q=repetitive", 1),
        ("/admin/content/benefit/?q=flexibility", 1),
        ("/admin/quiz/question/?q=telemarketing-is-bpo", 1),
    ],
)
def test_search_finds_items_by_their_words(editor_client, shipped_content, url, rows):
    results = page(editor_client, url)
    assert len(result_rows(results)) == rows
    if not rows:
        assert results.find("p", class_="paginator").text == "0 examples"


def test_the_published_filter_lists_the_drafts(editor_client, shipped_content):
    Example.objects.filter(slug="telemarketing").update(published=False)
    assert list(result_rows(page(editor_client, "/admin/content/example/?published__exact=0"))) == ["Telemarketing"]


def test_the_model_filter_lists_one_models_examples(editor_client, shipped_content):
    kpo = OutsourcingModel.objects.get(slug="kpo")
    rows = result_rows(page(editor_client, f"/admin/content/example/?outsourcing_model__id__exact={kpo.pk}"))
    assert list(rows) == [example.title for example in kpo.examples.all()]
    assert len(rows) == 5 and "Legal services" in rows


@pytest.mark.parametrize("query, count", [("kind__exact=true_false", 5), ("topic__exact=benefits", None)])
def test_questions_filter_by_kind_and_topic(editor_client, shipped_content, query, count):
    field, value = query.split("__exact=")
    expected = Question.objects.filter(**{field: value}).count()
    assert expected == (count or expected) > 0
    assert len(result_rows(page(editor_client, f"/admin/quiz/question/?{query}"))) == expected


@pytest.mark.parametrize(
    "url, texts",
    [
        ("/admin/content/example/add/", ["The model this is an example of", "Untick to keep this as a draft"]),
        (
            "/admin/content/comparisondimension/add/",
            ["The row's label in the comparison table", "each model has one value per row"],
        ),
        ("/admin/content/benefit/add/", ["The models that offer this benefit"]),
        ("/admin/content/section/add/", ["keep those slugs as they are"]),
        ("/admin/quiz/question/add/", ["the reader ticks every right one", "Pick exactly one"]),
    ],
)
def test_fields_an_editor_may_not_understand_are_explained(editor_client, shipped_content, url, texts):
    form = page(editor_client, url).find(id="content-main")
    shown = [form.text, *(tooltip["title"] for tooltip in form.find_all(title=True))]
    for text in texts:
        assert any(text in words for words in shown), text


def test_two_values_for_the_same_model_in_a_row_are_refused_in_plain_words(editor_client, shipped_content):
    dimension = ComparisonDimension.objects.get(slug="skill-level")
    url = f"/admin/content/comparisondimension/{dimension.pk}/change/"
    data = form_data(editor_client.get(url))
    data["values-1-outsourcing_model"] = data["values-0-outsourcing_model"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(error.text for error in parse(response).find_all(class_="errorlist"))
    assert "this row gives the same model two values" in errors
    assert "Please correct the duplicate data" not in errors
    assert dimension.values.count() == 2


def test_a_new_comparison_value_for_a_model_that_already_has_one_is_refused_in_plain_words(
    editor_client, shipped_content
):
    dimension = ComparisonDimension.objects.get(slug="skill-level")
    url = f"/admin/content/comparisondimension/{dimension.pk}/change/"
    data = form_data(editor_client.get(url))
    data.update(
        {
            "values-TOTAL_FORMS": 3,
            "values-2-outsourcing_model": OutsourcingModel.objects.get(slug="bpo").pk,
            "values-2-text": "A second BPO value",
            "values-2-dimension": dimension.pk,
        }
    )
    response = editor_client.post(url, data)
    assert response.status_code == 200
    errors = " ".join(error.text for error in parse(response).find_all(class_="errorlist"))
    assert "this row gives the same model two values" in errors
    assert not ComparisonValue.objects.filter(text="A second BPO value").exists()


def ten_more_dimensions():
    for dimension in ComparisonDimensionFactory.create_batch(10):
        for model in OutsourcingModel.objects.all():
            ComparisonValueFactory(dimension=dimension, outsourcing_model=model)


def ten_more_benefits():
    BenefitFactory.create_batch(10, applies_to=OutsourcingModel.objects.all())


def ten_more_examples():
    ExampleFactory.create_batch(10, outsourcing_model=OutsourcingModel.objects.first())


@pytest.mark.parametrize(
    "url, model, add_ten_rows",
    [
        ("/admin/content/comparisondimension/", ComparisonDimension, ten_more_dimensions),
        ("/admin/content/benefit/", Benefit, ten_more_benefits),
        ("/admin/content/example/", Example, ten_more_examples),
    ],
)
def test_lists_run_the_same_number_of_queries_however_many_rows(
    editor_client, shipped_content, url, model, add_ten_rows
):
    with CaptureQueriesContext(connection) as shipped:
        shipped_rows = len(result_rows(page(editor_client, url)))
    add_ten_rows()
    with CaptureQueriesContext(connection) as grown:
        rows = result_rows(page(editor_client, url))
    assert len(rows) == model.objects.count() == shipped_rows + 10
    assert len(grown) == len(shipped)
