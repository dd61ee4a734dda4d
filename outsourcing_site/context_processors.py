from django.conf import settings
from django.utils.functional import lazy

from content.models import OutsourcingModel

from . import seo


def site_navigation(request):
    """The published models for the main navigation; lazy, so pages that do not show it run no query."""
    return {"navigation_models": OutsourcingModel.objects.published().only("slug", "abbreviation", "name")}


def page_links(request):
    """The site's name and maintainer, and absolute addresses for canonical links, link previews and robots.txt.

    No queries. Lazy, so that pages which show none of them (the 400 page for a host that is not allowed)
    never ask for the request's host.
    """
    return {
        "site_name": settings.SITE_NAME,
        "site_maintainer": settings.SITE_MAINTAINER,
        "site_description": seo.SITE_DESCRIPTION,
        "site_root": lazy(seo.site_root, str)(request),
        "canonical_url": lazy(seo.absolute_url, str)(request, request.path),
        "og_image_url": lazy(seo.og_image_url, str)(request),
    }
