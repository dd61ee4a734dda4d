"""Images editors drop into the Markdown editor: decoded, checked and re-encoded before anything is stored.

Nothing about an upload is trusted: not its name, not the content type the browser sent. The file is
decoded with Pillow; only PNG, JPEG and WebP within the size and pixel limits get through, and what is
stored is a fresh encoding of the decoded pixels under a random name whose extension comes from the
decoded format.
"""

import re
import struct
import threading
import uuid
import zlib
from contextlib import contextmanager
from io import BytesIO

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

STORED_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}
LARGEST_SIDE = 2000
JPEG_AND_WEBP_QUALITY = 85

# One image decoded at a time in each process: a 25-megapixel image holds some 100 MB while it is decoded and
# scaled, and eight uploads at once took two workers to some 2 GB. The others wait their turn, this long at most.
DECODING = threading.BoundedSemaphore(1)
DECODE_WAIT_SECONDS = 20

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type: grey, RGB, palette, grey and alpha, RGBA
# (first column, first row, column step, row step) of each pass of an interlaced PNG
ADAM7_PASSES = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
WHOLE_IMAGE_PASS = ((0, 0, 1, 1),)
INFLATE_STEP_BYTES = 1024 * 1024


class RejectedImage(Exception):
    """The upload is not an image we store; ``message`` says why, in words an editor understands."""

    def __init__(self, message):
        self.message = message
        super().__init__(message)


def megabytes(size):
    return f"{size / 1024 / 1024:.0f} MB"


def decode(upload):
    """The decoded, fully loaded image in ``upload``, or RejectedImage."""
    max_bytes = settings.MARKDOWN_IMAGE_MAX_BYTES
    if upload.size > max_bytes:
        raise RejectedImage(
            f"This file is {upload.size / 1024 / 1024:.1f} MB; images can be at most {megabytes(max_bytes)}."
        )
    unreadable = RejectedImage("This image is damaged and cannot be read. Save it again as PNG or JPEG and retry.")
    try:
        upload.seek(0)
        image_format = verify(Image.open(upload, formats=list(STORED_FORMATS))).format
        if image_format == "PNG" and not png_has_every_row(upload):
            raise unreadable
        upload.seek(0)
        return load(Image.open(upload, formats=list(STORED_FORMATS)))
    except UnidentifiedImageError:
        raise RejectedImage(
            "Only PNG, JPEG and WebP images can be uploaded, and this file is not one (or it is damaged). "
            "SVG, GIF and other files are not accepted: export the picture as PNG or JPEG and try again."
        ) from None
    except Image.DecompressionBombError:
        raise too_many_pixels() from None
    except RejectedImage:
        raise
    except Exception:  # a damaged file makes Pillow raise almost anything: OSError, SyntaxError, IndexError...
        raise unreadable from None


def too_many_pixels():
    limit = settings.MARKDOWN_IMAGE_MAX_PIXELS
    return RejectedImage(f"This image has too many pixels; the limit is {limit / 1_000_000:.0f} megapixels.")


def check_dimensions(image):
    if image.width * image.height > settings.MARKDOWN_IMAGE_MAX_PIXELS:
        raise too_many_pixels()
    return image


def verify(image):
    check_dimensions(image)
    image.verify()
    return image


def load(image):
    check_dimensions(image)
    if image.format == "JPEG":
        # Decoded straight at the smallest scale (1/2, 1/4 or 1/8) that still covers the stored copy: the whole
        # file is read all the same, into a fraction of the memory.
        image.draft(image.mode, stored_size(image))
    image.load()
    return image


def stored_size(image):
    scale = min(1, LARGEST_SIDE / max(image.size))
    return (round(image.width * scale), round(image.height * scale))


def png_has_every_row(file):
    """Whether a PNG's compressed image data holds every row its header promises.

    Pillow's decoder stops without complaint where the data stops and leaves the rest of the picture blank, so
    a few hundred bytes could claim 25 megapixels and be stored. Counted in steps, never held in memory at once.
    """
    missing = None
    inflater = zlib.decompressobj()
    for kind, data in png_chunks(file):
        if kind == b"IHDR":
            width, height, bit_depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", data)
            missing = png_image_data_size(width, height, bit_depth * PNG_CHANNELS[colour_type], interlace == 1)
        elif kind == b"IDAT" and missing is not None:
            while data and missing > 0:
                missing -= len(inflater.decompress(data, INFLATE_STEP_BYTES))
                data = inflater.unconsumed_tail
    return missing is not None and missing <= 0


def png_chunks(file):
    """(type, data) of each chunk of the PNG in ``file``, up to IEND; verify() has checked their CRCs."""
    file.seek(len(PNG_SIGNATURE))
    while header := file.read(8):
        length, kind = struct.unpack(">I4s", header)
        yield kind, file.read(length)
        file.read(4)
        if kind == b"IEND":
            return


def png_image_data_size(width, height, bits_per_pixel, interlaced):
    """The bytes of a PNG's decompressed image data: every row of every pass, each with its filter byte."""
    size = 0
    for left, top, step_x, step_y in ADAM7_PASSES if interlaced else WHOLE_IMAGE_PASS:
        columns, rows = -(-(width - left) // step_x), -(-(height - top) // step_y)
        if columns > 0 and rows > 0:
            size += rows * (1 + (columns * bits_per_pixel + 7) // 8)
    return size


def reencode(image):
    """(bytes, extension) of a fresh encoding of ``image`` in its own format, metadata dropped."""
    image_format = image.format
    ImageOps.exif_transpose(image, in_place=True)
    image.thumbnail((LARGEST_SIDE, LARGEST_SIDE))
    buffer = BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(buffer, "JPEG", quality=JPEG_AND_WEBP_QUALITY, optimize=True)
    elif image_format == "WEBP":
        mode = "RGBA" if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info else "RGB"
        image.convert(mode).save(buffer, "WEBP", quality=JPEG_AND_WEBP_QUALITY)
    else:
        if image.mode not in {"1", "L", "LA", "P", "RGB", "RGBA"}:
            image = image.convert("RGBA")
        image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue(), STORED_FORMATS[image_format][0]


def markdown_alt(alt):
    """``alt`` (one line already) written so that Markdown reads it back as it is, brackets included."""
    return re.sub(r"([\\\[\]])", r"\\\1", alt)


@contextmanager
def one_decode_at_a_time():
    if not DECODING.acquire(timeout=DECODE_WAIT_SECONDS):
        raise RejectedImage("The site is busy with other images just now; please try again in a moment.")
    try:
        yield
    finally:
        DECODING.release()


def web_copy(upload):
    """(bytes, extension, (width, height)) of ``upload`` decoded, checked and re-encoded; its pixels are freed when
    this returns."""
    with one_decode_at_a_time():
        return reencode_or_refuse(decode(upload))


def reencode_or_refuse(image):
    try:
        data, extension = reencode(image)
    except (OSError, ValueError):
        raise RejectedImage(
            "This image could not be converted for the web; export it as PNG or JPEG and try again."
        ) from None
    return data, extension, image.size


def store_markdown_image(upload, alt):
    """Check, re-encode and store ``upload``; return the Markdown that shows it with ``alt``. Raises RejectedImage.

    The Markdown carries the stored copy's width and height (Python-Markdown's attribute lists), so the page
    keeps the image's place while it loads.
    """
    data, extension, (width, height) = web_copy(upload)
    name = default_storage.save(f"{settings.MARKDOWN_IMAGE_DIR}/{uuid.uuid4().hex}.{extension}", ContentFile(data))
    return f'![{markdown_alt(alt)}]({default_storage.url(name)}){{: width="{width}" height="{height}"}}'
