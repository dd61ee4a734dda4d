"""How an answer is marked, from 0 to 1, and when an attempt passes: the quiz's scoring rules in one place.

Pure functions of counts and ids, so the guessing bound (``quiz.guessing``) reuses them unchanged.

Single choice and true/false: 1 for the right choice, else 0.
Multiple response and sort, partial credit, “right minus wrong”: a question of n boxes (multiple response:
every choice is a box, ticked or not) or n rows (sort) gives 1/n for each one decided right and takes away
as much for each one decided wrong, floored at 0. With more than two models to sort into, a wrong row costs
1/((m − 1)·n), the share a guess among m models gets right. Either way a guessed box or row is worth nothing
on average before the floor, so random clicking earns little; only knowing most of the answer scores.
"""

from itertools import product
from math import comb

# Marks are sums of fractions: compare them with a little room for floating-point rounding.
TOLERANCE = 1e-9


def right_minus_wrong(right, wrong, cost_of_wrong=1):
    """The mark for ``right`` boxes or rows decided right and ``wrong`` decided wrong; ``cost_of_wrong`` in rows."""
    total = right + wrong
    if not total:
        return 0.0
    return max(0.0, (right - wrong * cost_of_wrong) / total)


def single_choice_mark(chosen_ids, correct_ids):
    return 1.0 if set(chosen_ids) == set(correct_ids) else 0.0


def multiple_response_mark(chosen_ids, correct_ids, offered_ids):
    """Every offered choice is a box: ticked and correct, or left empty and wrong, is decided right."""
    chosen, correct = set(chosen_ids), set(correct_ids)
    right = sum(1 for pk in offered_ids if (pk in chosen) == (pk in correct))
    return right_minus_wrong(right, len(offered_ids) - right)


def sort_mark(placements, right_models, model_count):
    """``placements`` and ``right_models`` map each row asked to a model; ``model_count`` models were offered."""
    right = sum(1 for row, model in right_models.items() if placements.get(row) == model)
    return right_minus_wrong(right, len(right_models) - right, wrong_row_cost(model_count))


def wrong_row_cost(model_count):
    return 1 / max(model_count - 1, 1)


def is_full_marks(mark):
    return mark >= 1 - TOLERANCE


def format_mark(value):
    """A mark or a score as readers see it, to two decimals at most: “1”, “0.6”, “6.33”."""
    return f"{round(value, 2):g}"


def passes(score, total, pass_mark):
    """Whether ``score`` marks out of ``total`` reach ``pass_mark`` percent."""
    return bool(total) and 100 * score >= pass_mark * total - TOLERANCE


def guessed_single_choice(choice_count):
    """{mark: probability} for a reader picking one of ``choice_count`` choices at random."""
    return {1.0: 1 / choice_count, 0.0: 1 - 1 / choice_count}


def guessed_multiple_response(choice_count, correct_count):
    """{mark: probability} for a reader ticking a random non-empty set of the choices (the form needs one)."""
    wrong_count = choice_count - correct_count
    outcomes = {}
    for ticked_right, ticked_wrong in product(range(correct_count + 1), range(wrong_count + 1)):
        if ticked_right == ticked_wrong == 0:
            continue
        ways = comb(correct_count, ticked_right) * comb(wrong_count, ticked_wrong)
        decided_right = ticked_right + (wrong_count - ticked_wrong)
        mark = right_minus_wrong(decided_right, choice_count - decided_right)
        outcomes[mark] = outcomes.get(mark, 0) + ways
    sets = 2**choice_count - 1
    return {mark: ways / sets for mark, ways in outcomes.items()}


def guessed_sort(row_count, model_count):
    """{mark: probability} for a reader placing each of ``row_count`` rows under one of ``model_count`` models."""
    hit = 1 / model_count
    outcomes = {}
    for right in range(row_count + 1):
        chance = comb(row_count, right) * hit**right * (1 - hit) ** (row_count - right)
        mark = right_minus_wrong(right, row_count - right, wrong_row_cost(model_count))
        outcomes[mark] = outcomes.get(mark, 0) + chance
    return outcomes


def mark(question, offered_ids, chosen_ids=(), placements=None, model_count=2):
    """The mark of an answer to ``question`` (its choices prefetched), which showed the choices ``offered_ids``.

    ``chosen_ids``: the choices ticked; ``placements``: for a sort question, {row id: model id}.
    """
    choices = {choice.pk: choice for choice in question.choices.all() if choice.pk in set(offered_ids)}
    if question.is_sort:
        right_models = {pk: choice.placed_under_id for pk, choice in choices.items()}
        return sort_mark(placements or {}, right_models, model_count)
    correct_ids = [pk for pk, choice in choices.items() if choice.correct]
    if question.kind == question.Kind.MULTIPLE:
        return multiple_response_mark(chosen_ids, correct_ids, list(choices))
    return single_choice_mark(chosen_ids, correct_ids)
