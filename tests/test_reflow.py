"""Reflow: hard wraps joined, double spacing undone, column breaks mended, headings kept."""

from __future__ import annotations

from store.ingest.reflow import ends_sentence, is_headingish, reflow, width

from conftest import page_text

PAGE_001 = "001_6aa715517b91c0bd.txt"


def texts(text: str) -> list[str]:
    return [b.text for b in reflow(text)]


def test_hard_wrapped_column_lines_join_into_paragraphs():
    paragraphs = texts(page_text(PAGE_001))
    assert paragraphs[0].startswith("2024年，北碚区金兴小学成功入选“重庆市第二批新时代中小学校党建引领创新和质量创优”创建单位")
    assert any("“党员管理干部+党员教师+群众骨干”的“2+1”研究机制" in p for p in paragraphs)
    # A column break (a blank line mid-sentence) does not split the paragraph.
    assert any("以超级星期五跨学科课程为平台" in p for p in paragraphs)
    assert not any(p.startswith("学科课程为平台") for p in paragraphs)


def test_a_two_line_headline_stays_two_lines():
    paragraphs = texts(page_text(PAGE_001))
    i = paragraphs.index("党建统领“双创”提质")
    assert paragraphs[i + 1] == "“蒙爱”教育行稳致远"


def test_double_spaced_file_reads_like_the_single_spaced_one():
    single = page_text(PAGE_001)
    double = "\n\n".join(single.split("\n"))
    assert texts(double) == texts(single)


def test_one_paragraph_per_line_pages_are_not_taken_for_double_spacing():
    paragraphs = texts(page_text("000_cffeeb912b6cb14d.txt"))
    assert "以“双创”为契机 谱写党建新篇章" in paragraphs
    assert paragraphs[paragraphs.index("以“双创”为契机 谱写党建新篇章") + 1].startswith("课后服务实现学校")


def test_short_last_line_ends_a_paragraph_inside_one_block():
    page = "第一段的第一行写满了整整一行文字呀\n第一段结束。\n第二段的第一行也写满了整行文字呀\n第二段也结束了。\n"
    assert texts(page) == ["第一段的第一行写满了整整一行文字呀第一段结束。", "第二段的第一行也写满了整行文字呀第二段也结束了。"]


def test_crlf_and_indentation():
    page = "　　第一段，写了一些字。\r\n　　第二段，又写了一些字。\r\n"
    assert texts(page) == ["第一段，写了一些字。", "第二段，又写了一些字。"]


def test_helpers():
    assert ends_sentence("力量。（图片由廊坊市委组织部提供）")
    assert ends_sentence("他说：“好。”")
    assert not ends_sentence("以“青年教师成长孵化园”")
    assert is_headingish("以“双创”为契机 谱写党建新篇章")
    assert not is_headingish("注重党建引领创新，强化组织")
    assert width("党建ab") == 6


def test_a_web_pages_lines_are_paragraphs_not_a_hard_wrap():
    """No newspaper column holds 60 characters: a block with such a line is one paragraph a line,
    so a name on its own line never runs into the sentence before it."""
    page = ("近日，市教委印发通知，公布第三批示范性党组织和“双带头人”党组织书记典型选树名单，"
            "全市中小学校共有二十个基层党组织和十位党组织书记入选名单。\n"
            "城南中学党总支\n被确定为第三批示范性党组织\n河西区东风小学党支部书记王明\n")
    assert [b.text for b in reflow(page)] == [
        "近日，市教委印发通知，公布第三批示范性党组织和“双带头人”党组织书记典型选树名单，全市中小学校共有二十个基层党组织和十位党组织书记入选名单。",
        "城南中学党总支", "被确定为第三批示范性党组织", "河西区东风小学党支部书记王明"]
