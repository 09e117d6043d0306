"""jieba as set up by baixiao: domain words whole, quiet, cache in a private folder; rjieba cutting
whole articles into the same words."""

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


def test_whole_articles_are_cut_by_rjieba_into_jiebas_words(store):
    """The build's whole-article cut is rjieba's; ranking and word: were made for jieba's words,
    so on every bundled article the two cut alike (domain words included)."""
    import jieba

    from store.normalize import normalize
    from store.search.searchable import doc_text

    tokenize.init()
    for article in store.articles():
        text = normalize(doc_text(article))
        assert tokenize.cut_text(text) == jieba.lcut(text, HMM=False), article.id
    assert "培育创建单位" in tokenize.cut_text("争创党建双创培育创建单位")


def test_short_stretches_are_cut_with_the_hmm_as_jieba_cuts_them(store):
    """Name finding cuts a few characters around each name with the HMM: rjieba's cut is jieba's
    on every clause of the bundled articles; the two differ only inside ASCII runs with - or ."""
    import re

    import jieba

    from store.fold import simplify
    from store.search.searchable import doc_text

    tokenize.init()
    clauses = {c for a in store.articles() for c in re.split(r"[，。；：！？、\n“”（）]", simplify(doc_text(a))) if c}
    assert len(clauses) > 500
    assert [tokenize.cut(c) for c in sorted(clauses)] == [tuple(jieba.cut(c, HMM=True)) for c in sorted(clauses)]
    assert tokenize.cut("发布时间2026-01-15") == ("发布", "时间", "2026-01-15")
    assert tuple(jieba.cut("发布时间2026-01-15", HMM=True)) == ("发布", "时间", "2026", "-", "01", "-", "15")


def test_keywords_rank_by_jiebas_own_idf_table_read_once_into_the_cache(store, monkeypatch):
    """The IDF table is jieba.analyse's, read from its file and then from the cache; the ranking
    is jieba's extract_tags over the same words, less the words the lexicon never ranks."""
    import jieba.analyse

    from store.normalize import normalize
    from store.paths import cache_dir
    from store.search.searchable import doc_text

    tokenize.init()  # jieba with our words, as the build cuts: extract_tags cuts the words again
    tokenize._idf.cache_clear()
    idf, median, stop = tokenize._idf()
    jiebas = jieba.analyse.default_tfidf
    assert (idf, median) == (jiebas.idf_freq, jiebas.median_idf) and set(jiebas.stop_words) <= stop
    assert list((cache_dir() / "jieba").glob("idf-*.marshal"))
    tokenize._idf.cache_clear()
    assert tokenize._idf() == (idf, median, stop)  # read back from the cache
    article = store.articles()[0]
    words = tokenize.cut_text(normalize(doc_text(article)))
    ours = tokenize.keywords(words)
    theirs = [w for w in jieba.analyse.extract_tags(" ".join(words), topK=40) if w not in stop and w not in load().places]
    assert len(ours) == 8 and set(ours) <= set(theirs[:12])
