"""Writing files so that a crash never leaves half of one.

Serialise first, write a temp file beside the target, fsync, rename over the target, fsync the
folder: a reader sees the old content or the new, never a mix. Used for the store, its index,
the user's marks and the page cache. Files that belong together (the store and its index) are
all written before any is renamed (`replacing`). A reader that maps a file (the index, the
store's texts) keeps the content it mapped even when a writer replaces the file meanwhile.
"""

from __future__ import annotations

import contextlib
import mmap
import os
import tempfile
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from io import BufferedWriter
from pathlib import Path


def atomic_write(path: Path, data: bytes | Iterable[bytes | memoryview], durable: bool = True) -> None:
    """Write bytes (or chunks of them) so that `path` holds either the old content or the new,
    never a mix.

    `durable=False` skips the fsyncs: for caches, where losing a write only costs time.
    """
    with replacing(path, durable=durable) as [f]:
        for chunk in [data] if isinstance(data, bytes) else data:
            f.write(chunk)


@contextmanager
def replacing(*paths: Path, durable: bool = True) -> Iterator[list[BufferedWriter]]:
    """Files to write in place of `paths`, each a temp file beside its path, put in place together
    when the block ends: all are synced, then all renamed. Until the renames nothing else is
    touched, so a failure (a full disk, a read-only folder, an error in the block) removes the
    temp files and leaves every old file as it was: a build that fills the disk while writing
    the index keeps the store it had, not a new store beside an old index. A reader between two
    renames may see a new file beside an old one; the store and its index carry their build's
    stamp, so that reads as a mismatch and is rebuilt."""
    temps: list[tuple[Path, BufferedWriter]] = []
    try:
        for path in paths:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((Path(name), os.fdopen(fd, "wb")))
            os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        yield [f for _tmp, f in temps]
        for _tmp, f in temps:
            f.flush()
            if durable:
                os.fsync(f.fileno())
            f.close()
        for (tmp, _f), path in zip(temps, paths, strict=True):
            os.replace(tmp, path)
    except BaseException:
        for tmp, f in temps:
            with contextlib.suppress(OSError):  # what is still buffered cannot be written either
                f.close()
            tmp.unlink(missing_ok=True)
        raise
    if durable:
        for folder in dict.fromkeys(path.parent for path in paths):
            dir_fd = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def can_create_in(folder: Path) -> bool:
    """Whether files can be made in `folder` (or, while it is yet to be made, in the folder above
    it that is): the kernel's answer, which counts a read-only mount as well as permissions."""
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK | os.X_OK)


def mapped(file: Path | BufferedWriter) -> mmap.mmap:
    """A file's bytes, mapped read-only (a `with` block unmaps them): a file by its path, or one
    being written by `replacing` (what it holds so far, flushed), before it is in place."""
    if isinstance(file, BufferedWriter):
        file.flush()
        return mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
    with file.open("rb") as f:
        return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)


def remove_stale_temps(path: Path, older_than: float = 60.0) -> None:
    """Delete the temp files a killed writer left beside `path`. Only old ones: a live writer's
    (another window's) is seconds old at most."""
    cutoff = time.time() - older_than
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        try:
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()
        except OSError:
            pass
