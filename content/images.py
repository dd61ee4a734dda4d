"""Images editors drop into the Markdown editor: decoded, checked and re-encoded before anything is stored.

Nothing about an upload is trusted: not its name, not the content type the browser sent. The file is
decoded with Pillow; only PNG, JPEG and WebP within the size and pixel limits get through, and what is
stored is a fresh encoding of the decoded pixels under a random name whose extension comes from the
decoded format.
"""

import re
import uuid
from io import BytesIO
from pathlib import PurePath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps, UnidentifiedImageError

STORED_FORMATS = {"PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg"), "WEBP": ("webp", "image/webp")}
LARGEST_SIDE = 2000
JPEG_AND_WEBP_QUALITY = 85


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
        for check in (verify, load):
            upload.seek(0)
            image = check(Image.open(upload, formats=list(STORED_FORMATS)))
    except UnidentifiedImageError:
        raise RejectedImage(
            "Only PNG, JPEG and WebP images can be uploaded, and this file is not one (or it is damaged). "
            "SVG, GIF and other files are not accepted: export the picture as PNG or JPEG and try again."
        ) from None
    except Image.DecompressionBombError:
        raise too_many_pixels() from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise unreadable from None
    return image


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
    image.load()
    return image


def reencode(image):
    """(bytes, extension) of a fresh encoding of ``image`` in its own format, metadata dropped."""
    image_format = image.format
    image = ImageOps.exif_transpose(image)
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


def alt_text_from(file_name):
    words = re.sub(r"[\W_]+", " ", PurePath(file_name or "").stem).strip()
    return words or "Image"


def store_markdown_image(upload):
    """Check, re-encode and store ``upload``; return the Markdown that shows it. Raises RejectedImage."""
    image = decode(upload)
    try:
        data, extension = reencode(image)
    except (OSError, ValueError):
        raise RejectedImage(
            "This image could not be converted for the web; export it as PNG or JPEG and try again."
        ) from None
    name = default_storage.save(f"{settings.MARKDOWN_IMAGE_DIR}/{uuid.uuid4().hex}.{extension}", ContentFile(data))
    return f"![{alt_text_from(upload.name)}]({default_storage.url(name)})"
