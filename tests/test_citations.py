"""Report-ready output: citations from what is known of a page, page details the user sets, quotes
a report can use, and the school list and comparisons as tables (CSV, XLSX) that open in the
programs officials use, with page text that can never run as a formula."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
import yaml
from markdown_it import MarkdownIt

from store import Store
from store.citation import Citations, Source, cite
from store.export import ExportError, export_compare, export_marks, export_results, export_school, export_schools, write
from store.ingest.build import build
from store.layout import part_lines
from store.sentences import sentence_bounds
from store.userdata.details import MAX_CHARS, Details, DetailsError, PageDetails, checked, parse_date
from store.userdata.marks import Marks

from conftest import CORPUS, ROOT

LISTED = re.compile(r"^[^—].*（\S+\.txt(；[^）]+)?）$")  # a table's citation: no dash before it
# A web page as saved from a school's site: its title, date and source printed at its top, and
# values that would run as formulas in a spreadsheet if written as they are.
HOSTILE_PAGE = """松林路小学：党建引领促发展

发布时间：2024-05-06 来源：青松日报

松林路小学是重庆市第二批中小学校党建“双创”工作创建单位。学校打造“=HYPERLINK(1)”党建品牌，形成“@SUM(A1)”工作模式。学校先后获得“-2+3示范校”等荣誉称号。

柏树街小学打造“+号先锋”党建品牌。
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Store:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "web.txt").write_text(HOSTILE_PAGE, encoding="utf-8")
    db = folder / "store.json"
    assert build(folder, db).warnings == []
    return Store.open(db)


def zh(store: Store, details: Details | None = None) -> Citations:
    return Citations(store, details, "zh")


# ---- citations ---------------------------------------------------------------------------------


def test_a_citation_names_publication_date_page_title_place_and_file():
    source = Source("重庆日报", "2024-09-06", "7", "北碚：党建引领", "001.txt")
    assert cite(source, "第1段", "zh") == "——《重庆日报》2024年9月6日 第7版《北碚：党建引领》，第1段（001.txt）"
    assert cite(source, "para. 1", "en") == "— 重庆日报, 6 September 2024, p. 7, “北碚：党建引领”, para. 1 (001.txt)"
    assert cite(source, None, "zh") == "——《重庆日报》2024年9月6日 第7版《北碚：党建引领》（001.txt）"


def test_what_is_not_known_is_left_out_and_said():
    unknown = Source(None, None, None, None, "001.txt")
    assert cite(unknown, "第2段", "zh") == "——第2段（001.txt；报刊、日期不详）"
    assert cite(unknown, "para. 2", "en") == "— para. 2 (001.txt; publication and date unknown)"
    no_date = Source("渝西都市报", None, "A06", "标题", "002.txt")
    assert cite(no_date, "标题", "zh") == "——《渝西都市报》第A06版《标题》，标题（002.txt；日期不详）"
    office = Source("温州市教育局", "2025-08-11", None, "标题", "10.txt")  # a web page's source: not a published work
    assert cite(office, "第1段", "zh") == "——温州市教育局 2025年8月11日《标题》，第1段（10.txt）"
    assert cite(no_date, None, "en") == "— 渝西都市报, p. A06, “标题” (002.txt; date unknown)"


def test_dates_and_pages_are_written_as_each_style_writes_them():
    month = Source("教育报", "2024-09", "第7版：要闻", "《论语》新读", "x.txt")
    assert cite(month, None, "zh") == "——《教育报》2024年9月 第7版：要闻《〈论语〉新读》（x.txt）"
    assert cite(month, None, "en") == "— 教育报, September 2024, 第7版：要闻, “《论语》新读” (x.txt)"
    year = Source("年鉴", "2023", "第12版", None, "y.txt")
    assert cite(year, None, "zh") == "——《年鉴》2023年 第12版（y.txt）"
    assert cite(year, None, "en") == "— 年鉴, 2023, p. 12 (y.txt)"


def test_the_manifest_gives_the_publication(store):
    article = next(a for a in store.articles() if a.file.startswith("002_") and a.title)
    cited = zh(store).of(article, "body", 0)
    assert cited.startswith("——《渝西都市报》") and cited.endswith("第1段（002_b23eef46b433e38e.txt；日期不详）")


