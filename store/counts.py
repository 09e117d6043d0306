"""How counts are said, the same in the build's summary, the CLI and the app, in either language."""

from collections.abc import Callable

from store.i18n import ngettext

_SAID: dict[str, Callable[[int], str]] = {
    "page": lambda n: ngettext("{n} page", "{n} pages", n),
    "article": lambda n: ngettext("{n} article", "{n} articles", n),
    "school": lambda n: ngettext("{n} school", "{n} schools", n),
    "warning": lambda n: ngettext("{n} warning", "{n} warnings", n),
    "hit": lambda n: ngettext("{n} hit", "{n} hits", n),
    "marked": lambda n: ngettext("{n} marked", "{n} marked", n),
}


def count(n: int, noun: str) -> str:
    """'1 page', '2 pages' in English, '1 个页面' in Chinese: the noun is one of those above."""
    return _SAID[noun](n).format(n=n)
