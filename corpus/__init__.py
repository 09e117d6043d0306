"""The bundled corpus: real newspaper pages on school Party-building work, and their manifest.

A package only so the pages ship inside the wheel; `store.paths.bundled_corpus()` finds them.
"""
