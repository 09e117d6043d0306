"""A web page's own title, date and source, read off its top (store.ingest.pagemeta), and kept on the
page record when the manifest does not say. Every page here is written for the test."""

from __future__ import annotations

import pytest

from store import Store
from store.ingest.build import build
from store.ingest.pagemeta import PageMeta, parse
from store.ingest.read import decode

BODY = "青松路小学党支部以“松针”党建品牌为抓手，推动党建与教学深度融合。\n学校组建党员先锋岗，带动教师成长。"
TITLE = "青松路小学获评区级党建示范校"


def test_a_dated_page_gives_its_title_and_date_and_loses_the_date_line():
    meta, text = parse(f"{TITLE}\n\n发布日期:2024-07-09 10:32\n\n{BODY}")
    assert meta == PageMeta(TITLE, "2024-07-09", None)
    assert text == f"{TITLE}\n\n{BODY}"


@pytest.mark.parametrize(
    "printed",
    ["2024-07-09", "2024/7/9", "2024.07.09", "2024年7月9日", "2024 年 7 月 9 日", "２０２４－０７－０９", "2024-7-9 08:05:59"],
)
def test_each_date_format_reads_as_iso(printed):
    meta, _ = parse(f"{TITLE}\n发布时间：{printed}\n{BODY}")
    assert meta.date == "2024-07-09"


@pytest.mark.parametrize("label", ["发布日期", "发布时间", "日期", "时间", "发表时间", "更新时间", "發布日期", "發布時間", "時間"])
def test_each_date_label_in_either_script(label):
    meta, text = parse(f"{TITLE}\n{label}:2023-11-02\n{BODY}")
    assert meta.date == "2023-11-02"
    assert label not in text


@pytest.mark.parametrize(
    "line, date, publication",
    [
        ("时间:2025-08-11 15:28:20 来源:青松区教育局 字号:[ ]", "2025-08-11", "青松区教育局"),
        ("来源:中共青松市委教育工委组织处 | 发布时间:2023-06-05 15:08 | 字号:", "2023-06-05", "中共青松市委教育工委组织处"),
        ("- 时间:2026-01-15 09:56 来源:教育局 阅读次数:", "2026-01-15", "教育局"),
        ("作者：王青  来源：青松日报  发布时间：2024年3月8日  浏览次数：126  【打印】【关闭】", "2024-03-08", "青松日报"),
        ("来源：青松日报", None, "青松日报"),
        ("信息来源：青松区教委 编辑：李松", None, "青松区教委"),
        ("2024-04-16 09:12　來源：青松網", "2024-04-16", "青松網"),
        ("2024-04-16", "2024-04-16", None),
        ("青松日报　2024年11月14日　星期四　第A06版：教育周", "2024-11-14", "青松日报"),
        ("青松晚报 2024年6月20日", "2024-06-20", "青松晚报"),
    ],
)
def test_a_source_is_read_as_printed_and_the_furniture_beside_it_is_dropped(line, date, publication):
    meta, text = parse(f"{TITLE}\n{line}\n\n{BODY}")
    assert (meta.title, meta.date, meta.publication) == (TITLE, date, publication)  # the dateline's page: below
    assert text == f"{TITLE}\n\n{BODY}"


def test_a_traditional_page_keeps_its_characters_and_tolerates_pinyin_after_them():
    page = f"青松區學(xué)校獲評示範校\n發(fā)布時間:2024-07-30 來源:青松日報\n\n{BODY}"
    meta, text = parse(decode(page.encode("utf-8")).text)
    assert meta == PageMeta("青松區學校獲評示範校", "2024-07-30", "青松日報")
    assert text.startswith("青松區學校獲評示範校\n\n青松路小学")


def test_a_title_printed_twice_counts_once():
    meta, text = parse(f"{TITLE}\n{TITLE}\n时间：2024-05-20\n{BODY}")
    assert meta.title == TITLE
    assert text == f"{TITLE}\n\n{BODY}"


def test_lines_above_the_title_stay_where_they_are():
    meta, text = parse(f"当前位置：首页 > 教育动态\n栏目：学校新闻\n{TITLE}\n发布日期：2024-05-20\n{BODY}")
    assert meta.title == TITLE
    assert text == f"栏目：学校新闻\n{TITLE}\n\n{BODY}"


def test_a_page_that_opens_with_its_metadata_has_no_title():
    meta, text = parse(f"发布日期：2024-05-20 来源：青松日报\n\n{BODY}")
    assert meta == PageMeta(None, "2024-05-20", "青松日报")
    assert text == BODY


