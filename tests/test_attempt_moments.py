"""The moments of an attempt through the test client: the site's "Take the quiz" buttons start (or continue) an
attempt in one step from pages cached for everyone, and the results chart only topics answered often enough."""

import pytest
from django.test import Client

from quiz.models import Attempt, Question, Quiz
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG, answer, question_at, start

pytestmark = pytest.mark.django_db

START = f"/quiz/{QUIZ_SLUG}/start/"


def invitation_form(client, url="/"):
    """The "Take the quiz" form of an explainer page, and the fields a browser would send with it."""
    form = parse(client.get(url)).find("aside", class_="quiz-cta").find("form")
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input")}
    return form, fields


def test_the_home_and_model_pages_offer_a_form_that_starts_the_quiz_without_a_token(client, shipped_content):
    for url in ["/", "/bpo/", "/kpo/"]:
        form, fields = invitation_form(client, url)
        assert (form["method"], form["action"]) == ("post", START)
        assert fields == {"resume": "yes"}
        assert form.find("button").text == "Take the quiz “BPO or KPO?”"


def test_the_home_pages_form_starts_an_attempt_in_one_step_for_a_browser_that_enforces_csrf(shipped_content):
    browser = Client(enforce_csrf_checks=True)
    _form, fields = invitation_form(browser)

    response = browser.post(START, fields)

    attempt = Attempt.objects.get()
    assert response.status_code == 302 and response.url == attempt.question_url(1)
    question = browser.get(response.url)
    assert question.status_code == 200 and "Question 1 of 10" in question.content.decode()


@pytest.mark.parametrize("token", ["", "forged" * 6 + "abcd", "a" * 64], ids=["missing", "forged", "wrong-cookie"])
def test_a_start_with_a_missing_or_forged_token_starts_only_the_senders_own_attempt(shipped_content, token):
    sender = Client(enforce_csrf_checks=True)
    sender.cookies["csrftoken"] = "b" * 32
    response = sender.post(START, {"csrfmiddlewaretoken": token} if token else {})

    attempt = Attempt.objects.get()
    assert response.status_code == 302
    assert sender.get(attempt.question_url(1)).status_code == 200
    stranger = Client()
    assert stranger.get(attempt.question_url(1)).status_code == 403


def test_take_the_quiz_continues_an_unfinished_attempt_and_starting_anew_stays_on_the_quiz_page(
    client, shipped_content, settings
):
    settings.QUIZ_START_RATE = "1/h"
    attempt = start(client)
    answer(client, attempt, 1)
    _form, fields = invitation_form(client, "/bpo/")

    for _ in range(3):
        response = client.post(START, fields)
        assert response.status_code == 302 and response.url == attempt.question_url(2)
    assert Attempt.objects.count() == 1

    assert client.post(START).status_code == 429


def test_take_the_quiz_after_a_finished_attempt_starts_a_new_one(client, shipped_content):
    attempt = start(client)
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number)

    response = client.post(START, {"resume": "yes"})

    assert response.status_code == 302
    new = Attempt.objects.exclude(pk=attempt.pk).get()
    assert response.url == new.question_url(1)


@pytest.mark.parametrize("resume", ["no", "YES", "1", "yes ", "y" * 5000, ["yes", "no"]])
def test_a_start_with_a_resume_value_the_buttons_never_send_is_refused_and_starts_nothing(
    client, shipped_content, resume
):
    response = client.post(START, {"resume": resume})

    assert response.status_code == 400
    assert "could not tell whether to continue your attempt or start a new one" in response.content.decode()
    assert not Attempt.objects.exists()


def test_get_on_start_is_refused_and_starts_nothing(client, shipped_content):
    response = client.get(START, {"resume": "yes"})
    assert response.status_code == 405 and response["Allow"] == "POST"
    assert not Attempt.objects.exists()


@pytest.mark.parametrize("slug", ["no-such-quiz", "draft"])
def test_a_start_of_an_unknown_or_draft_quiz_is_not_found_and_starts_nothing(client, shipped_content, slug):
    Quiz.objects.create(slug="draft", title="Draft", introduction="Soon.", published=False)
    response = client.post(f"/quiz/{slug}/start/", {"resume": "yes"})
    assert response.status_code == 404
    assert not Attempt.objects.exists()


def attempt_of(client, topics):
    """An attempt asking one bank question per entry of ``topics``, in that order."""
    attempt = start(client)
    bank = {topic: list(attempt.quiz.bank().filter(topic=topic)) for topic in set(topics)}
    questions = [bank[topic].pop() for topic in topics]
    attempt.question_ids = [question.pk for question in questions]
    attempt.choice_order = {
        str(question.pk): [choice.pk for choice in question.choices.all()] for question in questions
    }
    attempt.save()
    return attempt


def chart(client, attempt):
    page = parse(client.get(f"/quiz/attempts/{attempt.public_id}/results/"))
    return [
        (score.find(class_="topic-score__label").text, score.find(class_="topic-score__numbers").text)
        for score in page.find_all("li", class_="topic-score")
    ]


def test_the_topic_chart_shows_only_topics_with_at_least_two_answered_questions(client, shipped_content):
    topics = [Question.Topic.EXAMPLES, Question.Topic.DEFINITIONS, Question.Topic.DIFFERENCES]
    attempt = attempt_of(client, [topics[0], topics[1], topics[2], topics[0], topics[2], topics[2]])
    for number, right in enumerate([True, True, False, False, True, True], start=1):
        answer(client, attempt, number, right=right)

    assert chart(client, attempt) == [("Examples", "1 of 2 marks (50%)"), ("Differences", "2 of 3 marks (67%)")]
    assert chart(Client(), attempt) == chart(client, attempt)
    assert question_at(attempt, 2).topic == Question.Topic.DEFINITIONS


def test_no_chart_when_no_topic_was_answered_twice(client, shipped_content):
    attempt = attempt_of(client, [Question.Topic.EXAMPLES, Question.Topic.BENEFITS])
    answer(client, attempt, 1)
    answer(client, attempt, 2)

    page = parse(client.get(f"/quiz/attempts/{attempt.public_id}/results/"))
    assert not page.has("section", class_="by-topic")
    assert "2 of 2 marks" in page.find("h1").text


@pytest.mark.parametrize("origin", ["https://elsewhere.example", "null", "https://testserver"])
def test_a_start_posted_from_another_sites_page_is_refused_and_keeps_the_readers_session(
    client, shipped_content, origin
):
    attempt = start(client)
    session_before = client.cookies["sessionid"].value

    response = client.post(START, {"resume": "yes"}, HTTP_ORIGIN=origin)

    assert response.status_code == 403
    assert "only works on this site" in response.content.decode()
    assert "sessionid" not in response.cookies
    assert client.cookies["sessionid"].value == session_before
    assert list(Attempt.objects.all()) == [attempt]


@pytest.mark.parametrize("trusted", [False, True])
def test_a_start_posted_from_the_sites_own_page_or_a_trusted_origin_starts(client, shipped_content, settings, trusted):
    settings.CSRF_TRUSTED_ORIGINS = ["https://www.example.org"] if trusted else []
    origin = "https://www.example.org" if trusted else "http://testserver"

    response = client.post(START, {"resume": "yes"}, HTTP_ORIGIN=origin)

    assert response.status_code == 302 and Attempt.objects.count() == 1
