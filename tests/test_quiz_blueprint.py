"""An attempt follows its quiz's blueprint: so many questions per topic, never two on one fact, few two-option ones."""

import random
from collections import Counter

import pytest

from quiz.drawing import SORT_ROWS, CannotDraw, candidates, draw_attempt
from quiz.guessing import guessing_bound
from quiz.models import Question, Quiz
from quiz.services import start_attempt
from tests.editor_helpers import change_url, save
from tests.html_pages import parse
from tests.quiz_helpers import start

pytestmark = pytest.mark.django_db

DRAWS = 1000


def facts_asked(pick):
    """The facts one drawn question tests: its own and those of the sort rows it shows."""
    rows = [choice for choice in pick.question.choices.all() if choice.pk in set(pick.choice_ids)]
    return set(pick.question.facts) | {fact for row in rows for fact in row.facts}


@pytest.mark.parametrize("cap", [None, 1, 2])
def test_a_thousand_seeded_draws_of_the_shipped_quiz_keep_every_rule(shipped_quiz, cap):
    if cap is not None:
        shipped_quiz.two_option_cap = cap
    bank = candidates(shipped_quiz.bank_with_choices())
    rng = random.Random(2024)
    seen_questions, seen_two_options = set(), Counter()
    for _ in range(DRAWS):
        picks = draw_attempt(bank, shipped_quiz.blueprint, shipped_quiz.two_option_cap, rng)
        assert Counter(pick.question.topic for pick in picks) == shipped_quiz.blueprint
        assert all(count >= 2 for count in shipped_quiz.blueprint.values())
        two_options = sum(pick.question.has_two_options for pick in picks)
        assert two_options <= shipped_quiz.two_option_cap
        seen_two_options[two_options] += 1
        facts = [facts_asked(pick) for pick in picks]
        for number, asked in enumerate(facts):
            assert asked, picks[number].question.slug
            others = set().union(*(other for other_number, other in enumerate(facts) if other_number != number))
            assert not asked & others, picks[number].question.slug
        assert len({pick.question.pk for pick in picks}) == len(picks)
        for pick in picks:
            shown = [choice for choice in pick.question.choices.all() if choice.pk in set(pick.choice_ids)]
            assert len(shown) == len(pick.choice_ids)
            if pick.question.is_sort and pick.question.is_generated:
                assert SORT_ROWS[0] <= len(shown) <= SORT_ROWS[1]
                assert len({row.placed_under_id for row in shown}) >= 2
        seen_questions.update(pick.question.pk for pick in picks)
    # Random within the rules: most questions the cap allows turn up, and the cap is reached, not just respected.
    allowed = [candidate for candidate in bank if shipped_quiz.two_option_cap or not candidate.has_two_options]
    assert len(seen_questions) >= 0.75 * len(allowed)
    assert seen_two_options[shipped_quiz.two_option_cap] > DRAWS / 2


def test_the_same_seed_draws_the_same_attempt(shipped_quiz):
    bank = candidates(shipped_quiz.bank_with_choices())
    first = draw_attempt(bank, shipped_quiz.blueprint, 1, random.Random(7))
    again = draw_attempt(bank, shipped_quiz.blueprint, 1, random.Random(7))
    other = draw_attempt(bank, shipped_quiz.blueprint, 1, random.Random(8))
    as_ids = lambda picks: [(pick.question.pk, pick.choice_ids) for pick in picks]  # noqa: E731
    assert as_ids(first) == as_ids(again) != as_ids(other)


def test_an_attempt_freezes_its_questions_and_sort_rows(client, shipped_quiz):
    attempt = start(client)
    assert attempt.total == sum(shipped_quiz.blueprint.values()) == 10
    for pk in attempt.question_ids:
        question = Question.objects.get(pk=pk)
        shown = attempt.choice_order[str(pk)]
        assert set(shown) <= set(question.choices.values_list("pk", flat=True))
    frozen = (attempt.question_ids, attempt.choice_order)
    client.get(attempt.question_url(1))
    attempt.refresh_from_db()
    assert (attempt.question_ids, attempt.choice_order) == frozen


def test_a_bank_that_cannot_fill_the_blueprint_refuses_to_draw(shipped_quiz):
    Question.objects.filter(topic=Question.Topic.BENEFITS).exclude(slug="shared-benefits").update(published=False)
    with pytest.raises(CannotDraw) as refusal:
        start_attempt(shipped_quiz, "owner", random.Random(1))
    assert refusal.value.topic == Question.Topic.BENEFITS


