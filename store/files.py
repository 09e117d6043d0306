"""Writing files so that a crash never leaves half of one.

Serialise first, write a temp file beside the target, fsync, rename over the target, fsync the
folder: a reader sees the old content or the new, never a mix. Used for the store, its index,
the user's marks and the page cache. A reader that maps a file (the index, the store's texts)
keeps the content it mapped even when a writer replaces the file meanwhile.
"""

from __future__ import annotations

import mmap
import os
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path


def atomic_write(path: Path, data: bytes | Iterable[bytes | memoryview], durable: bool = True) -> None:
    """Write bytes (or chunks of them) so that `path` holds either the old content or the new,
    never a mix.

    `durable=False` skips the fsyncs: for caches, where losing a write only costs time.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, path.stat().st_mode & 0o777 if path.exists() else 0o644)
        with os.fdopen(fd, "wb") as f:
            for chunk in [data] if isinstance(data, bytes) else data:
                f.write(chunk)
            f.flush()
            if durable:
                os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if not durable:
        return
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def mapped(path: Path) -> mmap.mmap:
    """A file's bytes, mapped read-only (a `with` block unmaps them)."""
    with path.open("rb") as f:
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
