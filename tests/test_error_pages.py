"""Error pages: the site's own templates with the right status, and a 500 page that needs no database."""

import re

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from outsourcing_site import urls as site_urls


def forbidden(request):
    raise PermissionDenied


def suspicious(request):
    raise SuspiciousOperation("malformed")


def broken(request):
    raise RuntimeError("a bug")


handler400 = site_urls.handler400
handler403 = site_urls.handler403
handler404 = site_urls.handler404
handler500 = site_urls.handler500
urlpatterns = [
    path("forbidden/", forbidden),
    path("suspicious/", suspicious),
    path("broken/", broken),
    *site_urls.urlpatterns,
]


@pytest.fixture
def site_with_failing_pages(settings):
    settings.ROOT_URLCONF = __name__
    settings.SITE_NAME = "Outsourcing Test Site"


def title_of(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url, status, title",
    [
        ("/suspicious/", 400, "Bad request"),
        ("/forbidden/", 403, "Not allowed"),
        ("/no-such-page/", 404, "Page not found — Outsourcing Test Site"),
    ],
)
def test_reader_errors_are_explained_in_the_sites_layout_with_their_status(
    client, site_with_failing_pages, url, status, title
):
    response = client.get(url)
    assert response.status_code == status
    assert title_of(response).startswith(title)
    assert 'class="site-header"' in response.content.decode()


def test_a_server_error_page_names_the_site_and_renders_without_the_database(site_with_failing_pages):
    # No django_db mark: any query while rendering the page would raise instead of answering.
    response = Client(raise_request_exception=False).get("/broken/")
    assert response.status_code == 500
    assert title_of(response) == "Something went wrong — Outsourcing Test Site"
    assert "Something went wrong on our side" in response.content.decode()
