"""Markdown and plain-text notes: a heading (`# 标题`) becomes a line of its own between blank
lines, as the segmenter reads a printed heading, and the markup around words (emphasis, links,
list and quote markers) is taken off, so that only the words are searched and quoted."""

from __future__ import annotations

import re

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_RULE = re.compile(r"^ {0,3}([-*_])( *\1){2,} *$")
_MARKER = re.compile(r"^ {0,3}(?:>[ \t]?)*(?:[-*+][ \t]+|\d{1,9}[.)][ \t]+)?")
_BLANKS = re.compile(r"\n(?:[ \t]*\n)+")
_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), ""),  # an image: its place, not its text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # a link: its words
    (re.compile(r"(\*\*|__)(.+?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?!\w)"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"<[^>\n]+>"), ""),  # inline HTML tags
)


def markdown_text(text: str) -> str:
    lines = text.split("\n")
    out: list[str] = []
    fenced = False
    for n, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced:
            out.append(line)
            continue
        heading = _HEADING.match(line)
        nxt = lines[n + 1] if n + 1 < len(lines) else ""
        if heading or (line.strip() and _SETEXT.match(nxt) and not _RULE.match(line)):
            out += ["", _inline(heading[1] if heading else line.strip()), ""]
        elif (_SETEXT.match(line) and out and out[-1] == "") or _RULE.match(line):
            out.append("")
        else:
            out.append(_inline(_MARKER.sub("", line)))
    return _BLANKS.sub("\n\n", "\n".join(out)).strip("\n") + "\n"  # one blank line apart, as printed


def _inline(line: str) -> str:
    for pattern, replacement in _INLINE:
        line = pattern.sub(replacement, line)
    return line
