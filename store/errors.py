"""The one error a store or the user's marks raise when they cannot be read or written.

Its message is one readable line, which the CLI prints and the app shows; it lives here, apart
from both, so the marks need not import the store to raise it.
"""


class StoreError(Exception):
    """A store (or marks file) that cannot be opened or written."""
