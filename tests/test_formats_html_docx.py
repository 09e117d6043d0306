"""Saved web pages and Word files read into the text a `.txt` page would hold.

Every page and document here is made by the tests, around a made-up school's made-up news.
"""

from __future__ import annotations

import io
import zipfile

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement

from store.ingest.extract import analyse
from store.ingest.formats import FormatError
from store.ingest.formats import docx as docx_format
from store.ingest.formats import html as html_format
from store.ingest.formats.docx import read_docx
from store.ingest.formats.html import read_html
from store.ingest.segment import blocks_of, segment

TITLE = "青松路小学打造“松针”党建品牌"
PARAGRAPHS = [
    "近日，青松路小学入选重庆市第二批中小学校党建“双创”创建单位。学校党支部以“松针”党建品牌为抓手，把党建工作融入教育教学全过程。",
    "学校党支部书记李喆介绍，“松针”寓意党员教师像松针一样扎根课堂、四季常青。支部建立了“一岗一责”机制，每名党员联系一个班级。",
    "在“松针课堂”上，党员教师带头上示范课，全校共开展示范课四十余节。三名青年教师在区级赛课中获奖。",
    "学校还联合社区开展“松针护苗”志愿服务，党员教师利用周末走访学生家庭，帮助解决学生学习生活中的困难。",
    "下一步，青松路小学将持续深化品牌建设，努力办好人民满意的教育。",
]
HEADINGS = ["党员先锋岗进课堂", "家校社共育"]
DATELINE = "发布时间：2024-07-30 10:12　来源：青松日报　浏览次数：123"

# Everything around the article: none of it may reach the text.
FURNITURE = [
    "首页", "学校概况", "当前位置", "热点新闻", "秋季运动会圆满落幕", "科技节开幕", "版权所有", "ICP备", "技术支持",
    "广告文字", "脚本字符串", "document", "color", "样式注释", "欢迎您", "发布时间", "浏览次数", "上一篇", "电话",
]  # fmt: skip


def article_html(dateline: str = DATELINE) -> str:
    p = [f"<p>　　{text}</p>" for text in PARAGRAPHS]
    return f"""
<div class="article">
  <h1>{TITLE}</h1>
  <div class="info">{dateline}</div>
  <div class="content">
    {p[0]}{p[1]}
    <h2>{HEADINGS[0]}</h2>
    {p[2]}
    <script>document.write('<p>广告文字</p>');</script>
    <h2>{HEADINGS[1]}</h2>
    {p[3]}{p[4]}
  </div>
  <div class="pager">上一篇：<a href="/n/1">秋季运动会圆满落幕</a></div>
</div>"""


def page(article: str | None = None, head: str = "", title: str = f"{TITLE}_新闻动态_青松路小学") -> str:
    news = ["秋季运动会圆满落幕", "科技节开幕", "新学期教职工大会召开"]
    links = "".join(f'<li><a href="/n/{i}">{t}</a></li>' for i, t in enumerate(news))
    return f"""<!DOCTYPE html>
<html><head>{head}
<title>{title}</title>
<style>.nav {{ color: red }} /* 样式注释 */</style>
<script>var msg = "脚本字符串"; document.write('广告文字');</script>
</head><body>
<div class="header"><img src="/logo.png" alt="校徽">青松路小学欢迎您</div>
<ul class="nav"><li><a href="/">首页</a></li><li><a href="/gk">学校概况</a></li><li><a href="/dj">党建园地</a></li></ul>
<div class="crumbs">当前位置：<a href="/">首页</a> &gt; <a href="/xw">新闻</a></div>
<div class="sidebar"><h3>热点新闻</h3><ul>{links}</ul></div>
{article_html() if article is None else article}
<div class="sidebar"><h3>通知公告</h3><ul>{links}</ul></div>
<div class="bottom"><p>地址：青松路1号　电话：023-12345678</p></div>
<div class="site-info"><p>版权所有：青松路小学　渝ICP备12345678号</p><p>技术支持：某某网络公司</p></div>
</body></html>"""


