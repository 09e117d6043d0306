"""jieba as set up by baixiao: domain words whole, quiet, cache in a private folder."""

from __future__ import annotations

import subprocess
import sys

from store.ingest import tokenize
from store.lexicon import load


def test_domain_words_are_not_split():
    words = tokenize.cut("学校严格落实三会一课和主题党日，争创党建双创培育创建单位")
    for term in ("三会一课", "主题党日", "培育创建单位"):
        assert term in words


def test_every_user_word_survives_segmentation():
    for word in load().user_words:
        assert word in tokenize.cut(f"我们{word}了"), word


def test_jieba_is_silent_and_caches_privately(tmp_path):
    code = "from store.ingest import tokenize; tokenize.init(); print(tokenize.cut('党建引领'))"
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True, encoding="utf-8",
        env={"XDG_CACHE_HOME": str(tmp_path), "PATH": ""},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    cache = tmp_path / "baixiao" / "jieba"
    assert any(cache.iterdir())
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
