"""How counts are said, the same in the build's summary, the CLI and the app."""


def count(n: int, noun: str) -> str:
    """'1 page', '2 pages' (every noun counted here takes an s)."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
