"""Draw the site's favicon PNGs and its Open Graph image into static/img/.

Run after changing the brand colours or the wording: .venv/bin/python scripts/draw_images.py
Uses only Pillow and its bundled font, so the pictures are ours and come out the same everywhere.
"""

import os
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
IMG_DIR = ROOT / "static" / "img"

INK = (29, 35, 32)
PAPER = (253, 253, 251)
ACCENT = (11, 93, 75)
ROUTINE = (183, 215, 204)
KNOWLEDGE = (240, 170, 60)
MUTED = (85, 96, 90)


def site_name():
    """The name the site calls itself (settings.SITE_NAME)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "outsourcing_site.settings")
    from django.conf import settings

    return settings.SITE_NAME


def font(size):
    return ImageFont.load_default(size=size)


def draw_mark(draw, left, top, size):
    """The logo: a tile with three routine bars and one knowledge dot (static/img/favicon.svg, scaled)."""
    unit = size / 32
    draw.rounded_rectangle((left + 2 * unit, top + 2 * unit, left + 30 * unit, top + 30 * unit), 7 * unit, fill=ACCENT)
    for bar_top in (9, 14.5, 20):
        box = (left + 7 * unit, top + bar_top * unit, left + 15 * unit, top + (bar_top + 3) * unit)
        draw.rounded_rectangle(box, 1.5 * unit, fill=ROUTINE)
    centre_x, centre_y, radius = left + 22 * unit, top + 16 * unit, 5.5 * unit
    draw.ellipse((centre_x - radius, centre_y - radius, centre_x + radius, centre_y + radius), fill=KNOWLEDGE)


def icon(size):
    scale = 4
    image = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    draw_mark(ImageDraw.Draw(image), 0, 0, size * scale)
    return image.resize((size, size), Image.LANCZOS)


def model_card(draw, left, top, abbreviation, name, examples, colour):
    draw.rounded_rectangle((left, top, left + 500, top + 250), 24, fill=(255, 255, 255), outline=colour, width=6)
    draw.text((left + 36, top + 28), abbreviation, font=font(72), fill=INK, stroke_width=2, stroke_fill=INK)
    draw.text((left + 36, top + 118), name, font=font(30), fill=MUTED)
    for index, example in enumerate(examples):
        line_top = top + 166 + index * 34
        draw.ellipse((left + 38, line_top + 10, left + 48, line_top + 20), fill=colour)
        draw.text((left + 60, line_top), example, font=font(26), fill=INK)


def og_image():
    width, height = 1200, 630
    image = Image.new("RGB", (width, height), PAPER)
    draw = ImageDraw.Draw(image)
    draw_mark(draw, 64, 52, 72)
    draw.text((152, 66), site_name(), font=font(40), fill=ACCENT, stroke_width=1, stroke_fill=ACCENT)
    draw.text((64, 150), "BPO vs KPO: how the two kinds of outsourcing differ", font=font(44), fill=INK)
    model_card(
        draw,
        64,
        240,
        "BPO",
        "Business Process Outsourcing",
        ["Routine, rule-based work", "Volume and accuracy"],
        ROUTINE,
    )
    model_card(
        draw,
        636,
        240,
        "KPO",
        "Knowledge Process Outsourcing",
        ["Expert, analytical work", "Judgment and insight"],
        KNOWLEDGE,
    )
    bar_top = 540
    for x in range(64, width - 64):
        share = (x - 64) / (width - 128)
        colour = tuple(round(a + (b - a) * share) for a, b in zip(ROUTINE, KNOWLEDGE, strict=True))
        draw.line((x, bar_top, x, bar_top + 16), fill=colour)
    draw.text((64, 570), "routine", font=font(28), fill=MUTED)
    label = "knowledge-intensive"
    draw.text((width - 64 - draw.textlength(label, font=font(28)), 570), label, font=font(28), fill=MUTED)
    return image


def main():
    IMG_DIR.mkdir(parents=True, exist_ok=True)
    icon(32).save(IMG_DIR / "favicon.png", optimize=True)
    apple = Image.new("RGB", (180, 180), PAPER)
    apple.paste(icon(180), (0, 0), icon(180))
    apple.save(IMG_DIR / "apple-touch-icon.png", optimize=True)
    og_image().save(IMG_DIR / "og-image.png", optimize=True)


if __name__ == "__main__":
    main()
