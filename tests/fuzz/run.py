"""Run the fuzz targets and print what each did: `make fuzz [FUZZ_SECONDS=N]`.

    python tests/fuzz/run.py [--seconds N] [--plateau M] [--jobs J] [TARGET ...]

Each target runs under atheris (libFuzzer) for N seconds, or until its coverage has not grown
for M seconds, from its seeds (the bundled pages and the tests' fixtures) and the inputs earlier
runs found interesting (build/fuzz/corpus/TARGET, kept between runs, so a campaign goes on where
it stopped). An input that breaks a contract, raises, hangs past --timeout or needs more than
--rss-mb is written to tests/fuzz/crashes/TARGET-crash-… (or -timeout-, -oom-), which
tests/test_fuzz.py replays as a regression test. The table shows, per target: executions,
coverage (libFuzzer's edges and features of baixiao's own code), corpus size and crashes; the
exit status is 1 when any target crashed.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

from targets import ROOT, TARGETS

HERE = Path(__file__).resolve().parent
CRASHES = HERE / "crashes"
WORK = ROOT / "build" / "fuzz"
# The largest input tried: a page piece, a manifest or a query fits in 8 KB; a file format needs
# room for its container.
MAX_LEN = {"html": 32_768, "docx": 65_536, "pdf": 65_536}
STATUS = re.compile(r"^#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+) corp: (\d+)/")


@dataclass
class Outcome:
    target: str
    seconds: float = 0.0
    executions: int = 0
    coverage: int = 0
    features: int = 0
    corpus: int = 0
    crashes: list[str] = field(default_factory=list)
    stopped: str = "time"  # time, plateau or crash

    @property
    def rate(self) -> float:
        return self.executions / self.seconds if self.seconds else 0.0


def campaign(target: str, seconds: float, plateau: float | None, timeout: int, rss_mb: int,
             corpus: Path, crashes: Path, log: Path | None = None, keep_going: int = 0) -> Outcome:
    """`run`, started again after a crash (up to `keep_going` crashes) until the time is spent:
    the corpus carries on, so each start goes on from where the last stopped."""
    total = Outcome(target)
    while True:
        left = seconds - total.seconds
        part = run(target, left, plateau, timeout, rss_mb, corpus, crashes, log)
        total.seconds += part.seconds
        total.executions += part.executions
        total.coverage, total.features, total.corpus = part.coverage, part.features, part.corpus
        total.crashes += part.crashes
        total.stopped = part.stopped
        if part.stopped != "crash" or len(total.crashes) > keep_going or seconds - total.seconds < 10:
            return total


def run(target: str, seconds: float, plateau: float | None, timeout: int, rss_mb: int,
        corpus: Path, crashes: Path, log: Path | None = None) -> Outcome:
    """One target for `seconds` (or to a plateau), its crash files written under `crashes`."""
    from seeds import write_seeds

    seeds = WORK / "seeds" / target
    write_seeds(target, seeds)
    corpus.mkdir(parents=True, exist_ok=True)
    crashes.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, str(HERE / "one.py"), target, f"-max_total_time={int(seconds)}", f"-timeout={timeout}",
        f"-rss_limit_mb={rss_mb}", f"-max_len={MAX_LEN.get(target, 8_192)}", "-print_final_stats=1",
        f"-artifact_prefix={crashes}/{target}-", str(corpus), str(seeds),
    ]
    outcome = Outcome(target)
    started = grown = time.monotonic()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    with (log.open("a", encoding="utf-8") if log else contextlib.nullcontext()) as out, subprocess.Popen(
        command, cwd=HERE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, encoding="utf-8",
        errors="replace", env=env,
    ) as fuzzer:
        assert fuzzer.stderr is not None
        for line in fuzzer.stderr:
            if out:
                out.write(line)
            status = STATUS.match(line)
            if status:
                executions, _kind, cov, ft, corp = status.groups()
                if (int(cov), int(ft)) != (outcome.coverage, outcome.features):
                    grown = time.monotonic()
                outcome.executions, outcome.coverage, outcome.features, outcome.corpus = (
                    int(executions), int(cov), int(ft), int(corp))
            elif line.startswith("stat::number_of_executed_units:"):
                outcome.executions = int(line.split(":")[-1])
            elif "Test unit written to " in line:  # also an input found before, written again
                outcome.crashes.append(Path(line.split("Test unit written to ")[-1].strip()).name)
            if plateau and time.monotonic() - grown > plateau and fuzzer.poll() is None:
                outcome.stopped = "plateau"
                fuzzer.send_signal(signal.SIGINT)
        fuzzer.wait()
    outcome.seconds = time.monotonic() - started
    if outcome.crashes:
        outcome.stopped = "crash"
    elif fuzzer.returncode and outcome.stopped != "plateau":
        outcome.stopped = f"exit {fuzzer.returncode}"  # killed from outside, or atheris itself failed
    return outcome


def table(outcomes: list[Outcome]) -> str:
    rows = [("target", "seconds", "executions", "exec/s", "coverage", "features", "corpus", "stopped", "crashes")]
    for o in outcomes:
        rows.append((o.target, f"{o.seconds:.0f}", f"{o.executions:,}", f"{o.rate:,.0f}", str(o.coverage), str(o.features),
                     str(o.corpus), o.stopped, ", ".join(o.crashes) or "0"))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    left = (0, 7, 8)  # names and words; numbers to the right
    return "\n".join(
        "  ".join(cell.ljust(w) if i in left else cell.rjust(w) for i, (cell, w) in enumerate(zip(row, widths, strict=True)))
        for row in rows
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", choices=[[], *TARGETS], metavar="TARGET", help=", ".join(TARGETS))
    parser.add_argument("--seconds", type=float, default=60, help="per target (default 60)")
    parser.add_argument("--plateau", type=float, help="stop a target once its coverage has not grown for this many seconds")
    parser.add_argument("--jobs", type=int, default=1, help="targets run at once (default 1)")
    parser.add_argument("--timeout", type=int, default=20, help="seconds one input may take (default 20)")
    parser.add_argument("--rss-mb", type=int, default=3_072, help="memory one target may use (default 3072)")
    parser.add_argument("--corpus", type=Path, default=WORK / "corpus", help="where interesting inputs are kept")
    parser.add_argument("--crashes", type=Path, default=CRASHES, help="where crashing inputs are written")
    parser.add_argument("--logs", type=Path, help="a folder for each target's libFuzzer log")
    parser.add_argument("--keep-going", type=int, default=0, metavar="N",
                        help="after a crash, start the target again, up to N crashes (a campaign's way)")
    args = parser.parse_args()
    try:
        import atheris  # noqa: F401
    except ImportError:
        print("atheris is not installed (it has wheels for CPython on Linux and macOS): make fuzz installs it",
              file=sys.stderr)
        return 2
    names = args.targets or list(TARGETS)
    if args.logs:
        args.logs.mkdir(parents=True, exist_ok=True)

    def one(name: str) -> Outcome:
        log = args.logs / f"{name}.log" if args.logs else None
        return campaign(name, args.seconds, args.plateau, args.timeout, args.rss_mb, args.corpus / name, args.crashes, log,
                        args.keep_going)

    with ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(one, names))
    print(table(outcomes))
    WORK.mkdir(parents=True, exist_ok=True)
    (WORK / "last-run.json").write_text(json.dumps([asdict(o) for o in outcomes], indent=1), encoding="utf-8")
    crashed = [name for o in outcomes for name in o.crashes]
    if crashed:
        print(f"\n{len(crashed)} crashing input(s) written to {args.crashes}: replay with "
              f"`pytest tests/test_fuzz.py`, fix, and commit them as regression tests", file=sys.stderr)
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
