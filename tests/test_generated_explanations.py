"""Generated questions teach: each is explained with the reason its example or comparison value belongs to its model,
and each wrong choice answers the mistake, all from fields editors edit and the content files carry."""

import pytest

from content.models import REASON_LENGTH, ComparisonDimension, ComparisonValue, Example, OutsourcingModel
from quiz.models import Question
from tests.content_files import minimal_content, write
from tests.editor_helpers import change_url, save
from tests.html_pages import parse
from tests.quiz_helpers import answer, start
from tests.test_loaders_refuse_bad_input import database_snapshot, load, refusal

pytestmark = pytest.mark.django_db


def question_for(item):
    prefix = "example" if isinstance(item, Example) else "value"
    return Question.objects.get(generated_key=f"{prefix}:{item.pk}", active=True)


def asked_first(client, question):
    """An attempt whose first question is ``question``, its choices in the order they were made."""
    attempt = start(client)
    attempt.question_ids[0] = question.pk
    attempt.choice_order[str(question.pk)] = [choice.pk for choice in question.choices.all()]
    attempt.save()
    return attempt


def wrong_feedback(question):
    [wrong] = [choice for choice in question.choices.all() if not choice.correct]
    return wrong.feedback


def test_every_shipped_example_and_value_has_its_own_reason_and_misconception(shipped_content):
    items = [*Example.objects.all(), *ComparisonValue.objects.all()]
    assert len(items) == 18  # ten examples, four rows of two values (the examples row lists the examples)
    for item in items:
        assert 60 <= len(item.reason) <= REASON_LENGTH and 60 <= len(item.misconception) <= REASON_LENGTH
    reasons = [item.reason for item in items]
    misconceptions = [item.misconception for item in items]
    assert len(set(reasons)) == len(set(misconceptions)) == 18
    assert not set(reasons) & {item.summary for item in Example.objects.all()}


def test_a_generated_question_is_explained_with_the_reason_and_its_wrong_choice_with_the_misconception(
    shipped_content,
):
    for item in [*Example.objects.all(), *ComparisonValue.objects.all()]:
        question = question_for(item)
        assert question.explanation.endswith(item.reason)
        assert wrong_feedback(question) == item.misconception
        assert [choice.feedback for choice in question.choices.all() if choice.correct] == [""]


def test_the_explanation_says_why_not_only_which(shipped_content):
    telemarketing = question_for(Example.objects.get(slug="telemarketing"))
    assert telemarketing.explanation_html.startswith("<p><strong>Telemarketing is BPO work.</strong> Callers make")
    value = ComparisonValue.objects.get(dimension__slug="decision-making", outsourcing_model__slug="kpo")
    assert question_for(value).explanation == (
        "**On decision-making, this describes KPO.** KPO clients are buying expertise and judgment: the provider "
        "weighs evidence, solves problems and makes calls that shape the client's work."
    )


def test_the_feedback_page_shows_the_reason_the_misconception_of_the_picked_choice_and_the_learn_more_link(
    client, shipped_content
):
    example = Example.objects.get(slug="medical-transcription")
    attempt = asked_first(client, question_for(example))

    page = parse(client.get(answer(client, attempt, 1, right=False).url))

    mistake = page.find("section", class_="mistake-feedback")
    assert mistake.find("h3").text == "BPO (Business Process Outsourcing)"
    assert example.misconception in mistake.text
    why = page.find("section", class_="explanation")
    assert example.reason in why.text and "Medical transcription is KPO work." in why.text
    assert why.find("a", href=example.get_absolute_url()).text == "Learn more: Medical transcription"


def test_an_answer_given_right_shows_no_misconception(client, shipped_content):
    attempt = asked_first(client, question_for(Example.objects.get(slug="data-entry")))

    page = client.get(answer(client, attempt, 1, right=True).url).content.decode()

    assert Example.objects.get(slug="data-entry").misconception not in page
    assert Example.objects.get(slug="data-entry").reason.replace("'", "&#x27;") in page


def test_editing_an_examples_reasons_in_the_admin_updates_its_question_in_place(editor_client, shipped_content):
    example = Example.objects.get(slug="it-support")
    before = question_for(example)

    response = save(
        editor_client,
        change_url(example),
        reason="Password resets and printer fixes follow a help-desk script.",
        misconception="Computers sound technical, but these fixes are routine.",
    )

    assert response.status_code == 302
    after = question_for(example)
    assert after.pk == before.pk
    assert (
        after.explanation == "**IT support is BPO work.** Password resets and printer fixes follow a help-desk script."
    )
    assert "help-desk script" in after.explanation_html
    assert wrong_feedback(after) == "Computers sound technical, but these fixes are routine."


def test_editing_a_values_reasons_in_the_admin_updates_its_question_in_place(editor_client, shipped_content):
    dimension = ComparisonDimension.objects.get(slug="technology")
    value = dimension.values.get(outsourcing_model__slug="bpo")
    before = question_for(value)
    index = list(dimension.values.all()).index(value)

    response = save(
        editor_client,
        change_url(dimension),
        **{
            f"values-{index}-reason": "Phones, email and ticketing are all routine calls and data entry need.",
            f"values-{index}-misconception": "Everyone uses computers; analytics and AI are what mark KPO.",
        },
    )

    assert response.status_code == 302
    after = question_for(value)
    assert after.pk == before.pk
    assert after.explanation.endswith("Phones, email and ticketing are all routine calls and data entry need.")
    assert wrong_feedback(after) == "Everyone uses computers; analytics and AI are what mark KPO."


