import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_measure(site, make_page):
    for w, h in [(390, 844), (1280, 800)]:
        page = make_page(viewport={"width": w, "height": h})
        page.goto("/")
        print("HEIGHT", w, page.evaluate("document.documentElement.scrollHeight"))
        print(
            page.evaluate(
                """[...document.querySelectorAll('.explainer > *, .explainer__text > *, footer')].map(e => (e.id || e.className || e.tagName) + ' ' + Math.round(e.getBoundingClientRect().height)).join('\\n')"""
            )
        )
        page.screenshot(path=f"/tmp/readers/after-{w}.png", full_page=False)
        page.screenshot(path=f"/tmp/readers/full-{w}.png", full_page=True)
        page.locator("#benefits").screenshot(path=f"/tmp/readers/benefits-{w}.png")
        page.locator("#key-differences").screenshot(path=f"/tmp/readers/diff-{w}.png")
        page.locator("#at-a-glance").screenshot(path=f"/tmp/readers/glance-{w}.png")
