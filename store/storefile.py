"""The store file's first bytes: its meta table, read without parsing the rest.

Every store file starts with its meta table, so whether a file is a store, which build wrote it
and from what can be read from its head alone: the CLI does so on every start, and the search
index checks that the store it reads texts from is the one it was built with.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

STORE_PREFIX = '{"meta":{"1":'
HEAD = 1 << 16


def meta_of(head: bytes) -> dict[str, Any] | None:
    """The meta table at the start of a store file's first bytes; None if they are not a store's."""
    text = head[:HEAD].decode("utf-8", errors="ignore")
    if not text.startswith(STORE_PREFIX):
        return None
    try:
        meta, _ = json.JSONDecoder().raw_decode(text, len(STORE_PREFIX))
    except ValueError:
        return None
    return meta if isinstance(meta, dict) else None


def read_meta(db: Path) -> dict[str, Any] | None:
    """The store's meta table without parsing the whole file.

    None when the file does not start like a store or was cut short.
    """
    try:
        with db.open("rb") as f:
            head = f.read(HEAD)
            f.seek(-1, os.SEEK_END)
            complete = f.read(1) == b"}"
    except OSError:
        return None
    return meta_of(head) if complete else None
