"""The site's one Markdown renderer: Markdown to HTML, sanitized against an allow-list.

Models store its output at save time, and the admin's live preview calls it too,
so what an editor previews is exactly what a reader gets.

Python-Markdown needs time that grows with the square of the length for some texts (runs of unclosed
``[`` or ``![``, among others), so a text is refused if it is longer than ``MARKDOWN_MAX_CHARACTERS``
or if its conversion, run in a helper process, takes longer than ``MARKDOWN_RENDER_SECONDS``.
"""

import markdown
import nh3
from django.conf import settings
from django.core.exceptions import ValidationError

from editorial.rendering import remembered
from editorial.time_limited import TimeLimitedFunction, TimeLimitExceeded

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h3",
    "h4",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title", "width", "height"},
    "th": {"scope"},
    "td": set(),
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
MARKDOWN_EXTENSIONS = ["extra", "sane_lists"]

TOO_LONG = "Markdown text can be at most {limit:,} characters long; this text has {length:,}. Shorten it or split it."
TOO_SLOW = (
    "This text could not be formatted in time (within {seconds} seconds). Some Markdown takes very long to read, "
    "e.g. unclosed [ or ![ brackets repeated many times: close each bracket, or write \\[ for a bracket of its own."
)
TOO_DEEP = (
    "This text could not be formatted: it nests lists or quotes too deeply (e.g. hundreds of “1. ” or “> ” on one "
    "line). Flatten it."
)


def convert(text):
    """Markdown to sanitized HTML, with no limits: run it only through ``render_markdown``."""
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
    )


# One of each construct the extensions add, so that a fresh helper has imported and compiled what they need.
WARM_UP = "# A\n\n*a* **b** [c](/d) ![e](/f.png) `g`\n\n- h\n\n1. i\n\n> j\n\n| k |\n|---|\n| l |\n\nm[^1]\n\n[^1]: n\n"

converter = TimeLimitedFunction(convert, warm_up=WARM_UP)


@remembered
def render_markdown(text):
    """Return sanitized HTML for ``text``; the empty string for empty input.

    Refuses, with a ``ValidationError`` an editor can act on, a text over the size cap, one whose
    conversion overruns the time limit, and one nested deeper than Python-Markdown can recurse.
    """
    if not text:
        return ""
    limit = settings.MARKDOWN_MAX_CHARACTERS
    if len(text) > limit:
        raise ValidationError(TOO_LONG.format(limit=limit, length=len(text)), code="markdown_too_long")
    seconds = settings.MARKDOWN_RENDER_SECONDS
    try:
        return converter.call(text, seconds)
    except TimeLimitExceeded:
        raise ValidationError(TOO_SLOW.format(seconds=seconds), code="markdown_too_slow") from None
    except RecursionError:
        raise ValidationError(TOO_DEEP, code="markdown_too_deep") from None
