"""Certainty-based marking (CBM) as Moodle scores it, after Gardner-Medwin.

With each answer the reader says how sure they are: low, medium or high. A right
answer earns 1, 2 or 3; a wrong one costs 0, 2 or 6. A partly right answer (a
mark strictly between 0 and 1) earns that share of the right-answer mark at its
certainty, never a penalty: Moodle's rule since 2.6, as its question engine
applies it. These stakes make honesty the best policy: high pays off only when
the reader is right more than 4 times in 5, medium more than 2 times in 3, and
low never loses anything.
"""

from dataclasses import dataclass

LOW, MEDIUM, HIGH = "low", "medium", "high"
LEVELS = (LOW, MEDIUM, HIGH)

RIGHT = {LOW: 1, MEDIUM: 2, HIGH: 3}
WRONG = {LOW: 0, MEDIUM: -2, HIGH: -6}
BEST_MARK, WORST_MARK = RIGHT[HIGH], WRONG[HIGH]

# Moodle counts a fraction within this tolerance of 0 as wrong (question_utils::MARK_TOLERANCE).
TOLERANCE = 0.00000005


def mark(fraction, certainty):
    """The certainty-based mark of an answer whose own mark is ``fraction`` (0 wrong, 1 right) at ``certainty``."""
    if certainty not in LEVELS:
        raise ValueError(f"certainty must be one of {', '.join(LEVELS)}, not {certainty!r}")
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be from 0 to 1, not {fraction!r}")
    if fraction <= TOLERANCE:
        return WRONG[certainty]
    return RIGHT[certainty] * fraction


# How often a reader must be right for each level to earn more than the others (where 4p−2 and 9p−6 cross).
PAYS_OFF = {
    LOW: "under 2 in 3",
    MEDIUM: "between 2 in 3 and 4 in 5",
    HIGH: "over 4 in 5",
}


def rules():
    """(level, mark if right, mark if wrong, when it pays off) for each level, lowest first, as readers see them."""
    return [(level, signed(RIGHT[level]), signed(WRONG[level]), PAYS_OFF[level]) for level in LEVELS]


@dataclass(frozen=True)
class LevelSummary:
    """How often a reader chose one certainty level, and how often they were right at it."""

    level: str
    answers: int
    right: int

    @property
    def pays_off(self):
        return PAYS_OFF[self.level]


@dataclass(frozen=True)
class Summary:
    """An attempt's certainty-based marks: their total, their mean per question and their use of each level."""

    answers: int
    total: float
    levels: tuple

    @property
    def per_question(self):
        return self.total / self.answers if self.answers else 0.0

    @property
    def per_question_shown(self):
        return signed(self.per_question)


def summarise(answers):
    """The Summary of ``answers``, (fraction, certainty) pairs, one per question answered with a certainty."""
    answers = list(answers)
    levels = tuple(
        LevelSummary(
            level,
            answers=sum(1 for _fraction, certainty in answers if certainty == level),
            right=sum(1 for fraction, certainty in answers if certainty == level and fraction >= 1 - TOLERANCE),
        )
        for level in LEVELS
    )
    total = sum(mark(fraction, certainty) for fraction, certainty in answers)
    return Summary(answers=len(answers), total=total, levels=levels)


def signed(value):
    """A mark as readers see it: “+3”, “0”, “−6” (a true minus sign), “+1.5”; one decimal at most."""
    rounded = round(value, 1)
    text = f"{abs(rounded):.1f}".removesuffix(".0")
    if rounded > 0:
        return f"+{text}"
    return f"\N{MINUS SIGN}{text}" if rounded < 0 else "0"


def advice(fraction, certainty):
    """One sentence on what an answer with ``fraction`` at ``certainty`` earned, to learn from."""
    if fraction <= TOLERANCE:
        return {
            LOW: "It cost nothing, because you said you were unsure.",
            MEDIUM: "At low certainty it would have cost nothing.",
            HIGH: "Being very sure of a wrong answer costs the most: this is the mistake most worth correcting.",
        }[certainty]
    if fraction < 1 - TOLERANCE:
        full = signed(RIGHT[certainty])
        return f"Partly right, so it earned that share of the {full} a right answer earns at {certainty} certainty."
    return {
        LOW: f"If you knew it rather than guessed, say so next time: medium earns {signed(RIGHT[MEDIUM])} "
        f"and high {signed(RIGHT[HIGH])}.",
        MEDIUM: f"Had you been sure enough for high, it would have earned {signed(RIGHT[HIGH])}.",
        HIGH: "The most an answer can earn.",
    }[certainty]
