"""corpus.yaml: validated, safe, and every error names its file and line."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from store.ingest.manifest import ManifestError, load, parse

from conftest import CORPUS

P = Path("corpus.yaml")


def test_bundled_manifest_describes_every_bundled_page():
    pages = load(CORPUS)
    assert sorted(pages) == sorted(p.name for p in CORPUS.glob("*.txt"))
    assert pages["004_5ba2f485b8a21636.txt"].region == "河北省廊坊市"
    assert pages["001_6aa715517b91c0bd.txt"].title is None


def test_values_are_normalised():
    pages = parse("pages:\n  a.txt: {title: no, date: 2024-09-06}\n  b.txt:\n", P)
    assert pages["a.txt"].title == "no"
    assert pages["a.txt"].date == "2024-09-06"
    assert pages["b.txt"].title is None
    assert parse("", P) == {}


@pytest.mark.parametrize(
    "text,line,reason",
    [
        ("pages:\n  a.txt:\n    titel: x\n", 3, "unknown field 'titel'"),
        ("pages:\n  a.txt: {title: a, title: b}\n", 2, "given twice"),
        ("pages:\n  a.txt: {}\n  a.txt: {}\n", 3, "listed twice"),
        ("pages:\n  a.txt: {date: 2024-13-01}\n", 2, "date"),
        ("pages:\n  a.txt: {date: next week}\n", 2, "ISO date"),
        ("- 1\n", 1, "must be a mapping"),
        ("other: 1\n", 1, "unknown top-level key"),
        ("a: &x [1]\nb: *x\n", 2, "aliases are not allowed"),
        ("pages:\n  a.txt: {title: [1, 2]}\n", 2, "single value"),
        ("pages: {a: [b\n", 2, "expected"),
        ("pages:\n  a.txt: !!python/object:os.system x\n", 2, ""),
    ],
)
def test_invalid_manifests_fail_with_file_line_reason(text, line, reason):
    with pytest.raises(ManifestError) as err:
        parse(text, P)
    assert str(err.value).startswith(f"corpus.yaml:{line}:")
    assert reason in str(err.value)


@pytest.mark.parametrize(
    "given, edition",
    [("7", "7"), ("07", "07"), ("010", "010"), ("A06", "A06"), ("第7版", "第7版"), ("A" * 40, "A" * 40), ("null", None)],
)
def test_edition_is_read_as_text_as_written(given, edition):
    pages = parse(f"pages:\n  a.txt:\n    title: x\n    edition: {given}\n  b.txt: {{title: y}}\n", P)
    assert pages["a.txt"].edition == edition
    assert pages["b.txt"].edition is None


def test_bundled_manifest_gives_no_edition():
    assert all(info.edition is None for info in load(CORPUS).values())


@pytest.mark.parametrize("value", ["第" + "七" * 40 + "版", "[7, 8]"])
def test_an_edition_that_is_not_a_page_fails_with_its_line(value):
    with pytest.raises(ManifestError, match=r"^corpus.yaml:4: 'edition' "):
        parse(f"pages:\n  a.txt:\n    title: x\n    edition: {value}\n", P)


def test_unknown_encoding_names_its_line():
    with pytest.raises(ManifestError, match=r"corpus.yaml:3: unknown encoding 'klingon'"):
        parse("pages:\n  a.txt:\n    encoding: klingon\n", P)


@pytest.mark.parametrize("text", [
    "pages: " + "[" * 100_000 + "]" * 100_000,  # PyYAML's scanner took hours over this
    "pages:\n  a.txt:\n    title: " + "{a: " * 5_000 + "1" + "}" * 5_000,  # and its composer recursed past the limit
])
def test_a_manifest_nested_deeper_than_any_needs_is_refused_at_once(text):
    began = time.monotonic()
    with pytest.raises(ManifestError, match="nested more than 8 levels deep"):
        parse(text, Path("corpus.yaml"))
    assert time.monotonic() - began < 2


def test_dates_may_be_a_month_or_a_year_and_nothing_else():
    read = parse("pages:\n  a.txt: {date: 2024-09}\n  b.txt: {date: 2024}\n  c.txt: {date: 2024-09-06}\n", Path("corpus.yaml"))
    assert [read[f].date for f in ("a.txt", "b.txt", "c.txt")] == ["2024-09", "2024", "2024-09-06"]
    for bad in ("2024-13", "2024-9", "24", "2024-02-30", "soon"):
        with pytest.raises(ManifestError, match=r"'date' (must be an ISO date|has an invalid value)"):
            parse(f"pages:\n  a.txt: {{date: {bad}}}\n", Path("corpus.yaml"))


def test_a_character_yaml_refuses_is_one_line_with_its_line():
    with pytest.raises(ManifestError, match=r"^corpus\.yaml:2: the character U\+0000 is not allowed in YAML$"):
        parse("pages:\n  a.txt: {title: x\x00}\n", Path("corpus.yaml"))


def test_a_long_value_is_quoted_short():
    with pytest.raises(ManifestError) as raised:
        parse("x" * 500 + ": 1\n", Path("corpus.yaml"))
    assert len(str(raised.value)) < 150 and "…" in str(raised.value)


@pytest.mark.parametrize("text, line, what", [
    ("pages:\n  ? [a, b]\n  : {title: x}\n", 2, "a page's file name"),
    ("pages:\n ! : null\n", 2, "a page's file name"),
    ("? {a: 1}\n: 2\n", 1, "a top-level key"),
    ("pages:\n  a.txt:\n    ? [x]\n    : 1\n", 3, "a field name"),
])
def test_a_key_that_is_no_name_is_refused_with_its_line(text, line, what):
    """YAML allows a list, a mapping or nothing as a key; they were a TypeError traceback (found by fuzzing)."""
    with pytest.raises(ManifestError, match=rf"^corpus\.yaml:{line}: {what} must be plain text"):
        parse(text, Path("corpus.yaml"))
