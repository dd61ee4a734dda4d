"""Big uploads at once stay within a memory budget: each server process decodes one image at a time."""

import io
import uuid
from concurrent.futures import ThreadPoolExecutor

from PIL import Image

from tests.served_site import Browser, served_site

SIDE = 5000  # 25 megapixels, the most an upload may have
DECODED_BYTES = SIDE * SIDE * 3
THREADS = 4


def big_png():
    """25 megapixels of smooth colour: a few hundred kilobytes to send, 75 MB once decoded."""
    gradient = Image.linear_gradient("L").resize((SIDE, SIDE))
    image = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.ROTATE_90), gradient))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def multipart_image(data):
    boundary = uuid.uuid4().hex
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\nA poster\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="poster.png"\r\n'
        "Content-Type: image/png\r\n\r\n"
    )
    return head.encode() + data + f"\r\n--{boundary}--\r\n".encode(), f"multipart/form-data; boundary={boundary}"


def upload(browser, body, content_type):
    headers = {"Content-Type": content_type, "X-CSRFToken": browser.csrf_cookie(), "Referer": browser.site.url}
    return browser.request("/markdownx/upload/", data=body, headers=headers)[0]


def test_uploads_at_once_to_one_process_take_no_more_memory_than_a_few_decoded_images(tmp_path):
    body, content_type = multipart_image(big_png())
    with served_site(tmp_path, GUNICORN_WORKERS="1", GUNICORN_THREADS=str(THREADS)) as site:
        editors = [Browser(site) for _ in range(THREADS)]
        for editor in editors:
            editor.sign_in_as_staff()
        before = site.peak_memory_bytes()
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            statuses = list(pool.map(lambda editor: upload(editor, body, content_type), editors))
        grown = site.peak_memory_bytes() - before

    assert statuses == [200] * THREADS
    # Four decoded at once took the process up by some 1,000 MB; one at a time, by under 300 MB.
    assert grown < 6 * DECODED_BYTES, f"{grown / 1e6:.0f} MB"
