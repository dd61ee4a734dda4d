"""Certainty-based marking through the pages a reader uses, the admin an editor uses and the content files."""

import io
import re
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from quiz.models import Answer, Attempt, Quiz
from tests.content_files import minimal_content, write
from tests.editor_helpers import change_url, save
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG, answer, answer_data, picks, start

pytestmark = pytest.mark.django_db

# (right, certainty) for questions 1 to 10: 7 right; marks 3 -6 2 1 3 0 -2 3 2 1, 7 in all, 0.7 per question.
ANSWERS = [
    (True, "high"),
    (False, "high"),
    (True, "medium"),
    (True, "low"),
    (True, "high"),
    (False, "low"),
    (False, "medium"),
    (True, "high"),
    (True, "medium"),
    (True, "low"),
]


def results_url(attempt):
    return f"/quiz/attempts/{attempt.public_id}/results/"


def finish(client, answers=ANSWERS):
    attempt = start(client)
    for number, (right, certainty) in enumerate(answers, start=1):
        answer(client, attempt, number, right=right, certainty=certainty)
    attempt.refresh_from_db()
    return attempt


def snapshot():
    return (
        sorted(Answer.objects.values_list("attempt_id", "question_id", "correct", "certainty")),
        sorted(Attempt.objects.values_list("pk", "score", "answered_count", "finished_at")),
    )


def test_the_shipped_quiz_asks_how_sure_the_reader_is_and_new_attempts_keep_the_setting(client, shipped_quiz):
    assert shipped_quiz.certainty_based_marking
    assert start(client).certainty_based_marking


def test_each_question_asks_how_sure_as_a_labelled_required_radio_group_in_the_answer_form(client, shipped_content):
    attempt = start(client)
    page = parse(client.get(attempt.question_url(1)))
    form = page.find("form", method="post")
    choices, certainty = form.find_all("fieldset")
    assert "choices" in choices.classes
    assert certainty.children[0].tag == "legend"
    assert certainty.children[0].text == "How sure are you?"
    radios = certainty.find_all("input", name="certainty")
    assert [(radio["type"], radio["value"]) for radio in radios] == [
        ("radio", "low"),
        ("radio", "medium"),
        ("radio", "high"),
    ]
    assert all("required" in radio.attrs for radio in radios)
    labels = [certainty.find("label", **{"for": radio["id"]}) for radio in radios]
    assert [[part.text for part in label.find_all("span")] for label in labels] == [
        ["Low", "+1 if right,", "0 if wrong"],
        ["Medium", "+2 if right,", "−2 if wrong"],
        ["High", "+3 if right,", "−6 if wrong"],
    ]
    assert certainty["aria-describedby"] == "certainty-hint"


def test_the_scoring_is_explained_in_plain_words_before_the_first_question(client, shipped_content):
    rules = parse(client.get(f"/quiz/{QUIZ_SLUG}/")).find("section", class_="certainty-rules")
    assert rules.find("h2").text == "How the certainty score works"
    rows = [[cell.text for cell in row.find_all(["th", "td"])] for row in rules.find("tbody").find_all("tr")]
    assert rows == [
        ["Low", "+1", "0", "under 2 in 3"],
        ["Medium", "+2", "−2", "between 2 in 3 and 4 in 5"],
        ["High", "+3", "−6", "over 4 in 5"],
    ]
    assert "Guessing at low certainty never costs anything" in rules.text

    attempt = start(client)
    first_hint = parse(client.get(attempt.question_url(1))).by_id("certainty-hint").text
    assert "Low never costs anything" in first_hint and "more than 4 times in 5" in first_hint
    answer(client, attempt, 1)
    later_hint = parse(client.get(attempt.question_url(2))).by_id("certainty-hint").text
    assert later_hint == "Pick high only when you are very sure: a wrong answer at high costs 6."


