"""The `baixiao` command as a user runs it: real processes, real files, readable failures."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import CORPUS, FIXTURES, ROOT


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *args],
        capture_output=True,
        text=True, encoding="utf-8",
        env={**os.environ, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


def assert_one_line_error(proc: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0]


@pytest.fixture
def pages(tmp_path: Path) -> Path:
    folder = tmp_path / "pages"
    folder.mkdir()
    shutil.copy(CORPUS / "001_6aa715517b91c0bd.txt", folder)
    return folder


def test_build_then_dump(tmp_path):
    db = tmp_path / "store.json"
    proc = run("build", "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert f"built {db}: 5 pages, 12 articles" in proc.stderr
    again = run("build", "--db", str(db))
    assert "is up to date" in again.stderr
    dump = run("dump", "--json", "--db", str(db))
    data = json.loads(dump.stdout)
    assert data["schema"] == 1
    assert len(data["articles"]) == 12


def test_build_any_folder_of_pages_in_any_encoding(pages, tmp_path):
    text = (FIXTURES / "encodings" / "zh-hant-500.utf-8.txt").read_text(encoding="utf-8")
    (pages / "big5.txt").write_bytes(text.encode("big5"))
    gb = (CORPUS / "004_5ba2f485b8a21636.txt").read_text(encoding="utf-8")
    (pages / "gb.txt").write_bytes(gb.encode("gb18030"))
    db = tmp_path / "s.json"
    proc = run("build", "--corpus", str(pages), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    data = json.loads(run("dump", "--db", str(db)).stdout)
    encodings = {p["file"]: p["encoding"] for p in data["pages"]}
    assert encodings == {"001_6aa715517b91c0bd.txt": "utf-8", "big5.txt": "big5", "gb.txt": "gb18030"}
    assert any(a["subject"] == "廊坊市" for a in data["articles"])


def test_bad_pages_are_skipped_with_a_warning_and_the_rest_ingest(pages, tmp_path):
    (pages / "empty.txt").write_bytes(b"")
    (pages / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 20)
    (pages / "latin.txt").write_bytes("Ceci n'est pas une page chinoise, élève.".encode("latin-1") * 3)
    db = tmp_path / "s.json"
    proc = run("build", "--corpus", str(pages), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "empty.txt: skipped: empty file" in proc.stderr
    assert "binary.txt: skipped: binary file (NUL bytes)" in proc.stderr
    assert "latin.txt: skipped:" in proc.stderr
    assert "Traceback" not in proc.stderr
    data = json.loads(run("dump", "--db", str(db)).stdout)
    assert [p["file"] for p in data["pages"]] == ["001_6aa715517b91c0bd.txt"]
    strict = run("build", "--corpus", str(pages), "--db", str(tmp_path / "t.json"), "--strict")
    assert strict.returncode == 1


def test_missing_corpus_folder(tmp_path):
    assert_one_line_error(run("build", "--corpus", str(tmp_path / "nope"), "--db", str(tmp_path / "s.json")),
                          "does not exist")


def test_unwritable_store_path(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert_one_line_error(run("build", "--db", str(blocker / "store.json")), "cannot write store")


def test_invalid_manifest_names_file_and_line_and_writes_nothing(pages, tmp_path):
    (pages / "corpus.yaml").write_text("pages:\n  a.txt:\n    titel: x\n", encoding="utf-8")
    db = tmp_path / "s.json"
    assert_one_line_error(run("build", "--corpus", str(pages), "--db", str(db)), "corpus.yaml:3:", "titel")
    assert not db.exists()


def test_dump_without_a_store(tmp_path):
    assert_one_line_error(run("dump", "--db", str(tmp_path / "none.json")), "no store")


def test_no_command_builds_the_default_store_once_then_summarises(tmp_path):
    env = {"BAIXIAO_DB": str(tmp_path / "default.json")}
    first = run(env=env)
    assert first.returncode == 0, first.stderr
    assert "built" in first.stderr
    assert "金兴小学" in first.stdout and "星光点点放光彩" in first.stdout
    second = run(env=env)
    assert "built" not in second.stderr
    store_file = tmp_path / "default.json"
    store_file.write_bytes(store_file.read_bytes()[:300])
    repaired = run(env=env)
    assert repaired.returncode == 0
    assert "rebuilding" in repaired.stderr
    json.loads((tmp_path / "default.json").read_text(encoding="utf-8"))


def test_store_defaults_to_the_xdg_data_folder(tmp_path):
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg")}
    proc = run("build", env={**env, "BAIXIAO_DB": ""})
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "xdg" / "baixiao" / "store.json").exists()


def test_opening_with_a_missing_corpus_folder_is_an_error_not_a_stale_store(tmp_path):
    db = tmp_path / "s.json"
    assert run("build", "--db", str(db)).returncode == 0
    assert_one_line_error(run("--db", str(db), "--corpus", str(tmp_path / "gone")), "does not exist")


def test_a_store_cut_short_after_its_meta_is_rebuilt(tmp_path):
    db = tmp_path / "s.json"
    assert run("build", "--db", str(db)).returncode == 0
    db.write_bytes(db.read_bytes()[:5000])
    proc = run("--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "rebuilding" in proc.stderr
    assert "金兴小学" in proc.stdout


@pytest.mark.parametrize("content", [b'{"name": "my config", "version": 3}', b"my notes\n"])
def test_a_file_that_is_not_a_store_is_never_overwritten(tmp_path, content):
    precious = tmp_path / "precious.json"
    precious.write_bytes(content)
    assert_one_line_error(run("build", "--db", str(precious)), "is not a baixiao store")
    assert_one_line_error(run("--db", str(precious)), "is not a baixiao store")
    assert precious.read_bytes() == content


def test_a_folder_or_device_as_store_path_is_refused(tmp_path):
    assert_one_line_error(run("build", "--db", str(tmp_path)), "not a regular file")
    assert_one_line_error(run("build", "--db", "/dev/null"), "not a regular file")


def test_a_symlinked_store_is_written_through_the_link(tmp_path):
    (tmp_path / "real").mkdir()
    link = tmp_path / "link.json"
    link.symlink_to(tmp_path / "real" / "store.json")
    assert run("build", "--db", str(link)).returncode == 0
    assert link.is_symlink()
    assert (tmp_path / "real" / "store.json").stat().st_size > 1000


def test_a_store_of_your_own_pages_stays_yours(pages, tmp_path):
    db = tmp_path / "own.json"
    assert run("build", "--corpus", str(pages), "--db", str(db)).returncode == 0
    shown = run("--db", str(db))
    assert shown.returncode == 0, shown.stderr
    assert "rebuilding" not in shown.stderr
    assert "梁平区" not in shown.stdout and "金兴小学" in shown.stdout
    again = run("build", "--db", str(db))
    assert "up to date" in again.stderr


def test_strict_fails_while_skipped_pages_remain_even_when_up_to_date(pages, tmp_path):
    (pages / "empty.txt").write_bytes(b"")
    db = tmp_path / "s.json"
    assert run("build", "--corpus", str(pages), "--db", str(db)).returncode == 0
    strict = run("build", "--corpus", str(pages), "--db", str(db), "--strict")
    assert strict.returncode == 1
    assert "empty.txt: skipped: empty file" in strict.stderr
    assert "1 warning" in strict.stderr and "1 warnings" not in strict.stderr


def test_duplicate_pages_and_manifest_entries_without_a_page_are_reported(pages, tmp_path):
    shutil.copy(pages / "001_6aa715517b91c0bd.txt", pages / "copy.txt")
    (pages / "corpus.yaml").write_text("pages:\n  missing.txt:\n    title: x\n", encoding="utf-8")
    db = tmp_path / "s.json"
    proc = run("build", "--corpus", str(pages), "--db", str(db))
    assert proc.returncode == 0, proc.stderr
    assert "copy.txt: skipped: same content as 001_6aa715517b91c0bd.txt" in proc.stderr
    assert "lists missing.txt, which is not in the folder" in proc.stderr
    data = json.loads(run("dump", "--db", str(db)).stdout)
    assert [p["file"] for p in data["pages"]] == ["001_6aa715517b91c0bd.txt"]


def test_a_store_moved_to_another_copy_of_its_pages_is_rebuilt_once(pages, tmp_path):
    db = tmp_path / "s.json"
    assert run("build", "--corpus", str(pages), "--db", str(db)).returncode == 0
    other = tmp_path / "other"
    shutil.copytree(pages, other)
    first = run("--db", str(db), "--corpus", str(other))
    assert "rebuilding" in first.stderr
    second = run("--db", str(db), "--corpus", str(other))
    assert "rebuilding" not in second.stderr and second.returncode == 0


def test_search_prints_ranked_hits_or_json(built_db):
    human = run("search", "向阳花", "--db", str(built_db))
    assert human.returncode == 0, human.stderr
    assert "1 article for 向阳花" in human.stdout and "朝阳小学" in human.stdout
    data = json.loads(run("search", "党建 品牌", "--json", "--limit", "2", "--db", str(built_db)).stdout)
    assert set(data) == {"query", "total", "hits"}
    assert data["total"] > 2 and len(data["hits"]) == 2
    hit = data["hits"][0]
    assert {"article", "title", "subject", "score", "count", "snippets"} <= set(hit)
    snippet = hit["snippets"][0]
    assert all(snippet["text"][a:b] in ("党建", "品牌") for a, b in snippet["spans"])
    everything = json.loads(run("search", "党建", "--all", "--json", "--db", str(built_db)).stdout)
    assert len(everything["hits"]) == everything["total"] == 12
    unquoted = json.loads(run("search", "党建", "品牌", "--json", "--limit", "2", "--db", str(built_db)).stdout)
    assert unquoted == {**data, "query": unquoted["query"]} and unquoted["query"] == "党建 品牌"
    piped = run("search", "党建", "--limit", "3", "--db", str(built_db)).stdout.splitlines()
    assert all(line.startswith(("  ", "12 articles", "…")) for line in piped)  # a line per hit and snippet


def test_a_bad_query_points_at_the_mistake(built_db):
    proc = run("search", "党建 (品牌", "--db", str(built_db))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    message, query, caret = proc.stderr.rstrip("\n").splitlines()
    assert message == "baixiao: bad query: a '(' is never closed (at character 4)"
    assert query == "  党建 (品牌"
    assert caret == "  " + " " * 5 + "^"  # 党建 are two columns wide each


def test_build_search_and_export_work_in_the_c_locale(tmp_path):
    db = tmp_path / "store.json"
    c = {"LC_ALL": "C", "LANG": "C"}
    assert run("build", "-q", "--corpus", str(CORPUS), "--db", str(db), env=c).returncode == 0
    found = run("search", "向阳花", "--db", str(db), env=c)
    assert found.returncode == 0 and "向阳花" in found.stdout
    out = tmp_path / "out.md"
    exported = run("export", "--school", "朝阳小学", "-o", str(out), "--db", str(db), env=c, cwd=tmp_path)
    assert exported.returncode == 0 and "向阳花" in out.read_text(encoding="utf-8")


def test_config_path_prints_where_the_settings_live(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "tui.cli", "--config-path"], capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "XDG_CONFIG_HOME": str(tmp_path)}, cwd=ROOT,
    )
    assert proc.returncode == 0 and proc.stdout.strip() == str(tmp_path / "baixiao" / "config.yaml")


def test_the_command_line_speaks_the_locale_and_lang_overrides_it(built_db):
    chinese = run("search", "向阳花", "--db", str(built_db), env={"LANG": "zh_CN.UTF-8"})
    assert chinese.returncode == 0 and "1 篇文章，查询 向阳花" in chinese.stdout and "得分" in chinese.stdout
    assert "搜索文章" in run("--help", env={"LANG": "zh_CN.UTF-8"}).stdout
    english = run("--lang", "en", "search", "向阳花", "--db", str(built_db), env={"LANG": "zh_CN.UTF-8"})
    assert "1 article for 向阳花" in english.stdout
    bad = run("search", "(党建", "--db", str(built_db), env={"LANG": "zh_CN.UTF-8"})
    assert bad.returncode == 2 and "查询有误" in bad.stderr and "Traceback" not in bad.stderr