def test_the_admin_refuses_a_reason_over_the_limit_and_changes_nothing(editor_client, shipped_content):
    example = Example.objects.get(slug="it-support")
    explanation = question_for(example).explanation

    response = save(editor_client, change_url(example), reason="r" * (REASON_LENGTH + 1))

    assert response.status_code == 200
    assert f"Ensure this value has at most {REASON_LENGTH} characters" in response.content.decode()
    assert Example.objects.get(slug="it-support").reason != "r" * (REASON_LENGTH + 1)
    assert question_for(example).explanation == explanation


def test_the_admin_explains_the_reasons_to_editors(editor_client, shipped_content):
    page = editor_client.get(change_url(Example.objects.get(slug="it-support"))).content.decode()
    assert "say why, not just which model" in page
    assert "why that answer is tempting and why it is wrong" in page


def test_without_reasons_the_explanation_falls_back_to_the_content_that_says_why(shipped_content):
    example = Example.objects.get(slug="legal-services")
    example.reason = example.misconception = ""
    example.save()
    value = ComparisonValue.objects.select_related("dimension").get(
        dimension__slug="skill-level", outsourcing_model__slug="bpo"
    )
    value.reason = value.misconception = ""
    value.save()

    assert question_for(example).explanation == f"**Legal services is KPO work.** {example.summary}"
    assert wrong_feedback(question_for(example)).startswith("BPO is a different kind of work: handing routine")
    assert question_for(value).explanation.endswith(value.dimension.explanation)
    assert wrong_feedback(question_for(value)).startswith("KPO is a different kind of work: handing work that")


def test_reasons_of_a_value_written_as_plain_text_stay_empty_and_a_mapping_sets_them(tmp_path, db):
    data = minimal_content(tmp_path)
    load(data)
    assert ComparisonValue.objects.get().reason == ""

    write(
        data,
        "comparison/skill-level.md",
        "---\nslug: skill-level\ntitle: Skill level\nposition: 1\nvalues:\n  bpo:\n    text: Lower to moderate\n"
        "    reason: Set procedures need general skills.\n---\n",
    )
    load(data, "--replace")

    value = ComparisonValue.objects.get()
    assert (value.text, value.reason, value.misconception) == (
        "Lower to moderate",
        "Set procedures need general skills.",
        "",
    )
    assert OutsourcingModel.objects.count() == 1


VALUE_FILE = "---\nslug: skill-level\ntitle: Skill level\nposition: 1\nvalues:\n  bpo:\n{value}---\n"
EXAMPLE_FILE = "---\nslug: data-entry\ntitle: Data entry\nmodel: bpo\n{fields}position: 1\n---\nTyping.\n"


@pytest.mark.parametrize(
    "relative, text, problem",
    [
        (
            "examples/data-entry.md",
            EXAMPLE_FILE.format(fields=f"reason: {'r' * (REASON_LENGTH + 1)}\n"),
            f"field “reason”: Ensure this value has at most {REASON_LENGTH} characters (it has {REASON_LENGTH + 1}).",
        ),
        (
            "examples/data-entry.md",
            EXAMPLE_FILE.format(fields="misconception: [not, text]\n"),
            "field “misconception” must be text",
        ),
        ("examples/data-entry.md", EXAMPLE_FILE.format(fields="reason: ''\n"), "field “reason” must not be empty"),
        (
            "comparison/skill-level.md",
            VALUE_FILE.format(value=f"    text: Lower\n    misconception: {'m' * (REASON_LENGTH + 1)}\n"),
            f"field “values”, “bpo”, “misconception”: Ensure this value has at most {REASON_LENGTH} characters "
            f"(it has {REASON_LENGTH + 1}).",
        ),
        (
            "comparison/skill-level.md",
            VALUE_FILE.format(value="    reason: Why.\n"),
            "the text of the value for “bpo” must be non-empty text",
        ),
        (
            "comparison/skill-level.md",
            VALUE_FILE.format(value="    text: Lower\n    reason: ' '\n"),
            "the reason of the value for “bpo” must be non-empty text",
        ),
        (
            "comparison/skill-level.md",
            VALUE_FILE.format(value="    text: Lower\n    reason: [a, b]\n"),
            "the reason of the value for “bpo” must be non-empty text",
        ),
        (
            "comparison/skill-level.md",
            VALUE_FILE.format(value="    text: Lower\n    why: Because.\n"),
            "field “values”, “bpo”: unknown field “why” (use text, reason, misconception)",
        ),
        (
            "comparison/skill-level.md",
            VALUE_FILE.format(value="    - Lower\n"),
            "the value for “bpo” must be text, or a mapping with “text”, “reason”, “misconception”",
        ),
    ],
)
def test_a_bad_reason_in_a_content_file_is_refused_naming_the_file_and_field(tmp_path, db, relative, text, problem):
    data = minimal_content(tmp_path)
    load(data)
    before = database_snapshot()
    bad_file = write(data, relative, text)

    assert refusal(data, "--replace") == [f"{bad_file}: {problem}"]
    assert database_snapshot() == before
