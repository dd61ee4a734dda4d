"""“Practise what you missed”: from the owner's results, a practice attempt of the questions missed or answered
with low certainty, each with a companion on the same fact (else topic); never passed or failed; refused with a
clear message and nothing created for every bad request."""

import uuid

import pytest
from django.test import Client

from quiz.models import Attempt, Question
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG, answer, question_at, start

pytestmark = pytest.mark.django_db

# The results page costs what it did before the offer (tests/test_quiz_query_counts.py): what to practise and the
# topic to re-read first come from the rows it reads anyway; an attempt with a sort question reads the models too.
# The practice start: the session, the attempt with its quiz, its answers, the reader's review plan, and the insert;
# the bank with its choices is read by the first draw since the content last changed, then kept (editorial.kept).
RESULTS_QUERIES = 6
RESULTS_QUERIES_WITH_A_SORT_QUESTION = 7
PRACTICE_START_QUERIES = 5


def shares_a_fact_in_the_bank(question):
    """Whether another question of the bank tests a fact ``question`` tests."""
    others = question.quiz.bank().exclude(pk=question.pk)
    return any(set(other.facts) & set(question.facts) for other in others)


def finish(client, attempt, wrong=(), unsure=()):
    """Answer every question of ``attempt``: those numbered in ``wrong`` wrongly (medium certainty), those in
    ``unsure`` rightly with low certainty, the rest rightly with high certainty."""
    for number in range(1, attempt.total + 1):
        certainty = "low" if number in unsure else "medium" if number in wrong else "high"
        answer(client, attempt, number, right=number not in wrong, certainty=certainty)
    attempt.refresh_from_db()
    return attempt


def practice_form(client, attempt):
    page = parse(client.get(attempt.get_absolute_url()))
    offers = page.find_all("section", class_="practice-offer")
    return offers[0].find("form") if offers else None


def practise(client, attempt):
    form = practice_form(client, attempt)
    assert form is not None, "the results page offers no practice"
    response = client.post(form["action"])
    assert response.status_code == 302
    practice = Attempt.objects.filter(is_practice=True).latest("started_at")
    assert response.url == practice.question_url(1)
    return practice


def practice_url(public_id):
    return f"/quiz/attempts/{public_id}/practice/"


def counts():
    return Attempt.objects.count(), Attempt.objects.filter(is_practice=True).count()


@pytest.fixture
def missed_two(client, shipped_content):
    """A finished attempt whose two questions with a same-fact partner in the bank were answered wrong."""
    attempt = start(client)
    numbers = [n for n in range(1, attempt.total + 1) if shares_a_fact_in_the_bank(question_at(attempt, n))]
    assert len(numbers) >= 2
    return finish(client, attempt, wrong=numbers[:2]), [question_at(attempt, n) for n in numbers[:2]]


def test_a_reader_practises_the_two_questions_missed_with_a_same_fact_companion_each(client, missed_two):
    attempt, missed = missed_two
    form = practice_form(client, attempt)
    assert form.find("button").text == "Practise what you missed"
    assert form["method"] == "post" and form.has("input", name="csrfmiddlewaretoken")

    practice = practise(client, attempt)

    assert practice.is_practice and practice.owner_token == attempt.owner_token
    assert practice.total == 4
    asked = Question.objects.in_bulk(practice.question_ids)
    assert {q.pk for q in missed} <= set(asked)
    companions = [asked[pk] for pk in practice.question_ids if pk not in {q.pk for q in missed}]
    for question in missed:
        assert sum(bool(set(c.facts) & set(question.facts)) for c in companions) >= 1
    for number in range(1, practice.total + 1):
        page = parse(client.get(practice.question_url(number)))
        label = page.find("p", class_="quiz-progress__label")
        assert label.find("span", class_="tag--practice").text == "Practice"
        assert label.text.endswith(f"question {number} of 4")
        assert asked[practice.question_id_at(number)].prompt in page.find("main").text
        answer(client, practice, number, certainty="medium")
    practice.refresh_from_db()
    assert practice.is_finished