def one(sheets: list) -> tuple[str, object]:
    assert len(sheets) == 1
    return sheets[0].text, sheets[0].meta


def assert_in_order(text: str, parts: list[str]) -> None:
    at = [text.find(part) for part in parts]
    assert -1 not in at, [p for p, i in zip(parts, at, strict=True) if i < 0]
    assert at == sorted(at)


# ---- web pages -----------------------------------------------------------------------------


def test_web_page_keeps_the_article_and_nothing_around_it():
    text, meta = one(read_html(page().encode("utf-8")))
    assert_in_order(text, [TITLE, PARAGRAPHS[0], PARAGRAPHS[1], HEADINGS[0], PARAGRAPHS[2], HEADINGS[1], PARAGRAPHS[3], PARAGRAPHS[4]])
    assert [w for w in FURNITURE if w in text] == []
    assert (meta.title, meta.date, meta.publication) == (TITLE, "2024-07-30", "青松日报")


def test_web_page_text_opens_with_its_title_once_then_paragraphs_apart():
    text, _ = one(read_html(page().encode("utf-8")))
    assert text.startswith(TITLE + "\n\n" + PARAGRAPHS[0] + "\n\n" + PARAGRAPHS[1] + "\n\n")
    assert text.count(TITLE) == 1


def test_web_page_headings_stand_on_their_own_lines():
    text, _ = one(read_html(page().encode("utf-8")))
    for heading in HEADINGS:
        assert f"\n\n{heading}\n\n" in text


def test_web_page_meta_tags_give_title_date_and_source():
    head = (
        f'<meta property="og:title" content="{TITLE}">'
        '<meta property="article:published_time" content="2024-08-02T09:30:00+08:00">'
        '<meta name="source" content="青松区融媒体中心">'
    )
    _, meta = one(read_html(page(article_html(dateline=""), head=head).encode("utf-8")))
    assert (meta.title, meta.date, meta.publication) == (TITLE, "2024-08-02", "青松区融媒体中心")


def test_web_page_og_title_loses_the_site_name_its_headline_lacks():
    head = f'<meta property="og:title" content="{TITLE} - 青松日报">'
    text, meta = one(read_html(page(head=head).encode("utf-8")))
    assert meta.title == TITLE
    assert text.count(TITLE) == 1


def test_web_page_government_site_meta_fields():
    head = (
        '<meta name="ArticleTitle" content="青松路小学召开党员大会">'
        '<meta name="PubDate" content="2024-09-01 08:00">'
        '<meta name="ContentSource" content="青松区教委">'
    )
    _, meta = one(read_html(page(article_html(dateline=""), head=head).encode("utf-8")))
    assert (meta.title, meta.date, meta.publication) == ("青松路小学召开党员大会", "2024-09-01", "青松区教委")


@pytest.mark.parametrize("name", ["PubDate", "pubdate", "publishdate"])
def test_web_page_date_meta_names(name):
    head = f'<meta name="{name}" content="2024/8/2 09:30">'
    _, meta = one(read_html(page(article_html(dateline=""), head=head).encode("utf-8")))
    assert meta.date == "2024-08-02"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        (f"{TITLE}_新闻动态_青松路小学", TITLE),
        (f"{TITLE} - 青松日报", TITLE),
        (f"青松日报|{TITLE}", TITLE),
        ("2024-2025学年青松路小学党建工作会议召开-青松路小学", "2024-2025学年青松路小学党建工作会议召开"),
        ("青松路小学——打造“松针”党建品牌", "青松路小学——打造“松针”党建品牌"),
    ],
)
def test_web_page_title_is_the_title_tag_without_the_site_name(title, expected):
    article = article_html().replace(f"<h1>{TITLE}</h1>", "")
    _, meta = one(read_html(page(article, title=title).encode("utf-8")))
    assert meta.title == expected


