"""Validation speed over the corpus, on generated runbooks of growing size, and start-up time of
`xacct --help`.

Prints documents per second for `xacct validate` (in process, all rules) next to the bare work
it wraps (PyYAML's C loader reading the same files), as a ratio from the same run; the time per
step of generated runbooks of 50, 100 and 200 steps (flat figures mean validation grows linearly
with the number of steps; 200 steps is near SSM's 64 KB for a document); the time to refuse
runbooks of 0.3 to 3 MB, which SSM refuses (E0002) and which took 0.2 to 2.5 s to validate in
full; and the start-up of `xacct --help` next to a bare `python -c pass`.

    python bench/validate.py [CORPUS_DIR] [--steps 50,100,200]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

from xacct.document.validate import expand_paths, validate_file, validate_text

ROOT = Path(__file__).resolve().parents[1]


def _time(fn, repeat: int) -> float:
    best = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best.append(time.perf_counter() - start)
    return min(best)


def generated_runbook(steps: int) -> str:
    """A runbook of `steps` steps in the mix large real runbooks have: API calls whose outputs
    and selectors feed later steps, branches with choices, nextStep chains and scripts. Every
    fourth step is one of each, so each kind grows with the document."""
    main = []
    for i in range(steps):
        name = f"step{i}"
        following = f"step{i + 1}" if i + 1 < steps else None
        previous = f"step{i - 4}" if i >= 4 else None  # the last API step before this group
        kind = i % 4
        if kind == 0:
            step = {
                "name": name,
                "action": "aws:executeAwsApi",
                "timeoutSeconds": 600,
                "onFailure": "Abort",
                "inputs": {
                    "Service": "ec2",
                    "Api": "DescribeInstances",
                    "InstanceIds": [f"{{{{ {previous}.InstanceId }}}}" if previous else "{{ InstanceId }}"],
                },
                "outputs": [
                    {"Name": "InstanceId", "Selector": "$.Reservations[0].Instances[0].InstanceId", "Type": "String"},
                    {"Name": "State", "Selector": "$.Reservations[0].Instances[0].State.Name", "Type": "String"},
                ],
            }
        elif kind == 1:
            step = {
                "name": name,
                "action": "aws:branch",
                "inputs": {
                    "Choices": [
                        {"NextStep": f"step{i + 1}", "Variable": f"{{{{ step{i - 1}.State }}}}",
                         "StringEquals": "running"},
                        {"NextStep": f"step{i + 2}", "Not": {"Variable": f"{{{{ step{i - 1}.State }}}}",
                                                             "StringEquals": "stopped"}},
                    ],
                    "Default": f"step{i + 1}",
                },
            }
            if i + 2 >= steps:
                step["inputs"] = {"Choices": [{"NextStep": following or name, "Variable": "{{ InstanceId }}",
                                               "StringEquals": "x"}]}
                step["isEnd"] = True
        elif kind == 2:
            step = {
                "name": name,
                "action": "aws:executeScript",
                "inputs": {
                    "Runtime": "python3.11",
                    "Handler": "handler",
                    "InputPayload": {"InstanceId": f"{{{{ step{i - 2}.InstanceId }}}}", "Region": "{{ global:REGION }}"},
                    "Script": "def handler(events, context):\n    return {'Id': events['InstanceId']}\n",
                },
                "outputs": [{"Name": "Id", "Selector": "$.Payload.Id", "Type": "String"}],
            }
        else:
            step = {
                "name": name,
                "action": "aws:executeAwsApi",
                "inputs": {
                    "Service": "ec2",
                    "Api": "CreateTags",
                    "Resources": [f"{{{{ step{i - 1}.Id }}}}"],
                    "Tags": [{"Key": "Checked", "Value": "{{ automation:EXECUTION_ID }}"}],
                },
            }
        if following and kind in (0, 2, 3):
            step["nextStep"] = following
        elif not following:
            step["isEnd"] = True
        main.append(step)
    document = {
        "schemaVersion": "0.3",
        "description": f"A generated runbook of {steps} steps.",
        "assumeRole": "{{ AutomationAssumeRole }}",
        "parameters": {
            "InstanceId": {"type": "String"},
            "AutomationAssumeRole": {"type": "String", "default": ""},
        },
        "mainSteps": main,
    }
    return yaml.safe_dump(document, sort_keys=False, width=200)


def corpus_figures(corpus: Path) -> None:
    files = list(expand_paths([str(corpus)]))
    if not files:
        print(f"no documents under {corpus}; corpus figures skipped")
        return

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


def step_figures(sizes: list[int]) -> None:
    """Time per step: constant across sizes when validation is linear in the number of steps."""
    validate_text(generated_runbook(8), "warm-up.yaml")  # botocore models, JSONPath tables
    for size in sizes:
        text = generated_runbook(size)
        seconds = _time(lambda: validate_text(text, f"generated-{size}.yaml"), 3)
        findings = validate_text(text, f"generated-{size}.yaml")
        print(f"generated runbook, {size:5d} steps ({len(text) // 1024:5d} KB): {seconds:7.2f} s, "
              f"{seconds / size * 1000:6.3f} ms/step, {len(findings)} findings")
        if findings:
            print("  e.g. " + json.dumps(findings[0].text()))


def oversize_figures(sizes: tuple[int, ...] = (1000, 5000, 10_000)) -> None:
    """Runbooks over SSM's 64 KB: refused before they are parsed."""
    for size in sizes:
        text = generated_runbook(size)
        seconds = _time(lambda: validate_text(text, f"generated-{size}.yaml"), 3)
        ids = sorted({f.id for f in validate_text(text, f"generated-{size}.yaml")})
        print(f"generated runbook, {size:5d} steps ({len(text) / 1048576:4.2f} MB): refused in "
              f"{seconds * 1000:6.2f} ms ({', '.join(ids)})")


def startup_figures() -> None:
    def run(args):
        return _time(lambda: subprocess.run(args, check=True, capture_output=True), 1)

    help_times = [run([sys.executable, "-m", "xacct", "--help"]) for _ in range(7)]
    bare_times = [run([sys.executable, "-c", "pass"]) for _ in range(7)]
    print(f"xacct --help start-up (median of 7):          {statistics.median(help_times) * 1000:8.1f} ms")
    print(f"python -c pass (median of 7):                 {statistics.median(bare_times) * 1000:8.1f} ms")
    print(f"ratio --help/bare python:                     "
          f"{statistics.median(help_times) / statistics.median(bare_times):8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--steps", default="50,100,200", help="sizes of the generated runbooks")
    args = parser.parse_args()
    corpus_figures(Path(args.corpus))
    step_figures([int(s) for s in args.steps.split(",") if s])
    oversize_figures()
    startup_figures()


if __name__ == "__main__":
    main()
