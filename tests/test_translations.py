"""The Chinese catalogue against the code: every message the code marks has a translation, the
compiled catalogue that ships is the one the .po file makes, and placeholders survive."""

from __future__ import annotations

import gettext
import io
import re

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from conftest import ROOT

LOCALE = ROOT / "store" / "locale" / "zh" / "LC_MESSAGES"
KEYWORDS = {"_": None, "N_": None, "in_chinese": None, "ngettext": (1, 2)}


def marked() -> set[str]:
    found = set()
    for folder in ("store", "tui"):
        for _file, _line, message, _comments, _context in extract_from_dir(ROOT / folder, keywords=KEYWORDS):
            found.add(first(message))
    return found


def catalogue():
    with (LOCALE / "baixiao.po").open("rb") as f:
        return read_po(f, locale="zh")


def first(value) -> str:
    """A message's text; a plural message's singular form."""
    return value if isinstance(value, str) else value[0]


def test_every_message_the_code_marks_is_translated():
    translated = {first(m.id): first(m.string) for m in catalogue() if m.id}
    untranslated = sorted(m for m in marked() if not translated.get(m))
    assert untranslated == [], "run `make translations` and translate these in baixiao.po"
    assert len(marked()) > 100


def test_the_compiled_catalogue_is_the_po_file_compiled():
    buffer = io.BytesIO()
    write_mo(buffer, catalogue())
    fresh = gettext.GNUTranslations(io.BytesIO(buffer.getvalue()))
    with (LOCALE / "baixiao.mo").open("rb") as f:
        shipped = gettext.GNUTranslations(f)
    assert shipped._catalog == fresh._catalog, "run `make translations` to compile baixiao.mo"


def test_translations_keep_their_placeholders():
    for message in catalogue():
        if not message.id or not message.string:
            continue
        source, target = first(message.id), first(message.string)
        assert set(re.findall(r"\{\w+\}", source)) == set(re.findall(r"\{\w+\}", target)), source