def test_the_page_s_own_date_line_gives_date_source_and_title(hostile):
    article = next(a for a in hostile.articles() if a.subject == "松林路小学")
    assert zh(hostile).of(article, "body", 0) == "——《青松日报》2024年5月6日《松林路小学：党建引领促发展》，第1段（web.txt）"


def test_details_the_user_sets_win_and_are_used_at_once(store, tmp_path):
    details = Details.load(tmp_path / "d.json")
    cites = zh(store, details)
    article = store.article("001_6aa715517b91c0bd/1")  # untitled, on a page with no title: cited by place alone
    assert cites.of(article, "body", 0) == "——金兴小学 第1段（001_6aa715517b91c0bd.txt；报刊、日期不详）"
    details.set(article.file, checked({"publication": "重庆日报", "date": "2024年9月6日", "edition": "7", "title": "北碚：党建引领"}))
    said = "——《重庆日报》2024年9月6日 第7版《北碚：党建引领》，金兴小学 第1段（001_6aa715517b91c0bd.txt）"
    assert cites.of(article, "body", 0) == said
    titled = store.article("001_6aa715517b91c0bd/2")  # its own headline is its title
    assert "《党建统领“双创”提质》" in cites.of(titled, None)
    manifest = next(a for a in store.articles() if a.file.startswith("002_"))
    details.set(manifest.file, checked({"date": "2024-03-01"}))  # the user's date, the manifest's paper
    assert zh(store, details).of(manifest, None).startswith("——《渝西都市报》2024年3月1日")


def test_the_quote_copied_is_the_whole_sentence_and_its_citation(store):
    from store import Span

    article = store.article("001_6aa715517b91c0bd/1")
    text = article.paragraphs[0]
    at = text.index("星光点点")
    quote, citation = zh(store).quoted(article, Span("body", 0, at, at + 4))
    start, end = sentence_bounds(text, at, at + 4)
    nested = text[start:end].replace("“", "‘").replace("”", "’")  # quotes inside a quote, as Chinese sets them
    assert quote == f"“{nested}”{citation}" and citation.endswith("金兴小学 第1段（001_6aa715517b91c0bd.txt；报刊、日期不详）")
    assert text[start:end].endswith("。") and "‘星光点点放光彩’党建品牌" in quote


def test_profiles_under_one_headline_are_told_apart_by_their_school(store):
    """A page of untitled profiles numbers each one's paragraphs from 1: the school tells them apart."""
    cites = zh(store)
    untitled = [a for a in store.articles() if a.file.startswith("001_") and not a.title]
    assert len(untitled) >= 2
    said = {cites.of(a, "body", 0) for a in untitled}
    assert len(said) == len(untitled) and all(f"{a.subject} 第1段" in cites.of(a, "body", 0) for a in untitled)


# ---- page details ------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, iso", [("2024-09-06", "2024-09-06"), ("2024/9/6", "2024-09-06"), ("2024.9.6", "2024-09-06"),
                                        ("2024年9月6日", "2024-09-06"), ("2024年9月", "2024-09"), ("2024", "2024")])
def test_a_date_is_read_as_people_write_it(typed, iso):
    assert parse_date(typed) == iso


@pytest.mark.parametrize("typed", ["2024-13-01", "2024-02-30", "上周", "9月6日", "20240906", "2024-9-6-1"])
def test_a_date_that_is_not_a_date_is_refused_with_the_reason(typed):
    with pytest.raises(DetailsError) as refused:
        checked({"date": typed})
    assert refused.value.field == "date" and typed in str(refused.value) and "2024-09-06" in str(refused.value)


def test_text_over_the_limit_is_refused_and_white_space_is_tidied():
    with pytest.raises(DetailsError, match="too long") as refused:
        checked({"title": "党" * (MAX_CHARS + 1)})
    assert refused.value.field == "title"
    assert checked({"publication": "  重庆\n日报\x1b[31m ", "edition": ""}) == PageDetails("重庆 日报 [31m", None, None, None)