@pytest.mark.parametrize(
    "page",
    [
        f"{TITLE}\n\n{BODY}",
        f"{TITLE}\n{TITLE}\n{BODY}",  # a repeated title is left alone when nothing marks it a web page's
        f"{TITLE}\n学校于2023年3月5日签署共建协议，来源于家校共育的需要。\n{BODY}",
        f"{TITLE}\n时间：2023年3月，学校启动“松针”党建品牌创建。\n{BODY}",
        f"{TITLE}\n时间：2023年3月5日 地点：学校礼堂\n{BODY}",
        f"{TITLE}\n发布日期：2024-13-40\n{BODY}",
        f"{TITLE}\n活动时间：2024-05-20\n{BODY}",
        f"{TITLE}\n2024年3月5日，学校开展活动。\n{BODY}",
        "\n".join([TITLE, *[f"第{n}段，学校开展党建活动。" for n in range(8)], "发布日期：2024-05-20", BODY]),
    ],
    ids=[
        "plain", "repeated-title", "running-text", "labelled-sentence", "not-a-whole-date", "no-such-day",
        "event-time", "dated-sentence", "too-far-down",
    ],
)
def test_a_page_without_metadata_at_its_top_is_unchanged(page):
    assert parse(page) == (PageMeta(), page)


WEB_TITLE = "青松路小学党建品牌创建纪实，擦亮“松针”品牌"


def _write_pages(folder, manifest: str = "", title: str = WEB_TITLE) -> None:
    folder.mkdir()
    (folder / "a.txt").write_text(
        f"{title}\n\n发布日期：2024-07-09 10:32 来源：青松日报 字号：[大 中 小]\n\n{BODY}\n",
        encoding="utf-8",
    )
    if manifest:
        (folder / "corpus.yaml").write_text(manifest, encoding="utf-8")


# A short title is a headline to the segmenter by itself; one with a comma or a question mark
# reads to it as prose, and is still the headline.
@pytest.mark.parametrize("title", [TITLE, WEB_TITLE, "青松路小学如何擦亮党建品牌？"])
def test_a_built_page_records_what_it_prints_and_no_paragraph_holds_it(tmp_path, title):
    _write_pages(tmp_path / "pages", title=title)
    db = tmp_path / "store.json"
    assert build(tmp_path / "pages", db).warnings == []
    dump = Store.open(db).dump()
    [page] = dump["pages"]
    assert (page["title"], page["date"], page["publication"]) == (title, "2024-07-09", "青松日报")
    [article] = dump["articles"]
    assert article["title"] == title
    assert article["paragraphs"][0].startswith("青松路小学党支部")
    assert not any("发布日期" in p or "字号" in p for p in article["paragraphs"])


@pytest.mark.parametrize("given, title", [("null", WEB_TITLE), ("松针品牌纪实", "松针品牌纪实")])
def test_what_the_manifest_says_wins_over_what_the_page_prints(tmp_path, given, title):
    manifest = f"pages:\n  a.txt:\n    date: 2024-07-10\n    publication: 松城晚报\n    title: {given}\n"
    _write_pages(tmp_path / "pages", manifest)
    db = tmp_path / "store.json"
    build(tmp_path / "pages", db)
    [page] = Store.open(db).dump()["pages"]
    assert (page["title"], page["date"], page["publication"]) == (title, "2024-07-10", "松城晚报")


# The newspaper page (版次) an issue printed the page on.


@pytest.mark.parametrize(
    "line, date, publication, edition",
    [
        ("青松日报　2024年11月14日　星期四　第A06版：教育周", "2024-11-14", "青松日报", "A06"),
        ("青松晚报 2024年6月20日 第07版", "2024-06-20", "青松晚报", "7"),
        ("青松日報 2024年6月20日 星期四 第１２版：校園", "2024-06-20", "青松日報", "12"),
        ("青松晚报 2024年6月20日", "2024-06-20", "青松晚报", None),
    ],
)
def test_a_dateline_gives_its_page_without_the_leading_zeros_of_a_number(line, date, publication, edition):
    meta, text = parse(f"{TITLE}\n{line}\n\n{BODY}")
    assert meta == PageMeta(TITLE, date, publication, edition)
    assert text == f"{TITLE}\n\n{BODY}"


