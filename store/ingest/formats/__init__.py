"""Formats: the files users keep their pages in (saved web pages, Word files, newspaper PDFs),
each read into plain text the rest of the pipeline lays out as it lays out a `.txt` page.

A reader takes a file's bytes and returns its sheets: the printed pages it holds (one for a web
page or a Word file, one per page for a PDF), each as text with paragraphs apart by a blank
line and a heading on a line of its own, and what the file itself says of the page (title, date,
source, 版次) where its format says it (a web page's meta tags, a PDF page's furniture). A file
that cannot be read raises FormatError with the reason in a few words; the caller names the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from store.ingest.pagemeta import PageMeta


class FormatError(ValueError):
    """The file cannot be read as its kind; the message says why in a few words."""


@dataclass(frozen=True)
class Sheet:
    text: str
    meta: PageMeta = field(default_factory=PageMeta)
    label: str = ""  # "" for the whole file; "#3" for a PDF's third page (its page id and file then end in it)
