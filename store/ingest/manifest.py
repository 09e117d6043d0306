"""The corpus manifest (`corpus.yaml`): what is known of each page, validated before use.

A manifest is optional and only adds metadata: a page it does not list is still ingested.
An invalid one stops the build with `file:line: reason` before anything is written.
"""

from __future__ import annotations

import codecs
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from store.dates import parse_date
from store.errors import cut_short

FIELDS = ("title", "region", "publication", "date", "encoding", "edition")
MAX_BYTES = 1_000_000
MAX_EDITION_CHARS = 40
MAX_DEPTH = 8  # pages → a page → its fields is three
_ISO_DATE = re.compile(r"\d{4}(-\d{2}){0,2}")


class ManifestError(ValueError):
    """`path:line: reason`, ready to print."""


@dataclass(frozen=True)
class PageInfo:
    title: str | None = None
    region: str | None = None
    publication: str | None = None
    date: str | None = None
    encoding: str | None = None
    edition: str | None = None  # the newspaper page (版次), as given: 7, A06, 第7版


def _fail(path: Path, node: yaml.Node | None, reason: str) -> ManifestError:
    line = node.start_mark.line + 1 if node is not None else 1
    return ManifestError(f"{path}:{line}: {reason}")


def _key(path: Path, node: yaml.Node, what: str) -> str:
    """A mapping's key as text: YAML also allows a list or a mapping there (`? [a, b]`), and an
    empty one, neither of which names anything."""
    if not isinstance(node, yaml.ScalarNode) or not node.value.strip():
        raise _fail(path, node, f"{what} must be plain text (not a list, a mapping or nothing)")
    return str(node.value)


def _scalar(path: Path, node: yaml.Node, key: str) -> str | None:
    if not isinstance(node, yaml.ScalarNode):
        raise _fail(path, node, f"'{key}' must be a single value")
    try:
        value = _construct(node)
    except (ValueError, yaml.YAMLError):
        raise _fail(path, node, f"'{key}' has an invalid value {_shown(node.value)}") from None
    if value is None:
        return None
    if key == "encoding" and value is not None:
        try:
            codecs.lookup(str(value))
        except LookupError:
            raise _fail(path, node, f"unknown encoding {_shown(value)} (try utf-8, gb18030 or big5)") from None
    if key == "date" and isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if key == "date":
        text = node.value if isinstance(value, int) else str(value)
        if not _ISO_DATE.fullmatch(text) or parse_date(text) != text:  # a monthly's issue or a yearbook: 2024-09, 2024
            raise _fail(path, node, f"'date' must be an ISO date like 2024-09-06 (a month 2024-09, a year 2024), not {_shown(text)}")
        return text
    # A number is kept as written: 07 stays 07, and 010 is not read as octal 8.
    text = node.value if isinstance(value, (bool, int, float)) else str(value)
    if key == "edition" and len(text) > MAX_EDITION_CHARS:
        raise _fail(path, node, f"'edition' must be a newspaper page like 7 or A06, not {len(text)} characters long")
    return text


def _construct(node: yaml.ScalarNode) -> object:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


def parse(text: str, path: Path) -> dict[str, PageInfo]:
    """Validate and read a manifest. Only safe YAML: no tags, no aliases, no duplicate keys."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ManifestError(f"{path}:1: manifest is larger than {MAX_BYTES} bytes")
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            line = event.start_mark.line + 1 if event.start_mark else 1
            if isinstance(event, yaml.AliasEvent):
                raise ManifestError(f"{path}:{line}: aliases are not allowed")
            depth += isinstance(event, yaml.CollectionStartEvent) - isinstance(event, yaml.CollectionEndEvent)
            if depth > MAX_DEPTH:
                # Said before PyYAML goes on: 100,000 brackets take its scanner hours, and its
                # composer recurses past Python's limit at a few thousand.
                raise ManifestError(f"{path}:{line}: nested more than {MAX_DEPTH} levels deep (a manifest needs three)")
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else 1
        raise ManifestError(f"{path}:{line}: {err.problem or err.context}") from None
    except yaml.reader.ReaderError as err:  # a character YAML does not allow (a NUL, a control character)
        line = text.count("\n", 0, err.position) + 1
        raise ManifestError(f"{path}:{line}: the character U+{_code(err.character):04X} is not allowed in YAML") from None
    if root is None:
        return {}
    if not isinstance(root, yaml.MappingNode):
        raise _fail(path, root, "the manifest must be a mapping with a 'pages' key")
    pages_node = None
    for key_node, value_node in root.value:
        if _key(path, key_node, "a top-level key") != "pages":
            raise _fail(path, key_node, f"unknown top-level key {_shown(key_node.value)} (expected 'pages')")
        pages_node = value_node
    if pages_node is None or (isinstance(pages_node, yaml.ScalarNode) and pages_node.value in ("", "~", "null")):
        return {}
    if not isinstance(pages_node, yaml.MappingNode):
        raise _fail(path, pages_node, "'pages' must map file names to what is known of them")
    pages: dict[str, PageInfo] = {}
    for file_node, info_node in pages_node.value:
        name = _key(path, file_node, "a page's file name")
        if name in pages:
            raise _fail(path, file_node, f"page {_shown(name)} is listed twice")
        if isinstance(info_node, yaml.ScalarNode) and info_node.value in ("", "~", "null"):
            pages[name] = PageInfo()
            continue
        if not isinstance(info_node, yaml.MappingNode):
            raise _fail(path, info_node, f"page {_shown(name)} must map fields ({', '.join(FIELDS)}) to values")
        values: dict[str, str | None] = {}
        for key_node, value_node in info_node.value:
            key = _key(path, key_node, "a field name")
            if key not in FIELDS:
                raise _fail(path, key_node, f"unknown field {_shown(key)} (expected one of {', '.join(FIELDS)})")
            if key in values:
                raise _fail(path, key_node, f"field {_shown(key)} is given twice")
            values[key] = _scalar(path, value_node, key)
        pages[name] = PageInfo(**values)
    return pages


def _shown(value: object) -> str:
    return cut_short(repr(value), 60)


def _code(character: int | bytes | str) -> int:
    return character if isinstance(character, int) else ord(character[:1] or "\0")


def load(corpus: Path) -> dict[str, PageInfo]:
    """The manifest of a corpus folder, or an empty one if it has none."""
    path = corpus / "corpus.yaml"
    if not path.exists():
        return {}
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ManifestError(f"{path}:1: not UTF-8 text") from None
    return parse(text, path)
