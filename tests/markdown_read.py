"""Reading an export's Markdown back as a viewer shows it: CommonMark with GFM tables
(markdown-it-py), shared by the export and table tests."""

from __future__ import annotations

from markdown_it import MarkdownIt


def md() -> MarkdownIt:
    return MarkdownIt("commonmark").enable("table")


def plain(tokens) -> str:
    """What a reader sees of inline tokens: text, breaks as newlines, tags dropped."""
    out = []
    for t in tokens:
        if t.type in ("text", "code_inline"):
            out.append(t.content)
        elif t.type in ("softbreak", "hardbreak") or (t.type == "html_inline" and t.content == "<br>"):
            out.append("\n")
        elif t.children:
            out.append(plain(t.children))
    return "".join(out)


def table(body: str) -> tuple[list[str], list[list[str]]]:
    """The first table's header and rows, each cell as plain text."""
    header, rows, row, section = [], [], None, None
    for t in md().parse(body):
        if t.type in ("thead_open", "tbody_open"):
            section = t.type
        elif t.type == "tr_open":
            row = []
        elif t.type == "tr_close":
            (header.extend if section == "thead_open" else rows.append)(row)
            row = None
        elif t.type == "inline" and row is not None:
            row.append(plain(t.children))
    return header, rows
