"""A real browser (Debian's Chromium, driven by Playwright) against pytest-django's live server.

`make test` installs Chromium, axe-core and vnu.jar first (Makefile: browser-tools); nothing here is skipped.
"""

import os

import pytest
from playwright.sync_api import sync_playwright

from .tools import CHROMIUM

# Playwright's sync API runs an event loop in this thread; the test's own database calls are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


class ConsoleWatch:
    """Every console message and page error, with the Content-Security-Policy violations picked out."""

    def __init__(self):
        self.messages = []

    def record(self, text):
        self.messages.append(text)

    @property
    def csp_violations(self):
        return [text for text in self.messages if "Content Security Policy" in text]


@pytest.fixture
def make_page(browser, live_server):
    """Open a page in a fresh browser context (own cookies); keyword arguments go to new_context."""
    contexts = []

    def open_page(**options):
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.console_watch = ConsoleWatch()
        page.on("console", lambda message: page.console_watch.record(message.text))
        page.on("pageerror", lambda error: page.console_watch.record(f"page error: {error}"))
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def site(shipped_content, live_server):
    """The shipped content, served by the live server."""
    return live_server
