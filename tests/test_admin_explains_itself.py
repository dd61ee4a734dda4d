"""The admin explains itself: useful columns, search, filters, inlines, help texts and errors in plain words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from content.models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel
from quiz.models import Question
from tests.editor_helpers import form_data

pytestmark = pytest.mark.django_db


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def result_rows(html):
    return html.split('<table id="result_list">')[1].split("</table>")[0].split("<tbody>")[1].count("<tr")


def test_the_comparison_list_shows_each_rows_values(editor_client, shipped_content):
    html = page(editor_client, "/admin/content/comparisondimension/")
    value = ComparisonValue.objects.get(dimension__slug="skill-level", outsourcing_model__slug="kpo")
    assert f"KPO: {value.text}" in html


def test_the_benefit_list_shows_which_models_each_applies_to(editor_client, shipped_content):
    html = page(editor_client, "/admin/content/benefit/")
    assert '<td class="field-models">BPO, KPO</td>' in html


def test_the_example_list_shows_the_model_of_each_example(editor_client, shipped_content):
    html = page(editor_client, "/admin/content/example/")
    row = html.split(">Telemarketing</a>")[1].split("</tr>")[0]
    assert "BPO (Business Process Outsourcing)" in row


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
    html = page(editor_client, url)
    assert (result_rows(html) if rows else 0) == rows
    if not rows:
        assert "0 examples" in html


def test_the_published_filter_lists_the_drafts(editor_client, shipped_content):
    Example.objects.filter(slug="telemarketing").update(published=False)
    html = page(editor_client, "/admin/content/example/?published__exact=0")
    assert result_rows(html) == 1 and ">Telemarketing</a>" in html


def test_the_model_filter_lists_one_models_examples(editor_client, shipped_content):
    kpo = OutsourcingModel.objects.get(slug="kpo")
    html = page(editor_client, f"/admin/content/example/?outsourcing_model__id__exact={kpo.pk}")
    assert result_rows(html) == 5 and ">Legal services</a>" in html and ">Telemarketing</a>" not in html


@pytest.mark.parametrize("query, count", [("kind__exact=true_false", 5), ("topic__exact=benefits", None)])
def test_questions_filter_by_kind_and_topic(editor_client, shipped_content, query, count):
    field, value = query.split("__exact=")
    expected = Question.objects.filter(**{field: value}).count()
    assert expected == (count or expected) > 0
    assert result_rows(page(editor_client, f"/admin/quiz/question/?{query}")) == expected


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
        ("/admin/quiz/question/add/", ["the reader must tick every right one", "Pick exactly one"]),
    ],
)
def test_fields_an_editor_may_not_understand_are_explained(editor_client, shipped_content, url, texts):
    html = page(editor_client, url)
    for text in texts:
        assert text in html


def test_two_values_for_the_same_model_in_a_row_are_refused_in_plain_words(editor_client, shipped_content):
    dimension = ComparisonDimension.objects.get(slug="skill-level")
    url = f"/admin/content/comparisondimension/{dimension.pk}/change/"
    data = form_data(editor_client.get(url))
    data["values-1-outsourcing_model"] = data["values-0-outsourcing_model"]
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert "this row gives the same model two values" in response.content.decode()
    assert "Please correct the duplicate data" not in response.content.decode()
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
    assert "this row gives the same model two values" in response.content.decode()
    assert not ComparisonValue.objects.filter(text="A second BPO value").exists()


@pytest.mark.parametrize(
    "url, model",
    [
        ("/admin/content/comparisondimension/", ComparisonDimension),
        ("/admin/content/benefit/", Benefit),
        ("/admin/content/example/", Example),
    ],
)
def test_lists_run_the_same_number_of_queries_however_many_rows(editor_client, shipped_content, url, model):
    with CaptureQueriesContext(connection) as shipped:
        page(editor_client, url)
    for copy in range(1, 11):
        item = model.objects.first()
        item.pk, item.slug, item.position = None, f"{item.slug}-{copy}", 100 + copy
        item.save()
        if model is ComparisonDimension:
            for column in OutsourcingModel.objects.all():
                ComparisonValue.objects.create(dimension=item, outsourcing_model=column, text=f"Cell {copy}")
        if model is Benefit:
            item.applies_to.set(OutsourcingModel.objects.all())
    with CaptureQueriesContext(connection) as grown:
        html = page(editor_client, url)
    assert result_rows(html) == model.objects.count()
    assert len(grown) == len(shipped)
