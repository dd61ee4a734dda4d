"""Watching the Markdown converter, which runs in a helper process that a test's patches do not reach."""

from dataclasses import dataclass

from django.db import connection

from content import markdown


@dataclass(frozen=True)
class Conversion:
    text: str
    in_transaction: bool


def record_conversions(monkeypatch):
    """From now until the test ends, every text handed to the converter and whether a transaction was open."""
    conversions = []
    call = markdown.converter.call

    def recording(text, seconds):
        conversions.append(Conversion(text, connection.in_atomic_block))
        return call(text, seconds)

    monkeypatch.setattr(markdown.converter, "call", recording)
    return conversions
