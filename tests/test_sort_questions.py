"""Sort questions: a table of rows, each placed under a model, marked per row, with feedback on rows placed wrong."""

import io

import pytest
from django.core.management import call_command

from content.models import Example, OutsourcingModel
from quiz.models import Answer, Attempt, Choice, Question
from tests.editor_helpers import change_url, save
from tests.html_pages import parse
from tests.quiz_helpers import answer, start

pytestmark = pytest.mark.django_db

SORT_SLUG = "sort-a-banks-outsourced-work"


def attempt_asking_first(client, question, rows=None):
    """A new attempt whose first question is ``question``, its rows in their admin order unless ``rows`` given."""
    attempt = start(client)
    attempt.question_ids[0] = question.pk
    attempt.choice_order[str(question.pk)] = rows or [choice.pk for choice in question.choices.all()]
    attempt.save()
    return attempt


def placing(question, wrong=()):
    """Form values placing each row of ``question`` (in admin order) under its model; rows numbered in ``wrong``
    go under the other model. Sent at low certainty, which the shipped quiz asks for."""
    slugs = {model.pk: model.slug for model in OutsourcingModel.objects.all()}
    other = {"bpo": "kpo", "kpo": "bpo"}
    data = {"certainty": "low"}
    for place, row in enumerate(question.choices.all(), start=1):
        slug = slugs[row.placed_under_id]
        data[f"row-{place}"] = other[slug] if place in wrong else slug
    return data


def snapshot():
    return (list(Answer.objects.values_list("pk", "mark")), list(Attempt.objects.values_list("pk", "score")))


@pytest.fixture
def sort_question(shipped_content):
    return Question.objects.get(slug=SORT_SLUG)


def test_a_sort_question_is_a_table_with_one_radio_group_a_row(client, sort_question):
    attempt = attempt_asking_first(client, sort_question)
    page = parse(client.get(attempt.question_url(1)))
    table = page.find("table", class_="sort-table")
    assert [cell.text for cell in table.find("thead").find_all("th")] == ["Item", "BPO", "KPO"]
    rows = table.find("tbody").find_all("tr")
    assert [row.find("th").text for row in rows] == [choice.text for choice in sort_question.choices.all()]
    for place, row in enumerate(rows, start=1):
        radios = row.find_all("input", type="radio")
        assert [radio["name"] for radio in radios] == [f"row-{place}"] * 2
        assert [radio["value"] for radio in radios] == ["bpo", "kpo"]
        for radio in radios:
            label = page.find("label", **{"for": radio["id"]})
            assert label.text.startswith(row.find("th").text + ":")
    assert "correct" not in str(table).lower()


def test_each_row_placed_right_earns_its_share_and_each_wrong_one_costs_as_much(client, sort_question):
    attempt = attempt_asking_first(client, sort_question)
    response = client.post(attempt.question_url(1), placing(sort_question, wrong={3}))
    assert response.status_code == 302
    stored = Answer.objects.get(attempt=attempt)
    assert stored.mark == pytest.approx(0.5)  # three of four right, one wrong: (3 - 1) / 4
    assert not stored.correct
    third = sort_question.choices.all()[2]
    assert stored.placements[str(third.pk)] != third.placed_under_id
    attempt.refresh_from_db()
    assert attempt.score == pytest.approx(0.5)


def test_the_feedback_shows_each_row_and_explains_only_the_rows_placed_wrong(client, sort_question):
    attempt = attempt_asking_first(client, sort_question)
    client.post(attempt.question_url(1), placing(sort_question, wrong={3}))
    page = parse(client.get(attempt.question_url(1)))
    assert page.find("h1", class_="verdict").text == "Partly right."
    assert page.find(class_="feedback-mark").text == "Your mark: 0.5 of 1."
    rows = page.find("table", class_="placed-rows").find("tbody").find_all("tr")
    assert [row.classes for row in rows] == [
        ["placed-row", "placed-row--right"],
        ["placed-row", "placed-row--right"],
        ["placed-row", "placed-row--wrong"],
        ["placed-row", "placed-row--right"],
    ]
    wrong = sort_question.choices.all()[2]
    placed, belongs = rows[2].find_all("td")
    assert (placed.text.removesuffix("Wrong").strip(), placed.find(class_="tag").text, belongs.text) == (
        "BPO",
        "Wrong",
        "KPO",
    )
    section = page.find("section", class_="mistake-feedback")
    assert section.find("h2").text == "About the item you placed wrongly"
    assert section.find("h3").text == wrong.text
    assert section.find("p").text == wrong.feedback
    for right in sort_question.choices.exclude(pk=wrong.pk):
        assert right.feedback not in page.text
    assert page.find("section", class_="explanation").find("a").text.startswith("Learn more:")