def test_a_question_answered_right_with_low_certainty_is_practised_too(client, shipped_content):
    attempt = finish(client, start(client), unsure=[3])
    practice = practise(client, attempt)
    assert attempt.question_id_at(3) in practice.question_ids
    assert practice.total in (1, 2)
    unsure = Question.objects.get(pk=attempt.question_id_at(3))
    for other in Question.objects.filter(pk__in=practice.question_ids).exclude(pk=unsure.pk):
        assert set(other.facts) & set(unsure.facts) or other.topic == unsure.topic, "only its companion comes too"


def test_practice_results_are_never_a_pass_or_a_fail_and_offer_no_retake_as_if_failed(client, missed_two):
    attempt, _missed = missed_two
    practice = practise(client, attempt)
    finish(client, practice, wrong=[1])

    page = parse(client.get(practice.get_absolute_url()))
    heading = page.find("h1")
    assert heading.find("span", class_="tag--practice").text == "Practice"
    main = page.find("main").text
    assert "pass" not in heading.text.lower()
    assert "pass mark" not in main.lower() and "not passed" not in main.lower()
    assert not page.has("input", id="share-link")
    assert "Retake the quiz" not in main
    assert page.find("section", class_="next-steps").links() == [f"/quiz/{QUIZ_SLUG}/"]
    assert page.find("title").text.startswith("Practice results:")
    assert page.find("p", class_="eyebrow").text.endswith("Practice results")
    assert practice_form(client, practice) is not None, "a practice result may be practised again"

    shared = parse(Client().get(practice.get_absolute_url()))
    assert shared.find("h1").has("span", class_="tag--practice")
    assert "pass" not in shared.find("h1").text.lower()
    assert "pass mark" not in shared.find("main").text.lower()


def test_practice_is_left_out_of_readers_attempts(client, missed_two):
    attempt, _missed = missed_two
    practice = practise(client, attempt)
    assert list(Attempt.objects.by_readers()) == [attempt]
    assert practice in Attempt.objects.all()


def test_a_practice_with_full_marks_is_not_counted_as_passed(client, missed_two):
    attempt, _missed = missed_two
    practice = finish(client, practise(client, attempt))
    assert practice.percentage == 100
    assert not practice.passed
    assert practice not in Attempt.objects.passed()


def test_an_unfinished_practice_is_not_the_attempt_the_quiz_page_resumes(client, missed_two):
    attempt, _missed = missed_two
    practice = practise(client, attempt)
    answer(client, practice, 1)

    quiz_page = parse(client.get(f"/quiz/{QUIZ_SLUG}/"))
    assert not quiz_page.has("section", class_="resume")
    response = client.post(f"/quiz/{QUIZ_SLUG}/start/", {"resume": "yes"})
    new = Attempt.objects.latest("started_at")
    assert response.url == new.question_url(1)
    assert not new.is_practice and new.pk not in (attempt.pk, practice.pk)


def test_nothing_to_practise_is_explained_with_nothing_created(client, shipped_content):
    attempt = finish(client, start(client))
    assert practice_form(client, attempt) is None
    before = counts()
    response = client.post(practice_url(attempt.public_id))
    assert response.status_code == 409
    assert "There is nothing to practise" in parse(response).find("h1").text
    assert counts() == before


def test_questions_taken_out_of_the_quiz_since_are_not_practised(client, missed_two):
    attempt, missed = missed_two
    for question in missed:
        question.published = False
        question.save()
    assert practice_form(client, attempt) is None
    before = counts()
    assert client.post(practice_url(attempt.public_id)).status_code == 409
    assert counts() == before


def test_practice_of_an_unfinished_attempt_is_refused(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1, right=False)
    before = counts()
    response = client.post(practice_url(attempt.public_id))
    assert response.status_code == 409
    assert parse(response).find("h1").text == "This attempt is not finished yet"
    assert counts() == before


