"""Request bodies refused before anything parses them: larger than their address accepts, or not in UTF-8.

Two layers, because Django decodes the query string in the charset a request declares while it builds its
request object, before any middleware runs, and a charset that is no text encoding (``charset=base64``) makes
that raise where not even an error page can be rendered:

- ``RequestBodyGuard`` wraps the WSGI application (wsgi.py). A request that declares a charset other than UTF-8
  goes on without its body, marked for refusal. A chunked body (no Content-Length, which Django would silently
  ignore) is read up to its address's limit and goes on with its length, or is marked for refusal once it goes over.
- ``RequestBodyLimitMiddleware`` answers those marks, and refuses a Content-Length over the limit, before sessions,
  CSRF or any view read a byte of the body, and a form whose fields are not UTF-8 (which Django would quietly
  turn into replacement characters) or that breaks off mid-body: 413 (400 for an encoding or a broken-off body)
  in the site's layout, or as JSON to the editor's scripts.
"""

import codecs
import logging
from io import BytesIO
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import JsonResponse, UnreadablePostError
from django.shortcuts import render
from django.utils.encoding import escape_uri_path
from django.utils.http import parse_header_parameters

logger = logging.getLogger(__name__)

# Set by the guard only: a client cannot send it, since the server names every request header HTTP_*.
REFUSAL_KEY = "outsourcing_site.refused_body"
TOO_LARGE = 413
NOT_UTF8 = 400
INCOMPLETE = "incomplete"  # a 400 of its own words
# The multipart boundaries, part headers and CSRF token around the content a limit counts.
FORM_OVERHEAD_BYTES = 64 * 1024
UTF8_NAMES = {"utf-8", "ascii"}


def content_limit(path):
    """The most bytes of content a request to ``path`` may carry: REQUEST_BODY_LIMITS, else a form's worth."""
    return settings.REQUEST_BODY_LIMITS.get(path, settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def body_limit(path):
    return content_limit(path) + FORM_OVERHEAD_BYTES


def megabytes(size):
    return f"{size / 1024 / 1024:.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def declares_a_charset_other_than_utf8(environ):
    _, parameters = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
    if "charset" not in parameters:
        return False
    try:
        return codecs.lookup(parameters["charset"]).name not in UTF8_NAMES
    except LookupError:
        return True


def is_chunked(environ):
    return not environ.get("CONTENT_LENGTH") and "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def without_body(environ, refusal):
    return {**environ, REFUSAL_KEY: refusal, "CONTENT_TYPE": "", "CONTENT_LENGTH": "0", "wsgi.input": BytesIO()}


def with_chunked_body_read(environ):
    """The environ with its chunked body read into memory and its length declared, or refused once over the limit."""
    limit = body_limit(environ.get("PATH_INFO", "/"))
    body = environ["wsgi.input"].read(limit + 1)
    if len(body) > limit:
        return without_body(environ, TOO_LARGE)
    return {**environ, "CONTENT_LENGTH": str(len(body)), "wsgi.input": BytesIO(body)}


class RequestBodyGuard:
    """WSGI wrapper: what must be settled about a body before Django builds a request from it."""

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        if declares_a_charset_other_than_utf8(environ):
            environ = without_body(environ, NOT_UTF8)
        elif is_chunked(environ):
            environ = with_chunked_body_read(environ)
        return self.application(environ, start_response)


def declared_length(request):
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def form_refusal(request):
    """Why a urlencoded form is refused, or None: its fields, percent-decoded, are not UTF-8 (NOT_UTF8), or the
    client went away mid-body (INCOMPLETE). Its size is checked before."""
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return None
    try:
        unquote_to_bytes(request.body.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return NOT_UTF8
    except UnreadablePostError:
        return INCOMPLETE
    return None


def refusal(request, status):
    """The response to a refused body, in the site's layout, or as JSON to a script (the Markdown editor's upload)."""
    if status == TOO_LARGE:
        message = f"It is more than this page accepts: at most {megabytes(content_limit(request.path_info))}."
        template = "413.html"
    elif status == INCOMPLETE:
        message = "It arrived incomplete, as the connection broke off while it was sent; please send it again."
        template, status = "400.html", 400
    else:
        message = "It was sent in a character encoding this site does not read; send it as UTF-8."
        template = "400.html"
    logger.warning("Refused a request body: status=%d path=%s %s", status, escape_uri_path(request.path), message)
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        return JsonResponse({"error": message}, status=status)
    return render(request, template, {"message": message}, status=status)


class RequestBodyLimitMiddleware:
    """Refuse a body the guard marked, or over its address's limit (before it is read), or a form not in UTF-8."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if status := request.META.get(REFUSAL_KEY):
            return refusal(request, status)
        if declared_length(request) > body_limit(request.path_info):
            return refusal(request, TOO_LARGE)
        if status := form_refusal(request):
            return refusal(request, status)
        return self.get_response(request)

    def process_exception(self, request, exception):
        """A body that breaks off while a view reads it (a multipart form, which is not read ahead) is refused too."""
        if isinstance(exception, UnreadablePostError):
            return refusal(request, INCOMPLETE)
        return None
