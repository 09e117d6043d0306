"""Extraction on the bundled pages scored against the project's own gold (tests/eval): a floor,
so a change that loses schools, districts, batches, brands, models or article subjects fails CI."""

from __future__ import annotations

import subprocess
import sys

import pytest
from eval.score import BUNDLED, TARGETS, GoldError, load_gold, score_folder, total

from conftest import ROOT


def test_bundled_pages_meet_every_target(store):
    overall = total(score_folder(BUNDLED / "gold.yaml", store))
    shortfalls = {
        column: overall.tallies[column].cell()
        for column, floor in TARGETS["bundled"].items()
        if (overall.tallies[column].ratio() or 0) < floor
    }
    assert shortfalls == {}


def test_a_fact_of_a_school_the_store_missed_counts_as_missed(tmp_path):
    """The scorer itself: a gold school no page names is a miss, and so are its brand and district."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("北碚区金兴小学打造“星光”党建品牌。\n", encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(
        "files:\n  a.txt:\n    schools:\n"
        "      - {name: 金兴小学, district: 北碚区, district_basis: prefix, type: primary, brands: [星光]}\n"
        "      - {name: 朝阳小学, district: 北碚区, district_basis: context, type: primary, brands: [向阳花]}\n",
        encoding="utf-8",
    )
    [row] = score_folder(tmp_path / "gold.yaml")
    assert {c: row.tallies[c].cell() for c in ("recall", "precision", "district", "brands")} == {
        "recall": "1/2", "precision": "1/1", "district": "1/2", "brands": "1/2"}


@pytest.mark.parametrize(
    "text,line",
    [("files:\n  a.txt:\n    schools: [name: x\n", 4), ("files:\n  a.txt:\n    schools:\n      - {type: primary}\n", 2)],
)
def test_a_broken_gold_file_names_its_line(tmp_path, text, line):
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "gold.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(GoldError, match=f"gold.yaml:{line}: "):
        load_gold(tmp_path / "gold.yaml")


def test_make_eval_reports_a_broken_gold_in_one_line_and_exit_2(tmp_path):
    (tmp_path / "pages").mkdir()
    (tmp_path / "gold.yaml").write_text("files: [\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, str(ROOT / "tests" / "eval" / "score.py"), str(tmp_path)],
                          capture_output=True, text=True, encoding="utf-8")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "gold.yaml:" in proc.stderr and "Traceback" not in proc.stderr
