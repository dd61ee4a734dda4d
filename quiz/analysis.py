"""Item analysis of a quiz's questions over its finished attempts, as Moodle's quiz statistics define it.

Facility: the average mark (0 to 1) of the answers. Discrimination: the Pearson
correlation, over the finished attempts that asked the question, between the
mark on the question and the score on the rest of the attempt. One row per
choice (how often it was picked) or, for a sort question, per item (how often
it was placed, and how often under the right model).
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
    item_counts: list = field(default_factory=list)  # sort questions: (item, times placed, times placed right)

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
        if any(2 * right < placed for _item, placed, right in self.item_counts):
            flags.append("an item is placed wrongly more often than rightly")
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
    placings = times_placed(answers)
    rows = []
    for question in selectors.questions_with_choices(quiz):
        if question.pk not in by_question and not question.active:
            continue
        scores = by_question.get(question.pk, [])
        row = ItemStatistics(question, answers=len(scores), mean_certainty=certainties.get(question.pk))
        if scores:
            row.facility = sum(score for score, _rest in scores) / len(scores)
            row.discrimination = pearson([score for score, _rest in scores], [rest for _score, rest in scores])
        if question.is_sort:
            row.item_counts = [(item, *placings[item.pk]) for item in question.choices.all() if placings[item.pk][0]]
        else:
            row.choice_counts = [(choice, picks[choice.pk]) for choice in question.choices.all()]
        rows.append(row)
    return rows


def times_placed(answers):
    """{sort item id: (times placed, times placed under its model)}, from the answers' placements."""
    placed = defaultdict(lambda: [0, 0])
    placements = [
        (int(item), model) for *_rest, answer_placements in answers for item, model in answer_placements.items()
    ]
    belongs = selectors.models_items_belong_under({item for item, _model in placements})
    for item, model in placements:
        placed[item][0] += 1
        placed[item][1] += int(belongs.get(item) == model)
    return defaultdict(lambda: (0, 0), {item: tuple(counts) for item, counts in placed.items()})


def scores_by_question(answers):
    """{question id: [(mark on the question, score on the rest of its attempt)]} from ``finished_answers``."""
    totals = defaultdict(float)
    for _pk, attempt_id, _question_id, mark, _placements in answers:
        totals[attempt_id] += mark
    by_question = defaultdict(list)
    for _pk, attempt_id, question_id, mark, _placements in answers:
        by_question[question_id].append((mark, totals[attempt_id] - mark))
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
        "choices picked, items placed",
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
                [
                    f"{choice.text}{' (correct)' if choice.correct else ''}: {count}"
                    for choice, count in row.choice_counts
                ]
                + [f"{item.text}: placed {placed}, right {right}" for item, placed, right in row.item_counts]
            ),
            "; ".join(row.flags),
            "" if row.mean_certainty is None else f"{row.mean_certainty:.2f}",
        ]
