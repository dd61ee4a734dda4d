"""Every receiver of the site as a whole: cached pages go stale when a model they show changes."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from editorial.signals import rows_reordered

from .page_cache import SHOWN_ON_CACHED_PAGES, mark_content_changed


def connect_page_cache_invalidation():
    for label in SHOWN_ON_CACHED_PAGES:
        model = apps.get_model(label)
        post_save.connect(mark_content_changed, sender=model, dispatch_uid=f"page-cache-save-{label}")
        post_delete.connect(mark_content_changed, sender=model, dispatch_uid=f"page-cache-delete-{label}")
        rows_reordered.connect(mark_content_changed, sender=model, dispatch_uid=f"page-cache-reorder-{label}")
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                mark_content_changed, sender=through, dispatch_uid=f"page-cache-m2m-{through._meta.label}"
            )
