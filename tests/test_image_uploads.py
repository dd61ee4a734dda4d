import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from content.markdown import render_markdown

pytestmark = pytest.mark.django_db

UPLOAD = "/markdownx/upload/"


def encoded(image_format, size=(40, 30), mode="RGB", **save_options):
    buffer = io.BytesIO()
    Image.new(mode, size, "teal" if mode != "1" else 0).save(buffer, image_format, **save_options)
    return buffer.getvalue()


def upload(client, data, name, content_type, **description):
    """Upload an image as the editor's “Insert image” does, described by ``description`` (alt text by default)."""
    fields = description or {"alt": "A chart"}
    return client.post(UPLOAD, {"image": SimpleUploadedFile(name, data, content_type=content_type), **fields})


def stored_files(media_root):
    return sorted(path.relative_to(media_root) for path in media_root.rglob("*") if path.is_file())


def stored_url(response):
    return response.json()["image_code"].split("](")[1].split(")")[0]


def png_with_text_chunk():
    info = PngInfo()
    info.add_text("Comment", "<script>alert(1)</script>")
    return encoded("PNG", pnginfo=info)


def jpeg_with_exif():
    exif = Image.Exif()
    exif[0x010E] = "secret camera notes"
    return encoded("JPEG", exif=exif.tobytes())


@pytest.mark.parametrize(
    "data, name, content_type, extension, kept_out",
    [
        (png_with_text_chunk(), "cost chart.png", "image/png", ".png", b"<script>"),
        (jpeg_with_exif(), "team-photo.jpeg", "image/jpeg", ".jpg", b"secret camera notes"),
        (encoded("WEBP"), "diagram.webp", "image/webp", ".webp", None),
    ],
)
def test_valid_images_are_re_encoded_and_stored_under_a_random_name(
    editor_client, media_root, data, name, content_type, extension, kept_out
):
    response = upload(editor_client, data, name, content_type)
    assert response.status_code == 200
    [stored] = stored_files(media_root)
    assert stored.suffix == extension
    assert stored.stem not in name and len(stored.stem) == 32
    stored_bytes = (media_root / stored).read_bytes()
    assert stored_bytes != data
    if kept_out:
        assert kept_out in data and kept_out not in stored_bytes
    with Image.open(media_root / stored) as image:
        assert image.size == (40, 30)
    alt = "A chart"
    code = response.json()["image_code"]
    assert code == f'![{alt}](/media/{stored.as_posix()}){{: width="40" height="30"}}'
    assert render_markdown(code) == f'<p><img alt="{alt}" height="30" src="/media/{stored.as_posix()}" width="40"></p>'


def test_a_large_image_carries_the_size_it_is_stored_at(editor_client, media_root):
    response = upload(editor_client, encoded("PNG", size=(3000, 1500)), "wide.png", "image/png")
    assert response.status_code == 200
    assert response.json()["image_code"].endswith('{: width="2000" height="1000"}')


def test_the_stored_format_comes_from_the_decoded_file_not_its_name(editor_client, media_root):
    response = upload(editor_client, encoded("PNG"), "photo.jpg", "image/jpeg")
    assert response.status_code == 200
    [stored] = stored_files(media_root)
    assert stored.suffix == ".png"


def test_large_images_are_scaled_down_for_the_web(editor_client, media_root):
    assert upload(editor_client, encoded("PNG", size=(3000, 1500)), "wide.png", "image/png").status_code == 200
    [stored] = stored_files(media_root)
    with Image.open(media_root / stored) as image:
        assert image.size == (2000, 1000)


def bomb_png():
    """Tiny on disk, 196 million pixels once decoded: more than twice Pillow's own limit."""
    return encoded("PNG", size=(14_000, 14_000), mode="1")


def noise_png(megabytes):
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    buffer = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(buffer, "PNG", compress_level=0)
    return buffer.getvalue()


def png_with_rows(width, height, rows, interlaced=False, image_data_first=False):
    """An RGB PNG whose header claims ``width`` x ``height`` and whose image data holds ``rows``, a list of
    (pixels in the row, number of such rows): the rows of every pass, for an interlaced one."""
    raw = b"".join(b"\0" + b"\x80" * 3 * pixels for pixels, count in rows for _ in range(count))
    header = (b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 1 if interlaced else 0))
    image_data = (b"IDAT", zlib.compress(raw))
    chunks = [image_data, header] if image_data_first else [header, image_data]
    return b"\x89PNG\r\n\x1a\n" + b"".join(
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        for kind, data in [*chunks, (b"IEND", b"")]
    )


# The seven passes of an interlaced 3 x 3 image, worked out by hand from the PNG specification: passes 2 and 3
# are empty, then 1 x 1, 2 x 1, 1 x 2 and 3 x 1 pixels.
INTERLACED_3_BY_3_PASSES = [(1, 1), (1, 1), (2, 1), (1, 2), (3, 1)]


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><rect width="10" height="10"/></svg>'


