"""The guessing bound: how a reader who answers every question at random would score on a quiz.

For each of ``DRAWS`` attempts drawn as readers' are (``quiz.drawing``, from a fixed seed, so the figures are
the same every time), the random reader's mark on each question follows exactly from the scoring rules
(``quiz.scoring``); the attempt's score is their sum, whose distribution is worked out exactly by convolution.
The figures are the averages over the draws: the expected percentage and the chance of reaching the pass mark.
"""

import random
from collections import Counter
from dataclasses import dataclass
from functools import cache

from content.models import OutsourcingModel

from . import scoring
from .drawing import CannotDraw, candidates, draw_attempt
from .models import blueprint_field_name

DRAWS = 1000
SEED = 12
MOST_EXPECTED_PERCENTAGE = 25
MOST_PASS_PROBABILITY = 1 / 200
PRECISION = 9  # decimal places kept of a sum of marks, so equal sums meet in one entry


@dataclass(frozen=True)
class GuessingBound:
    expected_percentage: float
    pass_probability: float

    @property
    def too_high_average(self):
        return self.expected_percentage > MOST_EXPECTED_PERCENTAGE

    @property
    def too_likely_to_pass(self):
        return self.pass_probability > MOST_PASS_PROBABILITY

    @property
    def within_bounds(self):
        return not (self.too_high_average or self.too_likely_to_pass)

    def __str__(self):
        return (
            f"A reader answering at random averages {self.expected_percentage:.1f}% and passes "
            f"{self.pass_probability:.3%} of the time ({describe_chance(self.pass_probability)})."
        )


def describe_chance(probability):
    if probability <= 0:
        return "never"
    return f"about 1 time in {round(1 / probability):,}"


def guessing_bound(quiz, bank, draws=DRAWS, seed=SEED):
    """The GuessingBound of ``quiz`` drawing from ``bank`` (its questions with their choices prefetched)."""
    model_count = OutsourcingModel.objects.published().count()
    correct_counts = {question.pk: sum(choice.correct for choice in question.choices.all()) for question in bank}
    bank = candidates(bank)
    rng = random.Random(seed)
    expected = passing = 0.0
    for _ in range(draws):
        picks = draw_attempt(bank, quiz.blueprint, quiz.two_option_cap, rng, shuffle_choices=False)
        kinds = tuple(sorted(guess_kind(pick, correct_counts, model_count) for pick in picks))
        mean, pass_chance = attempt_figures(kinds, quiz.pass_mark)
        expected += mean
        passing += pass_chance
    return GuessingBound(100 * expected / draws, passing / draws)


def guess_kind(pick, correct_counts, model_count):
    """What a random reader's mark on a drawn question depends on: its kind and how many choices or rows it shows."""
    question, shown = pick.question, len(pick.choice_ids)
    if question.kind == question.Kind.SORT:
        return ("sort", shown, model_count)
    if question.kind == question.Kind.MULTIPLE:
        return ("multiple", shown, correct_counts[question.pk])
    return ("single", shown)


@cache
def mark_distribution(kind):
    name, *counts = kind
    if name == "sort":
        return scoring.guessed_sort(*counts)
    if name == "multiple":
        return scoring.guessed_multiple_response(*counts)
    return scoring.guessed_single_choice(*counts)


@cache
def attempt_figures(kinds, pass_mark):
    """(expected share of the marks, chance of passing) for an attempt of questions of these guess kinds."""
    if not kinds:
        return 0.0, 0.0
    sums = {0.0: 1.0}
    for kind in kinds:
        combined = {}
        for total, chance in sums.items():
            for mark, mark_chance in mark_distribution(kind).items():
                key = round(total + mark, PRECISION)
                combined[key] = combined.get(key, 0.0) + chance * mark_chance
        sums = combined
    count = len(kinds)
    expected = sum(total * chance for total, chance in sums.items()) / count
    pass_chance = sum(chance for total, chance in sums.items() if scoring.passes(total, count, pass_mark))
    return expected, pass_chance


def publishing_problems(quiz, bank):
    """{field name: why} for each setting of ``quiz`` that keeps it from being published with this ``bank``.

    The blueprint must fit the bank and the rules of the draw, and a reader guessing must stay under the bound.
    """
    in_bank = Counter(question.topic for question in bank)
    problems = {
        blueprint_field_name(topic): f"The blueprint asks for {count} questions on {topic}, but the bank holds "
        f"{in_bank[topic]} published ones. Lower this number or add questions on {topic}."
        for topic, count in quiz.blueprint.items()
        if count > in_bank[topic]
    }
    if problems:
        return problems
    try:
        bound = guessing_bound(quiz, bank)
    except CannotDraw as refusal:
        return {
            blueprint_field_name(refusal.topic): f"No attempt can follow the blueprint: too few questions on "
            f"{refusal.topic} test different facts within the limit of two-option questions. Lower this number, "
            "raise “two-option questions at most”, or add questions on other facts."
        }
    if bound.too_high_average:
        problems["two_option_cap"] = (
            f"{bound} That is more than the {MOST_EXPECTED_PERCENTAGE}% allowed. Lower “two-option questions at "
            "most”, or draw more questions of the topics whose questions have more choices."
        )
    if bound.too_likely_to_pass:
        problems["pass_mark"] = (
            f"{bound} That is more often than 1 time in {round(1 / MOST_PASS_PROBABILITY)}. Raise the pass mark, "
            "or draw more questions in the blueprint."
        )
    return problems
