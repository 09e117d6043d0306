"""Tests for store.ingest.read: real newspaper text in every supported encoding, the
ways a page can be refused, and the text clean-up rules."""

import codecs
import random
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from store.ingest.read import (
    PLAUSIBLE,
    Decoded,
    UndecodableError,
    _common_chars,
    decode,
    normalize_text,
    plausibility,
)

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "encodings"
CORPUS_PAGE = ROOT / "corpus" / "001_6aa715517b91c0bd.txt"
LENGTHS = (10, 60, 500)
LABELS = ("utf-8", "utf-8-sig", "gb18030", "big5", "utf-16")


def fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.txt"))


def label_of(path: Path) -> str:
    """zh-60.gb18030.txt -> gb18030"""
    return path.name.split(".", 1)[1].removesuffix(".txt")


def expected_text(path: Path) -> str:
    """Each fixture's text is held, as plain UTF-8, by its .utf-8.txt twin."""
    stem = path.name.split(".", 1)[0]
    return (FIXTURES / f"{stem}.utf-8.txt").read_text(encoding="utf-8")


# --- fixtures decode to the right text with the right label -----------------


@pytest.mark.parametrize("path", fixture_files(), ids=lambda p: p.name)
def test_fixture_decodes_with_expected_encoding(path):
    result = decode(path.read_bytes())
    assert result == Decoded(expected_text(path), label_of(path))


def test_fixture_set_is_complete_and_small():
    names = {p.name for p in fixture_files()}
    for n in LENGTHS:
        for label in ("utf-8", "utf-8-sig", "gb18030"):
            assert f"zh-{n}.{label}.txt" in names
        assert f"zh-hant-{n}.big5.txt" in names
        assert len(expected_text(FIXTURES / f"zh-{n}.utf-8.txt")) == n
        assert len(expected_text(FIXTURES / f"zh-hant-{n}.utf-8.txt")) == n
    assert "zh-60.utf-16.txt" in names
    assert sum(p.stat().st_size for p in FIXTURES.iterdir()) < 50_000


@pytest.mark.parametrize("n", LENGTHS)
def test_fixture_text_is_real_newspaper_text(n):
    page = CORPUS_PAGE.read_text(encoding="utf-8")
    simplified = expected_text(FIXTURES / f"zh-{n}.utf-8.txt")
    traditional = expected_text(FIXTURES / f"zh-hant-{n}.utf-8.txt")
    assert simplified in page
    assert "党" in simplified and "黨" in traditional and "党" not in traditional


@pytest.mark.parametrize("n", LENGTHS)
def test_big5_fixtures_are_also_valid_gb18030(n):
    """The Big5 cases only prove something because their bytes also decode as GB18030."""
    data = (FIXTURES / f"zh-hant-{n}.big5.txt").read_bytes()
    wrong = data.decode("gb18030")
    assert plausibility(wrong) < PLAUSIBLE
    assert decode(data).encoding == "big5"


def test_short_gb_text_also_decodes_as_big5():
    data = (FIXTURES / "zh-10.gb18030.txt").read_bytes()
    wrong = data.decode("cp950")
    assert wrong != data.decode("gb18030")
    assert plausibility(wrong) < PLAUSIBLE
    assert decode(data).encoding == "gb18030"


def test_big5_as_written_by_windows():
    """裏 and 恒 exist only in Microsoft's Big5 (cp950); plain Big5 decoders reject them."""
    text = "這裏的老師持之以恒。"
    assert decode(text.encode("cp950")) == Decoded(text, "big5")


def test_utf16_big_endian_bom():
    text = "党建引领，擎旗奋进。"
    assert decode(codecs.BOM_UTF16_BE + text.encode("utf-16-be")) == Decoded(text, "utf-16")


def test_ascii_only_is_utf8():
    assert decode(b"Page 3\r\nno Chinese here\n") == Decoded("Page 3\nno Chinese here\n", "utf-8")


