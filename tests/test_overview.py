"""Dates and the overview's counts, on the bundled pages (built as they are, and with dates from a
manifest): every article carries its page's date, `date:` filters by it, and every count of the
overview is exactly the length of the list its query opens."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from markdown_it import MarkdownIt
from openpyxl import load_workbook

from store import Citations, Details, PageDetails, QueryError, Store, export, filter_schools, overview
from store.dates import code, iso, latest, within
from store.search.query import parse

from conftest import PAGE_DATES, copy_of

BAIXIAO = [sys.executable, "-m", "tui.cli"]


@pytest.fixture(scope="module")
def dated(dated_db: Path) -> Store:
    return Store.open(dated_db)


def page_date(store: Store, doc: int) -> str | None:
    """What the manifest says of an article's page: the answer `dates()` must give."""
    return PAGE_DATES.get(store.index.files[int(store.index.doc_file[doc])][:3])


# ---- dates ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "number"), [("2024-09-06", 20240906), ("2024-09", 20240900), ("2024", 20240000), ("", 0), (None, 0)])
def test_a_date_is_one_number_and_back(text, number):
    assert code(text) == number
    assert iso(number) == (text or "")


def test_a_date_falls_within_a_range_only_when_every_day_it_may_be_does():
    days = np.array([code(d) for d in ("2024-09-06", "2024-09", "2024", "2023-11", "")])
    assert within(days, code("2024"), code("2024")).tolist() == [True, True, True, False, False]
    assert within(days, code("2024-09"), code("2024-09")).tolist() == [True, True, False, False, False]
    assert within(days, code("2023-09"), code("2024-06")).tolist() == [False, False, False, True, False]
    assert latest(np.array([20240000, 20240900, 20240906])).tolist() == [20241299, 20240999, 20240906]


@pytest.mark.parametrize(("query", "value"), [
    ("date:2024", "2024"), ("date:2024-9", "2024-09"), ("date:2024年9月6日", "2024-09-06"), ("date:2023-09..2024-06", "2023-09..2024-06"),
    ("date:2024..", "2024.."), ("date:..2024-06", "..2024-06"), ("date:none", "none"), ("DATE：2024", "2024"),
])
def test_date_values_are_read_as_people_write_them(query, value):
    assert parse(query).value == value


@pytest.mark.parametrize(("query", "at"), [
    ("date:20x4", 5), ("党建 date:2024-13", 8), ("date:2024..2024-02-30", 11), ("date:2025..2024", 5), ("date:..", 5), ("date:", 0),
])
def test_a_date_that_is_no_date_is_a_query_error_pointing_at_it(query, at):
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert caught.value.position == at


def test_every_article_carries_its_pages_date(dated: Store):
    numbers = dated.dates()
    for doc in range(dated.index.n):
        assert iso(int(numbers[doc])) == (page_date(dated, doc) or "")
        assert dated.article_summaries()[doc].date == (page_date(dated, doc) or "")
    assert dated.dated()


def test_the_bundled_pages_have_no_date_and_say_so(store: Store):
    assert not store.dated()
    seen = overview(store)
    assert [(c.key, c.n) for c in seen.by_year] == [("undated", len(store.stories()))]
    assert seen.undated == seen.articles


@pytest.mark.parametrize("query", ["date:2024", "date:2024-09", "date:2023-09..2024-06", "date:2023", "date:..2023-12", "date:2024..",
                                   "date:none", "党建 date:2024", "-date:none"])
def test_date_finds_exactly_the_articles_whose_page_date_lies_in_it(dated: Store, query):
    node = parse(query.split()[-1].lstrip("-"))
    first, _dots, last = node.value.partition("..")
    lo, hi = code(first) or 1, code(last if _dots else first) or 99999999

    def kept(doc: int) -> bool:
        when = page_date(dated, doc)
        if node.value == "none":
            return when is None
        return when is not None and lo <= code(when) and int(latest(np.array([code(when)]))[0]) <= int(latest(np.array([hi]))[0])

    expected = {d for d in range(dated.index.n) if kept(d) != query.startswith("-")}
    if query.startswith("党建"):
        expected &= set(np.flatnonzero(dated.rank("党建", reprints=True).matched).tolist())
    assert set(np.flatnonzero(dated.rank(query, reprints=True).matched).tolist()) == expected