def test_details_survive_a_rebuild_and_are_written_whole(db, tmp_path):
    details = Details.for_store(db)
    details.set("001_6aa715517b91c0bd.txt", PageDetails("重庆日报", "2024-09-06", "7", None))
    path = db.with_name("store.details.json")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["pages"] == {"001_6aa715517b91c0bd.txt": {"publication": "重庆日报", "date": "2024-09-06", "edition": "7"}}
    build(CORPUS, db, force=True)
    assert Details.for_store(db).of("001_6aa715517b91c0bd.txt").publication == "重庆日报"
    assert not [p for p in db.parent.iterdir() if ".tmp" in p.name]
    details.set("001_6aa715517b91c0bd.txt", PageDetails())  # all empty: the page is forgotten
    assert json.loads(path.read_text(encoding="utf-8"))["pages"] == {}


def test_a_damaged_details_file_is_moved_aside_and_the_backup_restored(db):
    path = db.with_name("store.details.json")
    Details.for_store(db).set("a.txt", PageDetails("甲报"))
    Details.for_store(db)  # a good read: backed up
    path.write_text('{"pages": {"a.txt": {"date": "not a date"}}}', encoding="utf-8")
    recovered = Details.for_store(db)
    assert recovered.of("a.txt").publication == "甲报" and "backup" in recovered.notice
    assert list(db.parent.glob("store.details.json.corrupt-*"))


# ---- quotes a report can use -------------------------------------------------------------------


def blockquotes(markdown: str) -> list[str]:
    """Each quote's sentence as a reader sees it (bold dropped)."""
    out, inside = [], False
    for t in MarkdownIt("commonmark").parse(markdown):
        if t.type == "blockquote_open":
            inside, first = True, True
        elif t.type == "blockquote_close":
            inside = False
        elif t.type == "inline" and inside and first:
            out.append("".join(c.content for c in t.children if c.type == "text"))
            first = False
    return out


def test_no_sentence_is_quoted_twice_in_one_export(store, db):
    cites = zh(store)
    marks = Marks.for_store(db)
    for name in ("金兴小学", "人和街小学", "朝阳小学"):
        marks.toggle("school", name)
    made = [export_compare(cites, ["金兴小学", "人和街小学", "朝阳小学"]), export_school(cites, "人和街小学"),
            export_marks(cites, list(marks)), export_results(cites, "党建")]
    for export in made:
        quoted = blockquotes(export.markdown())
        assert quoted and len(quoted) == len(set(quoted)), export.kind


def test_a_sentence_is_quoted_once_with_every_field_it_supports(store):
    body = export_school(zh(store), "金兴小学").markdown(front=False)
    facts = "双创批次 **第2批** · 称号 **党建“双创”培育创建单位** · 党建品牌 **星光点点放光彩**"
    assert facts in body and body.count("星光点点放光彩”党建品牌") == 1
    assert "数据 **荣誉奖项168项**" in body and "168项 荣誉奖项" not in body


def test_a_hit_across_two_sentences_quotes_both_with_every_hit_in_place(store):
    from store import Span
    from store.export.documents import _sentences_hit

    article = next(a for a in store.articles() if any(p.index("。") < len(p) - 5 for p in a.paragraphs if "。" in p))
    n, text = next((n, p) for n, p in enumerate(article.paragraphs) if "。" in p and p.index("。") < len(p) - 5)
    stop = text.index("。")
    early, across = Span("body", n, 2, 4), Span("body", n, stop - 1, stop + 3)
    [(sentence, hits)] = _sentences_hit(article, (across, early))
    quoted = text[sentence.start : sentence.end]
    assert sentence.start == 0 and quoted.count("。") >= 2
    assert [quoted[a:b] for a, b in hits] == [text[2:4], text[stop - 1 : stop + 3]]


def test_a_search_export_quotes_whole_sentences_with_the_hits_in_bold(store):
    body = export_results(zh(store), "党建 品牌").markdown()
    quoted = blockquotes(body)
    paragraphs = [line for a in store.articles() for lines in part_lines(a).values() for line in lines]
    for sentence in quoted:
        home = next(p for p in paragraphs if sentence in p)
        at = home.index(sentence)
        assert sentence_bounds(home, at, at + 1) == (at, at + len(sentence)), sentence
    assert "**党建品牌**" in body
    assert "\\+" not in export_results(zh(store), "党建").markdown()  # a + after a hit is text, not a list


