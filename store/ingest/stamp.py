"""What shapes a parse, as one hash: the lexicon, the gazetteer and every module of the parser. The
page cache is keyed by it and a store's fingerprint includes it, so a parser change reparses and
rebuilds; ranking, the index and the store's file are left out, so changing those never does."""

from __future__ import annotations

import hashlib
import re
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
        for source, names in _FROM_STORE.findall((package / module).read_text(encoding="utf-8")):
            imported = (n.split()[0] for n in re.sub(r"#[^\n]*|[()]", " ", names).split(",") if n.strip())
            for name in (source, *(f"{source}.{n}" for n in imported)):
                parts = name.split(".")[1:]
                for candidate in ("/".join(parts) + ".py", "/".join([*parts, "__init__.py"])):
                    if parts and (package / candidate).is_file():
                        todo.append(candidate)
    return sorted(seen)


# `from store.x import a, b` or `from store.x import (a, b)` on any line: read with a pattern, not
# parsed: every command asks whether its store is current, and parsing the parser's modules
# took a tenth of a second of each
_FROM_STORE = re.compile(r"^[ \t]*from[ \t]+(store(?:\.\w+)*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*)", re.MULTILINE)