@pytest.mark.parametrize(
    "right, certainty, verdict, mark, advice",
    [
        (True, "high", "Right!", "+3", "The most an answer can earn."),
        (True, "low", "Right!", "+1", "If you knew it rather than guessed, say so next time"),
        (False, "medium", "Not quite.", "−2", "At low certainty it would have cost nothing."),
        (False, "high", "Not quite.", "−6", "this is the mistake most worth correcting"),
    ],
)
def test_the_answer_is_stored_with_its_certainty_and_the_feedback_says_what_it_earned(
    client, shipped_content, right, certainty, verdict, mark, advice
):
    attempt = start(client)
    response = answer(client, attempt, 1, right=right, certainty=certainty)
    assert response.status_code == 302
    stored = Answer.objects.get(attempt=attempt)
    assert (stored.correct, stored.certainty) == (right, certainty)

    page = parse(client.get(attempt.question_url(1)))
    assert page.find("h1", class_="verdict").text == verdict
    earned = page.find(class_="certainty-earned")
    assert [strong.text for strong in earned.find("p").find_all("strong")] == [certainty.capitalize(), mark]
    assert advice in earned.text


def test_results_show_accuracy_and_the_certainty_score_apart(client, shipped_content):
    attempt = finish(client)
    page = parse(client.get(results_url(attempt)))
    assert page.find("h1").text == "Passed: 7 of 10 marks (70%)"
    section = page.find("section", class_="certainty-score")
    assert section.find("h2").text == "How sure you were"
    figure = section.find(class_="certainty-score__figure")
    assert figure.find("strong").text == "+0.7 per question"
    assert figure.text.endswith("on a scale from −6 to +3.")
    assert "Answering everything at low certainty scores between 0 and +1 per question" in section.text
    rows = [[cell.text for cell in row.find_all(["th", "td"])][:3] for row in section.find("tbody").find_all("tr")]
    assert rows == [["Low", "3", "2"], ["Medium", "3", "2"], ["High", "4", "3"]]


def test_the_review_puts_answers_given_wrong_with_high_certainty_first_marked_as_misconceptions(
    client, shipped_content
):
    answers = [(True, "high"), (False, "low"), (False, "high"), (True, "low"), (False, "high")] + [(True, "low")] * 5
    attempt = finish(client, answers)
    review = parse(client.get(results_url(attempt))).find("section", class_="answers")
    assert "misconceptions most worth correcting" in review.find("p").text
    rows = review.find("ol", class_="answer-list").find_all("li", class_="answer-row")
    assert [row["value"] for row in rows] == ["3", "5", "1", "2", "4", "6", "7", "8", "9", "10"]
    flagged = ["answer-row--misconception" in row.classes for row in rows]
    assert flagged == [True, True] + [False] * 8
    assert rows[0].find(class_="tag--misconception").text == "Sure but wrong: correct this first"
    assert "How sure you were: High (certainty mark −6)" in rows[0].text
    assert "How sure you were: Low (certainty mark 0)" in rows[3].text


def test_without_a_sure_mistake_the_review_keeps_the_order_asked_and_says_nothing_of_misconceptions(
    client, shipped_content
):
    attempt = finish(client, [(number % 2 == 0, "medium") for number in range(1, 11)])
    review = parse(client.get(results_url(attempt))).find("section", class_="answers")
    assert "misconceptions" not in review.text
    assert [row["value"] for row in review.find_all("li", class_="answer-row")] == [str(n) for n in range(1, 11)]


def test_the_shared_view_shows_the_certainty_score_but_no_answers(client, shipped_content):
    attempt = finish(client)
    chosen = [choice.text for answer in Answer.objects.filter(attempt=attempt) for choice in answer.chosen.all()]
    page = parse(Client().get(results_url(attempt)))
    main = page.find("main")
    section = main.find("section", class_="certainty-score")
    assert section.find("h2").text == "Certainty"
    assert section.find("strong").text == "+0.7 per question"
    assert not main.has("table", class_="certainty-levels")
    assert not main.has("ol", class_="answer-list")
    assert not re.search(r"\byou(r)?\b", main.text, re.IGNORECASE)
    assert not any(text in main.text for text in chosen if len(text) > 12)


