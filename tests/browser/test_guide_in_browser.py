"""The “Which fits my work?” guide in a real browser: by keyboard only, with JavaScript off, on a phone."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = "/which-fits/"
QUESTIONS = ["nature-of-work", "skill-level", "decision-making", "technology"]
ANSWER_SETS = {
    "all-bpo": (["bpo", "bpo", "bpo", "bpo"], "Your process looks like BPO"),
    "all-kpo": (["kpo", "kpo", "kpo", "kpo"], "Your process looks like KPO"),
    "mixed": (["bpo", "kpo", "kpo", "bpo"], "Your process sits between BPO and KPO"),
}


def tab_to(page, selector, limit=40):
    """Press Tab until the focused element matches ``selector``, as a keyboard user moves through a page."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("selector => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{limit} presses of Tab never reached {selector} on {page.url}")


def canonical_result(answers):
    return GUIDE + "?" + "&".join(f"{name}={model}" for name, model in zip(QUESTIONS, answers, strict=True))


def page_overflows_horizontally(page):
    return page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")


@pytest.mark.parametrize("answer_set", ANSWER_SETS)
def test_a_reader_answers_the_guide_with_only_the_keyboard(site, make_page, answer_set):
    answers, verdict = ANSWER_SETS[answer_set]
    page = make_page()
    page.goto("/")
    tab_to(page, f".guide-link a[href='{GUIDE}']")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    for name, model in zip(QUESTIONS, answers, strict=True):
        tab_to(page, f"input[name='{name}']")
        # Tab enters a radio group on its first button; the arrow keys move on and tick the next.
        page.keyboard.press("Space" if model == "bpo" else "ArrowDown")
        expect(page.locator(f"input[name='{name}']:checked")).to_have_value(model)
    tab_to(page, "textarea[name=task]")
    page.keyboard.type("Checking invoices & <b>records</b> by hand")
    tab_to(page, "button[type=submit]")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.locator("#result-title")).to_have_text(verdict)
    expect(page.locator(".guide-leanings tbody tr")).to_have_count(4)
    expect(page.locator(".guide-suggestions")).to_contain_text("A suggestion from matching words")
    expect(page.locator("textarea[name=task]")).to_have_value("Checking invoices & <b>records</b> by hand")
    assert page.console_watch.csp_violations == []


@pytest.mark.parametrize("answer_set", ANSWER_SETS)
def test_a_reader_answers_the_guide_with_javascript_off(site, make_page, answer_set):
    answers, verdict = ANSWER_SETS[answer_set]
    page = make_page(java_script_enabled=False)
    page.goto(GUIDE)
    page.get_by_role("button", name="See which fits").click()
    expect(page.locator(".error-summary")).to_contain_text("There are 4 problems with your answers")

    for name, model in zip(QUESTIONS, answers, strict=True):
        page.locator(f"input[name='{name}'][value='{model}']").check()
    page.get_by_role("button", name="See which fits").click()

    expect(page.locator("#result-title")).to_have_text(verdict)
    assert page.url.endswith(canonical_result(answers))
    for row, model in zip(page.locator(".guide-leanings tbody tr").all(), answers, strict=True):
        expect(row.locator("td").nth(1)).to_contain_text(model.upper())


@pytest.mark.parametrize("width", [320, 390])
def test_the_guide_and_a_result_fit_a_phone_and_answers_are_picked_by_their_labels(site, make_page, width):
    page = make_page(viewport={"width": width, "height": 844}, has_touch=True, is_mobile=True)
    page.goto(GUIDE)
    assert not page_overflows_horizontally(page), f"the guide scrolls sideways at {width} px"
    for label in [
        "Working problems out with knowledge and analysis",
        "Specialist expertise, often from a degree or professional training",
        "The people doing it weigh evidence, solve problems and make judgment calls",
        "Standard tools such as office software, a ticketing or a phone system",
    ]:
        page.get_by_text(label, exact=True).tap()
    page.get_by_role("button", name="See which fits").tap()

    expect(page.locator("#result-title")).to_have_text("Your process leans towards KPO")
    assert not page_overflows_horizontally(page), f"a result scrolls sideways at {width} px"
    choice_height = page.locator(".choice").first.bounding_box()["height"]
    assert choice_height >= 44, "each answer is a large enough target for a finger"
