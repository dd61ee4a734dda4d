"""An editor of the Editors group changes a published example through a draft: the site keeps the published text
while the draft is saved and previewed, and shows the new text once it is published."""

import importlib
import io

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import expect

from content.models import Example
from tests.editor_helpers import EDITOR_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

# The data migrations that give the Editors group its permissions.
EDITORS_MIGRATIONS = [
    "content.migrations.0003_editors_group",
    "quiz.migrations.0003_editors_may_edit_the_quiz",
    "editorial.migrations.0002_editors_may_publish",
]
DRAFT_SENTENCE = "A sentence that waits in a draft"


@pytest.fixture
def editors_member(site, monkeypatch):
    """A member of the Editors group, made the way the README says. The flush after each live-server test
    empties the group, so its data migrations are run again first."""
    for name in EDITORS_MIGRATIONS:
        for operation in importlib.import_module(name).Migration.operations:
            operation.code(apps, None)
    monkeypatch.setenv("EDITOR_PASSWORD", EDITOR_PASSWORD)
    call_command("create_editor", "maria", stdout=io.StringIO())
    return "maria"


def sign_in(page, username):
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(EDITOR_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Edit {settings.SITE_NAME}")).to_be_visible()


def test_an_editor_drafts_previews_and_publishes_a_change_to_a_published_example(site, make_page, editors_member):
    example = Example.objects.get(slug="customer-service")
    reader, editor = make_page(), make_page()
    reader.goto("/bpo/")
    shown = reader.locator(f"#{example.anchor}")
    expect(shown).to_be_visible()
    sign_in(editor, editors_member)
    editor.goto(f"/admin/content/example/{example.pk}/change/")
    summary = editor.locator("textarea#id_summary")

    summary.fill(f"{example.summary}\n\n{DRAFT_SENTENCE}.")
    editor.get_by_role("button", name="Save draft", exact=True).click()
    expect(editor.locator(".messagelist").first).to_contain_text("The site shows the published version")
    expect(editor.locator("#draft-notice")).to_contain_text("saved on")
    expect(summary).to_have_value(f"{example.summary}\n\n{DRAFT_SENTENCE}.")
    reader.reload()
    expect(shown).not_to_contain_text(DRAFT_SENTENCE)

    editor.get_by_role("button", name="Save draft and preview").click()
    expect(editor.locator("#preview-banner")).to_contain_text("Preview — not published.")
    expect(editor.locator(f"#{example.anchor}")).to_contain_text(DRAFT_SENTENCE)
    reader.reload()
    expect(shown).not_to_contain_text(DRAFT_SENTENCE)

    editor.go_back()
    editor.reload()
    editor.get_by_role("button", name="Publish", exact=True).click()
    expect(editor.locator(".messagelist").first).to_contain_text("was changed successfully")
    reader.reload()
    expect(shown).to_contain_text(DRAFT_SENTENCE)

    editor.goto("/admin/content/example/?draft=no&model=all")
    expect(editor.get_by_role("link", name="Customer service")).to_be_visible()
    assert editor.console_watch.csp_violations == []
