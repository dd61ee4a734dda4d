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


def pdf_pages(page, paper="A4"):
    """``page`` printed to PDF (print media) on ``paper``: the lines of each printed page's text."""
    pdf = PdfReader(io.BytesIO(page.pdf(format=paper)))
    texts = [printed_page.extract_text() for printed_page in pdf.pages]
    return [[line.strip() for line in text.splitlines() if line.strip()] for text in texts]


def printed(make_page, path):
    """The lines of the PDF's text of the page at ``path``, printed on A4; and the page."""
    page = make_page(viewport={"width": 1280, "height": 800})
    page.goto(path)
    return [line for lines in pdf_pages(page) for line in lines], page


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


def test_the_printed_overview_lists_each_linked_address_once(site, make_page):
    lines, page = printed(make_page, "/")

    addresses = listed_addresses(lines)
    assert addresses.count(f"{site.url}/bpo/") == 1
    assert addresses.count(f"{site.url}/kpo/") == 1
    assert f"{site.url}/which-fits/" in addresses
    assert f"{site.url}/quiz/{QUIZ_SLUG}/" in addresses


# Without “break-after: avoid” on headings, Letter and A5 each leave a heading at the foot of a page here.
PAPERS = ["A4", "Letter", "A5"]


@pytest.mark.parametrize("path", ["/", "/bpo/", "/kpo/"])
def test_no_printed_page_ends_with_a_heading_cut_off_from_its_text(site, make_page, path):
    page = make_page(viewport={"width": 1280, "height": 800})
    page.goto(path)
    headings = set(page.locator("main :is(h2, h3)").all_inner_texts())

    printed_on = {paper: pdf_pages(page, paper) for paper in PAPERS}

    assert all(len(pages) > 1 for pages in printed_on.values())
    assert all(any(line in headings for line in pages[0]) for pages in printed_on.values())
    orphans = {
        paper: [lines[-1] for lines in pages[:-1] if lines[-1] in headings] for paper, pages in printed_on.items()
    }
    assert orphans == dict.fromkeys(PAPERS, [])
