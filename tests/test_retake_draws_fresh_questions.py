"""A retake from the same browser draws the questions it has not been asked first, then the ones it missed, then
the rest, still following the blueprint (seeded draws)."""

import random
from collections import Counter

import pytest

from quiz.drawing import Drawn
from quiz.models import Attempt, Question
from quiz.services import create_attempt, record_answer, start_attempt
from tests.factories import QuestionFactory, QuizFactory
from tests.html_pages import parse
from tests.quiz_helpers import answer, start

pytestmark = pytest.mark.django_db

THREE_CHOICES = [("Right", True), ("Wrong", False), ("Also wrong", False)]


def answer_all(attempt, wrong=()):
    """Answer every question of ``attempt``, the ones in ``wrong`` (questions) wrongly, the rest rightly."""
    for number, pk in enumerate(attempt.question_ids, start=1):
        question = Question.objects.prefetch_related("choices").get(pk=pk)
        shown = attempt.ordered_choices(question)
        right = question not in wrong
        chosen = [choice for choice in shown if choice.correct == right][:1] if not question.is_sort else []
        record_answer(attempt, number, chosen_choices=chosen, certainty="high")


def topics_of(question_ids):
    return Counter(Question.objects.filter(pk__in=question_ids).values_list("topic", flat=True))


@pytest.fixture
def roomy_quiz(shipped_quiz):
    """The shipped quiz with as many more questions of each topic as an attempt draws, so a retake can avoid every
    question of one attempt: the shipped bank alone cannot (two definitions it may ask, and differences that
    share facts)."""
    for topic, count in shipped_quiz.blueprint.items():
        for _ in range(count):
            QuestionFactory(quiz=shipped_quiz, topic=topic, choices=THREE_CHOICES)
    return shipped_quiz


@pytest.mark.parametrize("seed", range(8))
def test_a_retake_asks_no_question_seen_before_while_the_bank_allows_it(roomy_quiz, seed):
    first = start_attempt(roomy_quiz, "reader", random.Random(seed))
    answer_all(first)
    retake = start_attempt(roomy_quiz, "reader", random.Random(seed + 100))

    assert not set(retake.question_ids) & set(first.question_ids)
    assert topics_of(retake.question_ids) == Counter(roomy_quiz.blueprint)
    facts = [fact for pk in retake.question_ids for fact in Question.objects.get(pk=pk).facts]
    assert len(facts) == len(set(facts)), "no two questions of the retake test the same fact"


def test_another_browser_is_not_steered_by_this_ones_attempts(shipped_quiz):
    first = start_attempt(shipped_quiz, "reader", random.Random(3))
    answer_all(first)
    someone_else = start_attempt(shipped_quiz, "someone else", random.Random(3))
    nobody_yet = start_attempt(shipped_quiz, "nobody yet", random.Random(3))
    assert someone_else.question_ids == nobody_yet.question_ids
    assert set(someone_else.question_ids) & set(first.question_ids), "seed 3 draws some of the first's questions"


@pytest.fixture
def small_bank():
    """A quiz drawing 2 example questions from a bank of 4 that test different facts."""
    quiz = QuizFactory(examples_questions=2)
    return quiz, [QuestionFactory(quiz=quiz, choices=THREE_CHOICES) for _ in range(4)]


@pytest.mark.parametrize("seed", range(6))
def test_once_every_question_was_seen_a_retake_brings_back_the_ones_missed(small_bank, seed):
    quiz, (a, b, c, d) = small_bank
    answer_all(create_attempt(quiz, "reader", [drawn(a), drawn(b)]), wrong=[a])
    answer_all(create_attempt(quiz, "reader", [drawn(c), drawn(d)]), wrong=[c])

    retake = start_attempt(quiz, "reader", random.Random(seed))

    assert set(retake.question_ids) == {a.pk, c.pk}


@pytest.mark.parametrize("seed", range(6))
def test_a_question_missed_then_answered_right_is_no_longer_preferred(small_bank, seed):
    quiz, (a, b, c, d) = small_bank
    answer_all(create_attempt(quiz, "reader", [drawn(a), drawn(b)]), wrong=[a, b])
    answer_all(create_attempt(quiz, "reader", [drawn(a), drawn(c)]))
    answer_all(create_attempt(quiz, "reader", [drawn(d), drawn(c)]))

    retake = start_attempt(quiz, "reader", random.Random(seed))

    assert b.pk in retake.question_ids, "b is the only question still missed"
    assert len(set(retake.question_ids) & {a.pk, c.pk, d.pk}) == 1


def test_unseen_questions_come_first_while_the_blueprint_still_holds(small_bank):
    quiz, (a, b, c, d) = small_bank
    answer_all(create_attempt(quiz, "reader", [drawn(a), drawn(b), drawn(c)]), wrong=[a])
    for seed in range(6):
        retake = start_attempt(quiz, "reader", random.Random(seed))
        assert sorted(retake.question_ids) == sorted([d.pk, a.pk]), "the one unseen, then the one missed"


def drawn(question):
    return Drawn(question, [choice.pk for choice in question.choices.all()])


def test_the_retake_button_brings_fresh_questions(client, roomy_quiz):
    first = start(client)
    for number in range(1, first.total + 1):
        answer(client, first, number)
    results = parse(client.get(f"/quiz/attempts/{first.public_id}/results/"))
    retake_form = results.find("section", class_="next-steps").find("form")

    response = client.post(retake_form["action"])

    retake = Attempt.objects.exclude(pk=first.pk).get()
    assert response.url == retake.question_url(1)
    assert not set(retake.question_ids) & set(first.question_ids)
