"""Where baixiao keeps things, following the XDG base-directory convention."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

APP = "baixiao"


def _xdg(var: str, fallback: str) -> Path:
    value = os.environ.get(var)
    base = Path(value) if value and Path(value).is_absolute() else Path.home() / fallback
    return base / APP


def data_dir() -> Path:
    return _xdg("XDG_DATA_HOME", ".local/share")


def config_dir() -> Path:
    return _xdg("XDG_CONFIG_HOME", ".config")


def cache_dir() -> Path:
    return _xdg("XDG_CACHE_HOME", ".cache")


def default_db() -> Path:
    """`BAIXIAO_DB` wins; otherwise the store sits in the user data folder."""
    env = os.environ.get("BAIXIAO_DB")
    return Path(env).expanduser() if env else data_dir() / "store.json"


def bundled_corpus() -> Path:
    """The pages that ship inside the package, so an installed wheel works from any folder."""
    return Path(str(files("corpus")))
