"""Whole public pages cached for anonymous readers, made stale by a content version stamp.

The pages are those named in ``CACHED_PAGES``; what they show, the models in
``SHOWN_ON_CACHED_PAGES``. The stamp lives in the "shared" cache, which every
process sees (a file cache on one machine, Redis across machines), and is part
of every page's key. Saving, deleting, relinking or reordering any row of those
models replaces it (``mark_content_changed``, wired in ``signals.py``), so the
next request renders afresh and old entries simply expire. The pages themselves
go to the "pages" cache when one is configured (settings: memory of each
process, so a hit costs one shared read, for the stamp), otherwise to the
default cache.

Every cache call goes through ``cache_get``/``cache_set``/``cache_add``: a failing
backend (Redis down) is logged and treated as an empty cache, so pages are still
served, just rendered every time.
"""

import hashlib
import logging
import re
import secrets

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse

logger = logging.getLogger(__name__)

VERSION_KEY = "content-version"
PAGES_ALIAS = "pages"
SHARED_ALIAS = "shared"
ACCEPTS_GZIP = re.compile(r"\bgzip\b")

# Pages that are the same for every anonymous reader, by URL name.
CACHED_PAGES = {"content:home", "content:model-detail", "quiz:index"}

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


def shared_alias():
    return SHARED_ALIAS if SHARED_ALIAS in settings.CACHES else "default"


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


def cache_add(key, value, timeout):
    try:
        caches[shared_alias()].add(key, value, timeout)
    except Exception as error:
        logger.warning("Cache unavailable, nothing stored: %r", error)


def content_version():
    version = cache_get(VERSION_KEY, shared_alias())
    if version is None:
        # A fresh random stamp, never a counter restarting at 1 that could match entries cached before eviction.
        version = secrets.token_hex(8)
        cache_add(VERSION_KEY, version, None)
    return version


def replace_content_version():
    cache_set(VERSION_KEY, secrets.token_hex(8), None, shared_alias())


def mark_content_changed(**kwargs):
    """Signal receiver: every cached page is stale from now on.

    The stamp is replaced at once and again when the transaction commits, because
    a page rendered in between read the rows as they were before the commit.
    """
    replace_content_version()
    transaction.on_commit(replace_content_version)


class AnonymousPageCacheMiddleware:
    """Serve ``CACHED_PAGES`` to anonymous readers from the cache, before sessions, auth and CSRF run.

    Requests carrying a session or messages cookie (staff, signed-in readers, quiz
    takers) always reach the view, and a response is stored only if it is a plain
    200 that sets no cookie and used no CSRF token.
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
            and not request.META.get("QUERY_STRING")
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and CookieStorage.cookie_name not in request.COOKIES
        )

    @staticmethod
    def page_key(request):
        encoding = "gzip" if ACCEPTS_GZIP.search(request.META.get("HTTP_ACCEPT_ENCODING", "")) else "identity"
        address = f"{request.scheme}://{request.get_host()}{request.path}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        return f"page:{content_version()}:{encoding}:{digest}"

    @staticmethod
    def may_store(request, response):
        user = getattr(request, "user", None)
        return (
            request.resolver_match is not None
            and request.resolver_match.view_name in CACHED_PAGES
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not (user is not None and user.is_authenticated)
            and "private" not in response.get("Cache-Control", "")
            and "no-store" not in response.get("Cache-Control", "")
        )
