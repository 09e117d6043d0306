"""Marks, notes and saved searches: the user's own data, kept apart from the derived store.

A rebuild replaces the store; it never touches this file. Marks follow an article by its id
(page file stem and ordinal, stable while the page is unchanged), a school by its name and a
saved search by its query, which is run again whenever it is opened: it finds what the store
holds now. The file is kept as all the user's files are (store/userdata/userfile.py): changed
under a lock, written atomically, backed up, and recovered when damaged.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal, TypeVar

from store.i18n import N_
from store.userdata.userfile import UserFile

Kind = Literal["article", "school", "search"]
T = TypeVar("T")
KINDS = ("article", "school", "search")
VERSION = 1
WHAT = N_("marks")
_Table = dict[tuple[str, str], "Mark"]


@dataclass(frozen=True)
class Mark:
    kind: Kind
    key: str  # article id, school name or query
    note: str = ""
    added: str = ""


def _decode(data: Any) -> _Table:
    marks = [Mark(m["kind"], m["key"], m.get("note", ""), m.get("added", "")) for m in data["marks"]]
    return {(m.kind, m.key): m for m in marks if m.kind in KINDS}


def _encode(marks: _Table) -> dict[str, Any]:
    return {"version": VERSION, "marks": [vars(m) for m in marks.values()]}


class Marks:
    """The marks of one store, in the order they were made."""

    def __init__(self, path: Path, marks: list[Mark] | None = None) -> None:
        self.path = path
        self.notice: str | None = None
        self._file = UserFile(path, WHAT, _decode, _encode, dict)
        self._marks: _Table = {(m.kind, m.key): m for m in marks or []}

    @classmethod
    def for_store(cls, store_path: Path) -> Marks:
        """The marks file beside a store: store.json → store.marks.json."""
        return cls.load(store_path.with_name(f"{store_path.stem}.marks.json"))

    @classmethod
    def load(cls, path: Path) -> Marks:
        """Read the file; a missing one is no marks. A damaged one is moved aside and the backup
        restored; `notice` then says what happened (the caller shows it)."""
        loaded = cls(path)
        loaded._marks, loaded.notice = loaded._file.load()
        return loaded

    @property
    def read_only(self) -> bool:
        """Whether the folder cannot be written: the marks are shown, and a change is refused."""
        return self._file.read_only

    def check_writable(self) -> None:
        """StoreError saying why when a change cannot be saved (before the user types one)."""
        self._file.check_writable()

    def __iter__(self):
        return iter(self._marks.values())

    def __len__(self) -> int:
        return len(self._marks)

    def __contains__(self, item: tuple[str, str]) -> bool:
        return item in self._marks

    def of(self, kind: Kind) -> list[Mark]:
        return [m for m in self._marks.values() if m.kind == kind]

    def get(self, kind: Kind, key: str) -> Mark | None:
        return self._marks.get((kind, key))

    def refresh(self) -> None:
        """Take in what another window changed since. A file damaged meanwhile is left for the
        next start to recover; until then what this window holds stands."""
        with self._file.locked():
            self._marks = self._file.reread(self._marks)

    def add(self, kind: Kind, key: str) -> bool:
        """Mark an item unless it is marked (by this window or another); True when it was not."""
        def apply(marks: _Table) -> bool:
            if (kind, key) in marks:
                return False
            marks[(kind, key)] = Mark(kind, key, "", _now())
            return True

        return self._change(apply)

    def toggle(self, kind: Kind, key: str) -> bool:
        """Mark or unmark; True when the item is now marked."""
        def apply(marks: _Table) -> bool:
            if marks.pop((kind, key), None) is not None:
                return False
            marks[(kind, key)] = Mark(kind, key, "", _now())
            return True

        return self._change(apply)

    def annotate(self, kind: Kind, key: str, note: str) -> None:
        """Set the note of an item, marking it if it was not."""
        def apply(marks: _Table) -> None:
            marks[(kind, key)] = replace(marks.get((kind, key)) or Mark(kind, key, "", _now()), note=note)

        self._change(apply)

    def _change(self, apply: Callable[[_Table], T]) -> T:
        self._marks, result = self._file.change(self._marks, apply)
        return result


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")
