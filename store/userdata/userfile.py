"""One JSON file of the user's own data (marks, page details), kept the way such a file must be.

The store can always be rebuilt from the pages; these files cannot, so:
- every change is made under a lock, to the file as it is on disk then, so two windows on the
  same store never undo each other's changes;
- a file is rewritten whole, atomically and durably (temp file, fsync, rename): a crash leaves
  the previous version or the new one, never a mix;
- the first good read of a session is copied to `<name>.bak`; a damaged file is moved aside as
  `<name>.corrupt-<time>`, never overwritten, and the backup restored, with a notice saying so;
- in a folder where nothing can be written (a read-only mount, another user's folder) the file
  is read and shown, and every change is refused with a line saying why.
"""

from __future__ import annotations

import contextlib
import copy
import fcntl
import json
import os
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Generic, TypeVar

from store.errors import StoreError
from store.files import atomic_write, can_create_in, remove_stale_temps
from store.i18n import _

T = TypeVar("T")
R = TypeVar("R")


class Damaged(ValueError):
    pass


class UserFile(Generic[T]):
    """The file at `path`, read into a `T` by `decode` (which raises KeyError, TypeError or
    ValueError on a shape it does not know) and written from one by `encode`. `what` names the
    data in messages ("marks", "page details")."""

    def __init__(self, path: Path, what: str, decode: Callable[[Any], T], encode: Callable[[T], Any],
                 empty: Callable[[], T]) -> None:
        self.path = path
        self.what = what
        self.read_only = False
        self._decode, self._encode, self._empty = decode, encode, empty

    def load(self) -> tuple[T, str | None]:
        """What the file holds (empty when there is none), and a notice when it was damaged: it
        is then moved aside and the backup restored. Whether its folder can be written is settled
        here, once: `read_only` then says changes are refused."""
        remove_stale_temps(self.path)
        self.read_only = not can_create_in(self.path.parent)
        with self.locked():
            try:
                data = self.read()
                self._backup()
                return data, None
            except Damaged as err:
                return self._recover(str(err))

    def read(self) -> T:
        """Call under `locked()`. Raises Damaged when the file cannot be trusted."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return self._empty()
        except OSError as err:
            raise StoreError(f"cannot read {self.what} {self.path}: {err.strerror or err}") from None
        try:
            return self._decode(json.loads(raw.decode("utf-8")))
        except (ValueError, KeyError, TypeError, AttributeError) as err:
            raise Damaged(f"{type(err).__name__}: {err}") from None

    def reread(self, current: T) -> T:
        """The file as it is now; what this window holds when it was damaged since start (the
        next start recovers it)."""
        with contextlib.suppress(Damaged):
            return self.read()
        return current

    def check_writable(self) -> None:
        """StoreError, saying why, when changes cannot be saved: asked before the user types a
        change (a note) as well as when it is saved."""
        if self.read_only:
            raise StoreError(_("Cannot save your {what}: the folder {folder} is read-only.")
                             .format(what=_(self.what), folder=self.path.parent))

    def change(self, current: T, apply: Callable[[T], R]) -> tuple[T, R]:
        """One change, made under the lock to the data on disk now (another window may have
        written since this one read it), then saved: the new data and what `apply` returned."""
        self.check_writable()
        with self.locked():
            data = copy.copy(self.reread(current))  # a failed save leaves `current` as it was
            result = apply(data)
            self._save(data)
        return data, result

    def _save(self, data: T) -> None:
        payload = json.dumps(self._encode(data), ensure_ascii=False, indent=1).encode("utf-8")
        try:
            atomic_write(self.path, payload)
        except OSError as err:
            raise StoreError(_("Cannot save your {what} in {path}: {reason}.")
                             .format(what=_(self.what), path=self.path, reason=err.strerror or err)) from None

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold `<name>.lock` exclusively: a second window waits the few milliseconds a write takes.
        In a read-only folder no lock can be made, and reading needs none: writers (in a window
        that can write there) replace the file whole."""
        if self.read_only:
            yield
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path.with_name(self.path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise StoreError(f"cannot lock {self.what} {self.path}: {err.strerror or err}") from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)

    def _backup(self) -> None:
        """Copy a good file to `<name>.bak`, once per session (so the backup is the state the
        session began with, not a damage made during it). When it cannot be written (a full
        disk) an earlier session's backup stays, and the first change says what is wrong."""
        if self.read_only or self.path in _backed_up or not self.path.exists():
            return
        with contextlib.suppress(OSError):
            atomic_write(self.path.with_name(self.path.name + ".bak"), self.path.read_bytes())
            _backed_up.add(self.path)

    def _recover(self, reason: str) -> tuple[T, str]:
        path = self.path
        aside = path.with_name(f"{path.name}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        backup = UserFile(path.with_name(path.name + ".bak"), self.what, self._decode, self._encode, self._empty)
        try:
            data = backup.read()
        except Damaged:
            data = self._empty()
        restorable = backup.path.exists() and data != self._empty()
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(backup.path.stat().st_mtime)) if restorable else ""
        if self.read_only:  # nothing can be moved or restored: left for a start that can write there
            if restorable:
                return data, _("The {what} file is damaged ({reason}) and its folder is read-only: "
                               "the backup from {when} is shown.").format(what=_(self.what), reason=reason, when=when)
            return self._empty(), _("The {what} file is damaged ({reason}) and its folder is read-only; there is no "
                                    "backup to show.").format(what=_(self.what), reason=reason)
        try:
            shutil.move(path, aside)
            if restorable:
                self._restore(backup.path, aside)
        except OSError as err:
            raise StoreError(f"cannot recover {self.what} {path}: {err.strerror or err}") from None
        if restorable:
            return data, _("The {what} file was damaged ({reason}). It was moved to {aside}; "
                           "the backup from {when} is restored.").format(what=_(self.what), reason=reason,
                                                                         aside=aside.name, when=when)
        return self._empty(), _("The {what} file was damaged ({reason}) and there is no backup. It was moved to "
                                "{aside}; it starts empty.").format(what=_(self.what), reason=reason, aside=aside.name)

    def _restore(self, backup: Path, aside: Path) -> None:
        """The backup in place of the damaged file, now aside; when it cannot be written (a full
        disk), the damaged file back in its place, for the next start to recover it."""
        try:
            atomic_write(self.path, backup.read_bytes())
        except OSError:
            shutil.move(aside, self.path)
            raise


_backed_up: set[Path] = set()
