import logging
import time

from django.utils.encoding import escape_uri_path

logger = logging.getLogger("outsourcing_site.requests")


class RequestLogMiddleware:
    """One parseable line per request: method, path (percent-encoded, as sent), status and duration in milliseconds."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        duration_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "method=%s path=%s status=%d duration_ms=%.1f",
            request.method,
            escape_uri_path(request.path),
            response.status_code,
            duration_ms,
        )
        return response
