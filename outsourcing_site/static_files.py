"""How WhiteNoise serves collected static files."""

import io

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.utils.module_loading import import_string
from whitenoise.middleware import WhiteNoiseMiddleware

ONE_YEAR = 365 * 24 * 60 * 60


def cache_hashed_files_for_a_year(headers, path, url):
    """Hashed names never change content, so browsers may keep them a year without asking again.

    WhiteNoise would say ten years; one year is the longest lifetime HTTP caches are
    expected to honour, and a new deploy gets new names anyway.
    """
    if "immutable" in headers.get("Cache-Control", ""):
        headers["Cache-Control"] = f"max-age={ONE_YEAR}, public, immutable"


def headers_added_by(middleware_paths):
    """The headers these middleware add to a plain 200 page answering an HTTPS request."""

    def blank_page(request):
        return HttpResponse()

    handler = blank_page
    for path in reversed(middleware_paths):
        handler = import_string(path)(handler)
    request = WSGIRequest(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/",
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "443",
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(),
        }
    )
    bare = blank_page(request)
    return {name: value for name, value in handler(request).items() if name not in bare}


class StaticFilesMiddleware(WhiteNoiseMiddleware):
    """WhiteNoise first in line, adding the security headers every page gets, worked out once at start-up.

    A static file is bytes already in memory; running the header middleware (``SECURITY_HEADER_MIDDLEWARE``)
    for each one cost more than serving it. They run once here over a blank page answering HTTPS, and their
    headers are copied onto every static response (Strict-Transport-Security only onto HTTPS ones, as
    Django's SecurityMiddleware does). A plain HTTP request that production redirects to HTTPS is
    redirected as a page would be.
    """

    def __init__(self, get_response=None, settings=settings):
        super().__init__(get_response, settings)
        self.https_redirect = SecurityMiddleware(get_response).process_request
        over_https = headers_added_by(settings.SECURITY_HEADER_MIDDLEWARE)
        over_http = {name: value for name, value in over_https.items() if name != "Strict-Transport-Security"}
        self.security_headers = {True: over_https, False: over_http}

    def __call__(self, request):
        static_file = self.find_file(request.path_info) if self.autorefresh else self.files.get(request.path_info)
        if static_file is None:
            return self.get_response(request)
        response = self.https_redirect(request) or self.serve(static_file, request)
        for name, value in self.security_headers[request.is_secure()].items():
            response[name] = value
        return response