def test_a_sort_placed_all_right_gets_full_marks_and_no_row_feedback(client, sort_question):
    attempt = attempt_asking_first(client, sort_question)
    client.post(attempt.question_url(1), placing(sort_question))
    page = parse(client.get(attempt.question_url(1)))
    assert page.find("h1", class_="verdict").text == "Right!"
    assert not page.has("section", class_="mistake-feedback")
    assert Answer.objects.get(attempt=attempt).correct


@pytest.mark.parametrize(
    "tamper, message",
    [
        (lambda data: data.pop("row-2") and None, "Place “"),
        (lambda data: data.clear(), "Place “"),
        (lambda data: data.update({"row-2": ["bpo", "kpo"]}), "was placed twice"),
        (lambda data: data.update({"row-9": "bpo"}), "names a row this question does not have"),
        (lambda data: data.update({"row-0": "kpo"}), "names a row this question does not have"),
        (lambda data: data.update({"row-2": "ito"}), "placed under a model this question does not offer"),
        (lambda data: data.update({"row-2": ""}), "Place “"),
        (lambda data: data.update({"row-2": "x" * 5000}), "placed under a model this question does not offer"),
        (lambda data: {"choice": "1"}, "Place “"),
    ],
)
def test_a_tampered_or_incomplete_sort_answer_is_refused_and_changes_nothing(client, sort_question, tamper, message):
    attempt = attempt_asking_first(client, sort_question)
    data = placing(sort_question)
    data = tamper(data) or data
    before = snapshot()
    response = client.post(attempt.question_url(1), data)
    assert response.status_code == 400
    page = parse(response)
    assert message in page.find(class_="error-summary").text
    assert page.has("table", class_="sort-table")
    first_link = page.find(class_="error-summary").find("a")["href"]
    assert page.by_id(first_link.removeprefix("#")) is not None
    assert snapshot() == before


def test_a_generated_sort_question_places_four_to_six_rows_of_both_models(client, shipped_content):
    pool = Question.objects.get(generated_key="sort:examples", active=True)
    assert pool.choices.count() == Example.objects.published().count() == 10
    for _ in range(5):
        attempt = start(client)
        if pool.pk not in attempt.question_ids:
            continue
        rows = Choice.objects.filter(pk__in=attempt.choice_order[str(pool.pk)])
        assert 4 <= rows.count() <= 6
        assert rows.values("placed_under").distinct().count() == 2


def test_generated_sort_rows_follow_the_content(shipped_content):
    pool = Question.objects.get(generated_key="sort:examples", active=True)
    example = Example.objects.get(slug="data-entry")
    row = pool.choices.get(generated_key=f"example:{example.pk}")
    assert (row.text, row.placed_under, row.facts) == ("Data entry", example.outsourcing_model, ["example:data-entry"])
    example.title = "Keying in records"
    example.save()
    row.refresh_from_db()
    assert row.text == "Keying in records"
    example.outsourcing_model = OutsourcingModel.objects.get(slug="kpo")
    example.save()
    row.refresh_from_db()
    assert row.placed_under.slug == "kpo"
    example.published = False
    example.save()
    assert not pool.choices.filter(generated_key=f"example:{example.pk}").exists()


