from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = "Explainer content"

    def ready(self):
        from .caching import mark_content_changed
        from .models import Benefit, ComparisonDimension, ComparisonValue, Example, OutsourcingModel, Section

        for model in (OutsourcingModel, Example, ComparisonDimension, ComparisonValue, Benefit, Section):
            post_save.connect(mark_content_changed, sender=model, dispatch_uid=f"page-cache-save-{model.__name__}")
            post_delete.connect(mark_content_changed, sender=model, dispatch_uid=f"page-cache-delete-{model.__name__}")
        m2m_changed.connect(
            mark_content_changed, sender=Benefit.applies_to.through, dispatch_uid="page-cache-benefit-models"
        )
