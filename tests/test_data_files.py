"""Bad data and unknown places: a lexicon or gazetteer that does not load is one readable line
naming file and line (exit 2); a page the gazetteer knows nothing of still ingests."""

from __future__ import annotations

import subprocess
import sys

import pytest

from store import lexicon

from conftest import ROOT


@pytest.mark.parametrize("text,line", [("a: [1, 2\nb: 3\n", 2), ("- just\n- a list\n", 1), ("a: 1\n  b: 2\n", 2)])
def test_a_data_file_that_does_not_load_names_its_line(tmp_path, monkeypatch, text, line):
    broken = tmp_path / "places.yaml"
    broken.write_text(text, encoding="utf-8")
    monkeypatch.setattr(lexicon, "_data_path", lambda name: broken)
    with pytest.raises(lexicon.DataError, match=f"places.yaml:{line}: "):
        lexicon.load_data("places.yaml")


def test_the_cli_reports_a_broken_lexicon_in_one_line_and_exit_2(tmp_path):
    broken = tmp_path / "lexicon.yaml"
    broken.write_text("user_words: [党建\n", encoding="utf-8")
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("城东小学开展主题党日活动。\n", encoding="utf-8")
    code = (
        "import sys; from pathlib import Path; from store import lexicon; from tui.cli import main\n"
        f"lexicon._data_path = lambda name: Path({str(broken)!r})\n"
        f"sys.exit(main(['build', '--corpus', {str(tmp_path / 'pages')!r}, '--db', {str(tmp_path / 's.json')!r}]))\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", cwd=ROOT)
    assert proc.returncode == 2
    assert f"{broken}:2: not valid YAML" in proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1


def test_a_page_from_a_place_the_gazetteer_does_not_know_still_ingests(tmp_path):
    from store import Store
    from store.ingest.build import build

    pages = tmp_path / "pages"
    pages.mkdir()
    (pages / "abroad.txt").write_text(
        "新加坡华侨中学开展读书活动\n\n新加坡华侨中学近日举办读书节，全校师生参加。\n\n"
        "The school library opened a new reading room.\n", encoding="utf-8")
    result = build(pages, tmp_path / "s.json")
    assert result.warnings == [] and result.pages == 1
    [school] = Store.open(tmp_path / "s.json").schools()
    assert school.name.endswith("华侨中学") and school.district is None
