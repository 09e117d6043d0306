"""The fuzz targets as tests: every crashing input the fuzzer ever saved (tests/fuzz/crashes/)
passes now, every seed keeps its target's contract, and each target survives a short run of
atheris (`make fuzz` runs them for longer; the README gives the campaign's figures)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "fuzz"))

from seeds import seed_bytes
from targets import TARGETS

FUZZ = Path(__file__).parent / "fuzz"
SAVED = sorted((FUZZ / "crashes").glob("*-*"))
SHORT_RUN = 2  # seconds a target: enough to mutate past its seeds, little enough for every `make test`


def kind_of(path: Path) -> tuple[str, str]:
    """`layout-crash-29665a…` → ("layout", "crash"); libFuzzer names what went wrong."""
    target, kind, _sha = path.name.split("-", 2)
    return target, kind


def test_saved_inputs_are_named_for_a_target():
    for path in SAVED:
        target, kind = kind_of(path)
        assert target in TARGETS and kind in ("crash", "timeout", "oom", "leak"), path.name


@pytest.mark.parametrize("path", SAVED, ids=[p.name[:30] for p in SAVED])
def test_a_saved_crashing_input_keeps_its_contract_now(path: Path):
    target, kind = kind_of(path)
    if kind == "crash":
        TARGETS[target](path.read_bytes())
        return
    # A hang or a blow-up, replayed in a process of its own so that a regression fails, not hangs.
    code = f"import sys; sys.path.insert(0, {str(FUZZ)!r}); import targets; targets.TARGETS[{target!r}](open({str(path)!r}, 'rb').read())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, encoding="utf-8", timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]


@pytest.mark.parametrize("target", TARGETS)
def test_every_seed_keeps_its_contract(target: str):
    seeds = seed_bytes(target)
    assert seeds
    for seed in seeds:
        TARGETS[target](seed)


@pytest.mark.skipif(importlib.util.find_spec("atheris") is None, reason="atheris is not installed: no wheel for this platform")
@pytest.mark.parametrize("target", TARGETS)
def test_a_short_fuzz_run_finds_nothing(target: str, tmp_path: Path):
    done = subprocess.run(
        [sys.executable, str(FUZZ / "run.py"), "--seconds", str(SHORT_RUN), "--corpus", str(tmp_path), target],
        capture_output=True, text=True, encoding="utf-8", timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    header, row = done.stdout.splitlines()
    assert header.split()[:3] == ["target", "seconds", "executions"]
    assert row.split()[0] == target and int(row.split()[2].replace(",", "")) > 0
