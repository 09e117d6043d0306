"""Marks, notes and saved searches: the user's own data, kept apart from the derived store.

A rebuild replaces the store; it never touches this file. Marks follow an article by its id
(page file stem and ordinal, stable while the page is unchanged), a school by its name and a
saved search by its query, which is run again whenever it is opened: it finds what the store
holds now.

The store can always be rebuilt from the pages; this file cannot, so it is written with care:
- every change is made under a lock, to the file as it is on disk then, so two windows on the
  same marks never undo each other's notes;
- it is rewritten whole, atomically and durably (temp file, fsync, rename): a crash leaves the
  previous marks or the new ones, never a mix;
- the first good read of a session is copied to `<name>.bak`; a damaged file is moved aside as
  `<name>.corrupt-<time>`, never overwritten, and the backup restored, with a notice saying so.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal, TypeVar

from store.errors import StoreError
from store.files import atomic_write, remove_stale_temps
from store.i18n import _

Kind = Literal["article", "school", "search"]
T = TypeVar("T")
KINDS = ("article", "school", "search")
VERSION = 1


class Damaged(ValueError):
    pass


@dataclass(frozen=True)
class Mark:
    kind: Kind
    key: str  # article id, school name or query
    note: str = ""
    added: str = ""


class Marks:
    """The marks of one store, in the order they were made."""

    def __init__(self, path: Path, marks: list[Mark] | None = None) -> None:
        self.path = path
        self.notice: str | None = None
        self._marks: dict[tuple[str, str], Mark] = {(m.kind, m.key): m for m in marks or []}

    @classmethod
    def for_store(cls, store_path: Path) -> Marks:
        """The marks file beside a store: store.json → store.marks.json."""
        return cls.load(store_path.with_name(f"{store_path.stem}.marks.json"))

    @classmethod
    def load(cls, path: Path) -> Marks:
        """Read the file; a missing one is no marks. A damaged one is moved aside and the backup
        restored; `notice` then says what happened (the caller shows it)."""
        remove_stale_temps(path)
        with _locked(path):
            try:
                marks, notice = _read(path), None
                _backup(path)
            except Damaged as err:
                marks, notice = _recover(path, str(err))
        loaded = cls(path, marks)
        loaded.notice = notice
        return loaded

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
        with _locked(self.path):
            self._reread()

    def _reread(self) -> None:
        with contextlib.suppress(Damaged):  # damaged since start: what this window holds is the best copy
            self._marks = {(m.kind, m.key): m for m in _read(self.path)}

    def add(self, kind: Kind, key: str) -> bool:
        """Mark an item unless it is marked (by this window or another); True when it was not."""
        def apply(marks: dict[tuple[str, str], Mark]) -> bool:
            if (kind, key) in marks:
                return False
            marks[(kind, key)] = Mark(kind, key, "", _now())
            return True

        return self._change(apply)

    def toggle(self, kind: Kind, key: str) -> bool:
        """Mark or unmark; True when the item is now marked."""
        def apply(marks: dict[tuple[str, str], Mark]) -> bool:
            if marks.pop((kind, key), None) is not None:
                return False
            marks[(kind, key)] = Mark(kind, key, "", _now())
            return True

        return self._change(apply)

    def annotate(self, kind: Kind, key: str, note: str) -> None:
        """Set the note of an item, marking it if it was not."""
        def apply(marks: dict[tuple[str, str], Mark]) -> None:
            marks[(kind, key)] = replace(marks.get((kind, key)) or Mark(kind, key, "", _now()), note=note)

        self._change(apply)

    def _change(self, apply: Callable[[dict[tuple[str, str], Mark]], T]) -> T:
        """One change, made under the lock to the marks on disk now (another window may have
        written since this one read them), then saved."""
        with _locked(self.path):
            self._reread()
            current = dict(self._marks)
            result = apply(current)
            self._save(current)
            self._marks = current
        return result

    def _save(self, marks: dict[tuple[str, str], Mark]) -> None:
        data = {"version": VERSION, "marks": [vars(m) for m in marks.values()]}
        payload = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
        try:
            atomic_write(self.path, payload)
        except OSError as err:
            raise StoreError(f"cannot save marks {self.path}: {err.strerror or err}") from None


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S%z")


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold `<name>.lock` exclusively: a second window waits the few milliseconds a write takes."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise StoreError(f"cannot lock marks {path}: {err.strerror or err}") from None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _read(path: Path) -> list[Mark]:
    """The marks in the file ([] when there is none); Damaged when it cannot be trusted."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return []
    except OSError as err:
        raise StoreError(f"cannot read marks {path}: {err.strerror or err}") from None
    try:
        data = json.loads(raw.decode("utf-8"))
        marks = [Mark(m["kind"], m["key"], m.get("note", ""), m.get("added", "")) for m in data["marks"]]
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise Damaged(f"{type(err).__name__}: {err}") from None
    return [m for m in marks if m.kind in KINDS]


_backed_up: set[Path] = set()


def _backup(path: Path) -> None:
    """Copy a good file to `<name>.bak`, once per session (so the backup is the state the
    session began with, not a damage made during it)."""
    if path in _backed_up or not path.exists():
        return
    atomic_write(path.with_name(path.name + ".bak"), path.read_bytes())
    _backed_up.add(path)


def _recover(path: Path, reason: str) -> tuple[list[Mark], str]:
    aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
    shutil.move(path, aside)
    backup = path.with_name(path.name + ".bak")
    try:
        marks = _read(backup)
    except Damaged:
        marks = []
    if marks and backup.exists():
        atomic_write(path, backup.read_bytes())
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(backup.stat().st_mtime))
        return marks, _("The marks file was damaged ({reason}). It was moved to {aside}; "
                        "the backup from {when} is restored ({n} marks).").format(reason=reason, aside=aside.name, when=when, n=len(marks))
    return [], _("The marks file was damaged ({reason}) and there is no backup. It was moved to {aside}; "
                 "marks start empty.").format(reason=reason, aside=aside.name)
