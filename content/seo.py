"""What search engines and link previews read: absolute URLs, descriptions and JSON-LD."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

SITE_NAME = "Outsourcing Explained"
SITE_DESCRIPTION = (
    "BPO and KPO explained: what each kind of outsourcing covers, how they differ, "
    "and a quiz to check what you learned."
)
OG_IMAGE = "img/og-image.png"

# Inside <script> only "</script" or "<!--" could end the block early; escaping <, > and & rules both out
# whatever an editor typed, and JSON readers decode the escapes back.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def site_root(request):
    """The site's origin: SITE_URL when set (behind proxies and for canonical links), else the request's own."""
    return settings.SITE_URL or f"{request.scheme}://{request.get_host()}"


def absolute_url(request, path):
    return site_root(request) + path


def og_image_url(request):
    return absolute_url(request, static(OG_IMAGE))


def json_ld(data):
    """``data`` as JSON that is safe to place inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


def latest_change(items):
    """The newest ``updated_at`` among the published ``items``, or None."""
    stamps = [item.updated_at for item in items if getattr(item, "published", True)]
    return max(stamps, default=None)


def article(request, headline, description, modified):
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": headline,
        "description": description,
        "url": absolute_url(request, request.path),
        "mainEntityOfPage": absolute_url(request, request.path),
        "image": og_image_url(request),
        "inLanguage": "en",
        "author": {"@type": "Organization", "name": SITE_NAME, "url": absolute_url(request, "/")},
        "publisher": {"@type": "Organization", "name": SITE_NAME, "url": absolute_url(request, "/")},
    }
    if modified:
        data["dateModified"] = modified.isoformat()
    return json_ld(data)
