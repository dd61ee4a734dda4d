"""Read-side queries of the quiz that span relations: an attempt's results and a quiz's item analysis."""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from .models import Answer, Question


@dataclass
class AnsweredQuestion:
    question: Question
    answer: Answer | None
    choices: list

    @property
    def is_right(self):
        return bool(self.answer and self.answer.correct)

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
    return [
        AnsweredQuestion(questions[pk], answers.get(pk), attempt.ordered_choices(questions[pk]))
        for pk in attempt.question_ids
        if pk in questions
    ]


def score_by_topic(rows):
    """[(topic label, right, asked)] in the order of Question.Topic, for the topics asked about."""
    totals = {}
    for row in rows:
        right, asked = totals.get(row.question.topic, (0, 0))
        totals[row.question.topic] = (right + int(row.is_right), asked + 1)
    return [(label, *totals[value]) for value, label in Question.Topic.choices if value in totals]


def sections_to_reread(rows):
    """(url, item) for each distinct learn-more target of a question answered wrong, in the order asked."""
    targets = {}
    for row in rows:
        if not row.is_right and row.question.learn_more is not None:
            targets.setdefault(row.question.learn_more_url, row.question.learn_more)
    return list(targets.items())


def finished_answers(quiz):
    """(answer id, attempt id, question id, correct) for every answer in a finished attempt at ``quiz``."""
    return list(
        Answer.objects.filter(attempt__quiz=quiz, attempt__finished_at__isnull=False).values_list(
            "pk", "attempt_id", "question_id", "correct"
        )
    )


def times_picked(answer_ids):
    """How many of these answers picked each choice: a Counter keyed by choice id."""
    return Counter(Answer.chosen.through.objects.filter(answer__in=answer_ids).values_list("choice_id", flat=True))


def questions_with_choices(quiz):
    return Question.objects.filter(quiz=quiz).prefetch_related("choices")


def answered_choices_other_than(question, choice_ids):
    """The choices of ``question`` not in ``choice_ids`` that readers picked, each with ``times_picked``."""
    choices = question.choices.exclude(pk__in=choice_ids).annotate(times_picked=Count("answers"))
    return list(choices.filter(times_picked__gt=0))
