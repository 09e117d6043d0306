"""Read: the first pipeline stage, turning the bytes of a newspaper page into clean text.

Pages arrive as UTF-8, GB18030 (or its subsets GBK/GB2312) or Big5, usually
without saying which. Everything downstream wants one thing: trustworthy
Unicode text. So this module either returns text we are confident in, with
the encoding that produced it, or refuses with a short reason. Storing
mojibake would silently poison search and segmentation later, which is much
worse than a page that is visibly rejected.
"""

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

__all__ = ["PAGE_BREAK", "Decoded", "UndecodableError", "decode", "normalize_text", "plausibility"]

# Below this share of common characters a decoding is treated as mojibake.
# Measured on the corpus: real text scores 0.95+ over 60+ characters and 0.78+
# even in 10-character snippets; GB read as Big5 (or the reverse) scores at
# most 0.66 over 60+ characters, Latin-1 read as CJK about 0.1. Very short
# texts can score high either way, which is why candidates are compared first.
PLAUSIBLE = 0.7

# Codec actually used for each label. cp950 is Microsoft's Big5 and how Big5
# files are really written; Python's plain "big5" codec lacks characters such
# as 裏 and 恒 and would reject such pages outright.
_CODECS = {"utf-8": "utf-8", "gb18030": "gb18030", "big5": "cp950"}

# Manifest spellings, after codecs.lookup() canonicalises them. GBK and GB2312
# are subsets of GB18030, so decoding with GB18030 is always at least as good.
_DECLARED = {
    "utf-8": "utf-8",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "big5": "big5",
    "cp950": "big5",
    "big5hkscs": "big5",
}


# pdftotext and printers put a form feed between printed pages; it is the one control
# character kept, as a boundary, and the parser lays out each printed page on its own.
PAGE_BREAK = "\f"


# A page is binary when more than this share of its bytes are NUL (UTF-16 aside): a stray NUL
# or two in a text page is a transfer's damage, and the page ingests without them; a file that is
# one part in a thousand NUL is not text at all (random bytes are one in 256).
NUL_SHARE = 0.001
# Likewise bytes that are no character in the page's encoding: up to this share of them are
# dropped (and said) when the rest of the page reads as UTF-8; beyond it the page is refused.
INVALID_SHARE = 0.005


@dataclass(frozen=True)
class Decoded:
    text: str  # normalised; the printed pages of a file, if several, joined by PAGE_BREAK
    encoding: str
    removed: tuple[str, ...] = ()  # what was taken out, as a warning says it: "1 NUL byte"

    @property
    def sheets(self) -> list[str]:
        """The printed pages the file holds: one for a page saved as text, several for a PDF's text."""
        return self.text.split(PAGE_BREAK)


class UndecodableError(ValueError):
    """The page cannot be turned into trustworthy text; the message says why in a few words."""


def decode(data: bytes, declared: str | None = None) -> Decoded:
    """Decode a page, trusting evidence in order of strength.

    A BOM is unambiguous, and valid UTF-8 almost never happens by accident in
    non-UTF-8 Chinese text. After that the manifest's word is taken if it holds
    up. Only then do we guess between GB18030 and Big5, because both accept
    most byte pairs and only the resulting text shows which one is right.
    """
    if not data.strip():
        raise UndecodableError("empty file")

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _finish(_strict(data, "utf-16"), "utf-16")
    # UTF-16 is full of NUL bytes; in any other text many of them mean binary data, a few damage.
    nul = data.count(b"\x00")
    if nul > max(1, len(data) * NUL_SHARE):  # a single NUL is damage in a page of any size
        raise UndecodableError("binary file (NUL bytes)")
    removed = [_many(nul, "NUL byte")] if nul else []
    data = data.replace(b"\x00", b"")
    if data.startswith(codecs.BOM_UTF8):
        return _finish(_strict(data, "utf-8-sig"), "utf-8-sig", removed)

    text = _strict(data, "utf-8")
    if text is not None:
        return _finish(text, "utf-8", removed)

    label = _declared_label(declared)
    if label is not None:
        text = _strict(data, _CODECS[label])
        if text is not None and plausibility(text) >= PLAUSIBLE:
            return _finish(text, label)

    candidates = []
    for label in ("gb18030", "big5"):
        text = _strict(data, _CODECS[label])
        if text is not None:
            candidates.append((plausibility(text), label, text))
    if not candidates:
        return _mostly_utf8(data, removed)

    # max() keeps the first of equal scores, so ties go to GB18030, the
    # commoner encoding for mainland newspapers.
    score, label, text = max(candidates, key=lambda c: c[0])
    if score < PLAUSIBLE:
        raise UndecodableError(f"decoded text is implausible (best guess {label})")
    return _finish(text, label)


