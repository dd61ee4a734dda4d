"""Printed, a page is a document: the site's name and the page's address on top, the full address of each link
once at the end, the date the content last changed, and no navigation.

Debian has no pdftotext here, so the PDF is rendered to prove it prints, and the text is read from the page as
print media lays it out."""

import pytest

from tests.quiz_helpers import QUIZ_SLUG

pytestmark = pytest.mark.django_db(transaction=True)


def printed_text(make_page, path):
    page = make_page(viewport={"width": 1280, "height": 800})
    page.goto(path)
    page.emulate_media(media="print")
    assert page.pdf(format="A4").startswith(b"%PDF")
    return page.locator("body").inner_text(), page


@pytest.mark.parametrize("path", ["/", "/bpo/", f"/quiz/{QUIZ_SLUG}/"])
def test_a_printed_page_carries_the_site_name_its_address_absolute_links_once_and_its_date(site, make_page, path):
    text, page = printed_text(make_page, path)
    lines = [line.strip() for line in text.splitlines() if line.strip()]

    assert lines[0] == f"Outsourcing Explained · {site.url}{path}"
    assert "Links on this page" in lines
    assert f"{site.url}/quiz/{QUIZ_SLUG}/start/" not in lines
    assert lines.count(f"{site.url}/quiz/") <= 1
    assert any(line.startswith("Content last changed on") for line in lines)
    assert "(/bpo/)" not in text and "(/quiz/)" not in text
    assert "Skip to main content" not in text and "On this page" not in text and "Back to contents" not in text


def test_the_printed_overview_lists_each_linked_address_once(site, make_page):
    text, page = printed_text(make_page, "/")
    lines = [line.strip() for line in text.splitlines() if line.strip()]

    assert lines.count(f"{site.url}/bpo/") == 1
    assert lines.count(f"{site.url}/kpo/") == 1
    assert page.locator("h2").first.evaluate("heading => getComputedStyle(heading).breakAfter") == "avoid"
