"""Exports: the marks, a search's results, a comparison, one article, one school or the school
list, as Markdown with citations (`documents`, escaped by `markdown`), and as CSV or XLSX where the
export is a table (`tables`)."""

from store.export.documents import (
    FORMATS,
    Export,
    ExportError,
    default_path,
    export_article,
    export_compare,
    export_marks,
    export_overview,
    export_results,
    export_school,
    export_schools,
    format_of,
    write,
)

__all__ = [
    "FORMATS", "Export", "ExportError", "default_path", "export_article", "export_compare", "export_marks", "export_overview",
    "export_results", "export_school", "export_schools", "format_of", "write",
]
