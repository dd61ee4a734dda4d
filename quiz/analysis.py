"""Item analysis of a quiz over its readers' finished attempts, with the figures Moodle's quiz statistics give.

Which attempts count: each reader's first finished attempt (``FIRST``, the default; a reader is an owner token)
or all of them (``ALL``); never practice attempts, never staff test runs.

Per question, over its n counted answers, x being the answer's mark (0 to 1) and y the score on the rest of
its attempt:

- facility: the mean of x; standard deviation: of x, over n - 1;
- random-guess score: the mark a reader answering at random expects (``quiz.guessing``'s distributions);
- discrimination: the Pearson r of x and y, with a 95% interval by Fisher's z (atanh r ± 1.96 / sqrt(n - 3),
  back through tanh; none when n < 4 or |r| = 1);
- discriminative efficiency, as Moodle defines it: 100 × cov(x, y) over the largest covariance these marks and
  rest scores could have, the one of the two lists each sorted and paired in order.

Two passes of SQL over the counted answers, each reading one index in order (no join, no window, no JSON
function). The first groups them by question, mark, rest score and position and counts each group: n and the
sums of x, x², y, y² and xy per question, the counts of each mark and rest score (for the sorted pairing), the
sums per position (for alpha) and the attempts' scores (mark + rest score of each first answer) all follow from
these few groups. The second counts each distinct (question, choices picked, sort placements). What they read
is stored on each answer as its attempt finishes (``services.store_for_item_analysis``): its position, the rest
score, the choices picked, and which analyses count it.

Per quiz, over the counted attempts' scores: n, mean, standard deviation, the coefficient of internal
consistency (Cronbach's alpha for fractional marks) and the standard error of measurement SD × sqrt(1 - alpha).
Attempts draw different questions, so alpha follows Moodle's definition for quizzes of random questions: each
position in the attempt (the 1st question asked, the 2nd, …) is an item, whatever question was drawn there,
and alpha = p / (p - 1) × (1 - Σ variance of a position's marks / variance of the scores), p the number of
positions. A position that some attempts do not have (attempts of another length) counts over those that do.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from math import atanh, sqrt, tanh

from django.conf import settings

from . import selectors
from .drawing import SORT_ROWS
from .guessing import mark_distribution
from .models import Question

FIRST, ALL = "first", "all"
WHICH_ATTEMPTS = {FIRST: "each reader's first finished attempt", ALL: "every finished attempt"}
TOO_HARD, TOO_EASY, WEAK_DISCRIMINATION = 0.2, 0.95, 0.2
Z_95 = 1.959963984540054


def sample_variance(n, total, squares):
    """The variance (over n - 1) of n values from their sum and the sum of their squares; None under two values."""
    if n < 2:
        return None
    return max(0.0, (squares - total * total / n) / (n - 1))


def fisher_interval(r, n):
    """The 95% confidence interval of a correlation ``r`` over ``n`` pairs, or None when it cannot be given."""
    if r is None or n < 4 or abs(r) >= 1:
        return None
    z, half_width = atanh(r), Z_95 / sqrt(n - 3)
    return tanh(z - half_width), tanh(z + half_width)


def sum_of_sorted_products(xs, ys):
    """Σ x(i) · y(i), the i-th smallest of each list paired, from two sorted [(value, count)] of equal total count."""
    xs, ys = iter(xs), iter(ys)
    (x, x_left), (y, y_left) = next(xs), next(ys)
    total = 0.0
    while True:
        paired = min(x_left, y_left)
        total += paired * x * y
        x_left, y_left = x_left - paired, y_left - paired
        if not x_left:
            if (following := next(xs, None)) is None:
                return total
            x, x_left = following
        if not y_left:
            y, y_left = next(ys)


@dataclass
class ItemStatistics:
    question: Question
    answers: int = 0
    facility: float | None = None
    sd: float | None = None
    guess_score: float | None = None  # the mark expected from a reader answering at random
    discrimination: float | None = None
    interval: tuple | None = None  # the 95% confidence interval of the discrimination
    efficiency: float | None = None  # discriminative efficiency, in %
    choice_counts: list = field(default_factory=list)  # (choice, times picked) in the question's order
    mean_certainty: float | None = None  # 1 (low) to 3 (high), over answers given with a certainty
    item_counts: list = field(default_factory=list)  # sort questions: (item, times placed, times placed right)
    min_answers: int = field(default_factory=lambda: settings.QUIZ_ANALYSIS_MIN_ANSWERS)

    @property
    def judged(self):
        """Whether there are answers enough for the flags to mean something."""
        return self.answers >= self.min_answers

    @property
    def too_few_note(self):
        return "" if self.judged else f"too few answers to judge ({self.answers} of {self.min_answers})"

    @property
    def flags(self):
        """What an editor should look at, in words; none until the question has ``min_answers`` answers."""
        if not self.judged:
            return []
        flags = []
        if self.facility is not None and self.facility < TOO_HARD:
            flags.append("too hard: readers earn under a fifth of its mark; check the right answer and the wording")
        if self.facility is not None and self.facility > TOO_EASY:
            flags.append("too easy: nearly everyone gets it right, so it tells readers apart little")
        if self.facility is not None and self.guess_score is not None and self.facility <= self.guess_score:
            flags.append(f"no better than guessing: a reader answering at random expects {self.guess_score:.3f}")
        if self.discrimination is not None and self.discrimination < 0:
            flags.append(
                "negative discrimination: readers who do well on the rest of the quiz do worse here; "
                "check the right answer"
            )
        elif self.discrimination is not None and self.discrimination < WEAK_DISCRIMINATION:
            flags.append("weak discrimination: it hardly tells readers who know the material from those who do not")
        right_picks = [(count, choice) for choice, count in self.choice_counts if choice.correct]
        if right_picks:
            least, least_picked = min(right_picks, key=lambda pair: pair[0])
            flags += [
                f"the wrong choice “{choice.text}” is picked more often than the right "
                + ("one" if len(right_picks) == 1 else f"choice “{least_picked.text}”")
                for choice, count in self.choice_counts
                if not choice.correct and count > least
            ]
        flags += [
            f"the item “{item.text}” is placed under the wrong model more often than the right one"
            for item, placed, right in self.item_counts
            if 2 * right < placed
        ]
        return flags


@dataclass
class QuizStatistics:
    attempts: int = 0
    mean: float | None = None  # of the scores, in marks
    sd: float | None = None
    positions: int = 0  # the items alpha is computed over: the positions in an attempt
    alpha: float | None = None
    sem: float | None = None  # standard error of measurement, in marks


@dataclass
class Analysis:
    which: str
    summary: QuizStatistics
    rows: list

    @property
    def which_described(self):
        return WHICH_ATTEMPTS[self.which]


@dataclass
class Tally:
    """A question's answers summed: n, Σx, Σx², Σy, Σy², Σxy (x the mark, y the rest score), how many answers
    had each mark and each rest score, and the sum and count of the certainty levels given."""

    n: int = 0
    sx: float = 0.0
    sxx: float = 0.0
    sy: float = 0.0
    syy: float = 0.0
    sxy: float = 0.0
    marks: Counter = field(default_factory=Counter)
    rests: Counter = field(default_factory=Counter)
    levels: int = 0
    with_level: int = 0


def tallies(groups):
    """({question id: Tally}, [(n, Σ mark, Σ mark²) per position in order], {n, total, squares} of the attempts'
    scores) from ``selectors.answer_groups``: the loop runs over the distinct (question, mark, rest score,
    position) combinations, not over answers. An attempt's score is the mark and rest score of its first answer.
    """
    questions, positions = defaultdict(Tally), defaultdict(lambda: [0, 0.0, 0.0])
    scores = {"n": 0, "total": 0.0, "squares": 0.0}
    for question_id, mark, rest, position, count, levels, with_level in groups:
        tally = questions[question_id]
        tally.n += count
        tally.sx += count * mark
        tally.sxx += count * mark * mark
        tally.sy += count * rest
        tally.syy += count * rest * rest
        tally.sxy += count * mark * rest
        tally.marks[mark] += count
        tally.rests[rest] += count
        tally.levels += levels
        tally.with_level += with_level
        at = positions[position]
        at[0], at[1], at[2] = at[0] + count, at[1] + count * mark, at[2] + count * mark * mark
        if position == 1:
            score = mark + rest
            scores["n"] += count
            scores["total"] += count * score
            scores["squares"] += count * score * score
    return questions, [tuple(positions[position]) for position in sorted(positions)], scores


def item_analysis(quiz, which=FIRST):
    """The Analysis of ``quiz`` over the attempts ``which`` (FIRST or ALL) names: its figures, then one
    ItemStatistics per question that has been asked or is in its bank, in admin order."""
    answers = selectors.counted_answers(quiz, first_only=which == FIRST)
    by_question, positions, scores = tallies(selectors.answer_groups(answers))
    picks, placed = selectors.picks_and_placements(answers)
    times_placed = Counter()
    for (item, _model), count in placed.items():
        times_placed[item] += count
    questions = selectors.questions_with_choices(quiz)
    sorts = [question.pk for question in questions if question.is_sort]
    model_count = selectors.sort_model_count() if sorts else 0
    rows = []
    for question in questions:
        if question.pk not in by_question and not question.active:
            continue
        row = ItemStatistics(question, guess_score=random_guess_score(question, model_count))
        if question.pk in by_question:
            fill_figures(row, by_question[question.pk])
        if question.is_sort:
            row.item_counts = [
                (item, times_placed[item.pk], placed[item.pk, item.placed_under_id])
                for item in question.choices.all()
                if times_placed[item.pk]
            ]
        else:
            row.choice_counts = [(choice, picks[choice.pk]) for choice in question.choices.all()]
        rows.append(row)
    return Analysis(which, quiz_statistics(scores, positions), rows)


def fill_figures(row, tally):
    """Set ``row``'s figures from its question's Tally."""
    n = row.answers = tally.n
    row.mean_certainty = tally.levels / tally.with_level if tally.with_level else None
    row.facility = tally.sx / n
    variance_x = sample_variance(n, tally.sx, tally.sxx)
    variance_y = sample_variance(n, tally.sy, tally.syy)
    row.sd = None if variance_x is None else sqrt(variance_x)
    if n < 2:
        return
    covariance = (tally.sxy - tally.sx * tally.sy / n) / (n - 1)
    if variance_x and variance_y:
        row.discrimination = max(-1.0, min(1.0, covariance / sqrt(variance_x * variance_y)))
        row.interval = fisher_interval(row.discrimination, n)
    paired = sum_of_sorted_products(sorted(tally.marks.items()), sorted(tally.rests.items()))
    largest = (paired - tally.sx * tally.sy / n) / (n - 1)
    if largest > 1e-12:
        row.efficiency = 100 * covariance / largest


def quiz_statistics(scores, positions):
    """QuizStatistics from the counted attempts' ``scores`` (n and sums) and ``positions`` [(n, Σ mark, Σ mark²)]."""
    n = scores["n"]
    summary = QuizStatistics(attempts=n, positions=len(positions))
    if not n:
        return summary
    summary.mean = scores["total"] / n
    variance = sample_variance(n, scores["total"], scores["squares"])
    if variance is None:
        return summary
    summary.sd = sqrt(variance)
    position_variances = [sample_variance(*sums) for sums in positions]
    p = len(positions)
    if variance and p > 1 and None not in position_variances:
        summary.alpha = p / (p - 1) * (1 - sum(position_variances) / variance)
        summary.sem = summary.sd * sqrt(max(0.0, 1 - summary.alpha))
    return summary


