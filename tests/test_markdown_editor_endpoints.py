import pytest

from content.markdown import render_markdown
from content.models import OutsourcingModel
from tests.html_pages import parse

pytestmark = pytest.mark.django_db

PREVIEW = "/markdownx/markdownify/"
UPLOAD = "/markdownx/upload/"


@pytest.fixture
def reader_client(client, reader_user):
    client.force_login(reader_user)
    return client


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_anonymous_visitors_are_refused_without_a_render(client, url):
    response = client.post(url, {"content": "**bold**"})
    assert response.status_code == 403
    assert b"<strong>" not in response.content


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_signed_in_readers_who_are_not_staff_are_refused(reader_client, url):
    response = reader_client.post(url, {"content": "**bold**"})
    assert response.status_code == 403
    assert b"<strong>" not in response.content


def test_deactivated_staff_are_refused(client, staff_user):
    client.force_login(staff_user)
    staff_user.is_active = False
    staff_user.save()
    assert client.post(PREVIEW, {"content": "**bold**"}).status_code == 403


def test_the_preview_is_the_readers_rendering(editor_client):
    markdown = "Some **bold** text and [a link](https://example.com/)."
    response = editor_client.post(PREVIEW, {"content": markdown})
    assert response.status_code == 200
    assert response.content.decode() == render_markdown(markdown)
    assert "<strong>bold</strong>" in parse(response)


@pytest.mark.parametrize(
    "markdown, forbidden",
    [
        ("Hi <script>alert(1)</script>", "<script"),
        ('<img src="/media/a.png" onerror="alert(1)">', "onerror"),
        ("[click](javascript:alert(1))", "javascript:"),
        ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ],
)
def test_the_preview_strips_dangerous_markup(editor_client, markdown, forbidden):
    response = editor_client.post(PREVIEW, {"content": markdown})
    assert response.status_code == 200
    assert forbidden not in response.content.decode().lower()


def test_a_preview_without_content_is_a_bad_request(editor_client):
    response = editor_client.post(PREVIEW, {"text": "**bold**"})
    assert response.status_code == 400
    assert "content" in response.content.decode()


def test_an_empty_preview_renders_nothing(editor_client):
    response = editor_client.post(PREVIEW, {"content": ""})
    assert response.status_code == 200 and response.content == b""


@pytest.mark.parametrize("url", [PREVIEW, UPLOAD])
def test_the_endpoints_only_take_posts(editor_client, url):
    assert editor_client.get(url, {"content": "x"}).status_code == 405


def test_an_upload_without_a_file_is_a_bad_request(editor_client, media_root):
    response = editor_client.post(UPLOAD, {"picture": "x"})
    assert response.status_code == 400
    assert response.json() == {"error": "Choose an image file to upload."}


def test_the_admin_editor_posts_to_our_endpoints_and_loads_the_row_script(admin_client, shipped_content):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    page = parse(admin_client.get(f"/admin/content/outsourcingmodel/{bpo.pk}/change/"))
    editors = page.find_all(class_="markdownx")
    assert len(editors) >= 1 + 5 + 1
    for editor in editors:
        textarea = editor.find("textarea")
        assert textarea["data-markdownx-urls-path"] == PREVIEW
        assert textarea["data-markdownx-upload-urls-path"] == UPLOAD
    assert any(script["src"].endswith("js/markdown-editor.js") for script in page.find_all("script", src=True))


def test_every_markdown_field_has_an_insert_image_input_with_a_label_and_a_hint(admin_client, shipped_content):
    bpo = OutsourcingModel.objects.get(slug="bpo")
    page = parse(admin_client.get(f"/admin/content/outsourcingmodel/{bpo.pk}/change/"))
    for editor in page.find_all(class_="markdownx"):
        file_input = editor.find("input", type="file")
        assert file_input["accept"] == "image/png,image/jpeg,image/webp"
        assert editor.find("label", **{"for": file_input["id"]}).text == "Insert image"
        assert "asked to describe it" in editor.find(id=file_input["aria-describedby"]).text
