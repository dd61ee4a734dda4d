"""A printed page is a document: headed by the site's name and the page's address, ending with the full address
of every link once."""

import pytest

from tests.html_pages import parse
from tests.quiz_helpers import QUIZ_SLUG

pytestmark = pytest.mark.django_db


def printed_addresses(page):
    return [item.text for item in page.find("div", class_="print-links").find_all("li")]


def test_the_print_header_names_the_site_and_the_pages_full_address(client, shipped_content, settings):
    settings.SITE_NAME = "Outsourcing Explained"

    header = parse(client.get("/bpo/")).find("p", class_="print-header")

    assert header.text == "Outsourcing Explained · http://testserver/bpo/"


def test_the_printed_links_are_the_absolute_addresses_of_the_pages_links_each_once(client, shipped_content):
    page = parse(client.get("/"))
    main_links = page.find("main").links()

    addresses = printed_addresses(page)

    assert len(addresses) == len(set(addresses))
    assert main_links.count("/bpo/") > 1 and addresses.count("http://testserver/bpo/") == 1
    assert f"http://testserver/quiz/{QUIZ_SLUG}/" in addresses
    assert all(address.startswith("http://testserver/") for address in addresses)
    assert not [address for address in addresses if address.startswith("http://testserver/#")]


def test_the_printed_links_follow_site_url_when_it_is_set(client, shipped_content, settings):
    settings.SITE_URL = "https://outsourcing.example.org"

    assert "https://outsourcing.example.org/bpo/" in printed_addresses(parse(client.get("/kpo/")))
