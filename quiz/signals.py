"""Every signal receiver of the quiz app, connected by ``connect_receivers`` from ``QuizConfig.ready``."""

from django.db.models.signals import pre_delete

from .learn_more import KIND_FOR_MODEL, LEARN_MORE_KINDS
from .models import Question


def unpublish_questions_losing_their_target(sender, instance, **kwargs):
    """A question whose learn-more target is deleted becomes a draft, as a published one needs a target.

    Runs before Django empties the question's foreign key, which the database refuses on a published question.
    """
    field_name = KIND_FOR_MODEL[sender].field_name
    Question.objects.filter(published=True, **{field_name: instance}).update(published=False)


def connect_receivers():
    for kind in LEARN_MORE_KINDS:
        pre_delete.connect(
            unpublish_questions_losing_their_target, sender=kind.model, dispatch_uid=f"quiz-unpublish-{kind.name}"
        )
