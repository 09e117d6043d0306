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
TEXTUAL_MESSAGES = (
    N_("palette"), N_("Quit"), N_("Theme"), N_("Change the current theme"), N_("Quit the application as soon as possible"),
    N_("Keys"), N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide the keys and widget help panel"), N_("Maximize"), N_("Maximize the focused widget"), N_("Minimize"),
    N_("Minimize the widget and restore to normal size"), N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)


def translate_bindings(node: DOMNode) -> None:
    table = node._bindings.key_to_bindings
    for key, bindings in table.items():
        table[key] = [replace(b, description=_(b.description)) if b.description else b for b in bindings]
