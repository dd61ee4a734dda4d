"""Rows each process keeps between requests (editorial.kept): read once per content version, and an edit shows on
the next page."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from content.models import OutsourcingModel
from editorial.kept import KeptWhileUnchanged
from editorial.previews import previewing
from quiz import selectors
from quiz.models import Quiz
from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG, answer, question_at, start

VERSION = {"stamp": "one"}


def version_for_tests():
    return VERSION["stamp"]


@pytest.fixture
def versions(settings):
    """Content versions the test sets itself."""
    settings.CONTENT_VERSION_SOURCE = "tests.test_kept_rows.version_for_tests"
    VERSION["stamp"] = "one"
    return VERSION


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return parse(response)


class Reader:
    def __init__(self):
        self.reads = 0

    def __call__(self):
        self.reads += 1
        return f"read {self.reads}"


def test_a_value_is_read_once_per_content_version_and_the_old_ones_are_dropped(versions):
    kept, read = KeptWhileUnchanged(size=10), Reader()
    assert [kept.get("a", read), kept.get("a", read)] == ["read 1", "read 1"]
    kept.get("b", read)
    versions["stamp"] = "two"
    assert kept.get("a", read) == "read 3"
    assert len(kept) == 1


def test_the_least_recently_used_value_is_dropped_beyond_the_size(versions):
    kept, read = KeptWhileUnchanged(size=2), Reader()
    kept.get("a", read)
    kept.get("b", read)
    kept.get("a", read)
    kept.get("c", read)
    assert (len(kept), kept.get("a", read), kept.get("b", read)) == (2, "read 1", "read 4")


def test_without_a_version_source_or_in_a_preview_every_call_reads(versions, settings):
    kept, read = KeptWhileUnchanged(size=10), Reader()
    with previewing():
        assert [kept.get("a", read), kept.get("a", read)] == ["read 1", "read 2"]
    settings.CONTENT_VERSION_SOURCE = None
    assert [kept.get("a", read), kept.get("a", read)] == ["read 3", "read 4"]
    assert len(kept) == 0


def test_a_question_page_read_again_runs_no_query_for_the_question(client, shipped_quiz):
    attempt = start(client)
    client.get(attempt.question_url(1))
    with CaptureQueriesContext(connection) as again:
        client.get(attempt.question_url(1))
    assert not [query for query in again.captured_queries if "quiz_question" in query["sql"]]
    assert not [query for query in again.captured_queries if "quiz_choice" in query["sql"]]


def test_an_edited_question_and_its_choices_show_on_the_next_question_and_feedback_page(client, shipped_quiz):
    attempt = start(client)
    question = question_at(attempt, 1)
    client.get(attempt.question_url(1))
    question.prompt = "Which of these is edited?"
    question.save()
    choice = attempt.ordered_choices(question)[0]
    choice.text = "An edited choice"
    choice.save()
    shown = page(client, attempt.question_url(1))
    assert "Which of these is edited?" in shown.text and "An edited choice" in shown.text
    answer(client, attempt, 1)
    question.prompt = "Edited once more"
    question.save()
    assert "Edited once more" in page(client, attempt.question_url(1)).text


def test_a_renamed_model_shows_in_the_navigation_on_the_next_page(client, shipped_content, pages_rendered_every_time):
    client.get("/")
    bpo = OutsourcingModel.objects.get(slug="bpo")
    bpo.abbreviation = "BPO-X"
    bpo.save()
    navigation = page(client, "/quiz/").find("nav", class_="site-nav")
    assert "BPO-X" in navigation.text


def test_the_quiz_button_follows_a_renamed_or_withdrawn_quiz_on_the_next_page(
    client, shipped_quiz, pages_rendered_every_time
):
    client.get("/")
    quiz = Quiz.objects.get(slug=QUIZ_SLUG)
    quiz.title = "A renamed quiz"
    quiz.save()
    assert (
        page(client, "/bpo/").find("aside", class_="quiz-cta").find("button").text == "Take the quiz “A renamed quiz”"
    )
    quiz.published = False
    quiz.save()
    assert not page(client, "/").find("aside", class_="quiz-cta").has("form")


def test_a_second_attempt_is_drawn_without_reading_the_bank_again(client, shipped_quiz):
    client.post(f"/quiz/{QUIZ_SLUG}/start/")
    with CaptureQueriesContext(connection) as second:
        assert Client().post(f"/quiz/{QUIZ_SLUG}/start/").status_code == 302
    assert not [query for query in second.captured_queries if "quiz_choice" in query["sql"]]


def test_an_unpublished_question_leaves_the_bank_the_next_draw_reads(client, shipped_quiz):
    start(client)
    quiz = Quiz.objects.get(slug=QUIZ_SLUG)
    question = quiz.bank().first()
    question.published = False
    question.save()
    assert question.pk not in [candidate.question.pk for candidate in selectors.bank_to_draw_from(quiz)]
