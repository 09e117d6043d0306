"""Marks and notes: the user's own data, kept apart from the derived store.

A rebuild replaces the store; it never touches this file. Marks follow an article by its id
(page file stem and ordinal, stable while the page is unchanged) and a school by its name. The
file is rewritten whole, atomically and durably, on every change: a crash leaves either the
previous marks or the new ones, never a mix.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from store.db import StoreError
from store.files import atomic_write

Kind = Literal["article", "school"]
VERSION = 1


@dataclass(frozen=True)
class Mark:
    kind: Kind
    key: str  # article id or school name
    note: str = ""
    added: str = ""


class Marks:
    """The marks of one store, in the order they were made."""

    def __init__(self, path: Path, marks: list[Mark] | None = None) -> None:
        self.path = path
        self._marks: dict[tuple[str, str], Mark] = {(m.kind, m.key): m for m in marks or []}

    @classmethod
    def for_store(cls, store_path: Path) -> Marks:
        """The marks file beside a store: store.json → store.marks.json."""
        return cls.load(store_path.with_name(f"{store_path.stem}.marks.json"))

    @classmethod
    def load(cls, path: Path) -> Marks:
        """Read the file; a missing one is no marks. A damaged one is a StoreError (never reset
        silently: the user's notes are in it)."""
        try:
            raw = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as err:
            raise StoreError(f"cannot read marks {path}: {err}") from None
        try:
            data = json.loads(raw)
            marks = [Mark(m["kind"], m["key"], m.get("note", ""), m.get("added", "")) for m in data["marks"]]
        except (ValueError, KeyError, TypeError) as err:
            raise StoreError(f"marks file {path} is damaged ({err}); move it aside to start afresh") from None
        return cls(path, [m for m in marks if m.kind in ("article", "school")])

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

    def toggle(self, kind: Kind, key: str) -> bool:
        """Mark or unmark; True when the item is now marked."""
        if (kind, key) in self._marks:
            del self._marks[(kind, key)]
            marked = False
        else:
            self._marks[(kind, key)] = Mark(kind, key, "", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
            marked = True
        self.save()
        return marked

    def annotate(self, kind: Kind, key: str, note: str) -> None:
        """Set the note of an item, marking it if it was not."""
        current = self._marks.get((kind, key)) or Mark(kind, key, "", time.strftime("%Y-%m-%dT%H:%M:%S%z"))
        self._marks[(kind, key)] = replace(current, note=note)
        self.save()

    def save(self) -> None:
        data = {"version": VERSION, "marks": [vars(m) for m in self._marks.values()]}
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        try:
            atomic_write(self.path, payload)
        except OSError as err:
            raise StoreError(f"cannot save marks {self.path}: {err.strerror or err}") from None
