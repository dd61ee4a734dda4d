"""The quiz as the explainer pages invite readers to it: the content app's templates cannot ask the quiz app."""

from django import template

from editorial.kept import KeptWhileUnchanged
from quiz.models import Quiz

register = template.Library()

invitation = KeptWhileUnchanged(size=1)


@register.simple_tag
def quiz_to_take():
    """The first published quiz and how many questions an attempt at it asks, read once per content version;
    None if no quiz is published or it has no questions yet."""
    return invitation.get("quiz to take", read_quiz_to_take)


def read_quiz_to_take():
    quiz = Quiz.objects.published().with_bank_size().first()
    if quiz is None:
        return None
    length = quiz.attempt_length(quiz.bank_size)
    return {"quiz": quiz, "length": length} if length else None
