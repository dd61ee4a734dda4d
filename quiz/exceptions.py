"""Why the quiz refused a reader's request, raised by ``quiz.services`` and explained by the views."""

FINISHED = "This attempt is finished, so it takes no more answers."


class AttemptNotOpen(Exception):
    """The attempt cannot take this answer; ``reason`` says why in words for the reader."""

    def __init__(self, reason):
        self.reason = reason
        super().__init__(reason)


class AlreadyAnswered(Exception):
    """The question was answered before; the first answer is the one that counts."""


class NothingToPractise(Exception):
    """The attempt has no answer that needs practice: every one got full marks, none with low certainty."""
