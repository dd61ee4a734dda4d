"""A question page, a sort question page, the answers posted to them, their feedback and the results run a fixed number
of queries, however much content there is: fewer for every reader after the first, since each process keeps the
questions and models it has read until the content changes (editorial.kept)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from quiz.models import Question
from quiz.services import sync_generated_questions
from tests.factories import multiply_content
from tests.quiz_helpers import answer, answer_data, start

pytestmark = pytest.mark.django_db

PINNED = {
    "question": 2,
    "answer": 7,
    "feedback": 3,
    "sort question": 2,
    "sort answer": 6,
    "sort feedback": 3,
    "results": 7,
}
# The first reader of these questions since the content last changed: the question with its choices (once without
# and once with its learn-more target), the models to sort into and the navigation are read once more.
PINNED_FIRST_READER = {
    "question": 5,
    "answer": 7,
    "feedback": 5,
    "sort question": 5,
    "sort answer": 6,
    "sort feedback": 5,
    "results": 7,
}


def attempt_with_a_sort_question(client):
    """A new attempt asking a single-choice question first and the generated sort of examples second."""
    attempt = start(client)
    first = Question.objects.get(slug="kpo-technology")
    pool = Question.objects.get(generated_key="sort:examples", active=True)
    rows = [*pool.choices.filter(placed_under__slug="bpo")[:3], *pool.choices.filter(placed_under__slug="kpo")[:2]]
    ids = [pk for pk in attempt.question_ids if pk not in (first.pk, pool.pk)][: attempt.total - 2]
    attempt.question_ids = [first.pk, pool.pk, *ids]
    attempt.choice_order[str(first.pk)] = [choice.pk for choice in first.choices.all()]
    attempt.choice_order[str(pool.pk)] = [row.pk for row in rows]
    attempt.save()
    return attempt


def queries_of(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def queries_of_answering(client, attempt, number, right=True):
    data = answer_data(attempt, number, right)
    with CaptureQueriesContext(connection) as captured:
        response = client.post(attempt.question_url(number), data)
    assert response.status_code == 302
    assert response.url == attempt.question_url(number)
    return len(captured)


def page_costs(client):
    attempt = attempt_with_a_sort_question(client)
    costs = {
        "question": queries_of(client, attempt.question_url(1)),
    }
    costs["answer"] = queries_of_answering(client, attempt, 1)
    costs["feedback"] = queries_of(client, attempt.question_url(1))
    costs["sort question"] = queries_of(client, attempt.question_url(2))
    costs["sort answer"] = queries_of_answering(client, attempt, 2, right=False)
    costs["sort feedback"] = queries_of(client, attempt.question_url(2))
    for number in range(3, attempt.total + 1):
        answer(client, attempt, number)
    attempt.refresh_from_db()
    costs["results"] = queries_of(client, attempt.get_absolute_url())
    return costs


def first_and_later_readers_costs():
    return page_costs(Client()), page_costs(Client())


def test_quiz_pages_run_the_same_queries_with_ten_times_the_content(shipped_content, pages_rendered_every_time):
    shipped = first_and_later_readers_costs()
    multiply_content(10)
    sync_generated_questions()
    assert Question.objects.get(generated_key="sort:examples", active=True).choices.count() == 100
    assert shipped == first_and_later_readers_costs() == (PINNED_FIRST_READER, PINNED)