def test_practice_of_someone_elses_attempt_is_refused_and_they_see_no_offer(client, missed_two):
    attempt, _missed = missed_two
    owners_results = client.get(attempt.get_absolute_url())
    assert "Cookie" in owners_results["Vary"], "the owner's page, with its offer and token, is private to them"
    other = Client()
    start(other)
    assert practice_form(other, attempt) is None
    before = counts()
    response = other.post(practice_url(attempt.public_id))
    assert response.status_code == 403
    assert parse(response).find("h1").text == "This attempt belongs to someone else"
    assert Client().post(practice_url(attempt.public_id)).status_code == 403
    assert counts() == before


@pytest.mark.parametrize(
    "public_id",
    [str(uuid.uuid4()), "not-a-uuid", "1", "a" * 5000, "", f"{uuid.uuid4()}x", "%00"],
    ids=["unknown", "malformed", "a number", "oversized", "missing", "tampered", "nul"],
)
def test_a_tampered_attempt_address_is_not_found_in_the_layout(client, missed_two, public_id):
    before = counts()
    response = client.post(practice_url(public_id))
    assert response.status_code == 404
    assert parse(response).has("main")
    assert counts() == before


def test_get_on_the_practice_address_is_refused_in_the_layout(client, missed_two):
    attempt, _missed = missed_two
    before = counts()
    for method in (client.get, client.put, client.delete):
        response = method(practice_url(attempt.public_id))
        assert response.status_code == 405
        assert response["Allow"] == "POST"
        assert parse(response).find("h1").text == "That is not how this page works"
    assert counts() == before


def test_a_practice_start_without_the_csrf_token_is_refused(client, missed_two):
    attempt, _missed = missed_two
    owners_browser = Client(enforce_csrf_checks=True)
    owners_browser.cookies = client.cookies
    before = counts()
    assert owners_browser.post(practice_url(attempt.public_id)).status_code == 403
    assert counts() == before
    form = practice_form(owners_browser, attempt)
    token = form.find("input", name="csrfmiddlewaretoken")["value"]
    assert owners_browser.post(form["action"], {"csrfmiddlewaretoken": token}).status_code == 302
    assert counts() == (before[0] + 1, before[1] + 1)


def test_practice_starts_are_rate_limited_in_the_layout(client, missed_two, settings):
    settings.QUIZ_PRACTICE_RATE = "2/h"
    attempt, _missed = missed_two
    assert [client.post(practice_url(attempt.public_id)).status_code for _ in range(2)] == [302, 302]
    before = counts()
    response = client.post(practice_url(attempt.public_id))
    assert response.status_code == 429
    assert parse(response).find("h1").text == "Too many practice attempts"
    assert counts() == before
    assert client.post(f"/quiz/{QUIZ_SLUG}/start/").status_code == 302, "attempt starts keep their own limit"


def more_attempts(client, count):
    """``count`` more finished attempts by this reader, and as many by another, each missing its first question."""
    for browser in (client, Client()):
        for _ in range(count):
            finish(browser, start(browser), wrong=[1])


def test_the_results_page_with_the_practice_offer_and_the_practice_start_cost_fixed_queries(
    client, missed_two, django_assert_num_queries
):
    attempt, _missed = missed_two
    for extra in (0, 3):
        more_attempts(client, extra)
        # The navigation's models are read by the first page after a change of content, then kept (editorial.kept).
        client.get("/quiz/")
        has_sort = Question.objects.filter(pk__in=attempt.question_ids, kind=Question.Kind.SORT).exists()
        with django_assert_num_queries(RESULTS_QUERIES_WITH_A_SORT_QUESTION if has_sort else RESULTS_QUERIES):
            page = parse(client.get(attempt.get_absolute_url()))
        assert page.has("section", class_="practice-offer")
        with django_assert_num_queries(PRACTICE_START_QUERIES):
            assert client.post(practice_url(attempt.public_id)).status_code == 302