# ---- tables -------------------------------------------------------------------------------------


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with its mark
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def read_xlsx(data: bytes, filtered: bool = True) -> list[list[str]]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.freeze_panes == "B2" and bool(sheet.auto_filter.ref) == filtered
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    return [[c.value or "" for c in row] for row in sheet.iter_rows()]


def test_the_school_list_has_every_school_and_value_in_each_format(store):
    made = export_schools(zh(store))
    schools = store.schools()
    for rows in (read_csv(made.render("csv")), read_xlsx(made.render("xlsx"))):
        header, body = rows[0], rows[1:]
        assert header[:4] == ["学校", "地区", "类型", "双创"] and header[-2:] == ["报道数", "出处"]
        assert sorted(r[0] for r in body) == sorted(s.name for s in schools)
        for school in schools:
            row = dict(zip(header, next(r for r in body if r[0] == school.name), strict=True))
            assert row["党建品牌"].split("\n") == list(school.brands) or (not school.brands and row["党建品牌"] == "")
            assert str(row["报道数"]) == str(len(school.articles))
            assert len(row["出处"].split("\n")) == len(school.articles) and all(LISTED.match(c) for c in row["出处"].split("\n"))
    markdown = made.markdown()
    assert markdown.startswith("---\n") and yaml.safe_load(markdown.split("---\n")[1])["counts"]["schools"] == len(schools)
    assert made.markdown(front=False).startswith("# 学校\n")


def test_the_school_list_follows_a_filter(store):
    made = export_schools(zh(store), "北碚")
    names = [r[0] for r in read_csv(made.render("csv"))[1:]]
    assert names and all(store.school(n).district == "北碚区" for n in names)
    with pytest.raises(ExportError, match="bad query"):
        export_schools(zh(store), "(北碚")


def test_a_comparison_is_a_spreadsheet_too(store):
    made = export_compare(zh(store), ["金兴小学", "人和街小学"])
    rows = read_xlsx(made.render("xlsx"), filtered=False)  # a comparison's fields are not a list to filter
    assert rows[0] == ["字段", "金兴小学", "人和街小学"]
    assert {r[0]: r[1:] for r in rows[1:]}["双创"] == ["第2批", "第1批"] and rows[-1][0] == "出处"
    assert read_csv(made.render("csv")) == rows
    assert {r[0]: r[1:] for r in rows[1:]}["教育品牌"][0] == ""  # empty in a spreadsheet, a dash in Markdown
    assert "| 教育品牌 | — |" in made.markdown()
    with pytest.raises(ExportError, match="this export is Markdown"):
        export_school(zh(store), "金兴小学").render("xlsx")
    with pytest.raises(ExportError, match="2 to 4 different schools"):
        export_compare(zh(store), ["金兴小学", "北碚区金兴小学"])  # one school by two names


def test_the_article_count_is_a_number_a_spreadsheet_can_sum(store):
    sheet = openpyxl.load_workbook(io.BytesIO(export_schools(zh(store)).render("xlsx"))).active
    header = [c.value for c in sheet[1]]
    counts = [row[header.index("报道数")] for row in sheet.iter_rows(min_row=2)]
    assert all(c.data_type == "n" and isinstance(c.value, int) for c in counts)
    assert sum(c.value for c in counts) == sum(len(s.articles) for s in store.schools())


