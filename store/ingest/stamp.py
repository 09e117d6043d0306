"""What shapes a parse, as one hash: the lexicon, the gazetteer and every module of the parser. The
page cache is keyed by it and a store's fingerprint includes it, so a parser change reparses and
rebuilds; ranking, the index and the store's file are left out, so changing those never does."""

from __future__ import annotations

import ast
import hashlib
from functools import cache
from importlib.resources import files

from store.ingest.kinds import READERS


@cache
def data_hash() -> str:
    """Hash of the lexicon, the gazetteer and the ingest code: a parser change means a rebuild."""
    digest = hashlib.sha256()
    package = files("store")
    for name in ("lexicon.yaml", "places.yaml", "pagemeta.yaml", "common_chars.txt"):
        digest.update((package / "data" / name).read_bytes())
    for module in parser_modules():
        digest.update(module.encode() + b"\0" + (package / module).read_bytes())
    return digest.hexdigest()


def parser_modules() -> list[str]:
    """The parser (ingest/parse.py) and every store module it imports, directly or not, as paths
    inside `store/`:
    all the code that shapes what a page parses into. Found by reading the imports, so a new stage
    or helper is covered without a list (the format readers, imported by name when first needed,
    are added by name); the build around it (ranking, the index, the store's file) is left out,
    so changing those never reparses the pages."""
    package = files("store")
    readers = {f"ingest/formats/{reader.split(':')[0]}.py" for reader in READERS.values()}  # imported by name
    todo = ["ingest/parse.py", *sorted(r for r in readers if (package / r).is_file())]
    seen: set[str] = set()
    while todo:
        module = todo.pop()
        if module in seen:
            continue
        seen.add(module)
        for node in ast.walk(ast.parse((package / module).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "store":
                for name in (node.module, *(f"{node.module}.{a.name}" for a in node.names)):
                    parts = name.split(".")[1:]
                    for candidate in ("/".join(parts) + ".py", "/".join([*parts, "__init__.py"])):
                        if parts and (package / candidate).is_file():
                            todo.append(candidate)
    return sorted(seen)
