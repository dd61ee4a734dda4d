"""Rows read from published content, kept in each process for as long as the content stays the same.

A quiz page needs its question with its choices, and every page the published models for its navigation: the
same rows for every reader until an editor changes them. A ``KeptWhileUnchanged`` store keeps what it read under
the site's content version, a stamp that changes with every saved change to content (the function named by
``settings.CONTENT_VERSION_SOURCE``; the site's is ``outsourcing_site.page_cache.content_version``). Everything
kept is dropped when the stamp changes, so an edit shows at once in the process that made it and in the others
as soon as they read the new stamp (within ``CONTENT_VERSION_SECONDS``). Without a source, and while a draft is
previewed, every call reads the database.

What a store hands out is shared by every request of the process: read it, never change it. The bounded store
underneath (``LeastRecentlyUsed``) also holds the explainer's pre-rendered parts (``content.parts``).
"""

import threading
from collections import OrderedDict

from django.conf import settings
from django.utils.module_loading import import_string

from .previews import is_previewing


def content_version():
    """The current content version stamp, or None when the site names no source for it."""
    source = getattr(settings, "CONTENT_VERSION_SOURCE", None)
    return import_string(source)() if source else None


class LeastRecentlyUsed:
    """At most ``size`` values by key, the least recently used dropped first; shared safely between threads."""

    MISSING = object()

    def __init__(self, size):
        self.size = size
        self._values = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        """The value under ``key``, or ``MISSING``."""
        with self._lock:
            value = self._values.get(key, self.MISSING)
            if value is not self.MISSING:
                self._values.move_to_end(key)
            return value

    def put(self, key, value):
        with self._lock:
            self._values[key] = value
            while len(self._values) > self.size:
                self._values.popitem(last=False)

    def clear(self):
        with self._lock:
            self._values.clear()

    def __len__(self):
        return len(self._values)


class KeptWhileUnchanged:
    """Values by key, each read once per content version; at most ``size`` kept, the least recently used dropped."""

    def __init__(self, size):
        self._values = LeastRecentlyUsed(size)
        self._version = None
        self._lock = threading.Lock()

    def get(self, key, read):
        """The value kept under ``key`` for the current content version, or ``read()``, then kept."""
        version = content_version()
        if version is None or is_previewing():
            return read()
        with self._lock:
            if version != self._version:
                self._values.clear()
                self._version = version
            else:
                value = self._values.get(key)
                if value is not LeastRecentlyUsed.MISSING:
                    return value
        value = read()
        # Kept only if no other version came in meanwhile: a value read under an older stamp never outlives it.
        with self._lock:
            if version == self._version:
                self._values.put(key, value)
        return value

    def clear(self):
        with self._lock:
            self._values.clear()
            self._version = None

    def __len__(self):
        return len(self._values)
