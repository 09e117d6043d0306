"""Shared fixtures: the real bundled corpus, built once per test session into a real TinyDB file."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store.search.index import index_path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "corpus"
FIXTURES = ROOT / "tests" / "fixtures"


@pytest.fixture(autouse=True, scope="session")
def _private_home(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Keep tests away from the user's real store and caches."""
    home = tmp_path_factory.mktemp("home")
    os.environ["XDG_DATA_HOME"] = str(home / "data")
    os.environ["XDG_CACHE_HOME"] = str(home / "cache")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ.pop("BAIXIAO_DB", None)
    os.environ["BAIXIAO_NO_SERVER"] = "1"  # a test of the command server asks for one
    # English unless a test asks for Chinese: the interface follows the locale.
    for name in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        os.environ.pop(name, None)
    os.environ["LANG"] = "C.UTF-8"


@pytest.fixture(autouse=True)
def _english_afterwards():
    """The interface's language is the process's: a test that opens the app in Chinese must not
    leave the next test (in the same worker) reading Chinese."""
    yield
    from store import use_language

    use_language("en")


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from store.ingest.build import build

    db = tmp_path_factory.mktemp("store") / "store.json"
    result = build(CORPUS, db)
    assert result.warnings == []
    return db


def copy_of(built: Path, folder: Path) -> Path:
    """A private copy of a built store and its index in `folder` (marks are written beside it)."""
    copy = folder / "store.json"
    shutil.copy(built, copy)
    shutil.copy(index_path(built), index_path(copy))
    return copy


@pytest.fixture
def db(built_db: Path, tmp_path: Path) -> Path:
    """A private copy of the built store."""
    return copy_of(built_db, tmp_path)


@pytest.fixture(scope="session")
def store(built_db: Path):
    from store import Store

    return Store.open(built_db)


def page_text(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def index_of(articles, schools=(), **stamp):
    """An index of these articles, their words cut by the real jieba as a build cuts them."""
    from store.ingest.tokenize import cut_text
    from store.normalize import normalize
    from store.search.indexing import build_index
    from store.search.searchable import doc_text, pack_words

    words = [pack_words(cut_text(normalize(doc_text(a)))) for a in articles]
    return build_index(articles, list(schools), words, **stamp)


def python(code: str) -> subprocess.CompletedProcess[str]:
    """Run `code` in a fresh interpreter from the project root: what a module imports shows in
    sys.modules only in a process that has imported nothing else."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)


# Dates given to the bundled pages by a manifest of their own (the bundled pages print none): a
# day, a month and a year alone, and two pages left undated.
PAGE_DATES = {"001": "2024-09-06", "002": "2023-11", "003": "2024"}


@pytest.fixture(scope="session")
def dated_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled pages built with dates from a manifest (`PAGE_DATES`, by the file's number)."""
    import yaml

    from store.ingest.build import build

    folder = tmp_path_factory.mktemp("dated")
    pages = folder / "pages"
    pages.mkdir()
    manifest = yaml.safe_load((CORPUS / "corpus.yaml").read_text(encoding="utf-8"))
    for page in sorted(CORPUS.glob("*.txt")):
        shutil.copy(page, pages / page.name)
        manifest["pages"][page.name]["date"] = PAGE_DATES.get(page.name[:3])
    (pages / "corpus.yaml").write_text(yaml.safe_dump(manifest, allow_unicode=True), encoding="utf-8")
    db = folder / "store.json"
    result = build(pages, db)
    assert result.warnings == []
    return db