def test_page_text_never_runs_as_a_formula(hostile):
    made = export_schools(zh(hostile))
    csv_rows = read_csv(made.render("csv"))
    xlsx_rows = read_xlsx(made.render("xlsx"))
    header = csv_rows[0]
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in csv_rows[1:]}
    assert by_name["松林路小学"]["党建品牌"] == "'=HYPERLINK（1）" and by_name["柏树街小学"]["党建品牌"] == "'+号先锋"
    assert by_name["松林路小学"]["工作模式"].startswith("'@")
    cells = [c for row in csv_rows for c in row]
    assert not [c for c in cells if c.startswith(tuple("=+-@"))]
    sheet = openpyxl.load_workbook(io.BytesIO(made.render("xlsx"))).active
    risky = [c for row in sheet.iter_rows() for c in row if str(c.value or "").startswith(tuple("=+-@"))]
    assert {str(c.value) for c in risky} >= {"=HYPERLINK（1）", "+号先锋"}  # the text as printed...
    assert all(c.data_type == "s" and c.quotePrefix for c in risky)  # ...and only ever text
    assert xlsx_rows[0][0] == "学校"


# ---- the command line --------------------------------------------------------------------------


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tui.cli", *args], capture_output=True, cwd=cwd,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"})


def test_the_command_line_writes_each_format(db, tmp_path):
    common = ["--db", str(db), "--corpus", str(CORPUS)]
    proc = run("export", "--schools", "--format", "csv", *common, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    [written] = (tmp_path / "exports").glob("schools-*.csv")
    assert len(read_csv(written.read_bytes())) == len(Store.open(db).schools()) + 1
    assert run("export", "--schools", "--query", "北碚", "-o", "b.xlsx", *common, cwd=tmp_path).returncode == 0
    assert read_xlsx((tmp_path / "b.xlsx").read_bytes())[0][0] == "学校"  # the format from the name
    out = run("export", "--compare", "金兴小学", "朝阳小学", "--no-front-matter", "--cite", "en", "-o", "-", *common, cwd=tmp_path)
    text = out.stdout.decode("utf-8")
    assert out.returncode == 0 and text.startswith("# 比较：金兴小学 · 朝阳小学\n") and "(001_6aa715517b91c0bd.txt;" in text
    csv_out = run("export", "--compare", "金兴小学", "朝阳小学", "--format", "csv", "-o", "-", *common, cwd=tmp_path)
    assert read_csv(csv_out.stdout)[0] == ["字段", "金兴小学", "朝阳小学"]


def test_the_front_matter_setting_and_the_style_setting_apply(db, tmp_path):
    config = tmp_path / "config"
    (config / "baixiao").mkdir(parents=True)
    (config / "baixiao" / "config.yaml").write_text("front_matter: false\ncitation: zh\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "tui.cli", "export", "--school", "金兴小学", "-o", "-", "--db", str(db),
                           "--corpus", str(CORPUS)], capture_output=True, cwd=tmp_path,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "XDG_CONFIG_HOME": str(config)})
    text = proc.stdout.decode("utf-8")
    assert proc.returncode == 0 and text.startswith("# 金兴小学\n") and "——" in text


@pytest.mark.parametrize("args, said", [
    (["--school", "金兴小学", "--format", "xlsx", "-o", "x.xlsx"], "this export is Markdown"),
    (["--schools", "--format", "csv", "-o", "z.xlsx"], "names a .xlsx file"),
    (["--compare", "金兴小学", "朝阳小学", "--query", "党建"], "--query"),
    (["--schools", "--query", "(北碚"], "bad query"),
    (["--schools", "-o", "exists.csv"], "exists"),
    (["--schools", "-o", "folder.csv"], "folder"),
    (["--schools", "-o", "exists.csv/x.csv"], "cannot write"),
])
def test_a_bad_export_is_one_line_and_exit_2(db, tmp_path, args, said):
    (tmp_path / "exists.csv").write_text("mine", encoding="utf-8")
    (tmp_path / "folder.csv").mkdir()
    proc = run("export", *args, "--db", str(db), "--corpus", str(CORPUS), cwd=tmp_path)
    err = proc.stderr.decode("utf-8")
    assert proc.returncode == 2 and said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert (tmp_path / "exists.csv").read_text(encoding="utf-8") == "mine"


def test_writing_a_table_is_whole_or_nothing(store, tmp_path):
    made = export_schools(zh(store))
    path = write(made, tmp_path / "s.xlsx", format="xlsx")
    assert read_xlsx(path.read_bytes())[0][0] == "学校" and [p.name for p in tmp_path.iterdir()] == ["s.xlsx"]
