"""Who else has an item's change form open: each opening is noted in the shared cache for a few minutes.

The cache is the one every process shares, so editors served by different workers see each other. A note is
a hint, not a lock: it lapses on its own, and a save over someone else's is refused by editorial.locking.
"""

import logging

from django.core.cache import caches
from django.utils import timezone

logger = logging.getLogger(__name__)

OPEN_FORM_SECONDS = 5 * 60


def opened_by_others(model, object_id, user):
    """Notes that ``user`` opened the change form of ``model``'s item ``object_id``; the names of the other
    editors who opened it in the last few minutes, in alphabetical order."""
    cache = caches["shared"]
    key = f"editing:{model._meta.label_lower}:{object_id}"
    now = timezone.now().timestamp()
    name = user.get_username()
    try:
        opened = {editor: when for editor, when in (cache.get(key) or {}).items() if now - when < OPEN_FORM_SECONDS}
        cache.set(key, {**opened, name: now}, OPEN_FORM_SECONDS)
    except Exception as error:
        # Only a hint is lost: the form still opens, and a stale save is still refused.
        logger.warning("Cache unavailable, who else is editing is not known: %r", error)
        return []
    return sorted(other for other in opened if other != name)
