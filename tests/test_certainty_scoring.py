"""Certainty-based marking scored as Moodle's CBM does, checked against marks worked out by hand."""

import pytest

from quiz import certainty as cbm


@pytest.mark.parametrize(
    "fraction, certainty, expected",
    [
        (1, "low", 1),
        (1, "medium", 2),
        (1, "high", 3),
        (0, "low", 0),
        (0, "medium", -2),
        (0, "high", -6),
        # A partly right answer earns its share of the right-answer mark, never a penalty (Moodle since 2.6).
        (0.5, "low", 0.5),
        (0.5, "medium", 1),
        (0.5, "high", 1.5),
        (0.25, "high", 0.75),
        (0.75, "medium", 1.5),
        (1 / 3, "high", 1),
        # Within Moodle's tolerance of zero counts as wrong.
        (0.00000001, "high", -6),
    ],
)
def test_a_mark_at_a_certainty_earns_what_moodle_gives(fraction, certainty, expected):
    assert cbm.mark(fraction, certainty) == pytest.approx(expected)


@pytest.mark.parametrize("fraction, certainty", [(1, "sure"), (1, ""), (1, None), (-0.5, "low"), (1.5, "high")])
def test_an_unknown_certainty_or_a_fraction_outside_0_to_1_is_refused(fraction, certainty):
    with pytest.raises(ValueError):
        cbm.mark(fraction, certainty)


def test_honesty_pays_each_level_is_best_in_its_own_band_of_confidence():
    def expected(chance_right, certainty):
        return chance_right * cbm.mark(1, certainty) + (1 - chance_right) * cbm.mark(0, certainty)

    def best(chance_right):
        return max(cbm.LEVELS, key=lambda certainty: expected(chance_right, certainty))

    assert [best(chance) for chance in (0.5, 0.6, 0.7, 0.75, 0.85, 0.95)] == [
        "low",
        "low",
        "medium",
        "medium",
        "high",
        "high",
    ]
    # At exactly 2 in 3 and 4 in 5 the neighbouring levels tie.
    assert expected(2 / 3, "low") == pytest.approx(expected(2 / 3, "medium"))
    assert expected(0.8, "medium") == pytest.approx(expected(0.8, "high"))


def test_an_attempt_summary_counts_answers_and_right_ones_per_level_and_averages_the_marks():
    answers = [
        (1, "high"),  # +3
        (1, "high"),  # +3
        (0, "high"),  # -6
        (1, "medium"),  # +2
        (0, "medium"),  # -2
        (0.5, "medium"),  # +1
        (1, "low"),  # +1
        (0, "low"),  # 0
        (1, "low"),  # +1
        (1, "low"),  # +1
    ]
    summary = cbm.summarise(answers)
    assert summary.answers == 10
    assert summary.total == pytest.approx(4)
    assert summary.per_question == pytest.approx(0.4)
    assert summary.per_question_shown == "+0.4"
    assert [(level.level, level.answers, level.right) for level in summary.levels] == [
        ("low", 4, 3),
        ("medium", 3, 1),
        ("high", 3, 2),
    ]


def test_all_answers_at_low_certainty_score_between_0_and_1_per_question():
    assert cbm.summarise([(0, "low")] * 10).per_question == 0
    assert cbm.summarise([(1, "low")] * 10).per_question == 1
    assert cbm.summarise([(1, "low"), (0, "low"), (0.5, "low")]).per_question == pytest.approx(0.5)


@pytest.mark.parametrize(
    "value, shown",
    [(3, "+3"), (0, "0"), (-6, "\N{MINUS SIGN}6"), (1.5, "+1.5"), (1.4000001, "+1.4"), (-0.04, "0"), (-0.6, "−0.6")],
)
def test_marks_are_shown_with_their_sign_and_a_true_minus(value, shown):
    assert cbm.signed(value) == shown


def test_the_rules_readers_see_state_every_level_with_its_marks():
    assert cbm.rules() == [
        ("low", "+1", "0", "under 2 in 3"),
        ("medium", "+2", "−2", "between 2 in 3 and 4 in 5"),
        ("high", "+3", "−6", "over 4 in 5"),
    ]