@pytest.mark.parametrize(
    "line, edition",
    [
        ("版次：第07版", "7"),
        ("版次:A06", "A06"),
        ("版面:A3", "A3"),
        ("版面：第A06版：教育周刊", "A06"),
        ("版号: 5", "5"),
        ("版號：第５版", "5"),
        ("發布時間：2024-07-30　版次：第０７版　來源：青松日報", "7"),
        ("来源：青松日报 | 版面：第12版 要闻 | 字号：[大 中 小]", "12"),
    ],
)
def test_a_labelled_page_in_either_script_is_read_and_its_line_taken_out(line, edition):
    meta, text = parse(f"{TITLE}\n{line}\n\n{BODY}")
    assert meta.title == TITLE
    assert meta.edition == edition
    assert text == f"{TITLE}\n\n{BODY}"


@pytest.mark.parametrize("line, edition", [("第07版：要闻", "7"), ("第A06版 教育周刊", "A06"), ("第 3 版", "3")])
def test_a_line_of_nothing_but_a_page_and_its_section_gives_the_page(line, edition):
    meta, text = parse(f"{TITLE}\n{line}\n\n{BODY}")
    assert meta == PageMeta(TITLE, None, None, edition)
    assert text == f"{TITLE}\n\n{BODY}"


def test_a_page_line_above_the_title_leaves_the_title_to_the_date_line():
    meta, text = parse(f"第07版：要闻\n{TITLE}\n发布日期：2024-05-20\n\n{BODY}")
    assert meta == PageMeta(TITLE, "2024-05-20", None, "7")
    assert text == f"{TITLE}\n\n{BODY}"


@pytest.mark.parametrize(
    "page",
    [
        f"{TITLE}\n本报第3版刊登了青松路小学的党建经验。\n{BODY}",
        f"{TITLE}\n第3版刊登青松路小学党建经验\n{BODY}",
        f"{TITLE}\n第3版 刊登了青松路小学党支部开展主题党日活动的消息\n{BODY}",
        f"{TITLE}\n第3版：学校党支部开展主题党日活动，全体党员参加。\n{BODY}",
        f"{TITLE}\n版面：要闻\n{BODY}",
        f"{TITLE}\n版次：第3版刊登\n{BODY}",
        f"{TITLE}\n版次：第7\n{BODY}",
        f"{TITLE}\n第三版：要闻\n{BODY}",
        f"{TITLE}\n07版：要闻\n{BODY}",
        f"第01版：要闻\n第02版：综合\n第03版：教育\n{TITLE}\n{BODY}",
    ],
    ids=[
        "sentence", "prose-without-punctuation", "long-section", "sentence-after-colon", "section-for-page",
        "labelled-prose", "half-page", "page-in-words", "no-第", "list-of-pages",
    ],
)
def test_a_page_named_in_text_stays_text_and_gives_no_edition(page):
    assert parse(page) == (PageMeta(), page)


def test_a_page_named_in_text_below_the_metadata_is_not_the_page_s():
    page = f"{TITLE}\n发布日期：2024-05-20\n\n学校经验刊登在本报第3版，引起关注。\n{BODY}"
    meta, text = parse(page)
    assert meta == PageMeta(TITLE, "2024-05-20", None, None)
    assert "第3版" in text


def _write_newspaper_page(folder, manifest: str = "") -> None:
    folder.mkdir()
    (folder / "a.txt").write_text(
        f"青松日报　2024年11月14日　星期四　第A06版：教育周\n{TITLE}\n\n{BODY}\n", encoding="utf-8"
    )
    if manifest:
        (folder / "corpus.yaml").write_text(manifest, encoding="utf-8")


@pytest.mark.parametrize(
    "manifest, edition",
    [("", "A06"), ("pages:\n  a.txt:\n    edition: null\n", "A06"), ("pages:\n  a.txt:\n    edition: 07\n", "07")],
    ids=["printed", "manifest-null", "manifest-wins"],
)
def test_a_built_page_records_its_edition_and_no_paragraph_holds_it(tmp_path, manifest, edition):
    _write_newspaper_page(tmp_path / "pages", manifest)
    db = tmp_path / "store.json"
    assert build(tmp_path / "pages", db).warnings == []
    dump = Store.open(db).dump()
    [page] = dump["pages"]
    assert (page["publication"], page["date"], page["edition"]) == ("青松日报", "2024-11-14", edition)
    [record] = Store.open(db).pages()
    assert record.edition == edition
    assert not any("版" in p for a in dump["articles"] for p in a["paragraphs"])
