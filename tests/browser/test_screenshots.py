"""Full-page screenshots for people to look at, written to tests/screenshots/ (git-ignored)."""

import pytest
from PIL import Image

from .journeys import finish_quiz, start_quiz
from .tools import SCREENSHOTS

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (390, 1280)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_home_and_results_are_captured_at_phone_and_desktop_widths(site, make_page, scheme):
    SCREENSHOTS.mkdir(exist_ok=True)
    page = make_page(color_scheme=scheme)
    start_quiz(page)
    finish_quiz(page)
    pages = {"home": "/", "results": page.url}
    written = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for name, url in pages.items():
            page.goto(url)
            assert page.evaluate("document.documentElement.scrollWidth") == width, (
                f"{name} scrolls sideways at {width} px"
            )
            path = SCREENSHOTS / f"{name}-{width}-{scheme}.png"
            page.screenshot(path=path, full_page=True)
            written.append(path)
    for path in written:
        with Image.open(path) as image:
            assert image.width == int(path.stem.split("-")[1])
            assert image.height > 900
