import pytest
from playwright.sync_api import expect

from content.models import ComparisonDimension, OutsourcingModel

pytestmark = pytest.mark.django_db(transaction=True)


def page_overflows_horizontally(page):
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


def test_reader_follows_the_table_of_contents_then_reads_kpo_and_its_comparison_on_a_phone(site, make_page):
    page = make_page(viewport={"width": 390, "height": 844})
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("BPO vs KPO")

    toc = page.get_by_role("navigation", name="On this page")
    toc.get_by_role("link", name="What is KPO?").click()
    assert page.url.endswith("#kpo")
    expect(page.locator("#kpo-title")).to_be_in_viewport()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="KPO").click()
    page.wait_for_url("**/kpo/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Knowledge Process Outsourcing (KPO)")
    expect(page.locator('.site-nav a[aria-current="page"]')).to_have_text("KPO")

    page.goto("/#key-differences")
    table = page.get_by_role("table", name="BPO and KPO compared")
    expect(table).to_be_visible()
    for dimension in ComparisonDimension.objects.published():
        row_header = table.get_by_role("rowheader", name=dimension.title)
        row_header.scroll_into_view_if_needed()
        expect(row_header).to_be_visible()
    for model in OutsourcingModel.objects.published():
        cells = table.locator(f'td[data-label="{model.abbreviation}"]')
        expect(cells).to_have_count(ComparisonDimension.objects.published().count())
        expect(cells.first).to_be_visible()
    assert not page_overflows_horizontally(page)
    assert page.console_watch.csp_violations == []


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_public_page_scrolls_sideways(site, make_page, width):
    page = make_page(viewport={"width": width, "height": 800})
    for url in ["/", "/bpo/", "/kpo/", "/quiz/", "/quiz/bpo-or-kpo/"]:
        page.goto(url)
        assert not page_overflows_horizontally(page), f"{url} scrolls sideways at {width} px"