@pytest.mark.parametrize(
    "data, name, content_type, message",
    [
        (SVG, "logo.svg", "image/svg+xml", "Only PNG, JPEG and WebP images can be uploaded"),
        (encoded("GIF"), "anim.gif", "image/gif", "Only PNG, JPEG and WebP images can be uploaded"),
        (
            b"<html><script>alert(1)</script></html>",
            "x.gif",
            "image/gif",
            "Only PNG, JPEG and WebP images can be uploaded",
        ),
        (encoded("PNG")[:60], "broken.png", "image/png", "damaged"),
        (encoded("PNG")[:20] + b"\x00" * 200, "garbled.png", "image/png", "damaged"),
        # A few kilobytes over 5 MB, less than a form's overhead: the body is read and the file refused by size.
        (noise_png(5), "huge.png", "image/png", "images can be at most 5 MB"),
        (bomb_png(), "bomb.png", "image/png", "too many pixels"),
        (png_with_rows(5000, 4999, [(5000, 10)]), "damaged.png", "image/png", "damaged"),
        (png_with_rows(3, 3, INTERLACED_3_BY_3_PASSES[:-1], interlaced=True), "pass.png", "image/png", "damaged"),
        (png_with_rows(4, 4, [(4, 4)], image_data_first=True), "jumbled.png", "image/png", "damaged"),
        (encoded("PNG", size=(6000, 5000), mode="1"), "poster.png", "image/png", "too many pixels"),
    ],
    ids=[
        "svg",
        "gif",
        "html-as-gif",
        "truncated-png",
        "corrupt-png",
        "over-5-mb",
        "decompression-bomb",
        "header-claims-5000x4999-data-holds-10-rows",
        "interlaced-missing-its-last-pass",
        "image-data-before-header",
        "over-25-megapixels",
    ],
)
def test_refused_uploads_get_a_clear_message_and_store_nothing(
    editor_client, media_root, data, name, content_type, message
):
    response = upload(editor_client, data, name, content_type)
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert stored_files(media_root) == []


def test_a_png_with_every_row_is_accepted_interlaced_or_not(editor_client, media_root):
    for data in (png_with_rows(3, 3, INTERLACED_3_BY_3_PASSES, interlaced=True), png_with_rows(300, 200, [(300, 200)])):
        assert upload(editor_client, data, "whole.png", "image/png").status_code == 200
    assert len(stored_files(media_root)) == 2


def test_an_image_far_over_the_limit_is_refused_unread_in_words_the_editors_script_shows(editor_client, media_root):
    response = editor_client.post(
        UPLOAD,
        {"image": SimpleUploadedFile("photo.png", noise_png(6), content_type="image/png"), "alt": "Noise"},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )

    assert response.status_code == 413
    assert "at most 5 MB" in response.json()["error"]
    assert stored_files(media_root) == []


def test_stored_images_are_served_with_their_type_and_nosniff(editor_client, client, media_root):
    url = stored_url(upload(editor_client, encoded("JPEG"), "photo.jpg", "image/jpeg"))
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == next(media_root.rglob("*.jpg")).read_bytes()


@pytest.mark.parametrize(
    "path",
    ["/media/markdown-images/missing.png", "/media/notes.html", "/media/../manage.py", "/media/%2e%2e/manage.py"],
)
def test_only_stored_images_are_served_from_media(client, media_root, path):
    (media_root / "notes.html").write_text("<script>alert(1)</script>")
    assert client.get(path).status_code == 404


@pytest.mark.parametrize(
    "description, message",
    [
        ({}, "Describe the image for readers who cannot see it"),
        ({"alt": "   \n  "}, "Describe the image for readers who cannot see it"),
        ({"decorative": "yes"}, "Describe the image for readers who cannot see it"),
        ({"decorative": ""}, "Describe the image for readers who cannot see it"),
        ({"alt": "A chart", "decorative": "on"}, "A decorative image has no description"),
        ({"alt": "x" * 251}, "Keep the alt text to 250 characters or fewer"),
    ],
)
def test_an_image_without_alt_text_or_explicitly_decorative_is_refused(editor_client, media_root, description, message):
    data = {"image": SimpleUploadedFile("chart.png", encoded("PNG"), content_type="image/png"), **description}
    response = editor_client.post(UPLOAD, data)
    assert response.status_code == 400
    assert message in response.json()["error"] and "Nothing was uploaded" in response.json()["error"]
    assert stored_files(media_root) == []


def test_a_decorative_image_has_an_empty_alt(editor_client, media_root):
    code = upload(editor_client, encoded("PNG"), "rule.png", "image/png", decorative="on").json()["image_code"]
    assert render_markdown(code).startswith('<p><img alt="" height="30"')


def test_alt_text_is_kept_as_typed_on_one_line(editor_client, media_root):
    alt = "Cost [2024] of\n BPO \\ KPO"
    code = upload(editor_client, encoded("PNG"), "c.png", "image/png", alt=alt).json()["image_code"]
    assert 'alt="Cost [2024] of BPO \\ KPO"' in render_markdown(code)
