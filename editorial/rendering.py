"""Markdown rendered before a transaction opens, so that the renders inside it are lookups.

SQLite takes its write lock when a transaction begins, so a render inside an admin save or a load would
keep every other writer waiting for as long as it takes. Within ``rendered_ahead()`` the site's renderer
(``settings.MARKDOWNX_MARKDOWNIFY_FUNCTION``, decorated with ``remembered``) keeps each outcome, a
refusal too, and gives it again for the same text: render every text a save will store first, then open
the transaction inside the block.
"""

import time
from contextlib import contextmanager, suppress
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

NOT_RENDERED = ValidationError(
    "Not checked: another text sent with this one took too long to format. Correct that one first.",
    code="markdown_not_rendered",
)

outcomes_in_this_block = ContextVar("markdown_rendered_ahead", default=None)


def remembered(render):
    """``render`` (text to HTML, refusing with ``ValidationError``), remembering outcomes in ``rendered_ahead()``."""

    @wraps(render)
    def render_or_remember(text):
        outcomes = outcomes_in_this_block.get()
        if outcomes is None:
            return render(text)
        if text not in outcomes:
            try:
                outcomes[text] = render(text)
            except ValidationError as refusal:
                outcomes[text] = refusal
        if isinstance(outcomes[text], ValidationError):
            raise ValidationError(outcomes[text].error_list)
        return outcomes[text]

    return render_or_remember


@contextmanager
def rendered_ahead():
    """A block in which the site's renderer remembers what it rendered; yields the renderer.

    A block inside another one shares its outcomes.
    """
    token = outcomes_in_this_block.set({}) if outcomes_in_this_block.get() is None else None
    try:
        yield import_string(settings.MARKDOWNX_MARKDOWNIFY_FUNCTION)
    finally:
        if token is not None:
            outcomes_in_this_block.reset(token)


def render_all(render, texts, seconds):
    """Render each of ``texts`` in a ``rendered_ahead()`` block, for at most about ``seconds`` in all.

    Refusals are remembered for the transaction to find. Once ``seconds`` have passed the texts left are
    refused as not checked instead, so that neither this nor a render inside the transaction keeps the
    request waiting for each of many slow texts.
    """
    outcomes = outcomes_in_this_block.get()
    deadline = time.monotonic() + seconds
    for text in texts:
        if time.monotonic() > deadline:
            outcomes.setdefault(text, NOT_RENDERED)
            continue
        with suppress(ValidationError):
            render(text)
