"""The interface's language: English in the code, Chinese from a gettext catalogue.

Messages are written in English where they are used, wrapped in `_()`; `store/locale/` holds the
Chinese catalogue (`baixiao.po`, compiled to `baixiao.mo` by `make translations`, which Babel
also uses to extract the messages). The language is chosen once, before the app starts
(`use_language("zh")`), from `--lang`, the settings or the locale; everything drawn after that reads in it.
"""

from __future__ import annotations

import gettext
from functools import cache
from importlib.resources import files

DOMAIN = "baixiao"
LANGUAGES = ("zh", "en")

_current: gettext.NullTranslations = gettext.NullTranslations()


def use_language(language: str) -> None:
    """Read every message in `language` from now on ("en" or "zh")."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"language is one of {', '.join(LANGUAGES)}, not {language!r}")
    _current = _chinese() if language == "zh" else gettext.NullTranslations()


def current_language() -> str:
    """What the citation style follows unless the settings choose one."""
    return "en" if type(_current) is gettext.NullTranslations else "zh"


@cache
def _chinese() -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, str(files("store") / "locale"), languages=["zh"])


def in_chinese(message: str) -> str:
    """A message in Chinese whatever the interface's language: exports are written for Chinese
    reports."""
    return _chinese().gettext(message)


def _(message: str) -> str:
    return _current.gettext(message)


def N_(message: str) -> str:
    """Mark a message for the catalogue where it is defined; `_()` translates it where it is shown."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    return _current.ngettext(singular, plural, n)
