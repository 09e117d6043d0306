"""The one error a store or the user's marks raise when they cannot be read or written.

Its message is one readable line, which the CLI prints and the app shows; it lives here, apart
from both, so the marks need not import the store to raise it.
"""


def cut_short(text: str, limit: int) -> str:
    """Text typed or read from a file, as an error message quotes it: cut at `limit` characters,
    so the message stays one line however long the text."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


class StoreError(Exception):
    """A store (or marks file) that cannot be opened or written."""


class StoreWriteError(StoreError):
    """A store that could not be written where it is (a full disk, a read-only folder). The one it
    was to replace is left as it was, so a command that only reads may go on with that one, and
    say why (`reason`) it is not rebuilt."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"cannot write store {path}: {reason}")
        self.reason = reason
