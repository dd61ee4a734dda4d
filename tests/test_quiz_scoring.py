"""The scoring rules, with marks worked out by hand: partial credit for multiple response and sort questions."""

from itertools import combinations

import pytest

from quiz import scoring

# A multiple-response question of five choices, the first three right.
OFFERED, CORRECT = [1, 2, 3, 4, 5], [1, 2, 3]


@pytest.mark.parametrize(
    "ticked, mark",
    [
        ([1, 2, 3], 1.0),  # every box decided right
        ([1, 2], 0.6),  # four boxes right, one wrong: (4 - 1) / 5
        ([1, 2, 3, 4], 0.6),  # four right, one wrong
        ([1, 2, 3, 4, 5], 0.2),  # three right, two wrong
        ([1], 0.2),  # three right (1, 4, 5), two wrong (2, 3)
        ([4], 0.0),  # one right (5), four wrong: floored at 0
        ([4, 5], 0.0),
    ],
)
def test_multiple_response_gives_one_fifth_for_each_box_decided_right_and_takes_one_for_each_wrong(ticked, mark):
    assert scoring.multiple_response_mark(ticked, CORRECT, OFFERED) == pytest.approx(mark)


@pytest.mark.parametrize(
    "placed, right_models, model_count, mark",
    [
        ({1: "b", 2: "b", 3: "k", 4: "k", 5: "k"}, {1: "b", 2: "b", 3: "k", 4: "k", 5: "k"}, 2, 1.0),
        ({1: "b", 2: "b", 3: "k", 4: "k", 5: "b"}, {1: "b", 2: "b", 3: "k", 4: "k", 5: "k"}, 2, 0.6),
        ({1: "b", 2: "b", 3: "k", 4: "b", 5: "b"}, {1: "b", 2: "b", 3: "k", 4: "k", 5: "k"}, 2, 0.2),
        ({1: "b", 2: "k", 3: "b", 4: "b", 5: "b"}, {1: "b", 2: "b", 3: "k", 4: "k", 5: "k"}, 2, 0.0),
        # With three models a wrong row costs half a row: (3 - 1 * 0.5) / 4.
        ({1: "a", 2: "b", 3: "c", 4: "a"}, {1: "a", 2: "b", 3: "c", 4: "c"}, 3, 0.625),
        ({1: "a", 2: "b"}, {1: "a", 2: "b", 3: "c", 4: "c"}, 3, 0.25),  # unplaced rows count as wrong: (2 - 1) / 4
    ],
)
def test_sort_gives_each_row_placed_right_its_share_and_takes_a_share_for_each_wrong_one(
    placed, right_models, model_count, mark
):
    assert scoring.sort_mark(placed, right_models, model_count) == pytest.approx(mark)


def test_single_choice_and_true_false_are_all_or_nothing():
    assert scoring.single_choice_mark([2], [2]) == 1.0
    assert scoring.single_choice_mark([3], [2]) == 0.0
    assert scoring.single_choice_mark([2, 3], [2]) == 0.0


@pytest.mark.parametrize(
    "score, total, pass_mark, passed",
    [(7, 10, 70, True), (6.99, 10, 70, False), (6.6 + 0.4, 10, 70, True), (0, 0, 70, False), (3.5, 5, 70, True)],
)
def test_an_attempt_passes_on_the_share_of_marks(score, total, pass_mark, passed):
    assert scoring.passes(score, total, pass_mark) is passed


@pytest.mark.parametrize("value, shown", [(1.0, "1"), (0.6, "0.6"), (1 / 3, "0.33"), (6.4, "6.4"), (0.0, "0")])
def test_marks_are_shown_as_short_decimals(value, shown):
    assert scoring.format_mark(value) == shown


def test_a_random_sorter_of_five_rows_earns_three_sixteenths_on_average():
    # Rows right ~ Binomial(5, 1/2): 3 right gives 0.2 (10 ways), 4 give 0.6 (5 ways), 5 give 1 (1 way), of 32.
    distribution = scoring.guessed_sort(5, 2)
    assert sum(distribution.values()) == pytest.approx(1)
    assert sum(mark * chance for mark, chance in distribution.items()) == pytest.approx((10 * 0.2 + 5 * 0.6 + 1) / 32)


def test_a_random_ticker_earns_what_every_non_empty_set_of_ticks_earns_on_average():
    ticked_sets = [set(ticked) for size in range(1, 6) for ticked in combinations(OFFERED, size)]
    by_hand = sum(scoring.multiple_response_mark(ticked, CORRECT, OFFERED) for ticked in ticked_sets) / 31
    distribution = scoring.guessed_multiple_response(5, 3)
    assert sum(distribution.values()) == pytest.approx(1)
    assert sum(mark * chance for mark, chance in distribution.items()) == pytest.approx(by_hand)
    assert by_hand < 0.2


def test_guessing_one_of_four_choices_is_right_a_quarter_of_the_time():
    assert scoring.guessed_single_choice(4) == {1.0: 0.25, 0.0: 0.75}