def test_starting_a_quiz_whose_bank_cannot_fill_the_blueprint_explains_itself(client, shipped_quiz):
    Question.objects.filter(topic=Question.Topic.BENEFITS).exclude(slug="shared-benefits").update(published=False)
    response = client.post(f"/quiz/{shipped_quiz.slug}/start/")
    assert response.status_code == 409
    assert "cannot start an attempt right now" in parse(response).find("h1").text


def test_a_quiz_without_a_blueprint_asks_its_whole_bank(client, shipped_quiz):
    Quiz.objects.filter(pk=shipped_quiz.pk).update(
        definitions_questions=0, examples_questions=0, differences_questions=0, benefits_questions=0
    )
    assert start(client).total == shipped_quiz.bank().count()


# The guessing bound of the shipped quiz, before (ten questions drawn from the whole bank, all or nothing)
# a random reader averaged 40.1% and passed 1 time in 19; with the blueprint, no two-option questions
# and partial credit, these are the figures.
def test_a_reader_guessing_at_random_on_the_shipped_quiz_stays_under_the_bound(shipped_quiz):
    bound = guessing_bound(shipped_quiz, shipped_quiz.bank_with_choices())
    assert bound.within_bounds
    assert bound.expected_percentage <= 25 and bound.pass_probability <= 1 / 200
    assert bound.expected_percentage == pytest.approx(23.7, abs=0.3)
    assert bound.pass_probability == pytest.approx(0.0011, abs=0.0004)


def test_each_two_option_question_allowed_raises_what_guessing_earns(shipped_quiz):
    bank = shipped_quiz.bank_with_choices()
    figures = []
    for cap in (0, 1, 2):
        shipped_quiz.two_option_cap = cap
        figures.append(guessing_bound(shipped_quiz, bank, draws=300))
    assert figures[0].expected_percentage < figures[1].expected_percentage < figures[2].expected_percentage
    assert figures[2].too_high_average


def test_the_quiz_admin_shows_what_a_random_reader_would_score(editor_client, shipped_quiz):
    page = parse(editor_client.get(change_url(shipped_quiz)))
    figures = page.find(class_="field-random_reader").text
    assert "A reader answering at random averages 23." in figures and "passes" in figures and "1 time in" in figures


def test_publishing_a_quiz_a_guesser_could_pass_too_easily_is_refused_naming_the_setting(editor_client, shipped_quiz):
    response = save(editor_client, change_url(shipped_quiz), two_option_cap="3")
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "Lower “two-option questions at most”" in errors["two_option_cap"][0]
    assert "more than the 25% allowed" in errors["two_option_cap"][0]
    response = save(editor_client, change_url(shipped_quiz), pass_mark="30")
    assert "Raise the pass mark" in response.context["adminform"].form.errors["pass_mark"][0]
    shipped_quiz.refresh_from_db()
    assert (shipped_quiz.two_option_cap, shipped_quiz.pass_mark) == (0, 70)


def test_the_same_quiz_may_be_kept_as_a_draft(editor_client, shipped_quiz):
    response = save(editor_client, change_url(shipped_quiz), two_option_cap="3", published=None)
    assert response.status_code == 302
    shipped_quiz.refresh_from_db()
    assert shipped_quiz.two_option_cap == 3 and not shipped_quiz.published


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"definitions_questions": "4"}, "definitions_questions", "asks for 4 questions on definitions, but the bank"),
        ({"benefits_questions": "1"}, "benefits_questions", "Draw none or at least 2 questions of a topic"),
        ({"examples_questions": "-1"}, "examples_questions", "greater than or equal to 0"),
        ({"examples_questions": "many"}, "examples_questions", "Enter a whole number"),
        ({"examples_questions": "51"}, "examples_questions", "asks for 51 questions on examples, but the bank holds"),
        ({"two_option_cap": ""}, "two_option_cap", "This field is required"),
    ],
)
def test_a_blueprint_the_bank_cannot_fill_is_refused_in_the_admin(editor_client, shipped_quiz, changes, field, message):
    response = save(editor_client, change_url(shipped_quiz), **changes)
    assert response.status_code == 200
    assert message in " ".join(response.context["adminform"].form.errors[field])
    shipped_quiz.refresh_from_db()
    assert shipped_quiz.blueprint == {"definitions": 2, "examples": 3, "differences": 3, "benefits": 2}
