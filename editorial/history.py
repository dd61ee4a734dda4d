"""What loading content adds to the history editors restore from (django-reversion).

Every item an editor can open in the admin has a history of its own; the rows it is restored with (a
question's choices, a comparison row's values) are recorded in its versions. Loading content gives each
item it creates, and each item without any version yet, a first version, and ``--replace`` a version for
each item it changes: each in a revision of its own, so restoring one item never restores another.
"""

from contextlib import contextmanager
from contextvars import ContextVar

import reversion
from django.contrib import admin
from django.db.models.signals import post_save
from reversion.models import Version

LOADED = "Loaded from the content files (load_content)."
REPLACED = "Replaced with the content files (load_content --replace)."

_follows = {}


def keep_history(model, follow=()):
    """Version ``model`` with django-reversion, restoring the rows of the reverse relations ``follow`` with it."""
    reversion.register(model, follow=follow)
    _follows[model] = tuple(follow)


_load = ContextVar("load_in_progress", default=None)


class _Load:
    def __init__(self):
        self.owners = owners()
        self.items = set(items_with_history())
        self.changed = set()


def items_with_history():
    """The models whose items have a history of their own: versioned and opened in the admin."""
    return [model for model in reversion.get_registered_models() if admin.site.is_registered(model)]


def owners():
    """{a row's model: (its foreign key to the item it is restored with, that model)}, e.g. a choice's question."""
    owned = {}
    for model, names in _follows.items():
        for name in names:
            relation = model._meta.get_field(name)
            owned[relation.related_model] = (relation.field.attname, model)
    return owned


def note_changed(instance):
    """Record that the load in progress changed ``instance`` (or the item it is a row of); outside a load, nothing."""
    load = _load.get()
    if load is None:
        return
    if type(instance) in load.owners:
        attname, model = load.owners[type(instance)]
        load.changed.add((model, getattr(instance, attname)))
    elif type(instance) in load.items:
        load.changed.add((type(instance), instance.pk))


def _note_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        note_changed(instance)


@contextmanager
def recorded_in_history(replace):
    """A load, after which every item without a version gets its first one and, with ``replace``, every item the
    load changed gets a version recording the change."""
    load = _Load()
    token = _load.set(load)
    post_save.connect(_note_saved, dispatch_uid="editorial-history-load")
    try:
        yield
    finally:
        post_save.disconnect(dispatch_uid="editorial-history-load")
        _load.reset(token)
    first = unversioned()
    record_each(first, LOADED)
    if replace:
        record_each(load.changed - first, REPLACED)


def unversioned():
    """(model, pk) of every item with a history of its own that has no version yet."""
    missing = set()
    for model in items_with_history():
        versioned = set(Version.objects.get_for_model(model).values_list("object_id", flat=True))
        missing.update((model, pk) for pk in model.objects.values_list("pk", flat=True) if str(pk) not in versioned)
    return missing


def record_each(references, comment):
    """One revision per item, with ``comment``: the item as it is now, with its rows."""
    by_model = {}
    for model, pk in references:
        by_model.setdefault(model, set()).add(pk)
    for model, pks in by_model.items():
        for item in model.objects.filter(pk__in=pks).order_by("pk"):
            with reversion.create_revision():
                reversion.set_comment(comment)
                reversion.add_to_revision(item)
