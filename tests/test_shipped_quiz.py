import pytest

from quiz.models import Question, Quiz, choice_problems
from tests.html_pages import parse

pytestmark = pytest.mark.django_db


def hand_written():
    return Question.objects.filter(generated_key="").with_learn_more().prefetch_related("choices")


def test_the_shipped_quiz_has_at_least_fifteen_hand_written_questions_on_every_topic(shipped_content):
    quiz = Quiz.objects.get(slug="bpo-or-kpo")
    questions = list(hand_written().filter(quiz=quiz))
    assert len(questions) >= 15
    assert {question.topic for question in questions} == set(Question.Topic.values)
    assert {question.kind for question in questions} == set(Question.Kind.values)
    for question in questions:
        assert question.explanation.strip() and question.learn_more is not None
        assert not choice_problems(question.kind, [(c.text, c.correct) for c in question.choices.all()])


def test_the_shipped_questions_cover_both_definitions_every_dimension_and_the_benefits(shipped_content):
    questions = list(hand_written())
    targets = {question.learn_more for question in questions}
    slugs = {getattr(target, "slug", "") for target in targets}
    assert {"bpo", "kpo"} <= slugs
    assert {"nature-of-work", "skill-level", "decision-making", "technology", "examples"} <= slugs
    assert sum(1 for question in questions if question.topic == Question.Topic.BENEFITS) >= 3


def test_every_learn_more_link_resolves_to_a_page_with_its_anchor(client, shipped_content):
    ids_on_page = {}
    for question in Question.objects.with_learn_more():
        path, _, anchor = question.learn_more_url.partition("#")
        if path not in ids_on_page:
            response = client.get(path)
            assert response.status_code == 200, path
            ids_on_page[path] = set(parse(response).ids())
        assert anchor in ids_on_page[path], question.learn_more_url