def test_decoded_text_is_normalised():
    data = "党建\r\n引领\x1b[31m创新\u200b".encode("gb18030")
    assert decode(data) == Decoded("党建\n引领创新", "gb18030")


# --- the common-character set ---------------------------------------------------


def test_common_chars_hold_simplified_and_traditional_forms():
    common = _common_chars()
    assert 4000 <= len(common) <= 8000
    for simplified, traditional in zip("党学国区会体这为发说里台", "黨學國區會體這為發說裡臺", strict=True):
        assert simplified in common and traditional in common
    assert "龘" not in common and "a" not in common


def test_plausibility_scores():
    assert plausibility("北京大学") == 1.0
    assert plausibility("Page 3, ＧＤＰ，。") == 1.0
    assert plausibility("龘靐齉") == 0.0
    assert plausibility("党建アイウ") == 0.4
    assert plausibility("党建\ue000\ue001") == 0.5


# --- declared encodings -----------------------------------------------------------

# Short real phrases whose bytes read plausibly both ways, so detection alone
# cannot settle them: only the declared encoding can.
GB_PHRASE = "蒙爱风帆"  # as Big5 bytes: 蟹乾瑞楞
BIG5_PHRASE = "跨區域幫扶"


def test_ambiguous_phrases_are_detected_without_declaration():
    assert decode(GB_PHRASE.encode("gb18030")) == Decoded(GB_PHRASE, "gb18030")
    assert decode(BIG5_PHRASE.encode("big5")) == Decoded(BIG5_PHRASE, "big5")


@pytest.mark.parametrize("declared", ["big5", "BIG5", "cp950", "big5-hkscs"])
def test_declared_big5_is_honoured(declared):
    data = GB_PHRASE.encode("gb18030")
    assert decode(data, declared) == Decoded(data.decode("cp950"), "big5")


@pytest.mark.parametrize("declared", ["gbk", "GB2312", "cp936", "gb18030"])
def test_declared_gb_aliases_are_recorded_as_gb18030(declared):
    data = BIG5_PHRASE.encode("big5")
    assert decode(data, declared) == Decoded(data.decode("gb18030"), "gb18030")


def test_declared_encoding_that_fails_falls_back_to_detection():
    data = (FIXTURES / "zh-500.gb18030.txt").read_bytes()
    assert decode(data, "big5").encoding == "gb18030"
    assert decode(data, "utf-8").encoding == "gb18030"


def test_declared_encoding_giving_mojibake_falls_back_to_detection():
    data = (FIXTURES / "zh-10.gb18030.txt").read_bytes()
    assert decode(data, "big5") == Decoded(expected_text(FIXTURES / "zh-10.gb18030.txt"), "gb18030")


def test_unknown_declared_encoding_is_ignored():
    data = (FIXTURES / "zh-hant-60.big5.txt").read_bytes()
    assert decode(data, "no-such-codec").encoding == "big5"
    assert decode(data, "").encoding == "big5"


# --- refusals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b" \r\n\t \n", "empty file"),
        (codecs.BOM_UTF8, "empty file"),
        (codecs.BOM_UTF16_LE + "\u3000\n".encode("utf-16-le"), "empty file"),
        (b"\x1b[2J\x1b[H\r\n", "empty file"),
        (b"abc\x00\x00def", "binary file (NUL bytes)"),
        (codecs.BOM_UTF8 + b"abc\x00\x00", "binary file (NUL bytes)"),
        ("党建".encode("gb18030") + b"\x00\x00", "binary file (NUL bytes)"),
        (codecs.BOM_UTF16_LE + b"\x00", "not decodable as utf-16 despite its byte order mark"),
    ],
)
def test_refused_with_reason(data, reason):
    with pytest.raises(UndecodableError) as excinfo:
        decode(data)
    assert str(excinfo.value) == reason


def test_random_bytes_are_binary():
    data = random.Random(1234).randbytes(4096)
    assert b"\x00" in data
    with pytest.raises(UndecodableError, match=r"^binary file \(NUL bytes\)$"):
        decode(data)