def random_guess_score(question, model_count):
    """The mark a reader answering ``question`` at random expects, shown all its choices (a sort question built
    from the content: as many rows as an attempt places at most); None when it cannot be answered."""
    choices = question.choices.all()
    if question.is_sort:
        rows = min(len(choices), SORT_ROWS[1]) if question.is_generated else len(choices)
        kind = ("sort", rows, model_count) if rows and model_count > 1 else None
    elif question.kind == Question.Kind.MULTIPLE:
        correct = sum(choice.correct for choice in choices)
        kind = ("multiple", len(choices), correct) if choices else None
    else:
        kind = ("single", len(choices)) if choices else None
    return None if kind is None else sum(mark * chance for mark, chance in mark_distribution(kind).items())


def decimal(value, places=3):
    return "" if value is None else f"{value:.{places}f}"


def as_csv_rows(analysis):
    """The analysis as spreadsheet rows: one per question, then the quiz's figures."""
    yield [
        "question",
        "kind",
        "generated",
        "active",
        "answers",
        "facility",
        "standard deviation",
        "random-guess score",
        "discrimination",
        "discrimination 95% low",
        "discrimination 95% high",
        "discriminative efficiency %",
        "choices picked, items placed",
        "flags",
        "mean certainty",
    ]
    for row in analysis.rows:
        low, high = row.interval or (None, None)
        yield [
            row.question.prompt,
            row.question.get_kind_display(),
            "yes" if row.question.is_generated else "no",
            "yes" if row.question.active else "no",
            row.answers,
            decimal(row.facility),
            decimal(row.sd),
            decimal(row.guess_score),
            decimal(row.discrimination),
            decimal(low),
            decimal(high),
            decimal(row.efficiency, 1),
            "; ".join(
                [
                    f"{choice.text}{' (correct)' if choice.correct else ''}: {count}"
                    for choice, count in row.choice_counts
                ]
                + [f"{item.text}: placed {placed}, right {right}" for item, placed, right in row.item_counts]
            ),
            "; ".join(row.flags) or row.too_few_note,
            decimal(row.mean_certainty, 2),
        ]
    summary = analysis.summary
    yield []
    yield ["attempts counted", analysis.which_described]
    yield ["attempts", summary.attempts]
    yield ["mean score", decimal(summary.mean)]
    yield ["standard deviation", decimal(summary.sd)]
    yield ["positions (items of alpha)", summary.positions]
    yield ["Cronbach's alpha", decimal(summary.alpha)]
    yield ["standard error of measurement", decimal(summary.sem)]
