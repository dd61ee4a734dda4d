"""Printed, a page is a document: the site's name and the page's address on top, the full address of each link
once at the end, the date the content last changed and who maintains it, and no navigation.

The browser prints the page to PDF and pypdf reads the text back, as a reader's PDF viewer would."""

import io
import re

import pytest
from pypdf import PdfReader

from tests.quiz_helpers import QUIZ_SLUG

pytestmark = pytest.mark.django_db(transaction=True)

# One numbered line of the list of links at the end: “3. https://…”.
LISTED_ADDRESS = re.compile(r"^\d+\. (\S+)$")


def printed(make_page, path):
    """The page at ``path`` printed to PDF (print media, A4), as the lines of the PDF's text; and the page."""
    page = make_page(viewport={"width": 1280, "height": 800})
    page.goto(path)
    pdf = PdfReader(io.BytesIO(page.pdf(format="A4")))
    text = "\n".join(printed_page.extract_text() for printed_page in pdf.pages)
    return [line.strip() for line in text.splitlines() if line.strip()], page


def listed_addresses(lines):
    return [match[1] for line in lines if (match := LISTED_ADDRESS.match(line))]


@pytest.mark.parametrize("path", ["/", "/bpo/", f"/quiz/{QUIZ_SLUG}/"])
def test_a_printed_page_carries_the_site_name_its_address_absolute_links_once_and_its_date(site, make_page, path):
    lines, page = printed(make_page, path)
    text = " ".join(lines)

    assert lines[0] == f"Outsourcing Explained · {site.url}{path}"
    assert "Links on this page" in lines
    addresses = listed_addresses(lines)
    assert addresses and all(address.startswith(f"{site.url}/") for address in addresses)
    assert len(addresses) == len(set(addresses))
    assert f"{site.url}/quiz/{QUIZ_SLUG}/start/" not in addresses
    assert re.search(
        r"Content last changed on \d{1,2} [A-Z][a-z]+ 20\d\d\. Maintained by the Outsourcing Explained", text
    )
    assert "(/bpo/)" not in text and "(/quiz/)" not in text
    assert "Skip to main content" not in text and "On this page" not in text and "Back to contents" not in text


def test_the_printed_overview_lists_each_linked_address_once_and_keeps_headings_with_their_text(site, make_page):
    lines, page = printed(make_page, "/")

    addresses = listed_addresses(lines)
    assert addresses.count(f"{site.url}/bpo/") == 1
    assert addresses.count(f"{site.url}/kpo/") == 1
    assert f"{site.url}/which-fits/" in addresses
    assert f"{site.url}/quiz/{QUIZ_SLUG}/" in addresses
    page.emulate_media(media="print")
    assert page.locator("h2").first.evaluate("heading => getComputedStyle(heading).breakAfter") == "avoid"
