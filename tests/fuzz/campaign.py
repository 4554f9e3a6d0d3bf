"""A long fuzzing campaign over every kind of input xacct reads, with the figures the README's
reliability section quotes:

    make fuzz                                  # 5,000 mutants of each kind
    .venv/bin/python -m tests.fuzz.campaign --examples 20000 --kinds documents,requests

Each kind is a structure-aware strategy (mutants of real documents, request files and worlds)
and a runner that feeds one input to the CLI in process. A runner raises AssertionError when
xacct ended in a traceback; the campaign records it, keeps the input under --crashes, and goes on.
An input still running after --hang seconds is stopped by an alarm and counted as a hang.
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hypothesis import HealthCheck, Phase, given, settings


@dataclass
class Kind:
    name: str
    strategy: object
    run: Callable[[bytes], object]
    prepare: Callable[[], object] = lambda: None  # what the runs share, done once before any is timed


def kinds() -> dict[str, Kind]:
    from . import documents, policies, worlds

    return {
        "documents": Kind("documents (xacct validate)", documents.DOCUMENTS, documents.run_validate),
        "requests": Kind("request files (xacct explain --request)", policies.REQUEST_FILES, policies.run_explain),
        "worlds": Kind("world files (world load and build)", worlds.WORLDS, worlds.build_world_file, worlds.warm),
    }


class Hang(BaseException):  # not an Exception: xacct must not swallow it as one of its own
    pass


def _alarm(signum, frame):
    raise Hang()


@dataclass
class Tally:
    times: list[float] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)
    tracebacks: int = 0
    hangs: int = 0

    def line(self, name: str, slow: float) -> str:
        times = sorted(self.times) or [0.0]
        over = sum(t > slow for t in times)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        outcomes = ", ".join(f"{k}: {v}" for k, v in sorted(self.outcomes.items(), key=str))
        return (f"{name}: {len(self.times)} inputs, {self.tracebacks} tracebacks, {self.hangs} hangs, "
                f"{over} over {slow:g} s; median {statistics.median(times) * 1000:.1f} ms, "
                f"p99 {p99 * 1000:.1f} ms, max {times[-1] * 1000:.1f} ms ({outcomes})")


def campaign(kind: Kind, examples: int, hang: float, slow: float, crashes: Path) -> Tally:
    tally = Tally()

    def keep(data: bytes, why: str, folder: str = "") -> None:
        where = crashes / folder if folder else crashes
        where.mkdir(parents=True, exist_ok=True)
        name = hashlib.sha256(data).hexdigest()[:16]
        (where / f"{name}.input").write_bytes(data)
        (where / f"{name}.why.txt").write_text(why)

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(data=kind.strategy)
    def one(data: bytes) -> None:
        signal.setitimer(signal.ITIMER_REAL, hang)
        start = time.perf_counter()
        try:
            outcome = kind.run(data)
        except Hang:
            tally.hangs += 1
            keep(data, f"still running after {hang} s")
            outcome = "hang"
        except AssertionError as exc:
            tally.tracebacks += 1
            keep(data, str(exc))
            outcome = "traceback"
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.perf_counter() - start
        if seconds > slow and outcome not in ("hang", "traceback"):
            keep(data, f"took {seconds:.2f} s ({outcome})", folder="slow")
        tally.times.append(seconds)
        tally.outcomes[outcome] += 1

    kind.prepare()
    one()
    return tally


def main(argv: list[str] | None = None) -> int:
    available = kinds()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=5000, help="inputs per kind")
    parser.add_argument("--kinds", default=",".join(available), help="comma-separated: " + ", ".join(available))
    parser.add_argument("--hang", type=float, default=10.0, help="seconds before an input counts as a hang")
    parser.add_argument("--slow", type=float, default=1.0, help="seconds over which an input counts as slow")
    parser.add_argument("--crashes", type=Path, default=Path(".fuzz-crashes"), help="where failing inputs are kept (slow ones under slow/)")
    args = parser.parse_args(argv)
    wanted = [k.strip() for k in args.kinds.split(",") if k.strip()]
    unknown = [k for k in wanted if k not in available]
    if unknown:
        parser.error(f"unknown kind {unknown[0]!r}; known: {', '.join(available)}")
    signal.signal(signal.SIGALRM, _alarm)
    failed = False
    for key in wanted:
        start = time.perf_counter()
        tally = campaign(available[key], args.examples, args.hang, args.slow, args.crashes / key)
        print(tally.line(available[key].name, args.slow) + f"; {time.perf_counter() - start:.0f} s in all",
              flush=True)
        failed |= bool(tally.tracebacks or tally.hangs)
    if failed:
        print(f"failing inputs kept in {args.crashes}/", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
