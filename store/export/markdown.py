"""Markdown that pastes into a report as it is: every piece of corpus text escaped so a page's
`#`, `|`, `*` or `<script>` stays text and never becomes a heading, a table break, emphasis or
HTML; bold, blockquotes, table cells and YAML front matter written so any CommonMark viewer
shows them as meant."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

SLUG_BYTES = 60  # of a file name's slug: a long Chinese title must not make a name too long

_ESCAPED = set("\\`*[]<>&|~#!$")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def escape(text: str, line_start: bool = True) -> str:
    """Text that renders as itself anywhere inline: Markdown's characters are backslash-escaped,
    a line start that would open a list or heading too (`line_start=False` for a piece set in the
    middle of a line, where `+` or `1.` is only text), a line break stays a line break, and white
    space at either end of a line (which Markdown drops) is kept."""
    lines = text.split("\n")
    return "\\\n".join(
        _keep_edges(_escape_line_start(_escape_chars(line)) if line_start or n else _escape_chars(line))
        for n, line in enumerate(lines)
    )


def _keep_edges(line: str) -> str:
    """White space at a line's ends (an ideographic indent too) as character references."""
    stripped = line.lstrip()
    core = stripped.rstrip()
    lead, trail = line[: len(line) - len(stripped)], stripped[len(core) :]
    return "".join(f"&#{ord(c)};" for c in lead) + core + "".join(f"&#{ord(c)};" for c in trail)


def _escape_chars(line: str) -> str:
    """Backslash before each Markdown character; `_` only where it could open or close emphasis
    (between two letters, as in 001_6aa7.txt, it cannot, and stays readable)."""
    out = []
    for i, c in enumerate(line):
        if c in _ESCAPED or (c == "_" and not (0 < i < len(line) - 1 and _word_edge(line[i - 1]) and _word_edge(line[i + 1]))):
            out.append("\\")
        out.append(c)
    return "".join(out)


def _escape_line_start(line: str) -> str:
    m = _LINE_START.match(line)
    if not m:
        return line
    if m.group(2)[0].isdigit():  # "1." or "1)" would start an ordered list
        end = m.end()
        return line[:end] + "\\" + line[end:]
    return line[: m.start(2)] + "\\" + line[m.start(2) :]


def cell(text: str) -> str:
    """A table cell: escaped, its lines joined by <br> so the row stays one line."""
    return "<br>".join(escape(line) for line in text.split("\n")) or " "


def _word_edge(ch: str) -> bool:
    return not (ch.isspace() or unicodedata.category(ch)[0] in "PS")


def strong(text: str) -> str:
    """Bold text. `**` only opens and closes next to letters or CJK characters (CommonMark's
    flanking rules), so a hit that starts or ends with punctuation (“双创”) is bolded with HTML."""
    if text and _word_edge(text[0]) and _word_edge(text[-1]):
        return f"**{escape(text, line_start=False)}**"
    return f"<strong>{escape(text, line_start=False)}</strong>"


def front_matter(fields: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False, width=1000) + "---\n"


def quote(line: str, citation: str) -> str:
    """A blockquote of `line` (Markdown already) ending in its citation (corpus text: escaped)."""
    return f"> {line}\n>\n> {escape(citation)}\n"


def slug(text: str) -> str:
    """A file-name part: letters, digits and CJK kept, the rest dashes, cut to SLUG_BYTES bytes of
    UTF-8 (never inside a character)."""
    cleaned = re.sub(r"[^\w]+", "-", text, flags=re.UNICODE).strip("-_") or "export"
    while len(cleaned.encode("utf-8")) > SLUG_BYTES:
        cleaned = cleaned[:-1]
    return cleaned.rstrip("-_")
