"""What an attempt's finish stores for item analysis: each answer's position and rest score, and which of a
reader's finished attempts is their first; and the migration that stores them for attempts finished before."""

import importlib

import pytest
from django.apps import apps

from quiz.models import Answer, Attempt, Question
from quiz.services import record_answer
from tests.factories import QuestionFactory, QuizFactory

pytestmark = pytest.mark.django_db

stored_migration = importlib.import_module("quiz.migrations.0012_item_analysis_stored_at_finish")


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


def stored(attempt):
    """{question prompt: (position, mark, rest score)} of the attempt's answers."""
    answers = Answer.objects.filter(attempt=attempt).select_related("question")
    return {a.question.prompt: (a.position, a.mark, a.rest_score) for a in answers}


def firsts(quiz):
    return set(Attempt.objects.filter(quiz=quiz, counted_first=True).values_list("pk", flat=True))


def test_a_finished_attempt_stores_each_answers_position_and_rest_score(quiz):
    attempt = answer(start(quiz, "r1"), [True, False, True])
    assert attempt.score == 2
    assert stored(attempt) == {"Q3": (1, 1.0, 1.0), "Q2": (2, 0.0, 2.0), "Q1": (3, 1.0, 1.0)}


def test_an_unfinished_attempt_stores_nothing_for_item_analysis(quiz):
    attempt = answer(start(quiz, "r1"), [True, True])
    assert stored(attempt) == {"Q3": (None, 1.0, None), "Q2": (None, 1.0, None)}
    assert firsts(quiz) == set()


def test_only_a_readers_first_finished_attempt_is_counted_first(quiz):
    first = answer(start(quiz, "r1"), [True, True, True])
    answer(start(quiz, "r1"), [False, False, False])
    other_reader = answer(start(quiz, "r2"), [True, False, False])
    answer(start(quiz, "r3", is_practice=True), [True, True, True])
    answer(start(quiz, "r4", by_staff=True), [True, True, True])
    assert firsts(quiz) == {first.pk, other_reader.pk}


def test_an_attempt_started_earlier_and_finished_later_becomes_the_first(quiz):
    earlier = answer(start(quiz, "r1"), [True])
    later = answer(start(quiz, "r1"), [True, True, True])
    assert firsts(quiz) == {later.pk}
    answer(earlier, [False, False])
    assert firsts(quiz) == {earlier.pk}


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
    expected = {attempt.pk: stored(attempt) for attempt in attempts}, firsts(quiz)
    Answer.objects.update(position=None, rest_score=None)
    Attempt.objects.update(counted_first=False)

    stored_migration.store_for_finished_attempts(apps, None)

    assert ({attempt.pk: stored(attempt) for attempt in attempts}, firsts(quiz)) == expected
    assert firsts(quiz) == {attempts[0].pk, attempts[2].pk}
