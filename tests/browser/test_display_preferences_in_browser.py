"""The stylesheet follows what the reader's device asks for: dark mode, less motion, print, keyboard focus."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def computed(page, selector, property_name, pseudo=None):
    return page.evaluate(
        "([selector, name, pseudo]) => "
        "getComputedStyle(document.querySelector(selector), pseudo).getPropertyValue(name)",
        [selector, property_name, pseudo],
    )


def test_dark_mode_follows_the_system_setting(site, make_page):
    page = make_page(color_scheme="light")
    page.goto("/")
    light = computed(page, "body", "background-color")
    page.emulate_media(color_scheme="dark")
    dark = computed(page, "body", "background-color")
    assert light == "rgb(253, 253, 251)"
    assert dark == "rgb(18, 22, 20)"


def test_smooth_scrolling_only_for_readers_who_do_not_ask_for_less_motion(site, make_page):
    page = make_page(reduced_motion="no-preference")
    page.goto("/")
    assert computed(page, "html", "scroll-behavior") == "smooth"
    page.emulate_media(reduced_motion="reduce")
    assert computed(page, "html", "scroll-behavior") == "auto"


def test_keyboard_focus_is_outlined(site, make_page):
    page = make_page()
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert computed(page, ".skip-link", "outline-style") == "solid"
    assert computed(page, ".skip-link", "outline-width") == "3px"
    assert page.locator(".skip-link").is_visible()


def test_print_leaves_out_navigation_and_prints_where_links_go_once_at_the_end(site, make_page):
    page = make_page()
    page.goto("/bpo/")
    page.emulate_media(media="print")
    for chrome in [".site-header", ".skip-link", ".quiz-cta"]:
        assert computed(page, chrome, "display") == "none", chrome
    for document_part in [".print-header", ".print-links", ".site-footer"]:
        assert computed(page, document_part, "display") == "block", document_part
    assert computed(page, ".eyebrow a", "content", "::after") == "none"
    page.emulate_media(media="screen")
    assert computed(page, ".site-header", "display") == "block"
    assert computed(page, ".print-links", "display") == "none"
