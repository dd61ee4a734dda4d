"""Whether the code running renders a preview of a draft: nothing rendered for one may be kept."""

from contextlib import contextmanager
from contextvars import ContextVar

_previewing = ContextVar("previewing", default=False)


@contextmanager
def previewing():
    """A block that renders a preview: stores of rendered output (``content.parts``) neither read nor keep."""
    token = _previewing.set(True)
    try:
        yield
    finally:
        _previewing.reset(token)


def is_previewing():
    return _previewing.get()
