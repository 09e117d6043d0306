"""Chinese line breaking: no line starts with a closing mark or ends with an opening one, hits stay whole."""

from __future__ import annotations

import io
import re
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.measure import Measurement
from rich.text import Text

from tui.typeset import CLOSING, OPENING, Typeset, break_lines, styled_spans, typeset_lines

SENTENCE = "学校打造党建品牌，教师党员带头示范。"


def lines_of(text: str, width: int, keep=()) -> list[str]:
    return [text[start:end] for start, end in break_lines(text, width, keep)]


def obeys_kinsoku(lines: list[str]) -> bool:
    """No break left a closing mark first on a line or an opening mark last on one (a text may begin with "……")."""
    return not any(after[:1] in CLOSING or before[-1:] in OPENING for before, after in pairwise(lines))


def gaps(text: str, lines: list[tuple[int, int]]) -> list[str]:
    """What lies before, between and after the lines."""
    ends = [0, *(x for line in lines for x in line), len(text)]
    return [text[a:b] for a, b in zip(ends[::2], ends[1::2], strict=True)]


def assert_fits_and_covers(text: str, width: int, lines: list[tuple[int, int]]) -> None:
    """Every line fits; in order they hold all of the text but newlines and the spaces hung at breaks."""
    assert all(cell_len(text[s:e]) <= width and "\n" not in text[s:e] for s, e in lines)
    ends = [x for line in lines for x in line]
    assert ends == sorted(ends)
    between = gaps(text, lines)
    assert between[0] == "" and "\n" not in between[-1]
    # Hung spaces, then at most one newline: every paragraph, even an empty one, has a line.
    assert all(re.fullmatch(" *\n?", gap) for gap in between)


# Rules, one at a time.


def test_a_comma_never_starts_a_line():
    # At 16 cells Rich would put "，" first on the second line: 学校打造党建品牌 / ，教师党员带头示.
    assert Text(SENTENCE).wrap(Console(), 16)[1].plain.startswith("，")
    assert lines_of(SENTENCE, 16) == ["学校打造党建品", "牌，教师党员带头", "示范。"]


def test_a_full_stop_is_carried_down_with_the_character_before_it():
    assert lines_of("一二三四五六七。", 14) == ["一二三四五六", "七。"]


def test_an_opening_quote_never_ends_a_line():
    # At 9 cells the natural break falls right after “.
    assert lines_of("他们说要“坚持立德树人”的方针", 9) == ["他们说要", "“坚持立德", "树人”的方", "针"]


def test_a_closing_quote_after_a_full_stop_stays_with_it():
    assert lines_of("他说：“我们一定做到。”随后离开", 20) == ["他说：“我们一定做", "到。”随后离开"]


def test_a_line_may_break_between_a_closing_and_an_opening_quote():
    # Rich counts both quotes one cell wide, yet ”“ is the natural place to break.
    assert lines_of("“甲乙”“丙丁”", 8) == ["“甲乙”", "“丙丁”"]


def test_a_kept_span_that_straddles_a_break_moves_down_whole():
    assert lines_of(SENTENCE, 10) == ["学校打造党", "建品牌，教", "师党员带头", "示范。"]
    assert lines_of(SENTENCE, 10, keep=[(4, 8)]) == ["学校打造", "党建品牌，", "教师党员带", "头示范。"]


def test_a_kept_span_longer_than_a_line_may_be_split():
    assert lines_of(SENTENCE, 6, keep=[(0, 8)]) == lines_of(SENTENCE, 6)


def test_overlapping_kept_spans_are_kept_as_their_union():
    assert lines_of(SENTENCE, 10, keep=[(4, 6), (5, 8)]) == ["学校打造", "党建品牌，", "教师党员带", "头示范。"]


def test_an_ascii_word_is_not_broken():
    assert lines_of("中文 hello world 中文", 8) == ["中文", "hello", "world 中", "文"]
    assert lines_of("党建2024年工作", 8) == ["党建2024", "年工作"]


