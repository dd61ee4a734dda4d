import logging
import sys
import time

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import FileResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from .database import start_in_thread
from .outages import DATABASE_UNAVAILABLE, service_unavailable

logger = logging.getLogger(__name__)

HEALTH_CACHE_KEY = "healthz"
# Each check that has not answered by then counts as unavailable, so /healthz answers within a second.
HEALTH_CHECK_SECONDS = 0.5
FAVICON_MAX_AGE = 24 * 60 * 60


def database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        logger.error("health check: database unavailable: %s", error)
        return "unavailable"
    return "ok"


def cache_status():
    """A round trip through the cache all processes share.

    The Redis backend swallows its errors, so compare what comes back.
    """
    cache = caches["shared" if "shared" in settings.CACHES else "default"]
    try:
        cache.set(HEALTH_CACHE_KEY, "ok", 10)
        answered = cache.get(HEALTH_CACHE_KEY) == "ok"
    except Exception as error:  # any backend, any failure: the site serves on without its cache
        logger.error("health check: cache unavailable: %s", error)
        return "unavailable"
    return "ok" if answered else "unavailable"


def run_checks(checks):
    """Each check's answer, every one in a thread of its own, waiting at most HEALTH_CHECK_SECONDS in all."""
    deadline = time.monotonic() + HEALTH_CHECK_SECONDS
    running = {name: start_in_thread(check, name=f"health-check-{name}") for name, check in checks.items()}
    answers = {}
    for name, future in running.items():
        try:
            answers[name] = future.result(timeout=max(0, deadline - time.monotonic()))
        except TimeoutError:
            logger.error("health check: %s did not answer within %s s", name, HEALTH_CHECK_SECONDS)
            answers[name] = "unavailable"
        except Exception:
            logger.exception("health check: %s failed", name)
            answers[name] = "unavailable"
    return answers


@require_safe
@never_cache
def healthz(request):
    """For load balancers: 200 while the database answers; a cache outage only slows the site down."""
    checks = run_checks({"database": database_status, "cache": cache_status})
    healthy = checks["database"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "unavailable", **checks}, status=200 if healthy else 503)


@require_safe
@cache_control(max_age=FAVICON_MAX_AGE, public=True)
def favicon(request):
    """Browsers and the admin ask for /favicon.ico whatever the pages link; they all read a PNG there."""
    return FileResponse(open(finders.find("img/favicon.png"), "rb"), content_type="image/png")


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout page: what happened and for how long, with 429 Too Many Requests."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    response = render(request, "locked_out.html", {"cooloff_minutes": minutes}, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response


def bad_request(request, exception):
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    """Rendered without the context processors, which query the database: it may be what failed.

    A database outage noticed outside a view (in a middleware, say) is a 503, as it is in one.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return service_unavailable(request, error)
    return HttpResponseServerError(loader.render_to_string("500.html", {"site_name": settings.SITE_NAME}))
