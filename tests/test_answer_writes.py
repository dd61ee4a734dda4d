"""An answer costs at most three writes, however many choices it ticks: the attempt's counters, the answer, and the
choices picked in one insert. A refused answer changes nothing: its one write, the attempt's counters moving on from
the state the answer was given in, matches no row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quiz.models import IN_THE_BANK, Answer, Attempt, Question
from tests.quiz_helpers import answer, answer_data, start

pytestmark = pytest.mark.django_db

WRITE_STATEMENTS = ("INSERT", "UPDATE", "DELETE", "REPLACE")


def written_tables(captured):
    """The table each write statement touched, in order."""
    writes = [query["sql"].lstrip() for query in captured if query["sql"].lstrip().upper().startswith(WRITE_STATEMENTS)]
    return [statement.split('"')[1] for statement in writes]


def attempt_asking_first(client, kind):
    """A new attempt whose first question is a published question of ``kind``, its choices in their own order."""
    attempt = start(client)
    question = Question.objects.filter(kind=kind, **IN_THE_BANK).first()
    attempt.question_ids[0] = question.pk
    attempt.choice_order[str(question.pk)] = [choice.pk for choice in question.choices.all()]
    attempt.save()
    return attempt


def post_capturing_writes(client, attempt, number, data):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(attempt.question_url(number), data)
    return response, written_tables(captured)


def test_an_answer_ticking_several_choices_is_three_writes(client, shipped_content):
    attempt = attempt_asking_first(client, Question.Kind.MULTIPLE)
    data = answer_data(attempt, 1, right=True)
    assert len(data["choice"]) >= 2

    response, writes = post_capturing_writes(client, attempt, 1, data)

    assert response.status_code == 302
    assert writes == ["quiz_attempt", "quiz_answer", "quiz_answer_chosen"]
    stored = Answer.objects.get(attempt=attempt)
    assert stored.chosen.count() == len(data["choice"])
    assert stored.correct
    attempt.refresh_from_db()
    assert (attempt.answered_count, attempt.score) == (1, 1.0)


def test_a_sort_answer_is_two_writes(client, shipped_content):
    attempt = attempt_asking_first(client, Question.Kind.SORT)

    response, writes = post_capturing_writes(client, attempt, 1, answer_data(attempt, 1, right=True))

    assert response.status_code == 302
    assert writes == ["quiz_attempt", "quiz_answer"]
    assert Answer.objects.get(attempt=attempt).placements


def test_the_last_answer_finishes_the_attempt_and_stores_what_item_analysis_reads_in_one_more_write(
    client, shipped_content
):
    attempt = start(client)
    for number in range(1, attempt.total):
        answer(client, attempt, number)
    data = answer_data(attempt, attempt.total)

    response, writes = post_capturing_writes(client, attempt, attempt.total, data)

    assert response.status_code == 302
    assert writes[0] == "quiz_attempt" and len(writes) <= 4
    assert writes[-1] == "quiz_answer", "one update of the attempt's answers for item analysis"
    attempt.refresh_from_db()
    assert attempt.is_finished and attempt.answered_count == attempt.total
    assert sorted(Answer.objects.filter(attempt=attempt).values_list("position", flat=True)) == list(
        range(1, attempt.total + 1)
    )


def test_a_repeated_answer_changes_nothing_and_keeps_the_first(client, shipped_content):
    attempt = start(client)
    answer(client, attempt, 1, right=True)

    response, writes = post_capturing_writes(client, attempt, 1, answer_data(attempt, 1, right=False))

    assert response.status_code == 302
    assert writes == ["quiz_attempt"]
    assert Answer.objects.get(attempt=attempt).correct
    assert Attempt.objects.values_list("answered_count", "score").get(pk=attempt.pk) == (1, 1.0)


def test_an_answer_out_of_order_changes_nothing(client, shipped_content):
    attempt = start(client)

    response, writes = post_capturing_writes(client, attempt, 2, answer_data(attempt, 2))

    assert response.status_code == 409
    assert "Answer question 1 first" in response.content.decode()
    assert writes == ["quiz_attempt"]
    assert not Answer.objects.filter(attempt=attempt).exists()
    assert Attempt.objects.values_list("answered_count", "score").get(pk=attempt.pk) == (0, 0.0)