def test_web_page_date_only_in_its_date_line():
    text, meta = one(read_html(page(article_html(dateline="发布日期：2024年7月30日　来源：青松区教委")).encode("utf-8")))
    assert (meta.date, meta.publication) == ("2024-07-30", "青松区教委")
    assert "发布日期" not in text and "青松区教委" not in text


def test_web_page_date_line_inside_the_article_is_taken_out():
    article = article_html(dateline="").replace('<div class="content">', f'<div class="content"><p>{DATELINE}</p>')
    text, meta = one(read_html(page(article).encode("utf-8")))
    assert (meta.date, meta.publication) == ("2024-07-30", "青松日报")
    assert "发布时间" not in text and "青松日报" not in text
    assert text.startswith(TITLE + "\n\n" + PARAGRAPHS[0])


@pytest.mark.parametrize(
    "declaration",
    [
        '<meta charset="gb2312">',
        '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
        '<meta http-equiv="Content-Type" content="text/html; charset=GBK">',
        "",  # undeclared: read as GB18030 when UTF-8 fails and the text is real Chinese
    ],
)
def test_web_page_in_gbk(declaration):
    data = page(head=declaration).encode("gbk")  # 喆 is GBK, not GB2312: a gb2312 page is read as GB18030
    text, meta = one(read_html(data))
    assert_in_order(text, PARAGRAPHS)
    assert meta.title == TITLE


TRADITIONAL = [
    "近日，青松路小學入選第二批中小學校黨建「雙創」創建單位。學校黨支部以「松針」黨建品牌為抓手，把黨建工作融入教育教學全過程。",
    "學校黨支部書記介紹，「松針」寓意黨員教師像松針一樣紮根課堂、四季常青。",
]


@pytest.mark.parametrize("declaration", ['<meta charset="big5">', ""])
def test_web_page_in_big5(declaration):
    html = (
        f"<html><head>{declaration}<title>青松路小學打造「松針」黨建品牌</title></head><body>"
        f"<ul class='nav'><li><a href='/'>首頁</a></li></ul><div class='content'><p>{TRADITIONAL[0]}</p><p>{TRADITIONAL[1]}</p></div>"
        "</body></html>"
    )
    text, _ = one(read_html(html.encode("cp950")))
    assert text == "\n\n".join(["青松路小學打造「松針」黨建品牌", *TRADITIONAL])


def test_web_page_in_utf8_with_a_bom_and_a_wrong_declaration():
    data = b"\xef\xbb\xbf" + page(head='<meta charset="gb2312">').encode("utf-8")
    text, _ = one(read_html(data))
    assert_in_order(text, PARAGRAPHS)


def test_web_page_laid_out_in_tables():
    """The old layout of many school and bureau sites: nested tables, paragraphs apart by <br>."""
    news = "".join(f"<li><a href='/n/{i}'>第{i}届校园科技节开幕</a> 2024-06-{i:02d}</li>" for i in range(1, 12))
    body = "<br>".join(f"　　{p}" for p in PARAGRAPHS)
    html = f"""<html><head><meta charset="utf-8"><title>{TITLE}-青松路小学</title></head><body>
<table width="980"><tr><td width="200"><h3>热点新闻</h3><ul>{news}</ul></td><td>
<table><tr><td align="center"><font size="5"><b>{TITLE}</b></font></td></tr>
<tr><td align="center">{DATELINE}</td></tr>
<tr><td class="content">{body}</td></tr>
<tr><td align="right">【<a href="javascript:print()">打印本页</a>】【<a href="javascript:close()">关闭窗口</a>】</td></tr>
</table></td></tr></table>
<div class="foot"><p>版权所有：青松路小学　渝ICP备12345678号</p><p>地址：青松路1号　电话：023-12345678</p></div>
</body></html>"""
    text, meta = one(read_html(html.encode("utf-8")))
    assert text == "\n\n".join([TITLE, *PARAGRAPHS])
    assert (meta.title, meta.date, meta.publication) == (TITLE, "2024-07-30", "青松日报")


