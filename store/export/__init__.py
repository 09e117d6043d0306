"""Exports: the marks, a search's results, a comparison, one article or one school, as one
Markdown document each (`documents`), written with the escaping in `markdown`."""

from store.export.documents import (
    Export,
    ExportError,
    default_path,
    export_article,
    export_compare,
    export_marks,
    export_results,
    export_school,
    write,
)

__all__ = [
    "Export", "ExportError", "default_path", "export_article", "export_compare", "export_marks", "export_results",
    "export_school", "write",
]
