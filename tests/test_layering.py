"""The data layer never imports Textual: scripts and the CLI use it without the UI."""

from __future__ import annotations

from conftest import ROOT, python


def test_store_imports_without_textual():
    code = (
        "import sys, store, store.ingest.build, store.ingest.extract, store.ingest.segment, store.db\n"
        "bad = [m for m in sys.modules if m == 'textual' or m.startswith('textual.')]\n"
        "print(bad)\n"
        "raise SystemExit(1 if bad else 0)\n"
    )
    proc = python(code)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_opening_and_searching_a_store_never_imports_the_parser_or_jieba(built_db):
    """jieba's imports take most of a second: the app's start and every keystroke stay clear."""
    code = (
        "import sys; from store import Store\n"
        f"Store.open({str(built_db)!r}).search('党建')\n"
        "loaded = [m for m in sys.modules if m in ('jieba', 'rjieba') or m.startswith('store.ingest')]\n"
        "print(loaded)\n"
        "raise SystemExit(1 if loaded else 0)\n"
    )
    proc = python(code)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_yaml_is_only_ever_safe_loaded():
    unsafe = ("yaml." + "load(", "yaml." + "unsafe_load", "yaml." + "full_load")  # spelt apart: this file is searched too
    offenders = [
        str(p)
        for p in list((ROOT / "store").rglob("*.py")) + list((ROOT / "tui").rglob("*.py"))
        if any(call in p.read_text(encoding="utf-8") for call in unsafe)
    ]
    assert offenders == []


def test_a_search_from_the_shell_loads_neither_the_parser_nor_jieba_nor_textual(built_db):
    """Issue 17: every command checks the store is current first; that check reads the folder's
    stats, and loads nothing of the pipeline (`python -X importtime` is the measure)."""
    from conftest import CORPUS

    code = (
        "import sys\nfrom tui.cli import main\n"
        f"status = main(['search', '党建', '--db', {str(built_db)!r}, '--corpus', {str(CORPUS)!r}])\n"
        "heavy = ('store.ingest.parse', 'store.ingest.extract', 'store.ingest.segment', 'store.ingest.tokenize',\n"
        "         'store.ingest.build', 'jieba', 'rjieba', 'textual', 'trafilatura', 'pypdfium2', 'xlsxwriter')\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in heavy or m in heavy]\n"
        "print(loaded, file=sys.stderr)\n"
        "raise SystemExit(status or (1 if loaded else 0))\n"
    )
    proc = python(code)
    assert proc.returncode == 0, proc.stdout + proc.stderr
