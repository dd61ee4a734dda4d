"""The explainer page and everything it loads stay well under 50 KB as sent over the wire."""

import pytest

from tests.html_pages import parse

pytestmark = pytest.mark.django_db

BUDGET_BYTES = 50_000
BROWSER_ACCEPT_ENCODING = "gzip, deflate, br"


def linked_assets(page):
    """The stylesheets and scripts a page makes the browser fetch."""
    stylesheets = [link["href"] for link in page.find_all("link", rel="stylesheet")]
    return stylesheets + [script["src"] for script in page.find_all("script", src=True)]


def sent_bytes(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return len(content)


def test_home_page_with_its_css_and_js_is_under_the_budget_compressed(client, shipped_content, production_static):
    page = client.get("/", HTTP_ACCEPT_ENCODING=BROWSER_ACCEPT_ENCODING)
    assert page["Content-Encoding"] == "gzip"
    sizes = {"/": sent_bytes(page)}
    assets = linked_assets(parse(client.get("/")))
    assert any(url.endswith(".css") for url in assets)
    for url in assets:
        assert url.startswith("/static/"), f"{url} is not served by this site"
        response = client.get(url, HTTP_ACCEPT_ENCODING=BROWSER_ACCEPT_ENCODING)
        assert response.status_code == 200, url
        assert response["Content-Encoding"] == "br", url
        sizes[url] = sent_bytes(response)
    total = sum(sizes.values())
    print(f"\n/ and its assets, compressed: {total} bytes of a {BUDGET_BYTES} budget: {sizes}")
    assert total < BUDGET_BYTES, sizes
