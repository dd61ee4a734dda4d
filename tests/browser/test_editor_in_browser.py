import base64
import io
import re

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from content.models import Example

pytestmark = pytest.mark.django_db(transaction=True)

EDITOR_PERMISSIONS = ["view_example", "change_example", "view_outsourcingmodel", "view_question", "publish"]
NEW_SENTENCE = "Agents follow a tested script for every call"


def sign_in(page, user, password="a-long-test-password"):
    page.goto("/admin/")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=f"Edit {settings.SITE_NAME}")).to_be_visible()


@pytest.fixture
def example_editor(staff_user):
    """Staff with the content permissions this test needs. Not the Editors group: that comes from a data
    migration, and the flush after each live-server test empties it."""
    staff_user.user_permissions.set(Permission.objects.filter(codename__in=EDITOR_PERMISSIONS))
    return staff_user


def test_editor_changes_an_example_with_the_live_preview_and_the_admin_reports_no_csp_violation(
    site, make_page, example_editor
):
    example = Example.objects.get(slug="customer-service")
    page = make_page()
    sign_in(page, example_editor)

    response = page.goto("/admin/content/example/")
    assert "style-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("link", name="Customer service")).to_be_visible()
    bpo_examples = Example.objects.filter(outsourcing_model__slug="bpo").count()
    expect(page.locator("#result_list .drag.handle")).to_have_count(bpo_examples)
    page.get_by_role("link", name="Customer service").click()
    summary = page.locator("textarea#id_summary")
    preview = page.locator(".markdownx-preview").first
    expect(summary).to_be_visible()

    summary.click()
    page.keyboard.press("Control+End")
    page.keyboard.type(f"\n\n**{NEW_SENTENCE}.**")
    expect(preview.locator("strong")).to_have_text(f"{NEW_SENTENCE}.")

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"/bpo/#{example.anchor}")
    expect(page.locator(f"#{example.anchor} strong")).to_have_text(f"{NEW_SENTENCE}.")
    example.refresh_from_db()
    assert example.summary.endswith(f"**{NEW_SENTENCE}.**")

    for admin_page in ["/admin/content/example/", "/admin/content/outsourcingmodel/", "/admin/quiz/question/"]:
        response = page.goto(admin_page)
        assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.console_watch.csp_violations == []


def test_two_editors_open_one_example_and_the_second_save_is_refused_with_its_text_kept(
    site, make_page, example_editor, django_user_model
):
    other = django_user_model.objects.create_user("anna", password="a-long-test-password", is_staff=True)
    other.user_permissions.set(example_editor.user_permissions.all())
    example = Example.objects.get(slug="customer-service")
    first, second = make_page(), make_page()
    sign_in(first, example_editor)
    sign_in(second, other)
    change_form = f"/admin/content/example/{example.pk}/change/"
    first.goto(change_form)
    second.goto(change_form)
    expect(second.locator("#also-editing")).to_contain_text("Also being edited by editor")

    first.locator("textarea#id_summary").fill("The first editor's summary.")
    first.get_by_role("button", name="Publish", exact=True).click()
    expect(first.locator(".messagelist")).to_contain_text("was changed successfully")

    second.locator("textarea#id_summary").fill("The second editor's summary.")
    second.get_by_role("button", name="Publish", exact=True).click()
    expect(second.locator(".errornote, .errorlist").first).to_be_visible()
    expect(second.locator(".errorlist")).to_contain_text("editor saved this example")
    expect(second.locator("textarea#id_summary")).to_have_value("The second editor's summary.")
    example.refresh_from_db()
    assert example.summary == "The first editor's summary."
    assert second.console_watch.csp_violations == []


# The page's width and the results table's box (the admin scrolls the table inside it), as [scroll, visible].
SCROLL_WIDTHS = """[document.documentElement, ...document.querySelectorAll('#changelist .results')].map(
    element => [element.scrollWidth, element.clientWidth])"""


def admin_changelists():
    """The list page of every model the admin shows."""
    return [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") for model in admin.site._registry
    ]


def test_every_admin_list_fits_a_1280_pixel_window_with_updated_at_and_item_analysis_in_view(
    site, make_page, admin_user
):
    page = make_page(viewport={"width": 1280, "height": 800})
    sign_in(page, admin_user, password="password")
    overflowing = {}
    for url in admin_changelists():
        page.goto(url)
        widths = page.evaluate(SCROLL_WIDTHS)
        if any(scroll > client for scroll, client in widths):
            overflowing[url] = widths
    assert overflowing == {}, overflowing
    for url in ["/admin/content/example/", "/admin/content/section/", "/admin/content/benefit/"]:
        page.goto(url)
        expect(page.locator("th.column-updated_at")).to_be_in_viewport()
    page.goto("/admin/quiz/quiz/")
    expect(page.get_by_role("link", name="Question statistics")).to_be_in_viewport()
    assert page.console_watch.csp_violations == []