def test_random_bytes_without_nul_are_undecodable():
    data = random.Random(1234).randbytes(4096).replace(b"\x00", b"")
    with pytest.raises(UndecodableError, match=r"^not decodable as UTF-8, GB18030 or Big5$"):
        decode(data)


# French in Latin-1 where every accented letter is followed by a letter: each
# pair is a valid GB18030 and Big5 character, so only plausibility can refuse it.
LATIN1_FRENCH = (
    "Hélène étudiait la géométrie près de la fenêtre du château; "
    "Thérèse préférait les leçons de Noël."
).encode("latin-1")


def test_latin1_text_decodes_as_cjk_but_is_implausible():
    assert plausibility(LATIN1_FRENCH.decode("gb18030")) < 0.2
    assert plausibility(LATIN1_FRENCH.decode("cp950")) < 0.2
    with pytest.raises(UndecodableError, match=r"^decoded text is implausible \(best guess gb18030\)$"):
        decode(LATIN1_FRENCH)


def test_undecodable_error_is_a_value_error():
    with pytest.raises(ValueError):
        decode(b"")


# --- normalize_text -----------------------------------------------------------------

C0 = [chr(c) for c in range(0x20) if chr(c) not in "\n\t\r"]
C1 = [chr(c) for c in range(0x80, 0xA0)]
BIDI = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F]]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
REMOVED = set(C0 + C1 + BIDI + ZERO_WIDTH + ["\x7f", "\r"])


@pytest.mark.parametrize("ch", [*C0, "\x7f", *C1, *BIDI, *ZERO_WIDTH], ids=lambda c: f"U+{ord(c):04X}")
def test_invisible_character_removed(ch):
    assert normalize_text(f"党{ch}建{ch}") == "党建"


@pytest.mark.parametrize(
    "raw",
    [
        "\x1b[2J",
        "\x1b[31m",
        "\x1b[0m",
        "\x1b[1;32;40m",
        "\x1b[?25l",
        "\x1b]0;title\x07",
        "\x1b]8;;http://example.com\x1b\\",
        "\x1b",
    ],
    ids=repr,
)
def test_escape_sequence_removed_whole(raw):
    assert normalize_text(f"党建{raw}引领") == "党建引领"


def test_a_form_feed_is_kept_once_between_printed_pages_and_nowhere_else():
    decoded = decode("党建\f\x07引领\f\f \f".encode())
    assert decoded.text == "党建\f引领" and decoded.sheets == ["党建", "引领"]
    utf16 = decode(codecs.BOM_UTF16_LE + "一版\f二版".encode("utf-16-le"))
    assert utf16.sheets == ["一版", "二版"]
    assert normalize_text("党\f建") == "党建"  # within a page it is removed like any control


def test_line_endings_become_lf():
    assert normalize_text("一\r\n二\r三\n四\r\r\n") == "一\n二\n三\n四\n\n"


def test_content_is_kept_untouched():
    text = "\u3000\u3000党建引领，擎旗奋进。\n\t“双创”（一）【二】《三》：；！？、…—～ＧＤＰ１２３ 2024年 é"
    assert normalize_text(text) == text


_ANSI_PIECES = st.sampled_from(["\x1b[31m", "\x1b[2J", "\x1b]0;t\x07", "\x1b]0;t\x1b\\", "\x1b", "[", "]", "\r\n", "\r"])
_TEXT = st.lists(
    st.one_of(st.characters(), st.sampled_from(sorted(REMOVED)), _ANSI_PIECES, st.just("\u3000")),
    max_size=60,
).map("".join)


@given(_TEXT)
def test_normalize_removes_every_class_and_is_idempotent(text):
    out = normalize_text(text)
    assert not REMOVED & set(out)
    assert normalize_text(out) == out


@given(st.text(st.characters(blacklist_characters="\x1b\r")))
def test_normalize_only_drops_removed_characters(text):
    assert normalize_text(text) == "".join(ch for ch in text if ch not in REMOVED)
