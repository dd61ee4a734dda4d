"""Read-side queries of the quiz that span relations: an attempt's results and a quiz's item analysis."""

from collections import Counter
from dataclasses import dataclass

from content.models import OutsourcingModel

from .models import Answer, Choice, Question


@dataclass
class PlacedRow:
    """A row of a sort question as the reader placed it (``placed``: a model, or None) and where it belongs."""

    choice: object
    placed: object
    right: object

    @property
    def is_right(self):
        return self.placed is not None and self.placed == self.right


def placed_rows(question, choices, answer, models_by_pk):
    """A PlacedRow for each row of a sort question shown in the attempt; [] for other kinds."""
    if not question.is_sort:
        return []
    placements = answer.placements if answer else {}
    return [
        PlacedRow(choice, models_by_pk.get(placements.get(str(choice.pk))), models_by_pk.get(choice.placed_under_id))
        for choice in choices
    ]


def models_to_sort_into():
    """The columns of a sort question: every published model."""
    return list(OutsourcingModel.objects.published())


@dataclass
class AnsweredQuestion:
    question: Question
    answer: Answer | None
    choices: list
    placed_rows: list

    @property
    def is_right(self):
        return bool(self.answer and self.answer.correct)

    @property
    def mark(self):
        return self.answer.mark if self.answer else 0.0

    @property
    def verdict(self):
        if self.is_right:
            return "Right"
        return "Partly right" if self.answer and self.answer.is_partly_right else "Wrong"

    @property
    def chosen_choices(self):
        chosen = {choice.pk for choice in self.answer.chosen.all()} if self.answer else set()
        return [choice for choice in self.choices if choice.pk in chosen]

    @property
    def correct_choices(self):
        return [choice for choice in self.choices if choice.correct]


def question_to_ask(question_id):
    """The question with its choices and its learn-more target, or None."""
    return Question.objects.with_learn_more().prefetch_related("choices").filter(pk=question_id).first()


def answer_given(attempt, question):
    """The attempt's answer to ``question`` with the choices picked, or None if it has not been answered."""
    return Answer.objects.filter(attempt=attempt, question=question).prefetch_related("chosen").first()


def answers_in_order(attempt):
    """One AnsweredQuestion per question of the attempt, in the order asked."""
    answers = {answer.question_id: answer for answer in attempt.answers.prefetch_related("chosen")}
    questions = Question.objects.with_learn_more().prefetch_related("choices").in_bulk(attempt.question_ids)
    sorting = any(question.is_sort for question in questions.values())
    models_by_pk = OutsourcingModel.objects.in_bulk() if sorting else {}
    rows = []
    for pk in attempt.question_ids:
        if pk in questions:
            question, answer = questions[pk], answers.get(pk)
            choices = attempt.ordered_choices(question)
            rows.append(
                AnsweredQuestion(question, answer, choices, placed_rows(question, choices, answer, models_by_pk))
            )
    return rows


def score_by_topic(rows):
    """[(topic label, marks, asked)] in the order of Question.Topic, for the topics asked about."""
    totals = {}
    for row in rows:
        marks, asked = totals.get(row.question.topic, (0, 0))
        totals[row.question.topic] = (marks + row.mark, asked + 1)
    return [(label, *totals[value]) for value, label in Question.Topic.choices if value in totals]


def sections_to_reread(rows):
    """(url, item) for each distinct learn-more target of a question answered wrong, in the order asked."""
    targets = {}
    for row in rows:
        if not row.is_right and row.question.learn_more is not None:
            targets.setdefault(row.question.learn_more_url, row.question.learn_more)
    return list(targets.items())


def finished_answers(quiz):
    """(answer id, attempt id, question id, mark, placements) for every answer in a finished attempt at ``quiz``."""
    return list(
        Answer.objects.filter(attempt__quiz=quiz, attempt__finished_at__isnull=False).values_list(
            "pk", "attempt_id", "question_id", "mark", "placements"
        )
    )


def times_picked(answer_ids):
    """How many of these answers picked each choice: a Counter keyed by choice id."""
    return Counter(Answer.chosen.through.objects.filter(answer__in=answer_ids).values_list("choice_id", flat=True))


def questions_with_choices(quiz):
    return Question.objects.filter(quiz=quiz).prefetch_related("choices")


def models_items_belong_under(item_ids):
    """{sort item id: id of the model it belongs under}."""
    return dict(Choice.objects.filter(pk__in=item_ids).values_list("pk", "placed_under"))
