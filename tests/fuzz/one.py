"""One fuzz target under atheris: `python tests/fuzz/one.py TARGET [libFuzzer options] [corpus…]`.

baixiao's own code (the store package) is instrumented for coverage as it is imported, so the
fuzzer steers by which of its branches an input reaches; the libraries it calls are not.
tests/fuzz/run.py is the way in for people (`make fuzz`)."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import atheris
import targets


def main() -> None:
    name = sys.argv.pop(1)
    with atheris.instrument_imports(include=["store"]):
        import store

        for module in pkgutil.walk_packages(store.__path__, "store."):
            importlib.import_module(module.name)
    target = targets.TARGETS[name]
    if name == "query":
        targets.query(b"\x00\xe5\x85\x9a")  # builds the small store before the clock starts
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
