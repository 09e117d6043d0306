"""Key descriptions in the reader's language.

`BINDINGS` are class attributes, written in English (marked with `N_` so Babel extracts them)
before any language is chosen; Textual copies them into each node as it is made, so each node
translates its own copy then. Keys remapped in the settings apply on top, by binding id.
"""

from __future__ import annotations

from dataclasses import replace

from textual.dom import DOMNode

from store import N_, _

# What Textual itself puts in the footer and the palette, for the catalogue.
TEXTUAL_MESSAGES = (N_("palette"), N_("Quit"))


def translate_bindings(node: DOMNode) -> None:
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [replace(b, description=_(b.description)) if b.description else b for b in bindings]
