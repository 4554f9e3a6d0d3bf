"""Validation speed over the corpus, and start-up time of `xacct --help`.

Prints documents per second for `xacct validate` (in process, all rules) next to the bare work
it wraps (PyYAML's C loader reading the same files), as a ratio from the same run; and the
start-up of `xacct --help` next to a bare `python -c pass`.

    python bench/validate.py [CORPUS_DIR]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from xacct.document.validate import expand_paths, validate_file

ROOT = Path(__file__).resolve().parents[1]


def _time(fn, repeat: int) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best.append(time.perf_counter() - start)
    return min(best)


def main() -> None:
    corpus = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "corpus"
    files = list(expand_paths([str(corpus)]))
    if not files:
        sys.exit(f"no documents under {corpus}")

    first = time.perf_counter()
    findings = sum(len(validate_file(f)) for f in files)  # includes loading botocore models once
    cold = time.perf_counter() - first

    warm = _time(lambda: [validate_file(f) for f in files], 3)
    bare = _time(lambda: [yaml.load(Path(f).read_text(), Loader=yaml.CSafeLoader) for f in files], 3)

    print(f"documents: {len(files)}  findings: {findings}")
    print(f"validate, first pass (loads botocore models): {len(files) / cold:8.1f} documents/s")
    print(f"validate, warm:                               {len(files) / warm:8.1f} documents/s")
    print(f"bare PyYAML (C loader) parse:                 {len(files) / bare:8.1f} documents/s")
    print(f"ratio validate/bare parse:                    {warm / bare:8.1f}x")

    def run(args):
        return _time(lambda: subprocess.run(args, check=True, capture_output=True), 1)

    help_times = [run([sys.executable, "-m", "xacct", "--help"]) for _ in range(7)]
    bare_times = [run([sys.executable, "-c", "pass"]) for _ in range(7)]
    print(f"xacct --help start-up (median of 7):          {statistics.median(help_times) * 1000:8.1f} ms")
    print(f"python -c pass (median of 7):                 {statistics.median(bare_times) * 1000:8.1f} ms")
    print(f"ratio --help/bare python:                     "
          f"{statistics.median(help_times) / statistics.median(bare_times):8.1f}x")


if __name__ == "__main__":
    main()