def test_a_word_wider_than_the_line_is_folded():
    assert lines_of("中文abcdefghijklmnopqrst中文", 10) == ["中文", "abcdefghij", "klmnopqrst", "中文"]
    # Folded one letter early, so that "。" does not start the next line.
    assert lines_of("abcdefghij。", 10) == ["abcdefghi", "j。"]


def test_newlines_are_forced_breaks_and_belong_to_no_line():
    assert break_lines("第一段\n\n第三段很长很长很长", 6) == [(0, 3), (4, 4), (5, 8), (8, 11), (11, 14)]


def test_spaces_hang_at_a_break():
    text = "党建 引领 发展 创新"
    assert lines_of(text, 6) == ["党建", "引领", "发展", "创新"]
    assert lines_of(text, 9) == ["党建 引领", "发展 创新"]


def test_a_width_smaller_than_one_character_is_taken_as_two():
    assert lines_of("党建品牌", 1) == lines_of("党建品牌", 0) == ["党", "建", "品", "牌"]


def test_when_every_break_breaks_a_rule_the_line_still_ends():
    # Two cells hold one character, so "，" must start a line: the alternative is no progress.
    assert lines_of("品牌，好", 2) == ["品", "牌", "，", "好"]
    assert lines_of("。。。。。。", 4) == ["。。", "。。", "。。"]


def test_empty_text_is_one_empty_line():
    assert break_lines("", 10) == [(0, 0)]


# Properties over random mixtures.

CJK = "学校党建品牌教师员带头示范创新引领发展"
WORDS = ["a", "b", "x", "2024", "hello", "abcdefghijklmnopqrstuvwxyz"]  # some words wider than the narrowest lines
POOL = list(CJK) * 3 + sorted(CLOSING) + sorted(OPENING) + WORDS * 2 + [" "] * 3 + ["\n"]
texts = st.lists(st.sampled_from(POOL), max_size=90).map("".join)
widths = st.integers(min_value=2, max_value=40)


@st.composite
def kept_spans(draw, text: str) -> list[tuple[int, int]]:
    """Disjoint spans without newlines or edge spaces: the shape of highlighted search hits."""
    cuts = sorted(draw(st.sets(st.integers(0, len(text)), max_size=10)))
    pairs = zip(cuts[::2], cuts[1::2], strict=False)
    return [(a, b) for a, b in pairs if "\n" not in text[a:b] and text[a] != " " and text[b - 1] != " "]


def paragraph_end(text: str, start: int) -> int:
    end = text.find("\n", start)
    return len(text) if end < 0 else end


def room(text: str, start: int, width: int) -> int:
    """The furthest break whose line fits: trailing spaces hang."""
    end = paragraph_end(text, start)
    return max(b for b in range(start + 1, end + 1) if cell_len(text[start:b].rstrip(" ")) <= width)


def clean(text: str, start: int, b: int) -> bool:
    before, after = text[start:b].rstrip(" "), text[b : paragraph_end(text, start)].lstrip(" ")
    return before[-1:] not in OPENING and after[:1] not in CLOSING


def unavoidable(text: str, start: int, width: int, kept: list[tuple[int, int]]) -> bool:
    """Every break that fits the line begun at `start` either breaks kinsoku or splits a kept span."""
    return not any(clean(text, start, b) and not any(a < b < z for a, z in kept) for b in range(start + 1, room(text, start, width) + 1))


@settings(max_examples=300, deadline=None)
@given(st.data(), texts, widths)
def test_lines_fit_cover_the_text_and_obey_the_rules(data, text, width):
    keep = data.draw(kept_spans(text))
    lines = break_lines(text, width, keep)

    assert_fits_and_covers(text, width, lines)
    between = gaps(text, lines)

    kept = [(a, b) for a, b in keep if cell_len(text[a:b]) <= width]
    for (s, e), (s2, _), gap in zip(lines, lines[1:], between[1:], strict=False):
        if "\n" not in gap and (text[s2] in CLOSING or text[s:e][-1:] in OPENING):
            assert unavoidable(text, s, width, kept), (text, width, keep, lines)

    for a, b in kept:
        assert any(s <= a and b <= e for s, e in lines), (text, width, keep, lines)


