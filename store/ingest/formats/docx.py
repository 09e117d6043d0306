"""Word files (.docx): the document's text in reading order, laid out as a `.txt` page is.

Schools and bureaus often keep their reports as Word files. Each paragraph becomes a block
apart by a blank line; a heading (Word's Heading 1–9 or Title style, or their Chinese names
标题 1…) stays one line; a table of text is read row by row, a row's cells on one line, and a
table used for layout (cells holding paragraphs) is read cell by cell. The title comes from the
file's properties, else from its Title-styled paragraph.

A .docx is a zip, so a small file can unpack to gigabytes: the zip's listing is checked before
python-docx opens it. zipfile never gives more bytes than a member's listed size (it stops
there, and fails the checksum), so checking the listing is enough.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Iterator

import docx
from docx.document import Document
from docx.opc.constants import CONTENT_TYPE
from docx.oxml.ns import nsmap
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph
from lxml import etree  # type: ignore[import-untyped]

from store.ingest.formats import FormatError, Sheet
from store.ingest.pagemeta import PageMeta
from store.ingest.read import normalize_text

MAX_UNPACKED = 200_000_000  # bytes of all members unpacked: a long report with photos is ~20 MB
MAX_RATIO = 100  # unpacked to packed: Word's XML packs 5–20:1, photos barely at all
RATIO_FROM = 1_000_000  # bytes: a smaller member may pack as well as it likes
LAYOUT_CELL = 200  # characters: a table cell holding more is a page laid out in a table, not data

# Heading 1, heading 2 (as stored), 标题 1 (Chinese Word and WPS), Title, Subtitle, 标题, 副标题.
_HEADING = re.compile(r"(?:heading|标题)\s*[1-9]|title|subtitle|标题|副标题", re.IGNORECASE)
_TITLE = re.compile(r"title|标题", re.IGNORECASE)
_OLE = b"\xd0\xcf\x11\xe0"  # a Word 97–2003 .doc, or a .docx encrypted with a password

# A paragraph's text as Word shows it: runs also inside smart tags (Chinese dates in older
# files), tracked insertions and content controls, which python-docx's Paragraph.text skips.
# Deleted text (w:delText), field codes (w:instrText) and text boxes (their own paragraphs) are not.
_TEXT = etree.XPath(
    "(.//w:t | .//w:tab | .//w:br | .//w:cr)[not(ancestor::w:pPr) and not(ancestor::w:txbxContent)]",
    namespaces={"w": nsmap["w"]},
)
_CHARACTERS = {"tab": " ", "br": "\n", "cr": "\n"}


def read_docx(data: bytes) -> list[Sheet]:
    """A Word file's text as one sheet, with the title its properties or Title paragraph give."""
    _check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
        has_properties = any(p.content_type == CONTENT_TYPE.OPC_CORE_PROPERTIES for p in document.part.package.iter_parts())
        blocks = list(_blocks(document))
        title = _flat(document.core_properties.title or "") if has_properties else ""
    except Exception as err:  # python-docx fails on a broken part in many ways (KeyError, AttributeError…)
        raise FormatError("damaged") from err
    if not blocks:
        raise FormatError("no text found")
    title = title or next((text for text, style in blocks if _TITLE.fullmatch(style)), "")
    return [Sheet("\n\n".join(text for text, _ in blocks), PageMeta(title=title or None))]


def _check_zip(data: bytes) -> None:
    """Refuse what is not a .docx, or would unpack too large to read, before unpacking any of it."""
    if data.startswith(_OLE):
        raise FormatError("a Word 97-2003 .doc or an encrypted file, not a .docx")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, EOFError, NotImplementedError, OSError, struct.error) as err:  # zip versions it cannot read too
        raise FormatError("damaged" if data.startswith(b"PK\x03\x04") else "not a Word .docx file") from err
    if not any(m.filename == "[Content_Types].xml" for m in members) or not any(m.filename.startswith("word/") for m in members):
        raise FormatError("not a Word .docx file")
    if any(m.flag_bits & 0x1 for m in members):
        raise FormatError("encrypted")
    if sum(m.file_size for m in members) > MAX_UNPACKED or any(
        m.file_size > RATIO_FROM and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members
    ):
        raise FormatError("too large when unpacked")


def _blocks(container: Document | _Cell) -> Iterator[tuple[str, str]]:
    """Each block of text in reading order, with the style name of the paragraph it is from
    ("" for a table's row). A line break in a paragraph starts a block; a heading stays whole."""
    for item in container.iter_inner_content():
        if isinstance(item, Table):
            yield from _table(item)
            continue
        style = item.style.name if item.style is not None and item.style.name else ""
        text = _text(item)
        lines = [text] if _HEADING.fullmatch(style) else text.split("\n")
        yield from ((line, style) for line in map(_flat, lines) if line)


def _table(table: Table) -> Iterator[tuple[str, str]]:
    """A table of text row by row, each row's cells on one line; a layout table, whose cells
    hold text at length or tables of their own, cell by cell. A merged cell is read once."""
    rows = [row.cells for row in table.rows]
    if any(len(cell.text) > LAYOUT_CELL or cell.tables for row in rows for cell in row):
        for cell in _unique([cell for row in rows for cell in row]):
            yield from _blocks(cell)
        return
    for row in rows:
        if line := " ".join(filter(None, (_flat(" ".join(map(_text, cell.paragraphs))) for cell in _unique(row)))):
            yield line, ""


def _unique(cells: list[_Cell] | tuple[_Cell, ...]) -> list[_Cell]:
    """python-docx lists a merged cell once for each column and row it spans."""
    seen: set[int] = set()  # ids of the cells' XML elements, all alive while `cells` is
    out: list[_Cell] = []
    for cell in cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell)
    return out


def _text(paragraph: Paragraph) -> str:
    return "".join(_CHARACTERS.get(etree.QName(e).localname, e.text or "") for e in _TEXT(paragraph._p))


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", normalize_text(text)).strip()