def test_a_date_the_user_sets_wins_over_the_pages(dated_db: Path, tmp_path: Path):
    db = copy_of(dated_db, tmp_path)
    store = Store.open(db)
    undated = [d for d in range(store.index.n) if page_date(store, d) is None]
    file = store.index.files[int(store.index.doc_file[undated[0]])]
    before = store.rank("date:2022").total
    Details.for_store(db).set(file, PageDetails(date="2022-05"))
    store.details.refresh()
    on_page = {d for d in range(store.index.n) if store.index.files[int(store.index.doc_file[d])] == file}
    assert {d for d in range(store.index.n) if store.dates()[d] == code("2022-05")} == on_page
    assert before == 0 and store.rank("date:2022-05", reprints=True).total == len(on_page)
    assert Store.open(db).rank("date:2022", reprints=True).total == len(on_page)  # a new opening reads the file


def test_lists_sort_by_date_newest_or_oldest_first_undated_last(dated: Store):
    docs = list(range(dated.index.n))
    newest = dated.by_date(docs)
    numbers = [int(dated.dates()[d]) for d in newest]
    dated_part = [n for n in numbers if n]
    assert numbers == dated_part + [0] * numbers.count(0)
    assert dated_part == sorted(dated_part, reverse=True)
    oldest = [int(dated.dates()[d]) for d in dated.by_date(docs, newest=False)]
    assert [n for n in oldest if n] == sorted(dated_part)
    undated = [d for d in newest if not dated.dates()[d]]
    assert undated == sorted(undated)  # one date (none here) keeps the order given


# ---- the overview's counts ------------------------------------------------------------------------


def every_count(seen):
    """(what it counts, count) for every bar and cell, schools and articles."""
    for row in seen.districts:
        for c in (*row.batches, row.total):
            yield "school", c
    for counts in (seen.by_batch, seen.by_type, seen.brands, seen.models):
        for c in counts:
            yield "school", c
    for counts in (seen.by_year, seen.by_month, *((seen.hits.by_district, seen.hits.by_year, seen.hits.by_school) if seen.hits else ())):
        for c in counts:
            yield "article", c


@pytest.mark.parametrize("which", ["bundled", "dated"])
@pytest.mark.parametrize("query", [None, "党建", "向阳花 | 品牌", "date:2024", "type:幼儿园"])
def test_every_count_is_the_length_of_the_list_it_opens(request, which, query):
    store = request.getfixturevalue("store" if which == "bundled" else "dated")
    seen = overview(store, query)
    schools = store.school_summaries()
    checked = 0
    for of, c in every_count(seen):
        listed = len(filter_schools(schools, c.query)) if of == "school" else store.rank(c.query).total
        assert listed == c.n, (c, listed)
        checked += 1
    assert checked > 20


def test_the_counts_add_up_and_no_school_or_article_is_dropped(dated: Store):
    seen = overview(dated, "党建")
    assert sum(c.n for c in seen.by_district) == seen.schools == len(dated.school_summaries()) == seen.districts[-1].total.n
    assert [c.n for c in seen.districts[-1].batches] == [sum(r.batches[b].n for r in seen.districts[:-1]) for b in range(4)]
    assert sum(c.n for c in seen.by_batch) == seen.schools == sum(c.n for c in seen.by_type)
    assert sum(c.n for c in seen.by_year) == seen.articles == len(dated.stories())  # a story has one date here
    assert seen.undated == sum(1 for d in dated.stories() if page_date(dated, d) is None) > 0
    assert {c.key for c in seen.by_month} == {d[:7] for d in PAGE_DATES.values() if len(d) >= 7}
    assert seen.hits is not None and seen.hits.total == dated.rank("党建").total


def test_a_bad_query_is_the_query_error(store: Store):
    with pytest.raises(QueryError):
        overview(store, "date:soon")


def test_the_json_names_the_counts(dated: Store):
    shape = overview(dated, "党建").to_json()
    assert {"by_district", "by_batch", "by_type", "by_year", "by_month", "brands", "models", "query"} <= set(shape)
    assert set(shape["query"]) == {"query", "total", "by_district", "by_year", "by_school"}
    assert list(shape["by_year"]) == ["2023", "2024", "undated"]
    assert shape["by_district"][0] == {"district": "南岸区", "schools": 12, "by_batch": {"1": 0, "2": 0, "unknown": 4, "none": 8}}
    assert "all" not in {d["district"] for d in shape["by_district"]}


# ---- baixiao stats --------------------------------------------------------------------------------


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*BAIXIAO, *args], capture_output=True, text=True, encoding="utf-8", check=False)