def test_a_quiz_without_certainty_based_marking_asks_nothing_of_it_and_shows_no_certainty_score(client, shipped_quiz):
    shipped_quiz.certainty_based_marking = False
    shipped_quiz.save()
    attempt = start(client)
    assert not attempt.certainty_based_marking
    page = parse(client.get(attempt.question_url(1)))
    assert not page.has("input", name="certainty")
    assert not parse(client.get(f"/quiz/{QUIZ_SLUG}/")).has("section", class_="certainty-rules")
    for number in range(1, 11):
        response = client.post(attempt.question_url(number), answer_data(attempt, number))
        assert response.status_code == 302
    assert set(Answer.objects.values_list("certainty", flat=True)) == {""}
    assert not parse(client.get(f"/quiz/{QUIZ_SLUG}/")).has("section", class_="certainty-score")
    results = parse(client.get(results_url(attempt)))
    assert not results.has("section", class_="certainty-score")
    assert "How sure" not in results.text


def test_an_attempt_keeps_the_setting_it_started_with_when_an_editor_switches_it(client, shipped_quiz):
    attempt = start(client)
    answer(client, attempt, 1, certainty="high")
    Quiz.objects.filter(pk=shipped_quiz.pk).update(certainty_based_marking=False)
    attempt.refresh_from_db()
    assert parse(client.get(attempt.question_url(2))).has("input", name="certainty")
    response = client.post(attempt.question_url(2), {"choice": picks(attempt, 2, right=True)})
    assert response.status_code == 400
    assert answer(client, attempt, 2, certainty="medium").status_code == 302
    assert list(Answer.objects.order_by("answered_at").values_list("certainty", flat=True)) == ["high", "medium"]


def test_an_editor_switches_certainty_based_marking_off_and_on_in_the_admin(editor_client, client, shipped_quiz):
    url = change_url(shipped_quiz)
    field = parse(editor_client.get(url)).find("input", name="certainty_based_marking")
    assert field["type"] == "checkbox" and "checked" in field.attrs
    assert save(editor_client, url, certainty_based_marking=None).status_code == 302
    shipped_quiz.refresh_from_db()
    assert not shipped_quiz.certainty_based_marking
    assert not start(client).certainty_based_marking
    assert save(editor_client, url, certainty_based_marking="on").status_code == 302
    assert start(client).certainty_based_marking


QUIZ_FILE = "---\nslug: check\ntitle: Check\npass_mark: 70\n{setting}position: 1\n---\nIntro\n"


@pytest.mark.parametrize("setting, expected", [("", True), ("certainty_based_marking: false\n", False)])
def test_the_loader_reads_the_setting_and_the_exporter_writes_it_back(tmp_path, setting, expected):
    data = minimal_content(tmp_path / "source")
    write(data, "quizzes/check.md", QUIZ_FILE.format(setting=setting))
    call_command("load_content", str(data), stdout=io.StringIO())
    assert Quiz.objects.get(slug="check").certainty_based_marking is expected
    call_command("export_content", str(tmp_path / "exported"), stdout=io.StringIO())
    exported = Path(tmp_path, "exported", "quizzes", "check.md").read_text()
    assert f"certainty_based_marking: {str(expected).lower()}\n" in exported


def test_the_shipped_quiz_file_turns_certainty_based_marking_on():
    shipped = Path(__file__).parent.parent / "content" / "data" / "quizzes" / f"{QUIZ_SLUG}.md"
    assert "\ncertainty_based_marking: true\n" in shipped.read_text()


