"""Every signal receiver of the quiz app, connected by ``connect_receivers`` from ``QuizConfig.ready``."""

from django.db.models.signals import post_delete, post_save, pre_delete

from content.models import ComparisonDimension, ComparisonValue, Example, OutsourcingModel

from .generation import sources_of
from .learn_more import KIND_FOR_MODEL, LEARN_MORE_KINDS
from .models import Question
from .services import sync_generated_questions_from

QUESTION_SOURCES = (OutsourcingModel, Example, ComparisonDimension, ComparisonValue)


def keep_generated_questions_in_step(sender, instance, raw=False, **kwargs):
    """Sync the questions built from the saved or deleted item, and only those."""
    if not raw:
        sync_generated_questions_from(sources_of(instance))


def unpublish_questions_losing_their_target(sender, instance, **kwargs):
    """A question whose learn-more target is deleted becomes a draft, as a published one needs a target.

    Runs before Django empties the question's foreign key, which the database refuses on a published question.
    """
    field_name = KIND_FOR_MODEL[sender].field_name
    Question.objects.filter(published=True, **{field_name: instance}).update(published=False)


def connect_receivers():
    for model in QUESTION_SOURCES:
        name = model.__name__
        post_save.connect(keep_generated_questions_in_step, sender=model, dispatch_uid=f"quiz-generate-{name}")
        post_delete.connect(keep_generated_questions_in_step, sender=model, dispatch_uid=f"quiz-retire-{name}")
    for kind in LEARN_MORE_KINDS:
        pre_delete.connect(
            unpublish_questions_losing_their_target, sender=kind.model, dispatch_uid=f"quiz-unpublish-{kind.name}"
        )
