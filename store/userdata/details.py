"""Page details the user sets (publication, date, 版次, title): what a citation needs and neither
the manifest nor the page itself says, or says wrongly.

They are the user's own data, so they live beside the marks (`store.details.json`), never in the
derived store: a rebuild keeps them. A page is known by its file name in the corpus, which stays
when the page is edited. What the user sets wins over the manifest and over what the page prints;
a field left empty falls back to them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from store.dates import parse_date
from store.i18n import N_, _
from store.userdata.userfile import UserFile

VERSION = 1
MAX_CHARS = 200
WHAT = N_("page details")
FIELDS = ("publication", "date", "edition", "title")

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class DetailsError(ValueError):
    """A value the dialog refuses: `field` is which, the message says why in the reader's language."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class PageDetails:
    publication: str | None = None
    date: str | None = None  # ISO: 2024-09-06, 2024-09 or 2024
    edition: str | None = None  # 版次 as printed: 7, A06
    title: str | None = None

    def over(self, other: PageDetails) -> PageDetails:
        """These details, each empty one filled from `other`."""
        return PageDetails(*(getattr(self, f) or getattr(other, f) for f in FIELDS))


def checked(values: dict[str, str]) -> PageDetails:
    """The details a person typed, cleaned (white space trimmed, empty is unset) and checked:
    raises DetailsError naming the first field that cannot be kept, and why."""
    kept: dict[str, str | None] = {}
    for name in FIELDS:
        text = " ".join(_CONTROL.sub(" ", values.get(name) or "").split())
        if len(text) > MAX_CHARS:
            raise DetailsError(name, _("{n} characters is too long: at most {max}.").format(n=len(text), max=MAX_CHARS))
        if name == "date" and text:
            date = parse_date(text)
            if date is None:
                raise DetailsError(name, _("“{text}” is not a date: write 2024-09-06, 2024年9月6日 or 2024-09.").format(text=text))
            text = date
        kept[name] = text or None
    return PageDetails(**kept)


def _decode(data: Any) -> dict[str, PageDetails]:
    return {str(file): checked(values) for file, values in data["pages"].items()}


def _encode(pages: dict[str, PageDetails]) -> dict[str, Any]:
    return {"version": VERSION, "pages": {file: {f.name: v for f in fields(d) if (v := getattr(d, f.name))}
                                          for file, d in pages.items()}}


class Details:
    """The details the user has set, by page file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.notice: str | None = None
        self._file = UserFile(path, WHAT, _decode, _encode, dict)
        self._pages: dict[str, PageDetails] = {}

    @classmethod
    def for_store(cls, store_path: Path) -> Details:
        """The details file beside a store: store.json → store.details.json."""
        return cls.load(store_path.with_name(f"{store_path.stem}.details.json"))

    @classmethod
    def load(cls, path: Path) -> Details:
        loaded = cls(path)
        loaded._pages, loaded.notice = loaded._file.load()
        return loaded

    @property
    def read_only(self) -> bool:
        """Whether the folder cannot be written: the details are used, and a change is refused."""
        return self._file.read_only

    def of(self, file: str) -> PageDetails:
        return self._pages.get(file, PageDetails())

    def dates(self) -> dict[str, str]:
        """The dates the user has set, by page file: they win over the pages' own."""
        return {file: d.date for file, d in self._pages.items() if d.date}

    def set(self, file: str, details: PageDetails) -> None:
        """Replace a page's details (all fields empty forgets the page)."""
        def apply(pages: dict[str, PageDetails]) -> None:
            if details == PageDetails():
                pages.pop(file, None)
            else:
                pages[file] = details

        self._pages, _result = self._file.change(self._pages, apply)

    def refresh(self) -> None:
        with self._file.locked():
            self._pages = self._file.reread(self._pages)
