"""Whole public pages cached for anonymous readers, made stale by a content version stamp.

The pages are those named in ``CACHED_PAGES``; what they show, the models in ``SHOWN_ON_CACHED_PAGES``.
The stamp is a row in the database (``ContentVersion``) and part of every page's key. Saving, deleting,
relinking or reordering any row of those models replaces it in the edit's own transaction
(``mark_content_changed``, wired in ``signals.py``): no cache outage can lose it, and a restored backup
brings back the stamp of the content it restores.

Each process keeps a copy of the stamp (``LocalContentVersion``) and reads the row again at most once
every ``CONTENT_VERSION_SECONDS``, in a thread of its own that a request waits for only briefly. So a
hit costs a memory lookup, a hung database never holds up a cached page, and an edit made by any other
process or server shows within that interval; the process that made it switches at once.

A page with a query string is stored only if its view marked the response with that very query string as
``cacheable_query_string``: the guide's results do, for the one address of each set of answers, so the
cache holds a bounded number of them; any other query string (tracking tags, a free-text description)
is rendered for each request.

The pages themselves go to the "pages" cache when one is configured (settings: memory of each process),
otherwise to the default cache. Every cache call goes through ``cache_get``/``cache_set``: a failing
backend is logged and treated as an empty cache, so pages are still served, just rendered every time.
"""

import concurrent.futures
import hashlib
import logging
import math
import re
import secrets
import threading
import time
from functools import partial

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import DatabaseError, transaction
from django.http import HttpResponse

from .database import start_in_thread
from .models import ContentVersion

logger = logging.getLogger(__name__)

PAGES_ALIAS = "pages"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# How long a request waits for a reading of the stamp it started before it goes on with the stamp it has.
READ_WAIT_SECONDS = 0.2

# Pages that are the same for every anonymous reader, by URL name.
CACHED_PAGES = {"content:home", "content:model-detail", "content:which-fits", "quiz:index"}
# Longer query strings are never looked up: no view marks one that long as cacheable.
MAX_CACHED_QUERY_LENGTH = 2048

# Every model whose rows those pages show: a save, delete, many-to-many change or reorder of one marks them stale.
SHOWN_ON_CACHED_PAGES = (
    "content.OutsourcingModel",
    "content.Example",
    "content.ComparisonDimension",
    "content.ComparisonValue",
    "content.Benefit",
    "content.Section",
    "quiz.Quiz",
    "quiz.Question",
    "quiz.Choice",
)


def pages_alias():
    return PAGES_ALIAS if PAGES_ALIAS in settings.CACHES else "default"


def cache_get(key, alias):
    try:
        return caches[alias].get(key)
    except Exception as error:
        logger.warning("Cache unavailable, page rendered without it: %r", error)
        return None


def cache_set(key, value, timeout, alias):
    try:
        caches[alias].set(key, value, timeout)
    except Exception as error:
        logger.warning("Cache unavailable, nothing stored: %r", error)


class LocalContentVersion:
    """This process's copy of the content version stamp, read from the database at most once per interval.

    A reading that has not answered within ``READ_WAIT_SECONDS`` is left to finish in its thread (its
    waits are limited, ``outsourcing_site.database``) while requests go on with the stamp they have, and
    no second reading starts while one is still waiting.
    """

    def __init__(self):
        self._lock = threading.Lock()
        # Until the database has answered: a stamp that no cached page carries.
        self.stamp = secrets.token_hex(8)
        self._read_at = -math.inf
        self._reading = None
        # Counts this process's own changes, so that a reading begun before one cannot undo it.
        self._generation = 0

    def current(self):
        if time.monotonic() - self._read_at >= settings.CONTENT_VERSION_SECONDS:
            self._read_again()
        return self.stamp

    def replace_until_commit(self):
        """An edit has begun here: until it commits, pages go under a throwaway stamp, as they show the old rows."""
        with self._lock:
            self._generation += 1
            self.stamp = secrets.token_hex(8)

    def take(self, stamp):
        """This process's edit has committed with ``stamp``."""
        with self._lock:
            self._generation += 1
            self.stamp = stamp

    def _read_again(self):
        with self._lock:
            if time.monotonic() - self._read_at < settings.CONTENT_VERSION_SECONDS:
                return
            self._read_at = time.monotonic()
            if self._reading is not None and not self._reading.done():
                return
            self._reading = reading = start_in_thread(partial(self._read, self._generation), name="content-version")
        concurrent.futures.wait([reading], timeout=READ_WAIT_SECONDS)

    def _read(self, generation):
        try:
            stamp = ContentVersion.current_stamp()
        except DatabaseError as error:
            logger.warning("Content version not read, cached pages keep the last one: %s", error)
            return
        with self._lock:
            if generation == self._generation:
                self.stamp = stamp


local_version = LocalContentVersion()


def content_version():
    return local_version.current()


def mark_content_changed(**kwargs):
    """Signal receiver: every cached page is stale from now on, in this process at once, in the others within
    ``CONTENT_VERSION_SECONDS`` of the commit.

    The new stamp is written once per transaction, in it, so it becomes visible together with the edit.
    """
    local_version.replace_until_commit()
    if not stamp_written_in_this_transaction():
        transaction.on_commit(partial(local_version.take, ContentVersion.replace()))


def stamp_written_in_this_transaction():
    # Django keeps a transaction's on-commit callbacks until it ends (a rolled-back savepoint drops its own),
    # so finding ours there means this transaction has written its stamp already.
    connection = transaction.get_connection()
    return connection.in_atomic_block and any(
        getattr(callback, "func", None) == local_version.take for _, callback, _ in connection.run_on_commit
    )


class AnonymousPageCacheMiddleware:
    """Serve ``CACHED_PAGES`` to anonymous readers from the cache, before sessions, auth and CSRF run.

    Requests carrying a session or messages cookie (staff, signed-in readers, quiz
    takers) always reach the view, and a response is stored only if it is a plain
    200 that sets no cookie and used no CSRF token. It runs before the middleware that
    add security headers (``SECURITY_HEADER_MIDDLEWARE``): a page is kept with the headers
    they gave it, and a hit runs none of them. A plain HTTP request that production
    redirects to HTTPS is never stored (only a 200 is), so it always reaches that redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not self.may_use_cache(request):
            return self.get_response(request)
        key = self.page_key(request)
        frozen = cache_get(key, pages_alias())
        if frozen is not None:
            content, headers = frozen
            return HttpResponse(content, headers=headers)
        response = self.get_response(request)
        if self.may_store(request, response):
            cache_set(key, (response.content, list(response.items())), settings.PAGE_CACHE_SECONDS, pages_alias())
        return response

    @staticmethod
    def may_use_cache(request):
        return (
            request.method == "GET"
            and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY_LENGTH
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        )

    @staticmethod
    def page_key(request):
        encoding = "gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
        query = request.META.get("QUERY_STRING", "")
        address = f"{request.scheme}://{request.get_host()}{request.path}" + (f"?{query}" if query else "")
        digest = hashlib.sha256(address.encode()).hexdigest()
        return f"page:{content_version()}:{encoding}:{digest}"

    @staticmethod
    def may_store(request, response):
        user = getattr(request, "user", None)
        return (
            request.resolver_match is not None
            and request.resolver_match.view_name in CACHED_PAGES
            and response.status_code == 200
            and request.META.get("QUERY_STRING", "") == getattr(response, "cacheable_query_string", "")
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (user is not None and user.is_authenticated)
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