@pytest.mark.parametrize("value", ["maybe", "1", "'true'", "[true]"])
def test_the_loader_refuses_a_setting_that_is_not_true_or_false_naming_the_file_and_field(tmp_path, value):
    data = minimal_content(tmp_path)
    quiz_file = write(data, "quizzes/check.md", QUIZ_FILE.format(setting=f"certainty_based_marking: {value}\n"))
    with pytest.raises(CommandError) as error:
        call_command("load_content", str(data), stdout=io.StringIO())
    assert str(quiz_file) in str(error.value)
    assert "field “certainty_based_marking” must be true or false" in str(error.value)
    assert not Quiz.objects.exists()


# Bad input: every way the certainty can be wrong, alone and mixed with a bad choice.
BAD_CERTAINTIES = {
    "missing": ({}, "Choose how sure you are before you submit."),
    "empty": ({"certainty": ""}, "Choose how sure you are before you submit."),
    "unknown": ({"certainty": "certain"}, "That is not one of the certainty levels. Choose low, medium or high."),
    "upper case": ({"certainty": "HIGH"}, "That is not one of the certainty levels. Choose low, medium or high."),
    "a number": ({"certainty": "3"}, "That is not one of the certainty levels. Choose low, medium or high."),
    "oversized": ({"certainty": "h" * 5000}, "That is not one of the certainty levels. Choose low, medium or high."),
    "markup": ({"certainty": "<script>alert(1)</script>"}, "That is not one of the certainty levels."),
    "repeated": ({"certainty": ["high", "low"]}, "Choose one level of certainty only."),
    "repeated alike": ({"certainty": ["low", "low"]}, "Choose one level of certainty only."),
    "repeated and unknown": ({"certainty": ["low", "sure"]}, "That is not one of the certainty levels."),
}


@pytest.mark.parametrize("case", BAD_CERTAINTIES)
def test_a_bad_certainty_is_refused_with_the_form_shown_again_and_nothing_stored(client, shipped_content, case):
    attempt = start(client)
    sent, message = BAD_CERTAINTIES[case]
    before = snapshot()
    response = client.post(attempt.question_url(1), {"choice": picks(attempt, 1, right=True), **sent})
    assert response.status_code == 400
    page = parse(response)
    summary = page.find(class_="error-summary")
    assert [link["href"] for link in summary.find_all("a")] == ["#certainty-low"]
    assert message in summary.text
    assert message in page.by_id("certainty-error").text
    certainty = page.find("fieldset", class_="certainty")
    assert certainty["aria-describedby"] == "certainty-hint certainty-error"
    assert page.by_id("certainty-low").tag == "input"
    assert page.find("title").text.startswith("Error: ")
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize("choice", [[], ["99"], ["abc"], ["0"], ["x" * 5000]])
@pytest.mark.parametrize("case", ["missing", "unknown", "repeated"])
def test_a_bad_certainty_with_a_bad_choice_names_both_and_stores_nothing(client, shipped_content, choice, case):
    attempt = start(client)
    sent, message = BAD_CERTAINTIES[case]
    before = snapshot()
    response = client.post(attempt.question_url(1), {"choice": choice, **sent})
    assert response.status_code == 400
    summary = parse(response).find(class_="error-summary")
    assert [link["href"] for link in summary.find_all("a")] == ["#choice-0", "#certainty-low"]
    assert message in summary.text
    assert snapshot() == before


def test_a_valid_certainty_is_kept_picked_when_the_form_comes_back_for_a_bad_choice(client, shipped_content):
    attempt = start(client)
    response = client.post(attempt.question_url(1), {"choice": ["99"], "certainty": "medium"})
    assert response.status_code == 400
    page = parse(response)
    checked = [radio["value"] for radio in page.find_all("input", name="certainty") if "checked" in radio.attrs]
    assert checked == ["medium"]
    assert not page.has(id="certainty-error")


def test_a_certainty_sent_for_an_answered_question_changes_nothing(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1, right=False, certainty="low")
    before = snapshot()
    again = client.post(attempt.question_url(1), answer_data(attempt, 1, right=True, certainty="high"), follow=True)
    assert "Your first answer is the one that counts" in parse(again).find("p", class_="notice").text
    assert snapshot() == before
