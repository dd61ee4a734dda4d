from django.conf import settings
from django.utils.functional import SimpleLazyObject, lazy

from content.models import OutsourcingModel
from editorial.kept import KeptWhileUnchanged

from . import seo

navigation = KeptWhileUnchanged(size=1)


def site_navigation(request):
    """The published models for the main navigation, read once per content version and only by a page that shows
    them."""
    return {"navigation_models": SimpleLazyObject(navigation_models)}


def navigation_models():
    return navigation.get(
        "models", lambda: list(OutsourcingModel.objects.published().only("slug", "abbreviation", "name"))
    )


# Made once: lazy() builds a proxy class each time it is called, about a millisecond of every page.
lazy_site_root = lazy(seo.site_root, str)
lazy_absolute_url = lazy(seo.absolute_url, str)
lazy_og_image_url = lazy(seo.og_image_url, str)


def page_links(request):
    """The site's name and maintainer, and absolute addresses for canonical links, link previews and robots.txt.

    No queries. Lazy, so that pages which show none of them (the 400 page for a host that is not allowed)
    never ask for the request's host.
    """
    return {
        "site_name": settings.SITE_NAME,
        "site_maintainer": settings.SITE_MAINTAINER,
        "site_description": seo.SITE_DESCRIPTION,
        "site_root": lazy_site_root(request),
        "canonical_url": lazy_absolute_url(request, request.path),
        "og_image_url": lazy_og_image_url(request),
    }
