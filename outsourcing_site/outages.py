"""A database that is down or hung gets readers a 503 page in the site's layout, soon, never a 500 or a hang.

``DatabaseOutageMiddleware`` limits how long everything after it waits on the database
(``outsourcing_site.database``) and answers a view's database error with ``service_unavailable``;
``views.server_error`` does the same for errors raised by middleware. Cached pages and static files are
served before it and never touch the database.
"""

import logging

from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

from .database import limit_waits

logger = logging.getLogger(__name__)

# What the database driver raises when it cannot answer: refused, timed out, connection lost.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def service_unavailable(request, error):
    logger.warning("Database unavailable, answered 503: %s", error)
    # The navigation lists the models, which would ask the database again.
    response = render(request, "503.html", {"navigation_models": ()}, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    return response


class DatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with limit_waits():
            return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return service_unavailable(request, exception)
        return None