def stats(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("stats", "--db", str(db), *args)


def test_stats_prints_the_tables_and_the_json_for_scripts(dated_db: Path, dated: Store):
    shown = stats(dated_db, "--corpus", str(dated_db.parent / "pages"))
    assert shown.returncode == 0, shown.stderr
    for title in ("Schools by district and 双创 batch", "Schools by type", "Articles by year", "no date", "北碚区", "第2批"):
        assert title in shown.stdout
    machine = stats(dated_db, "--corpus", str(dated_db.parent / "pages"), "--json", "--query", "党建")
    assert json.loads(machine.stdout) == overview(dated, "党建").to_json()
    assert "Hits by school" in stats(dated_db, "--corpus", str(dated_db.parent / "pages"), "--query", "党建").stdout
    chinese = stats(dated_db, "--corpus", str(dated_db.parent / "pages"), "--lang", "zh", "--query", "党建")  # --lang after the command too
    assert chinese.returncode == 0 and "31 所学校" in chinese.stdout and "“党建”命中 12 篇文章" in chinese.stdout


def test_stats_with_a_bad_date_says_where_in_one_line_and_exits_2(dated_db: Path):
    bad = stats(dated_db, "--corpus", str(dated_db.parent / "pages"), "--query", "党建 date:2024-13")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert "not a date" in bad.stderr.splitlines()[0]
    assert bad.stderr.splitlines()[-1].index("^") == 2 + 4 + len(" date:")  # under the value: 党建 takes four cells


# ---- the overview's export ------------------------------------------------------------------------


def test_the_overview_exports_as_markdown_tables_a_long_csv_and_a_sheet_per_table(dated: Store, dated_db: Path):
    made = export.export_overview(Citations(dated, Details.for_store(dated_db), "zh"), "党建")
    tokens = MarkdownIt("commonmark").enable("table").parse(made.markdown())
    assert sum(t.type == "table_open" for t in tokens) == 1 + 6 + 3  # the grid, six charts, three of hits
    assert "各地区学校" in made.markdown() and "无日期" in made.markdown()
    rows = list(csv.reader(io.StringIO(made.render("csv").decode("utf-8-sig"))))
    seen = overview(dated, "党建")
    assert rows[0] == ["表", "项", "列", "数量", "查询"]
    assert len(rows) - 1 == sum(1 for _of, c in every_count(seen)) - len(seen.districts)  # a row's total is the sum of its cells
    book = load_workbook(io.BytesIO(made.render("xlsx")))
    assert len(book.sheetnames) == 11 and book.sheetnames[:2] == ["说明", "各地区学校"]
    assert ("查询", "党建") in list(book["说明"].values) and ("命中文章", seen.hits.total) in list(book["说明"].values)
    grid = list(book["各地区学校"].values)
    assert grid[0] == ("地区", "第1批", "第2批", "双创（批次不详）", "非双创", "合计")
    assert [r[0] for r in grid[1:]] == [r.district for r in seen.districts[:-1]] + ["全部"]


def test_export_overview_from_the_command_line(dated_db: Path, tmp_path: Path):
    out = tmp_path / "overview.xlsx"
    done = run("export", "--overview", "--query", "党建", "--db", str(dated_db), "--corpus", str(dated_db.parent / "pages"), "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert "命中：各学校" in load_workbook(out).sheetnames
    mixed = run("export", "--overview", "--compare", "a", "b", "--db", str(dated_db))
    assert mixed.returncode == 2 and "not allowed with" in mixed.stderr


def test_search_and_the_export_of_a_search_give_each_hits_date(dated: Store, dated_db: Path):
    results = dated.search("date:2024-09 党建", limit=None)
    assert results.total > 0 and {h.date for h in results.hits} == {"2024-09-06"}
    assert {h["date"] for h in results.to_json()["hits"]} == {"2024-09-06"}
    assert {h["date"] for h in dated.search("date:none", limit=None).to_json()["hits"]} == {None}
    printed = run("search", "date:2024-09", "党建", "--db", str(dated_db), "--corpus", str(dated_db.parent / "pages")).stdout
    assert "2024-09-06 · 001_" in printed
    made = export.export_results(Citations(dated, Details.for_store(dated_db), "zh"), "date:2024-09 党建")
    assert "2024年9月6日" in made.markdown() and "日期不详" not in made.markdown()
