"""A topic scored below the pass mark (with at least two answers, as the results chart shows it) is weak: the next
attempt and a practice's companions draw its questions first, and the results page says to re-read it first."""

import random

import pytest

from quiz import practice
from quiz.drawing import Drawn, candidates
from quiz.models import Question
from quiz.services import create_attempt, record_answer, start_attempt
from tests.factories import QuestionFactory, QuizFactory
from tests.html_pages import parse
from tests.quiz_helpers import answer, question_at, start

pytestmark = pytest.mark.django_db

THREE_CHOICES = [("Right", True), ("Wrong", False), ("Also wrong", False)]
EXAMPLES, BENEFITS, DEFINITIONS = Question.Topic.EXAMPLES, Question.Topic.BENEFITS, Question.Topic.DEFINITIONS


def test_a_topic_is_weak_below_the_pass_mark_once_answered_twice():
    marks = [(EXAMPLES, 0), (BENEFITS, 1), (BENEFITS, 0.3), (DEFINITIONS, 0)]
    assert practice.weak_topics(marks, pass_mark=70) == [BENEFITS], "one answer on examples is too few"
    assert practice.weak_topics([(BENEFITS, 1), (BENEFITS, 0.4)], pass_mark=70) == [], "70% is not below 70"
    both = [(EXAMPLES, 0.5), (EXAMPLES, 0.5), (BENEFITS, 0), (BENEFITS, 0.4)]
    assert practice.weak_topics(both, pass_mark=70) == [BENEFITS, EXAMPLES], "weakest first"


@pytest.fixture
def two_topics():
    """A quiz drawing 2 examples and 2 benefits questions; the third and fourth of each topic test a fact that
    the same-numbered question of the other topic tests too, so an attempt can ask only one of the pair."""
    quiz = QuizFactory(examples_questions=2, benefits_questions=2)

    def made(topic, number):
        facts = [f"pair:{number}"] if number >= 3 else []
        return QuestionFactory(quiz=quiz, topic=topic, facts=facts, choices=THREE_CHOICES)

    return quiz, {topic: [made(topic, n) for n in range(1, 5)] for topic in (EXAMPLES, BENEFITS)}


def take(quiz, asked, wrong):
    attempt = create_attempt(quiz, "reader", [Drawn(q, [c.pk for c in q.choices.all()]) for q in asked])
    for number, asked_question in enumerate(asked, start=1):
        chosen = [c for c in asked_question.choices.all() if c.correct != (asked_question in wrong)][:1]
        record_answer(attempt, number, chosen_choices=chosen, certainty="high")
    return attempt


@pytest.mark.parametrize("weak, strong", [(EXAMPLES, BENEFITS), (BENEFITS, EXAMPLES)])
@pytest.mark.parametrize("seed", range(5))
def test_the_next_attempt_draws_the_weak_topics_fresh_questions_first(two_topics, weak, strong, seed):
    quiz, questions = two_topics
    first_two = [*questions[weak][:2], *questions[strong][:2]]
    take(quiz, first_two, wrong=questions[weak][:2])

    retake = start_attempt(quiz, "reader", random.Random(seed))

    # Both topics' fresh questions come first, but each fresh pair shares a fact: the weak topic's win.
    assert set(retake.question_ids) == {q.pk for q in [*questions[weak][2:], *questions[strong][:2]]}


def companion_of(missed, bank, weak, seed):
    [found] = practice.companions(candidates([missed]), candidates(bank), weak, random.Random(seed))
    return found.question


@pytest.mark.parametrize("seed", range(5))
def test_a_practice_companion_tests_the_same_fact_a_weak_topics_first(seed):
    quiz = QuizFactory()
    missed = QuestionFactory(quiz=quiz, topic=EXAMPLES, facts=["example:a"])
    same_topic = QuestionFactory(quiz=quiz, topic=EXAMPLES, facts=["example:b"])
    same_fact_benefits = QuestionFactory(quiz=quiz, topic=BENEFITS, facts=["example:a"])
    same_fact_definitions = QuestionFactory(quiz=quiz, topic=DEFINITIONS, facts=["example:a", "model:x"])
    bank = [missed, same_topic, same_fact_benefits, same_fact_definitions]

    assert companion_of(missed, bank, [DEFINITIONS], seed) == same_fact_definitions
    assert companion_of(missed, bank, [BENEFITS], seed) == same_fact_benefits
    assert companion_of(missed, bank, [EXAMPLES], seed) in (same_fact_benefits, same_fact_definitions)
    assert companion_of(missed, [missed, same_topic], [], seed) == same_topic
    unrelated = QuestionFactory(quiz=quiz, topic=BENEFITS, facts=["benefit:z"])
    assert practice.companions(candidates([missed]), candidates([missed, unrelated]), [], random.Random(seed)) == []


def test_two_questions_practised_never_share_one_companion():
    quiz = QuizFactory()
    first = QuestionFactory(quiz=quiz, topic=EXAMPLES, facts=["example:a"])
    second = QuestionFactory(quiz=quiz, topic=EXAMPLES, facts=["example:a"])
    only_other = QuestionFactory(quiz=quiz, topic=EXAMPLES, facts=["example:a"])
    bank = candidates([first, second, only_other])
    found = practice.companions(bank[:2], bank, [], random.Random(1))
    assert [c.question for c in found] == [only_other]


def finished_with_topic_missed(client, topic):
    """A finished attempt at the shipped quiz with every ``topic`` question wrong and the rest right."""
    attempt = start(client)
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number, right=question_at(attempt, number).topic != topic, certainty="high")
    attempt.refresh_from_db()
    return attempt


def test_the_results_page_says_which_topic_to_reread_first_and_links_to_it(client, shipped_content):
    attempt = finished_with_topic_missed(client, "examples")
    first_missed = next(
        question_at(attempt, n) for n in range(1, attempt.total + 1) if question_at(attempt, n).topic == "examples"
    )

    first = parse(client.get(attempt.get_absolute_url())).find("p", class_="reread__first")

    assert first.text.startswith("Re-read first: your weakest topic")
    assert first.find("strong").text == "Examples"
    assert first.links() == [first_missed.learn_more_url]


def test_no_topic_to_reread_first_when_none_is_below_the_pass_mark(client, shipped_quiz):
    shipped_quiz.pass_mark = 30
    shipped_quiz.save()
    attempt = start(client)
    differences = [n for n in range(1, attempt.total + 1) if question_at(attempt, n).topic == "differences"]
    for number in range(1, attempt.total + 1):
        answer(client, attempt, number, right=number != differences[0], certainty="high")
    attempt.refresh_from_db()

    page = parse(client.get(attempt.get_absolute_url()))

    assert page.has("section", class_="reread"), "the missed question's section is still listed"
    assert not page.has("p", class_="reread__first")
