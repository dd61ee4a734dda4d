"""The admin explains itself: useful columns, search, filters, inlines, help texts and errors in plain words."""

import json

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
    rows = result_rows(page(editor_client, "/admin/content/example/?model=all"))
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
    rows = result_rows(page(editor_client, f"/admin/content/example/?model={kpo.pk}"))
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
        ("/admin/content/example/?model=all", Example, ten_more_examples),
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


def test_the_example_list_shows_the_first_models_examples_by_default_numbered(editor_client, shipped_content):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    listed = page(editor_client, "/admin/content/example/")
    rows = result_rows(listed)
    assert list(rows) == [example.title for example in bpo.examples.order_by("position", "pk")]
    positions = [int(field["value"]) for field in listed.find_all("input", class_="vIntegerField")]
    assert positions == [example.position for example in bpo.examples.order_by("position", "pk")]
    choices = [link.text for link in listed.find(id="changelist-filter").find_all("a")]
    assert "All models" in choices and str(bpo) in choices


def test_searching_the_examples_looks_through_every_model(editor_client, shipped_content):
    assert list(result_rows(page(editor_client, "/admin/content/example/?q=legal"))) == ["Legal services"]


@pytest.mark.parametrize("tampered", ["999999", "abc", "-1", "1e3", "all'--"])
def test_an_unknown_model_in_the_example_list_is_refused_calmly(editor_client, shipped_content, tampered):
    response = editor_client.get(f"/admin/content/example/?model={tampered}")
    assert response.status_code == 302 and response.url.endswith("?e=1")


def list_form(response):
    """What the list page's form posts back unchanged, with the rows' editable fields."""
    formset = response.context["cl"].formset
    data = {formset.management_form.add_prefix(name): value for name, value in formset.management_form.initial.items()}
    for form in formset.forms:
        for name in form.fields:
            value = form[name].value()
            if value not in (None, False):
                data[form.add_prefix(name)] = "on" if value is True else value
    data["_save"] = "Save"
    return data


BENEFITS = "/admin/content/benefit/"


def test_a_list_is_reordered_without_javascript_by_typing_positions(editor_client, client, shipped_content):
    benefits = list(Benefit.objects.order_by("position", "pk"))
    data = list_form(editor_client.get(BENEFITS))
    first, last = 0, len(benefits) - 1
    for index, benefit in enumerate(benefits):
        assert data[f"form-{index}-id"] == benefit.pk
    data[f"form-{first}-position"], data[f"form-{last}-position"] = benefits[last].position, benefits[first].position

    assert editor_client.post(BENEFITS, data).status_code == 302
    reordered = list(Benefit.objects.order_by("position", "pk"))
    assert reordered[0] == benefits[last] and reordered[-1] == benefits[first]
    home = client.get("/").content.decode()
    assert home.index(f'id="{benefits[last].anchor}"') < home.index(f'id="{benefits[first].anchor}"')


@pytest.mark.parametrize("tampered", ["-1", "abc", "1.5", "9" * 30, ""])
def test_a_tampered_position_in_the_list_is_a_form_error_and_changes_nothing(editor_client, shipped_content, tampered):
    before = list(Benefit.objects.order_by("pk").values_list("pk", "position"))
    data = list_form(editor_client.get(BENEFITS))
    data["form-0-position"] = tampered
    response = editor_client.post(BENEFITS, data)
    assert response.status_code == 200
    assert parse(response).find_all(class_="errorlist")
    assert list(Benefit.objects.order_by("pk").values_list("pk", "position")) == before


@pytest.mark.parametrize(
    "url", ["/admin/content/example/add/", "/admin/content/benefit/add/", "/admin/content/outsourcingmodel/add/"]
)
def test_ordered_items_have_a_position_field_in_their_form(editor_client, shipped_content, url):
    assert page(editor_client, url).find("input", name="position")


@pytest.mark.parametrize(
    "url, source",
    [
        ("/admin/content/section/add/", "#id_title"),
        ("/admin/content/example/add/", "#id_title"),
        ("/admin/content/benefit/add/", "#id_title"),
        ("/admin/content/comparisondimension/add/", "#id_title"),
        ("/admin/content/outsourcingmodel/add/", "#id_abbreviation"),
        ("/admin/quiz/quiz/add/", "#id_title"),
        ("/admin/quiz/question/add/", "#id_prompt"),
    ],
)
def test_slugs_fill_in_from_titles_everywhere(editor_client, shipped_content, url, source):
    script = page(editor_client, url).find("script", id="django-admin-prepopulated-fields-constants")
    fields = {field["id"]: field["dependency_ids"] for field in json.loads(script["data-prepopulated-fields"])}
    assert fields["#id_slug"] == [source]