def test_web_page_table_is_read_row_by_row():
    table = "<table><tr><td>序号</td><td>学校</td><td>品牌</td></tr><tr><td>1</td><td>青松路小学</td><td>“松针”</td></tr></table>"
    article = article_html().replace(f"<p>　　{PARAGRAPHS[4]}</p>", f"<p>　　{PARAGRAPHS[4]}</p>{table}")
    text, _ = one(read_html(page(article).encode("utf-8")))
    assert "\n\n序号 学校 品牌\n\n1 青松路小学 “松针”" in text


def test_web_page_line_breaks_part_paragraphs():
    article = f"<div class='content'><h1>{TITLE}</h1><p>{PARAGRAPHS[0]}<br>{PARAGRAPHS[1]}<br/>{PARAGRAPHS[2]}</p></div>"
    text, _ = one(read_html(page(article).encode("utf-8")))
    assert "\n\n".join(PARAGRAPHS[:3]) in text


NAVIGATION_ONLY = page(article="")


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \n\t", "empty"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "not an HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an HTML page"),
        ("只是一段文字，没有任何标记。".encode(), "not an HTML page"),
        (b"<html><body><p>" + bytes(range(0x81, 0xFF)) * 8 + b"</p></body></html>", "not decodable"),
        (NAVIGATION_ONLY.encode("utf-8"), "no main text found"),
    ],
    ids=["empty", "blank", "pdf", "png", "text", "mojibake", "navigation"],
)
def test_web_page_that_cannot_be_read(data, reason):
    with pytest.raises(FormatError, match=reason):
        read_html(data)


def test_web_page_too_large(monkeypatch):
    monkeypatch.setattr(html_format, "MAX_BYTES", 1000)
    with pytest.raises(FormatError, match="too large"):
        read_html(page().encode("utf-8"))


# ---- Word files ----------------------------------------------------------------------------


def word_file(core_title: str = "") -> bytes:
    document = docx.Document()
    document.core_properties.title = core_title
    document.add_paragraph(TITLE, style="Title")
    document.add_paragraph(PARAGRAPHS[0])
    document.add_heading(HEADINGS[0], level=1)
    with_break = document.add_paragraph(PARAGRAPHS[1])
    with_break.add_run().add_break()
    with_break.add_run(PARAGRAPHS[2])
    document.styles.add_style("标题 1", WD_STYLE_TYPE.PARAGRAPH)  # as Chinese Word and WPS name it
    document.add_paragraph(HEADINGS[1], style="标题 1")
    document.add_paragraph(PARAGRAPHS[3])
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("序号", "学校", "品牌"), ("1", "青松路小学", "“松针”")]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(PARAGRAPHS[4])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_word_file_text_in_order_with_headings_on_their_own_lines():
    text, meta = one(read_docx(word_file()))
    assert text.split("\n\n") == [
        TITLE, PARAGRAPHS[0], HEADINGS[0], PARAGRAPHS[1], PARAGRAPHS[2], HEADINGS[1], PARAGRAPHS[3],
        "序号 学校 品牌", "1 青松路小学 “松针”", PARAGRAPHS[4],
    ]  # fmt: skip
    assert meta.title == TITLE


def test_word_file_title_from_its_properties_first():
    _, meta = one(read_docx(word_file(core_title="青松路小学党建工作简报")))
    assert meta.title == "青松路小学党建工作简报"


def test_word_file_merged_cells_read_once():
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "第二批创建单位"
    for c, value in enumerate(["1", "青松路小学", "“松针”"]):
        table.cell(1, c).text = value
    out = io.BytesIO()
    document.save(out)
    text, _ = one(read_docx(out.getvalue()))
    assert text == "第二批创建单位\n\n1 青松路小学 “松针”"


