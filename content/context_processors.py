from . import seo
from .models import OutsourcingModel


def site_navigation(request):
    """The published models for the main navigation; lazy, so pages that do not show it run no query."""
    return {"navigation_models": OutsourcingModel.objects.published().only("slug", "abbreviation", "name")}


def page_links(request):
    """Absolute addresses for canonical links, link previews and robots.txt; no queries."""
    return {
        "site_name": seo.SITE_NAME,
        "site_description": seo.SITE_DESCRIPTION,
        "site_root": seo.site_root(request),
        "canonical_url": seo.absolute_url(request, request.path),
        "og_image_url": seo.og_image_url(request),
    }