def _mostly_utf8(data: bytes, removed: list[str]) -> Decoded:
    """UTF-8 with a few damaged bytes (a page cut and joined, a byte flipped): the damage dropped
    and said, when it is a small share and the rest reads as Chinese."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    if bad > len(data) * INVALID_SHARE or plausibility(text.replace("\ufffd", "")) < PLAUSIBLE:
        raise UndecodableError("not decodable as UTF-8, GB18030 or Big5")
    return _finish(data.decode("utf-8", errors="ignore"), "utf-8", [*removed, _many(bad, "undecodable byte sequence")])


def _many(n: int, what: str) -> str:
    return f"{n} {what}" + ("s" if n != 1 else "")


def plausibility(text: str) -> float:
    """Score how much `text` looks like real Chinese, from 0.0 to 1.0.

    The score is the share of "letters" that are common Chinese characters.
    Letters are all non-ASCII letters (any script) and private-use code points,
    not just ideographs: a Big5 page read as GB18030 turns into a mix of
    ideographs, kana, Greek and private-use characters, and counting only the
    ideographs would hide most of the damage. Full-width Latin letters (ＧＤＰ)
    are left out because real Chinese pages use them. Text with no such
    letters at all gives no evidence against itself and scores 1.0.
    """
    common = _common_chars()
    letters = hits = 0
    for ch in text:
        if ch < "\x80" or "\uff01" <= ch <= "\uff5e":
            continue
        category = unicodedata.category(ch)
        if category[0] == "L" or category == "Co":
            letters += 1
            hits += ch in common
    return hits / letters if letters else 1.0


@cache
def _common_chars() -> frozenset[str]:
    """Load the common-character set once; see tests/fixtures/make_common_chars.py."""
    raw = (files("store") / "data" / "common_chars.txt").read_text(encoding="utf-8")
    return frozenset(
        ch for line in raw.splitlines() if not line.startswith("#") for ch in line if not ch.isspace()
    )


def _declared_label(declared: str | None) -> str | None:
    """Map a manifest encoding name to our label; unknown names are ignored, not fatal,
    because a manifest is a hint and detection can still do the job."""
    if not declared:
        return None
    try:
        name = codecs.lookup(declared.strip()).name
    except LookupError:
        return None
    return _DECLARED.get(name)


def _strict(data: bytes, codec: str) -> str | None:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _finish(text: str | None, encoding: str, removed: list[str] | None = None) -> Decoded:
    if text is None:
        raise UndecodableError(f"not decodable as {encoding} despite its byte order mark")
    controls = len(_CONTROLS.findall(text))
    sheets = [sheet for sheet in map(normalize_text, text.split(PAGE_BREAK)) if sheet.strip()]
    if not sheets:
        raise UndecodableError("empty file")
    said = [*(removed or []), *([_many(controls, "control character")] if controls else [])]
    return Decoded(PAGE_BREAK.join(sheets), encoding, tuple(said))


# Control characters that are no part of any text (tab, line breaks and the page break aside):
# removed, and said, unlike the invisible formatting characters web text is full of.
_CONTROLS = re.compile(r"[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f-\x9f]")


# ANSI escape sequences, removed whole so that their parameters ("[31m")
# do not survive as visible garbage: CSI (ESC [ params final) and OSC
# (ESC ] ... terminated by BEL or ESC \).
_ANSI = re.compile(r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)")

# Some sites print a character's pinyin after it, 學(xué)校: web "ruby" flattened into the text.
# A bracket of lower-case letters holding a tone mark, right after a Chinese character, is that.
_PINYIN_RUBY = re.compile(
    r"(?<=[\u4e00-\u9fff])[(（](?=[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ])[a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]{1,7}[)）]"
)
# Found by a pattern and removed: far faster than str.translate walking a table over every character.
_INVISIBLE = re.compile(
    "["
    + "".join(
        re.escape(chr(c))
        for c in [
            *(c for c in range(0x20) if c not in (0x09, 0x0A)),
            *range(0x7F, 0xA0),
            *range(0x202A, 0x202F),
            *range(0x2066, 0x206A),
            0x200E, 0x200F, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF,
        ]
    )
    + "]"
)


def normalize_text(text: str) -> str:
    """Remove what is invisible or terminal-only, and pinyin flattened into the text; nothing else.

    Pages are shown in a terminal and searched by substring, so control,
    bidi and zero-width characters would either corrupt the display or make
    identical-looking words fail to match. Full-width punctuation and spaces
    (U+3000) are real content to later stages, so no NFKC or other folding.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ANSI.sub("", text)
    if "(" in text or "（" in text:
        text = _PINYIN_RUBY.sub("", text)
    return _INVISIBLE.sub("", text)