def test_word_file_text_inside_a_smart_tag_is_kept():
    document = docx.Document()
    paragraph = document.add_paragraph("青松路小学于")
    run = paragraph.add_run("2024年7月30日")
    paragraph.add_run("召开党员大会。")
    tag = OxmlElement("w:smartTag")  # how older Chinese Word files mark a date
    run._r.addprevious(tag)
    tag.append(run._r)
    out = io.BytesIO()
    document.save(out)
    text, _ = one(read_docx(out.getvalue()))
    assert text == "青松路小学于2024年7月30日召开党员大会。"


def blank_word_file() -> bytes:
    out = io.BytesIO()
    docx.Document().save(out)
    return out.getvalue()


def zipped(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_word_file_zip_bomb_is_refused_unopened():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            zeros = bytes(1 << 22)
            for _ in range(75):  # 300 MB of zeros, packed to about 1 MB
                member.write(zeros)
    with pytest.raises(FormatError, match="too large when unpacked"):
        read_docx(out.getvalue())


def test_word_file_member_packed_too_tightly_is_refused():
    data = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(20_000_000)})
    with pytest.raises(FormatError, match="too large when unpacked"):
        read_docx(data)


def test_word_file_under_a_lowered_cap_is_refused(monkeypatch):
    monkeypatch.setattr(docx_format, "MAX_UNPACKED", 10_000)
    with pytest.raises(FormatError, match="too large when unpacked"):
        read_docx(word_file())


def rewritten(data: bytes, name: str, content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        members = {m: archive.read(m) for m in archive.namelist()}
    return zipped({**members, name: content})


def encrypted(data: bytes) -> bytes:
    """The zip with each member's "encrypted" flag set, as a password-protected zip has it."""
    out = bytearray(data)
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = out.find(signature)
        while at >= 0:
            out[at + flag_at] |= 0x1
            at = out.find(signature, at + 1)
    return bytes(out)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "not a Word .docx file"),
        ("青松路小学党建工作简报".encode(), "not a Word .docx file"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "Word 97-2003 .doc"),
        (zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), "not a Word .docx file"),
        (word_file()[:2000], "damaged"),
        (zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"}), "damaged"),
        (rewritten(word_file(), "word/document.xml", b"<w:document"), "damaged"),
        (encrypted(word_file()), "encrypted"),
        (blank_word_file(), "no text found"),
    ],
    ids=["empty", "text", "doc", "xlsx", "truncated", "no-content-types", "broken-xml", "encrypted", "blank"],
)
def test_word_file_that_cannot_be_read(data, reason):
    with pytest.raises(FormatError, match=reason):
        read_docx(data)


# ---- through the segmenter -----------------------------------------------------------------


@pytest.mark.parametrize("read", ["html", "docx"])
def test_each_format_segments_into_the_schools_article(read):
    text = one(read_html(page().encode("utf-8")) if read == "html" else read_docx(word_file()))[0]
    articles = segment(blocks_of(text), "p", f"p.{read}", None)
    assert articles[0].title == TITLE
    body = "\n".join(p for a in articles for p in a.paragraphs)
    for paragraph in (PARAGRAPHS[0], PARAGRAPHS[3], PARAGRAPHS[4]):
        assert paragraph in body
    assert "青松路小学" in {m.display for m in analyse(articles[0]).mentions}


def test_web_page_with_control_characters_is_read_without_them():
    sheets = read_html(page(article_html().replace("。", "。\x01\x0b", 3)).encode("utf-8"))
    text, _meta = one(sheets)
    assert PARAGRAPHS[0][:10] in text and "\x01" not in text and "\x0b" not in text


def test_word_file_in_a_zip_version_python_cannot_read_is_refused():
    data = bytearray(word_file())
    at = data.find(b"PK\x01\x02")  # the first central directory entry: "version needed to extract"
    data[at + 6 : at + 8] = (64).to_bytes(2, "little")
    with pytest.raises(FormatError, match="damaged"):
        read_docx(bytes(data))
