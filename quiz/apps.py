from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class QuizConfig(AppConfig):
    name = "quiz"
    verbose_name = "Quiz"

    def ready(self):
        from content.caching import mark_content_changed
        from content.models import ComparisonDimension, ComparisonValue, Example, OutsourcingModel

        from .models import Choice, Question, Quiz
        from .signals import connect_receivers

        connect_receivers()

        for model in (OutsourcingModel, Example, ComparisonDimension, ComparisonValue):
            post_save.connect(
                keep_generated_questions_in_step, sender=model, dispatch_uid=f"quiz-generate-{model.__name__}"
            )
            post_delete.connect(
                keep_generated_questions_in_step, sender=model, dispatch_uid=f"quiz-retire-{model.__name__}"
            )
        for model in (Quiz, Question, Choice):
            post_save.connect(mark_content_changed, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
            post_delete.connect(mark_content_changed, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")


def keep_generated_questions_in_step(sender, raw=False, **kwargs):
    if raw:
        return
    from .services import sync_generated_questions

    sync_generated_questions()