def test_the_first_edit_of_a_shipped_example_is_undone_through_history(site, make_page, example_editor):
    example = Example.objects.get(slug="customer-service")
    shipped = example.summary
    page = make_page()
    sign_in(page, example_editor)
    page.goto(f"/admin/content/example/{example.pk}/change/")
    page.locator("textarea#id_summary").fill("A first edit that the editor regrets.")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"/admin/content/example/{example.pk}/history/")
    page.get_by_role("row", name="Loaded from the content files").get_by_role("link").click()
    expect(page.locator("#version-differences")).to_contain_text("A first edit that the editor regrets.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(f"/bpo/#{example.anchor}")
    expect(page.locator(f"#{example.anchor}")).not_to_contain_text("A first edit that the editor regrets.")
    example.refresh_from_db()
    assert example.summary == shipped
    assert page.console_watch.csp_violations == []


def test_examples_are_reordered_without_javascript(site, make_page, example_editor):
    bpo = list(Example.objects.filter(outsourcing_model__slug="bpo").order_by("position", "pk"))
    page = make_page(java_script_enabled=False)
    sign_in(page, example_editor)
    page.goto("/admin/content/example/")
    first_row, last_row = page.locator("#result_list tbody tr").first, page.locator("#result_list tbody tr").last
    first_row.get_by_role("spinbutton").fill(str(bpo[-1].position + 1))
    last_row.get_by_role("spinbutton").fill("0")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("were changed successfully")

    reordered = [example.slug for example in Example.objects.filter(outsourcing_model__slug="bpo").order_by("position")]
    assert reordered[0] == bpo[-1].slug and reordered[-1] == bpo[0].slug
    page.goto("/bpo/")
    anchors = page.locator("article[id], section[id], li[id]").evaluate_all("nodes => nodes.map(node => node.id)")
    shown = [anchor for anchor in anchors if anchor in {example.anchor for example in bpo}]
    assert shown[0] == bpo[-1].anchor and shown[-1] == bpo[0].anchor


def test_an_image_is_inserted_by_keyboard_described_and_shown_with_its_size(
    site, make_page, example_editor, media_root, tmp_path
):
    picture = tmp_path / "cost-chart.png"
    Image.new("RGB", (120, 80), "teal").save(picture)
    example = Example.objects.get(slug="customer-service")
    page = make_page()
    sign_in(page, example_editor)
    # Playwright asks the browser to report file choosers without waiting for its answer; asked this early, the
    # chooser that Space opens below cannot come before the browser reports them.
    page.on("filechooser", lambda chooser: None)
    page.goto(f"/admin/content/example/{example.pk}/change/")
    summary = page.locator("textarea#id_summary")
    expect(page.get_by_text("You will be asked to describe it").first).to_be_visible()
    page.get_by_label("Overview line").focus()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Insert image").first).to_be_focused()
    with page.expect_file_chooser() as chooser:
        page.keyboard.press("Space")
    chooser.value.set_files(picture)

    alt = page.get_by_role("textbox", name="Alt text")
    expect(alt).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator(".markdown-image-describe .errornote")).to_contain_text("Describe the image")
    page.keyboard.type("Cost of BPO and KPO work compared")
    page.keyboard.press("Enter")
    inserted = r'!\[Cost of BPO and KPO work compared\]\(/media/[^)]+\)\{: width="120" height="80"\}$'
    expect(summary).to_have_value(re.compile(inserted))
    expect(page.locator(".markdownx-preview img").first).to_have_attribute("width", "120")

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto("/bpo/")
    image = page.locator(f"#{example.anchor} img")
    expect(image).to_have_attribute("alt", "Cost of BPO and KPO work compared")
    expect(image).to_have_attribute("width", "120")
    expect(image).to_have_attribute("height", "80")
    assert page.evaluate(f"document.querySelector('#{example.anchor} img').naturalWidth") == 120
    assert page.console_watch.csp_violations == []


# Hands the editor's text box an image file the way a browser does when one is dropped on it or pasted into it.
HAND_OVER_IMAGE = """([how, selector, name, base64]) => {
    const bytes = Uint8Array.from(atob(base64), character => character.charCodeAt(0));
    const files = new DataTransfer();
    files.items.add(new File([bytes], name, {type: "image/png"}));
    const target = document.querySelector(selector);
    const event = how === "drop"
        ? new DragEvent("drop", {dataTransfer: files, bubbles: true, cancelable: true})
        : new ClipboardEvent("paste", {clipboardData: files, bubbles: true, cancelable: true});
    target.dispatchEvent(event);
    return event.defaultPrevented;
}"""


@pytest.mark.parametrize("how", ["drop", "paste"])
def test_an_image_dropped_or_pasted_into_the_text_asks_for_alt_text_and_is_shown_with_its_size(
    site, make_page, example_editor, media_root, how
):
    picture = io.BytesIO()
    Image.new("RGB", (96, 64), "navy").save(picture, format="PNG")
    example = Example.objects.get(slug="data-entry")
    page = make_page()
    sign_in(page, example_editor)
    page.goto(f"/admin/content/example/{example.pk}/change/")
    summary = page.locator("textarea#id_summary")
    shipped = summary.input_value()

    taken = page.evaluate(
        HAND_OVER_IMAGE, [how, "textarea#id_summary", "IMG_0042.png", base64.b64encode(picture.getvalue()).decode()]
    )

    assert taken is True
    alt = page.get_by_role("textbox", name="Alt text")
    expect(alt).to_be_focused()
    expect(alt).to_have_value("")
    expect(page.locator(".markdown-image-describe legend")).to_contain_text("IMG_0042.png")
    expect(summary).to_have_value(shipped)
    page.keyboard.type("Records typed from paper forms into a database")
    page.keyboard.press("Enter")
    inserted = r'!\[Records typed from paper forms into a database\]\(/media/[^)]+\)\{: width="96" height="64"\}$'
    expect(summary).to_have_value(re.compile(inserted))
    assert "IMG_0042" not in summary.input_value()

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    page.goto("/bpo/")
    image = page.locator(f"#{example.anchor} img")
    expect(image).to_have_attribute("alt", "Records typed from paper forms into a database")
    expect(image).to_have_attribute("width", "96")
    expect(image).to_have_attribute("height", "64")
    assert page.evaluate(f"document.querySelector('#{example.anchor} img').naturalHeight") == 64
    assert page.console_watch.csp_violations == []
