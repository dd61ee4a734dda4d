"""Item analysis of a quiz's questions over its finished attempts, as Moodle's quiz statistics define it.

Facility: the share of answers that were right. Discrimination: the Pearson
correlation, over the finished attempts that asked the question, between the
score on the question (0 or 1) and the score on the rest of the attempt.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from math import sqrt

from . import selectors
from .models import Question

TOO_HARD, TOO_EASY, WEAK_DISCRIMINATION = 0.2, 0.95, 0.2


@dataclass
class ItemStatistics:
    question: Question
    answers: int = 0
    facility: float | None = None
    discrimination: float | None = None
    choice_counts: list = field(default_factory=list)  # (choice, times picked) in the question's order
    mean_certainty: float | None = None  # 1 (low) to 3 (high), over answers given with a certainty

    @property
    def flags(self):
        flags = []
        if self.facility is not None and self.facility < TOO_HARD:
            flags.append("too hard")
        if self.facility is not None and self.facility > TOO_EASY:
            flags.append("too easy")
        if self.discrimination is not None and self.discrimination < WEAK_DISCRIMINATION:
            flags.append("weak discrimination")
        right_picks = [count for choice, count in self.choice_counts if choice.correct]
        if right_picks and any(not choice.correct and count > min(right_picks) for choice, count in self.choice_counts):
            flags.append("a wrong choice is picked more often than the right one")
        return flags


def pearson(xs, ys):
    if len(xs) < 2:
        return None
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    covariance = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
    spread = sqrt(sum((x - mean_x) ** 2 for x in xs) * sum((y - mean_y) ** 2 for y in ys))
    return covariance / spread if spread else None


def item_analysis(quiz):
    """ItemStatistics for every question of ``quiz`` that has been asked or is in its bank, in admin order."""
    answers = selectors.finished_answers(quiz)
    picks = selectors.times_picked([pk for pk, *_rest in answers])
    by_question = scores_by_question(answers)
    certainties = selectors.mean_certainty_by_question(quiz)
    rows = []
    for question in selectors.questions_with_choices(quiz):
        if question.pk not in by_question and not question.active:
            continue
        scores = by_question.get(question.pk, [])
        row = ItemStatistics(question, answers=len(scores), mean_certainty=certainties.get(question.pk))
        if scores:
            row.facility = sum(score for score, _rest in scores) / len(scores)
            row.discrimination = pearson([score for score, _rest in scores], [rest for _score, rest in scores])
        row.choice_counts = [(choice, picks[choice.pk]) for choice in question.choices.all()]
        rows.append(row)
    return rows


def scores_by_question(answers):
    """{question id: [(score on the question, score on the rest of its attempt)]} from ``finished_answers``."""
    totals = defaultdict(int)
    for _pk, attempt_id, _question_id, correct in answers:
        totals[attempt_id] += int(correct)
    by_question = defaultdict(list)
    for _pk, attempt_id, question_id, correct in answers:
        by_question[question_id].append((int(correct), totals[attempt_id] - int(correct)))
    return by_question


def as_csv_rows(rows):
    yield [
        "question",
        "kind",
        "generated",
        "active",
        "answers",
        "facility",
        "discrimination",
        "choices picked",
        "flags",
        "mean certainty",
    ]
    for row in rows:
        yield [
            row.question.prompt,
            row.question.get_kind_display(),
            "yes" if row.question.is_generated else "no",
            "yes" if row.question.active else "no",
            row.answers,
            "" if row.facility is None else f"{row.facility:.3f}",
            "" if row.discrimination is None else f"{row.discrimination:.3f}",
            "; ".join(
                f"{choice.text}{' (correct)' if choice.correct else ''}: {count}" for choice, count in row.choice_counts
            ),
            "; ".join(row.flags),
            "" if row.mean_certainty is None else f"{row.mean_certainty:.2f}",
        ]
