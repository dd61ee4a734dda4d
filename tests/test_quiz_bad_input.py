"""Every way a reader (or a tampered form) can send bad input: a clear message, a 4xx, and nothing changed."""

import pytest
from django.test import Client

from quiz.models import Answer, Attempt, Choice, Question, Quiz
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG, answer, answer_data, picks, question_at, start

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(Answer.objects.values_list("attempt_id", "question_id", "correct")),
        sorted(Attempt.objects.values_list("pk", "score", "answered_count", "finished_at")),
    )


@pytest.fixture
def attempt(client, shipped_content):
    return start(client)


def post_choices(client, attempt, number, values):
    """Send ``values`` as the choice, with a valid certainty, so that only the choice is at fault."""
    return client.post(attempt.question_url(number), {"choice": values, "certainty": "low"})


def explained(response):
    """What the page tells the reader: its main heading and text."""
    return parse(response).find("main").text


def single_choice_number(attempt):
    """The number of the attempt's first question that takes one choice (a sort question takes none)."""
    single = {Question.Kind.SINGLE, Question.Kind.TRUE_FALSE}
    return next(n for n in range(1, attempt.total + 1) if question_at(attempt, n).kind in single)


def answer_up_to(client, attempt, number):
    for earlier in range(1, number):
        answer(client, attempt, earlier)


@pytest.mark.parametrize("borrowed", ["place beyond this question", "another question's choice id"])
def test_a_choice_from_another_question_is_refused(client, attempt, borrowed):
    own_choices = question_at(attempt, 1).choices.count()
    other_choice = Choice.objects.exclude(question_id=attempt.question_id_at(1)).last()
    value = str(own_choices + 1) if borrowed.startswith("place") else str(other_choice.pk)
    before = snapshot()
    response = post_choices(client, attempt, 1, [value])
    assert response.status_code == 400
    assert "That is not one of this question's answers" in explained(response)
    assert snapshot() == before


def test_no_choice_is_refused_with_an_error_summary_linked_to_the_field(client, attempt):
    before = snapshot()
    response = client.post(attempt.question_url(1), {})
    assert response.status_code == 400
    page = parse(response)
    summary = page.find(class_="error-summary")
    assert summary["role"] == "alert"
    assert '<a href="#choice-0">Choose an answer before you submit.</a>' in summary
    assert page.by_id("choice-error").text == "Choose an answer before you submit."
    assert page.find("fieldset")["aria-describedby"] == "choice-error"
    assert page.by_id("choice-0").tag == "input"
    assert page.find("title").text.startswith("Error: ")
    assert snapshot() == before


def test_several_choices_on_a_single_choice_question_are_refused(client, attempt):
    number = single_choice_number(attempt)
    answer_up_to(client, attempt, number)
    question = question_at(attempt, number)
    before = snapshot()
    response = post_choices(client, attempt, number, [str(choice.pk) for choice in question.choices.all()])
    assert response.status_code == 400
    assert "choose only one" in explained(response)
    assert snapshot() == before


@pytest.mark.parametrize("value", ["abc", "1.5", "-1", "9" * 40, "", "<script>alert(1)</script>", "x" * 5000])
def test_a_non_numeric_huge_or_garbage_choice_id_is_refused(client, attempt, value):
    before = snapshot()
    response = post_choices(client, attempt, 1, [value])
    assert response.status_code == 400
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert snapshot() == before


@pytest.mark.parametrize(
    "path",
    [
        "/quiz/attempts/00000000-0000-4000-8000-000000000000/questions/1/",
        "/quiz/attempts/00000000-0000-4000-8000-000000000000/results/",
        "/quiz/attempts/not-a-uuid/questions/1/",
        "/quiz/attempts/1/results/",
        "/quiz/attempts/../questions/1/",
    ],
)
def test_an_unknown_or_malformed_attempt_id_is_not_found(client, attempt, path):
    before = snapshot()
    response = client.post(path, {"choice": ["1"]}) if "questions" in path else client.get(path)
    assert response.status_code == 404
    assert parse(response).find("main").find("h1").text
    assert snapshot() == before


@pytest.mark.parametrize("number", ["0", "11", "99999999999999999999"])
def test_a_question_number_outside_the_attempt_is_not_found(client, attempt, number):
    response = client.get(f"/quiz/attempts/{attempt.public_id}/questions/{number}/")
    assert response.status_code == 404
    assert parse(response).find("main").find("h1").text


def test_someone_elses_attempt_cannot_be_seen_or_answered(attempt):
    stranger = Client()
    before = snapshot()
    for response in (
        stranger.get(attempt.question_url(1)),
        stranger.post(attempt.question_url(1), {"choice": picks(attempt, 1, right=True)}),
    ):
        assert response.status_code == 403
        assert "Only the browser that started an attempt can" in explained(response)
    assert snapshot() == before


def test_answering_out_of_order_is_refused(client, attempt):
    before = snapshot()
    response = answer(client, attempt, 3)
    assert response.status_code == 409
    assert "Answer question 1 first" in explained(response)
    assert snapshot() == before


def test_opening_a_later_question_early_leads_back_to_the_current_one(client, attempt):
    response = client.get(attempt.question_url(4))
    assert response.status_code == 302 and response.url == attempt.question_url(1)


def test_a_finished_attempt_takes_no_more_answers(client, attempt):
    for number in range(1, 11):
        answer(client, attempt, number)
    attempt.refresh_from_db()
    before = snapshot()
    for number in (10, 3):
        response = client.post(attempt.question_url(number), answer_data(attempt, number, right=False))
        assert response.status_code == 409
        assert "This attempt is finished, so it takes no more answers." in explained(response)
    assert snapshot() == before


def test_a_missing_or_wrong_csrf_token_on_an_answer_is_refused(shipped_content):
    # The start takes none (test_attempt_moments.py covers it); every answer does.
    browser = Client(enforce_csrf_checks=True)
    attempt = start(browser)
    before = snapshot()
    choice = {"choice": picks(attempt, 1, right=True)}
    assert browser.post(attempt.question_url(1), choice).status_code == 403
    browser.get(attempt.question_url(1))
    assert browser.post(attempt.question_url(1), {**choice, "csrfmiddlewaretoken": "x" * 64}).status_code == 403
    assert snapshot() == before


def test_get_on_start_is_not_allowed_and_says_so(client, shipped_content):
    response = client.get(f"/quiz/{QUIZ_SLUG}/start/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "only accepts the quiz's own buttons" in explained(response)
    assert Attempt.objects.count() == 0


def test_unknown_and_draft_quizzes_are_not_found_for_readers(client, shipped_content):
    assert client.get("/quiz/no-such-quiz/").status_code == 404
    assert client.post("/quiz/no-such-quiz/start/").status_code == 404
    Quiz.objects.update(published=False)
    assert client.get(f"/quiz/{QUIZ_SLUG}/").status_code == 404
    assert client.post(f"/quiz/{QUIZ_SLUG}/start/").status_code == 404
    assert "BPO or KPO?" not in parse(client.get("/quiz/")).find("main").text
    assert Attempt.objects.count() == 0


def test_unfinished_results_are_not_shown_to_others(client, attempt):
    assert Client().get(f"/quiz/attempts/{attempt.public_id}/results/").status_code == 404
    assert client.get(f"/quiz/attempts/{attempt.public_id}/results/").status_code == 302