def test_moving_an_example_placed_in_an_answered_sort_retires_the_question_and_keeps_its_rows(client, shipped_content):
    pool = Question.objects.get(generated_key="sort:examples", active=True)
    rows = [*pool.choices.filter(placed_under__slug="bpo")[:2], *pool.choices.filter(placed_under__slug="kpo")[:2]]
    attempt = attempt_asking_first(client, pool, [row.pk for row in rows])
    answer(client, attempt, 1)
    example = Example.objects.get(pk=int(rows[0].generated_key.split(":")[1]))
    example.outsourcing_model = OutsourcingModel.objects.get(slug="kpo")
    example.save()
    pool.refresh_from_db()
    assert not pool.active and pool.choices.count() == 10
    assert Answer.objects.get(attempt=attempt).correct
    renewed = Question.objects.get(generated_key="sort:examples", active=True)
    assert renewed.choices.get(generated_key=rows[0].generated_key).placed_under.slug == "kpo"


SORT_FILE = """---
slug: check-sort
quiz: bpo-or-kpo
kind: sort
topic: examples
prompt: Place each.
learn_more: section:introduction
position: 99
choices:
{rows}
---
Why.
"""


@pytest.mark.parametrize(
    "rows, message",
    [
        ("- text: Payroll\n  model: bpo", "A sort question needs at least two items to place."),
        ("- text: Payroll\n  model: bpo\n- text: Data entry\n  model: bpo", "items from at least two models"),
        ("- text: Payroll\n  model: ito\n- text: Research\n  model: kpo", "item 1: “model” must name an outsourcing"),
        ("- text: Payroll\n- text: Research\n  model: kpo", "item 1: “model” must name an outsourcing model"),
        ("- text: ''\n  model: bpo\n- text: Research\n  model: kpo", "item 1: each item needs a non-empty “text”"),
        ("- text: Payroll\n  model: bpo\n  feedback: [1]\n- text: R\n  model: kpo", "item 1: “feedback” must be text"),
    ],
)
def test_the_loader_refuses_a_sort_question_it_cannot_ask(tmp_path, shipped_content, rows, message):
    data = tmp_path / "data"
    (data / "questions").mkdir(parents=True)
    (data / "questions" / "check-sort.md").write_text(SORT_FILE.format(rows=rows))
    with pytest.raises(Exception) as refusal:
        call_command("load_content", str(data), stdout=io.StringIO())
    assert "check-sort.md" in str(refusal.value) and "field “choices”" in str(refusal.value)
    assert message in str(refusal.value)
    assert not Question.objects.filter(slug="check-sort").exists()


def sort_inline(question, placed):
    """The choice inline's form values for ``question``'s rows, each placed under ``placed``[n] (a model or None)."""
    assert question.choices.count() == len(placed)
    return {
        f"choices-{number}-placed_under": "" if model is None else str(model.pk) for number, model in enumerate(placed)
    }


@pytest.mark.parametrize(
    "placed_under, message",
    [
        (["bpo", "bpo", "bpo", "bpo"], "items from at least two models"),
        (["bpo", None, "kpo", "kpo"], "Say which model each item belongs under"),
    ],
)
def test_the_admin_refuses_a_sort_question_it_cannot_ask(editor_client, sort_question, placed_under, message):
    models = {model.slug: model for model in OutsourcingModel.objects.all()}
    changes = sort_inline(sort_question, [models.get(slug) for slug in placed_under])
    response = save(editor_client, change_url(sort_question), **changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["inline_admin_formsets"][0].formset.non_form_errors())
    assert sort_question.choices.filter(placed_under__slug="kpo").count() == 2


def test_the_admin_refuses_unknown_facts_naming_them(editor_client, sort_question):
    response = save(editor_client, change_url(sort_question), facts="example:customer-service\nexample:space-travel")
    assert response.status_code == 200
    errors = " ".join(response.context["adminform"].form.errors["facts"])
    assert "There is no example “space-travel”" in errors
    response = save(editor_client, change_url(sort_question), facts="customer-service")
    assert "is not a fact key" in " ".join(response.context["adminform"].form.errors["facts"])
    sort_question.refresh_from_db()
    assert "example:space-travel" not in sort_question.facts


def test_the_admin_saves_facts_one_a_line(editor_client, sort_question):
    response = save(editor_client, change_url(sort_question), facts="example:customer-service\n\n  example:data-entry ")
    assert response.status_code == 302
    sort_question.refresh_from_db()
    assert sort_question.facts == ["example:customer-service", "example:data-entry"]
