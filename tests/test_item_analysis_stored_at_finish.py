"""What an attempt's finish stores on its answers for item analysis: position, rest score, and which analyses
count them (every finished attempt, and each reader's first); and the migration that stores them for attempts
finished before it."""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from quiz.models import Answer, Attempt, Question
from quiz.services import record_answer
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

stored_migration = importlib.import_module("quiz.migrations.0012_item_analysis_stored_at_finish")
picks_migration = importlib.import_module("quiz.migrations.0014_answers_store_picks_when_given")


@pytest.fixture
def quiz():
    quiz = QuizFactory()
    for prompt in ("Q1", "Q2", "Q3"):
        QuestionFactory(quiz=quiz, prompt=prompt, choices=[("A", True), ("B", False)])
    return quiz


def start(quiz, owner_token, **flags):
    """An attempt asking the quiz's questions last first, so positions differ from the questions' order."""
    questions = list(quiz.questions.order_by("-position", "-pk"))
    return Attempt.objects.create(
        quiz=quiz,
        owner_token=owner_token,
        question_ids=[question.pk for question in questions],
        choice_order={str(question.pk): [choice.pk for choice in question.choices.all()] for question in questions},
        **flags,
    )


def answer(attempt, rights):
    """Answer the attempt's next questions, right (A) or wrong (B) as ``rights`` says."""
    for right in rights:
        number = attempt.answered_count + 1
        question = Question.objects.get(pk=attempt.question_id_at(number))
        record_answer(attempt, number, list(question.choices.filter(text="A" if right else "B")))
    return attempt


def pick(prompt, text):
    return Question.objects.get(prompt=prompt).choices.get(text=text).pk


def stored(attempt):
    """{question prompt: (position, mark, rest score, choices picked)} of the attempt's answers."""
    answers = Answer.objects.filter(attempt=attempt).select_related("question")
    return {a.question.prompt: (a.position, a.mark, a.rest_score, a.picked) for a in answers}


def counted(quiz):
    """{attempt id: what its answers are counted in}, for attempts with answers (all of an attempt's alike)."""
    pairs = set(Answer.objects.filter(attempt__quiz=quiz).values_list("attempt_id", "counted"))
    assert len(pairs) == len({attempt for attempt, _ in pairs})
    return dict(pairs)


def firsts(quiz):
    return {attempt for attempt, counted_in in counted(quiz).items() if counted_in == Answer.Counted.FIRST}


def test_a_finished_attempt_stores_each_answers_position_rest_score_and_picks(quiz):
    attempt = answer(start(quiz, "r1"), [True, False, True])
    assert attempt.score == 2
    assert stored(attempt) == {
        "Q3": (1, 1.0, 1.0, [pick("Q3", "A")]),
        "Q2": (2, 0.0, 2.0, [pick("Q2", "B")]),
        "Q1": (3, 1.0, 1.0, [pick("Q1", "A")]),
    }
    assert counted(quiz) == {attempt.pk: Answer.Counted.FIRST}


def test_an_unfinished_attempt_stores_its_picks_and_nothing_else_for_item_analysis(quiz):
    attempt = answer(start(quiz, "r1"), [False, True])
    assert stored(attempt) == {"Q3": (None, 0.0, None, [pick("Q3", "B")]), "Q2": (None, 1.0, None, [pick("Q2", "A")])}
    assert counted(quiz) == {attempt.pk: Answer.Counted.NOT}


def test_only_a_readers_first_finished_attempt_is_counted_first(quiz):
    first = answer(start(quiz, "r1"), [True, True, True])
    second = answer(start(quiz, "r1"), [False, False, False])
    other_reader = answer(start(quiz, "r2"), [True, False, False])
    practice = answer(start(quiz, "r3", is_practice=True), [True, True, True])
    staff = answer(start(quiz, "r4", by_staff=True), [True, True, True])
    assert counted(quiz) == {
        first.pk: Answer.Counted.FIRST,
        second.pk: Answer.Counted.ALL,
        other_reader.pk: Answer.Counted.FIRST,
        practice.pk: Answer.Counted.NOT,
        staff.pk: Answer.Counted.NOT,
    }


def test_an_attempt_started_earlier_and_finished_later_becomes_the_first(quiz):
    earlier = answer(start(quiz, "r1"), [True])
    later = answer(start(quiz, "r1"), [True, True, True])
    assert counted(quiz) == {earlier.pk: Answer.Counted.NOT, later.pk: Answer.Counted.FIRST}
    answer(earlier, [False, False])
    assert counted(quiz) == {earlier.pk: Answer.Counted.FIRST, later.pk: Answer.Counted.ALL}


def test_the_migration_stores_the_picks_of_answers_in_unfinished_attempts(quiz):
    unfinished = answer(start(quiz, "r1"), [False, True])
    finished = answer(start(quiz, "r2"), [True, True, False])
    expected = stored(unfinished), stored(finished)
    Answer.objects.filter(attempt=unfinished).update(picked=[])

    picks_migration.store_picks_of_unfinished_attempts(apps, SimpleNamespace(connection=connection))

    assert (stored(unfinished), stored(finished)) == expected


def test_a_practice_or_staff_attempt_finishing_leaves_the_readers_first_alone(quiz):
    first = answer(start(quiz, "r1"), [True, True, True])
    answer(start(quiz, "r1", is_practice=True), [False, False, False])
    answer(start(quiz, "r1", by_staff=True), [False, False, False])
    assert firsts(quiz) == {first.pk}


def test_the_migration_stores_the_same_figures_for_attempts_finished_before_it(quiz):
    attempts = [
        answer(start(quiz, "r1"), [False]),
        answer(start(quiz, "r1"), [True, False, True]),
        answer(start(quiz, "r2"), [False, True, True]),
        answer(start(quiz, "r2", is_practice=True), [True, True, True]),
    ]
    answer(attempts[0], [True, True])
    expected = {attempt.pk: stored(attempt) for attempt in attempts}, counted(quiz)
    Answer.objects.update(position=None, rest_score=None, counted=Answer.Counted.NOT, picked=[])

    stored_migration.store_for_finished_attempts(apps, SimpleNamespace(connection=connection))

    assert ({attempt.pk: stored(attempt) for attempt in attempts}, counted(quiz)) == expected
    assert firsts(quiz) == {attempts[0].pk, attempts[2].pk}
