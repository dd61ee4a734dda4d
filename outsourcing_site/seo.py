"""What search engines and link previews read: absolute URLs, descriptions and JSON-LD."""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe

SITE_DESCRIPTION = (
    "BPO and KPO explained: what each kind of outsourcing covers, how they differ, "
    "and a quiz to check what you learned."
)
OG_IMAGE = "img/og-image.png"

# Inside <script> only "</script" or "<!--" could end the block early; escaping <, > and & rules both out
# whatever an editor typed, and JSON readers decode the escapes back.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def site_root(request):
    """The site's origin: SITE_URL when set (behind proxies and for canonical links), else the request's own.

    Worked out once per request (a page asks for it about ten times, and each check of the Host is not free)."""
    root = getattr(request, "site_root", None)
    if root is None:
        root = request.site_root = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
    return root


def absolute_url(request, path):
    return site_root(request) + path


def og_image_url(request):
    return absolute_url(request, static(OG_IMAGE))


def json_ld(data):
    """``data`` as JSON that is safe to place inside <script type="application/ld+json">."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES))


def site_organization(request):
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url(request, "/")}


def article(request, headline, description, modified):
    """schema.org Article for an explainer page; ``modified`` is its latest change, or None."""
    data = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": headline,
        "description": description,
        "url": absolute_url(request, request.path),
        "mainEntityOfPage": absolute_url(request, request.path),
        "image": og_image_url(request),
        "inLanguage": "en",
        "author": site_organization(request),
        "publisher": site_organization(request),
    }
    if modified:
        data["dateModified"] = modified.isoformat()
    return data


def guide_page(request, name, description, modified, query):
    """schema.org WebPage for the guide, or for one of its results (``query`` holds the answers)."""
    url = absolute_url(request, f"{request.path}?{query}" if query else request.path)
    data = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": name,
        "description": description,
        "url": url,
        "inLanguage": "en",
        "isPartOf": {"@type": "WebSite", "name": settings.SITE_NAME, "url": absolute_url(request, "/")},
        "about": ["Business Process Outsourcing", "Knowledge Process Outsourcing"],
        "publisher": site_organization(request),
    }
    if modified:
        data["dateModified"] = modified.isoformat()
    return data


def quiz_page(request, quiz, description):
    """schema.org Quiz for search engines; names no question or answer, so it gives nothing away."""
    return {
        "@context": "https://schema.org",
        "@type": "Quiz",
        "name": quiz.title,
        "description": description,
        "url": absolute_url(request, request.path),
        "inLanguage": "en",
        "isAccessibleForFree": True,
        "educationalUse": "self-assessment",
        "about": ["Business Process Outsourcing", "Knowledge Process Outsourcing"],
        "dateModified": quiz.updated_at.isoformat(),
    }


def quiz_list(request, quizzes):
    """schema.org ItemList of the published quizzes (staff also see drafts on the page, never here)."""
    published = [quiz for quiz in quizzes if quiz.published]
    items = [
        {
            "@type": "ListItem",
            "position": place,
            "item": {"@type": "Quiz", "name": quiz.title, "url": absolute_url(request, quiz.get_absolute_url())},
        }
        for place, quiz in enumerate(published, start=1)
    ]
    return {"@context": "https://schema.org", "@type": "ItemList", "itemListElement": items}
