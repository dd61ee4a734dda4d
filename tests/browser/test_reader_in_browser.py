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


# The overview at 390 px before it became an overview (key takeaways, one line per example, each fact said once):
# 12,705 px tall, about fifteen phone screens. It must stay within half of that.
HOME_HEIGHT_AT_390_BEFORE = 12_705


def fully_in_viewport(page, selector):
    return page.evaluate(
        """selector => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth;
        }""",
        selector,
    )


def box(locator):
    found = locator.bounding_box()
    assert found, "the element is not rendered"
    return found


@pytest.mark.parametrize("viewport", [{"width": 390, "height": 844}, {"width": 1280, "height": 800}])
def test_the_key_takeaways_are_fully_visible_without_scrolling(site, make_page, viewport):
    page = make_page(viewport=viewport)
    page.goto("/")

    takeaways = page.get_by_role("region", name="Key takeaways")
    expect(takeaways).to_be_visible()
    for model in OutsourcingModel.objects.published():
        expect(takeaways.get_by_role("heading", name=model.abbreviation)).to_be_visible()
    assert page.evaluate("scrollY") == 0
    assert fully_in_viewport(page, "#key-takeaways")
    points = takeaways.locator(".takeaways__model")
    first, second = box(points.nth(0)), box(points.nth(1))
    assert first["y"] == second["y"] and first["x"] < second["x"], "the models stand side by side"


def test_the_overview_on_a_phone_is_at_most_half_as_tall_as_before(site, make_page):
    page = make_page(viewport={"width": 390, "height": 844})
    page.goto("/")

    height = page.evaluate("document.documentElement.scrollHeight")
    assert height <= HOME_HEIGHT_AT_390_BEFORE / 2, f"{height} px"


def test_the_contents_stay_in_view_beside_the_text_on_a_wide_screen(site, make_page):
    page = make_page(viewport={"width": 1280, "height": 800})
    page.goto("/")
    contents = page.get_by_role("navigation", name="On this page")
    text = page.locator(".explainer__text")
    assert box(contents)["x"] + box(contents)["width"] <= box(text)["x"], "the contents stand beside the text"

    for anchor in ["key-differences", "benefits", "conclusion"]:
        contents.get_by_role("link", name=page.locator(f"#{anchor} h2").inner_text().strip()).click()
        page.wait_for_function("anchor => location.hash === '#' + anchor", arg=anchor)
        expect(page.locator(f"#{anchor}-title, #{anchor} h2").first).to_be_in_viewport()
        assert page.evaluate("scrollY") > 800
        assert fully_in_viewport(page, "nav.toc"), f"the contents scrolled away at #{anchor}"


def test_on_a_phone_the_contents_scroll_away_with_the_text(site, make_page):
    page = make_page(viewport={"width": 390, "height": 844})
    page.goto("/#benefits")

    expect(page.get_by_role("navigation", name="On this page")).not_to_be_in_viewport()


def test_the_at_a_glance_scale_runs_down_a_phone_and_across_a_wide_screen(site, make_page):
    for width, runs_down in [(390, True), (1280, False)]:
        page = make_page(viewport={"width": width, "height": 800})
        page.goto("/")
        start, end = box(page.locator(".spectrum__end--start")), box(page.locator(".spectrum__end--end"))
        cards = [box(card) for card in page.locator(".spectrum__model").all()]
        assert len(cards) == OutsourcingModel.objects.published().count() == 2
        if runs_down:
            assert start["y"] + start["height"] <= cards[0]["y"] < cards[1]["y"] <= end["y"]
        else:
            assert start["x"] + start["width"] <= cards[0]["x"] < cards[1]["x"] <= end["x"]
            assert cards[0]["y"] == cards[1]["y"]


def test_read_across_a_row_is_shown_only_where_the_comparison_is_a_table(site, make_page):
    for width, is_a_table in [(390, False), (1280, True)]:
        page = make_page(viewport={"width": width, "height": 800})
        page.goto("/#key-differences")
        hint = page.get_by_text("Read across a row")
        header_row = page.locator("table.comparison thead")
        if is_a_table:
            expect(hint).to_be_visible()
            assert box(header_row)["height"] > 1
        else:
            expect(hint).to_be_hidden()
            assert box(header_row)["height"] <= 1, "on a phone each row is a card"
