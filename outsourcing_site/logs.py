"""Log lines a request cannot forge: whatever text it puts into a message stays on that message's line."""

import logging


def printable(text):
    """``text`` with control characters and other non-printables written as escapes: a newline as ``\\n``."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else char.encode("unicode_escape").decode("ascii") for char in text)


class OneLineFormatter(logging.Formatter):
    """Every message on one line, whoever wrote it (our loggers, Django's, django-axes'); a traceback follows it."""

    def formatMessage(self, record):
        record.message = printable(record.message)
        return super().formatMessage(record)
