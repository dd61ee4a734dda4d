"""Uploaded images served by the site itself, for the single-server setup (settings: MEDIA_URL)."""

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404
from django.utils._os import safe_join

from content.images import STORED_FORMATS

SERVED_MEDIA_TYPES = {f".{extension}": content_type for extension, content_type in STORED_FORMATS.values()}


def media_file(request, path):
    """Uploaded images from MEDIA_ROOT; only the image types we store."""
    content_type = SERVED_MEDIA_TYPES.get(Path(path).suffix.lower())
    if content_type is None:
        raise Http404("There is no such image.")
    try:
        full_path = Path(safe_join(settings.MEDIA_ROOT, path))
    except ValueError:
        raise Http404("There is no such image.") from None
    if not full_path.is_file():
        raise Http404("There is no such image.")
    response = FileResponse(full_path.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    return response
