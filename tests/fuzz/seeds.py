"""Seed inputs for each fuzz target: the bundled pages and the tests' own fixtures, cut small,
so the fuzzer starts from what real input looks like instead of from nothing."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from targets import ROOT, TARGETS

PIECE = 1_500  # characters of a page per seed: small inputs run fast and mutate well
FIXTURES = ROOT / "tests" / "fixtures"


def _pages() -> list[Path]:
    return sorted((ROOT / "corpus").glob("*.txt")) + sorted((FIXTURES / "pages").glob("*.txt"))


def _pieces() -> Iterator[bytes]:
    """Each page in pieces of whole lines."""
    from store.ingest.read import decode

    for path in _pages():
        piece: list[str] = []
        for line in decode(path.read_bytes()).text.split("\n"):
            piece.append(line)
            if sum(map(len, piece)) > PIECE:
                yield "\n".join(piece).encode("utf-8")
                piece = []
        if piece:
            yield "\n".join(piece).encode("utf-8")


def _encodings() -> Iterator[bytes]:
    for path in sorted((FIXTURES / "encodings").glob("*.txt")):
        yield path.read_bytes()[:4_000]
    for path in _pages():
        yield path.read_bytes()[:4_000]


def _manifests() -> Iterator[bytes]:
    yield (ROOT / "corpus" / "corpus.yaml").read_bytes()
    yield b"pages:\n  a.txt:\n    date: 2024-09\n    encoding: gb18030\n    edition: A06\n"
    yield b"pages:\n  - [a, b]\n"
    yield "pages:\n  甲.txt: {title: 党建, region: 重庆市北碚区, date: 2024}\n".encode()


def _queries() -> Iterator[bytes]:
    from store.search.query import HELP_ROWS

    for example, _said in HELP_ROWS:
        yield b"\x00" + example.encode("utf-8")
    for pieces in ([0, 1, 60, 1, 61], [1, 7, 60, 8, 2, 61], [1, 62, 19, 63], [1, 25, 26, 60, 26], [1, 64, 20, 60]):
        yield bytes(pieces)


def _exports() -> Iterator[bytes]:
    yield from (t.encode("utf-8") for t in ("a|b", "# x\n- y", "1. z", "<script>", "=1+1", "_x0041_", "  缩进  ", "**b**"))
    yield from list(_pieces())[:6]


def _html() -> Iterator[bytes]:
    from test_formats_html_docx import page

    yield page().encode("utf-8")
    yield page().encode("gb18030")
    for path in _pages()[:2]:
        text = path.read_text(encoding="utf-8")[:PIECE]
        yield ("<html><body><article>" + "".join(f"<p>{line}</p>" for line in text.split("\n")) + "</article></body></html>").encode()


def _docx() -> Iterator[bytes]:
    import zipfile

    from test_formats_html_docx import blank_word_file, word_file

    yield word_file("标题")
    yield blank_word_file()
    with zipfile.ZipFile(io.BytesIO(word_file())) as packed:
        yield packed.read("word/document.xml")  # fuzzed inside a Word file (targets.docx)


def _pdf() -> Iterator[bytes]:
    from pdf_fixtures import blank_pages_pdf, pages_pdf, two_column_pdf

    text = (ROOT / "corpus").glob("*.txt").__next__().read_text(encoding="utf-8")[:600]
    yield two_column_pdf(text)
    yield pages_pdf(["北碚区金兴小学", None])
    yield blank_pages_pdf(1)


def _markdown() -> Iterator[bytes]:
    yield "# 标题\n\n正文**加粗**，[链接](http://x)。\n\n- 一\n- 二\n\n```\ncode\n```\n".encode()
    yield from list(_pieces())[:4]


SEEDS = {
    "decode": _encodings,
    "layout": _pieces,
    "names": _pieces,
    "extract": _pieces,
    "manifest": _manifests,
    "query": _queries,
    "export": _exports,
    "html": _html,
    "docx": _docx,
    "pdf": _pdf,
    "markdown": _markdown,
}
assert SEEDS.keys() == TARGETS.keys()


def write_seeds(target: str, folder: Path) -> int:
    """Write the target's seeds into `folder` (made anew); how many."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        old.unlink()
    seeds = list(SEEDS[target]())
    for n, seed in enumerate(seeds):
        (folder / f"seed-{n:03d}").write_bytes(seed)
    return len(seeds)


def seed_bytes(target: str) -> list[bytes]:
    return list(SEEDS[target]())