@given(st.lists(st.sampled_from(CJK + "\n"), max_size=90).map("".join), widths)
def test_plain_chinese_fills_every_line(text, width):
    for paragraph in text.split("\n"):
        assert lines_of(paragraph, width)[:-1] == [paragraph[i : i + width // 2] for i in range(0, len(paragraph), width // 2)][:-1]


# The rendered text: Rich prints the lines as they are.


def test_typeset_prints_its_lines_unwrapped():
    page = Text(SENTENCE + "他们说要“坚持立德树人”的方针。")
    page.stylize("reverse", 4, 8)
    console = Console(width=16, record=True, file=io.StringIO())
    console.print(Typeset(page, keep_styles={"reverse"}))
    printed = console.export_text().splitlines()
    assert printed == ["学校打造", "党建品牌，教师党", "员带头示范。他们", "说要“坚持立德树", "人”的方针。"]
    assert printed == [line.plain for line in typeset_lines(page, 16, keep_styles=["reverse"])]


def test_lines_keep_their_styles():
    page = Text(SENTENCE)
    page.stylize("bold reverse", 4, 8)
    first, second, *_ = typeset_lines(page, 10, keep_styles=["reverse bold"])
    assert (first.plain, second.plain) == ("学校打造", "党建品牌，")
    assert [(span.start, span.end, str(span.style)) for span in second.spans] == [(0, 4, "bold reverse")]
    assert all(line.end == "\n" and line.no_wrap for line in (first, second))


def test_styled_spans_match_styles_however_written():
    page = Text("党建品牌")
    page.stylize("bold reverse", 0, 2)
    page.stylize("italic", 2, 4)
    assert styled_spans(page, {"reverse bold"}) == [(0, 2)]


def test_measure_is_the_widest_unbreakable_piece_and_the_widest_line():
    console = Console(width=100)
    assert Measurement.get(console, console.options, Typeset(Text("党建 hello\n品牌"))) == Measurement(5, 10)
    # “党 holds together (an opening mark never ends a line), and so does 建。
    assert Measurement.get(console, console.options, Typeset(Text("“党建。"))) == Measurement(4, 7)
    assert Measurement.get(console, console.options, Typeset(Text("党建品牌"), keep=[(1, 3)])) == Measurement(4, 8)


# The bundled pages.


def test_every_text_of_the_bundled_pages_typesets_cleanly(store):
    texts = [t for a in store.articles() for t in (a.title, *a.headings, *a.paragraphs, *a.captions)]
    assert len(texts) > 50
    for width in (30, 57, 80):
        for text in texts:
            lines = break_lines(text, width)
            assert_fits_and_covers(text, width, lines)
            assert obeys_kinsoku([text[s:e] for s, e in lines]), (width, text)


def test_a_bundled_paragraph_prints_through_rich_by_the_rules(store):
    console = Console(width=40, record=True, file=io.StringIO())
    # One that Rich's own wrapping gets wrong: a line of it would start with a closing mark.
    paragraph = next(
        p for a in store.articles() for p in a.paragraphs if not obeys_kinsoku([line.plain for line in Text(p).wrap(console, 40)])
    )
    console.print(Typeset(Text(paragraph)))
    printed = console.export_text().splitlines()
    assert len(printed) > 1
    assert obeys_kinsoku(printed)
    assert printed == [line.plain for line in typeset_lines(Text(paragraph), 40)]
    assert all(cell_len(line) <= 40 for line in printed)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="党建品牌，。“” ab\n", max_size=300), st.integers(8, 60), st.integers(0, 300), st.integers(0, 40))
def test_each_line_is_the_stretch_of_the_text_it_shows_styles_and_all(plain, width, at, length):
    text = Text(plain, style="italic")
    text.stylize("reverse", at, at + length)
    lines = typeset_lines(text, width, keep_styles={"reverse"})
    spans = break_lines(plain, width, styled_spans(text, {"reverse"}))
    assert [(line.plain, line.spans, line.style) for line in lines] == [
        (text[s:e].plain, text[s:e].spans, text[s:e].style) for s, e in spans
    ]
