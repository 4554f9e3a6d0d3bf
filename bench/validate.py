"""Validation speed over the corpus, on large generated runbooks, per step as runbooks grow,
with one process per core, and start-up time of `xacct --help`.

Prints documents per second for `xacct validate` (in process, all rules) next to the bare work
it wraps (PyYAML's C loader reading the same texts), as a ratio from the same run: over the
corpus, and over large runbooks of 60 to 200 steps in the mix large real runbooks have (API
calls feeding later steps, branches, scripts, waits, loops inside loops, child automations,
Java-syntax patterns); the time per step of generated runbooks of 100, 200, 400 and 800 steps
(flat figures mean validation grows linearly with the number of steps; past 200 steps the
texts are over SSM's 64 KB, so the limit is lifted for that measure); the time to refuse
runbooks of 0.3 to 3 MB, which SSM refuses (E0002); `xacct validate` over many files with one
process and with one per core; and the start-up of `xacct --help` next to a bare
`python -c pass`. Validation times are CPU time of this process (the best of several runs),
since the machine is shared; times with several processes and start-up times are wall time.

    python bench/validate.py [CORPUS_DIR] [--steps 100,200,400,800]
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

from xacct.document import loader
from xacct.document.validate import available_cores, expand_paths, validate_file, validate_files, validate_text

ROOT = Path(__file__).resolve().parents[1]


def _time(fn, repeat: int, clock=time.process_time) -> float:
    """The best of `repeat` runs. CPU time of this process by default: the machine is shared,
    and time spent waiting for a core is not validation's."""
    best = []
    for _ in range(repeat):
        start = clock()
        fn()
        best.append(clock() - start)
    return min(best)


@contextlib.contextmanager
def size_limit_lifted():
    """SSM's 64 KB limit lifted, to see how validation grows past the sizes SSM accepts."""
    saved = loader.MAX_DOCUMENT_BYTES
    loader.MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
    try:
        yield
    finally:
        loader.MAX_DOCUMENT_BYTES = saved


SCRIPT = """def handler(events, context):
    import json
    ids = events.get('InstanceIds') or []
    found = {}
    for instance_id in ids:
        found[instance_id] = {'checked': True, 'region': events['Region']}
    if not found:
        raise ValueError('no instance to check: ' + json.dumps(events))
    return {'Count': len(found), 'Ids': sorted(found), 'First': sorted(found)[0]}
"""


def _step(kind: int, name: str, previous: str | None, following: str | None, nested: int) -> dict:
    """One step of the mix large real runbooks have; `kind` picks which."""
    source = f"{{{{ {previous}.InstanceIds }}}}" if previous else "{{ InstanceIds }}"
    if kind == 0:
        return {"name": name, "action": "aws:executeAwsApi", "timeoutSeconds": 600, "onFailure": "Abort",
                "inputs": {"Service": "ec2", "Api": "DescribeInstances", "InstanceIds": source},
                "outputs": [{"Name": "InstanceIds", "Selector": "$.Reservations..Instances..InstanceId",
                             "Type": "StringList"},
                            {"Name": "State", "Selector": "$.Reservations[0].Instances[0].State.Name",
                             "Type": "String"}]}
    if kind == 1:
        target = following or name
        return {"name": name, "action": "aws:branch",
                "inputs": {"Choices": [
                    {"NextStep": target, "Variable": "{{ Mode }}", "StringEquals": "apply"},
                    {"NextStep": target, "And": [{"Variable": "{{ Mode }}", "StringEquals": "check"},
                                                 {"Not": {"Variable": "{{ Owner }}", "StringEquals": ""}}]}],
                    "Default": target}}
    if kind == 2:
        return {"name": name, "action": "aws:executeScript", "timeoutSeconds": "600",
                "inputs": {"Runtime": "python3.11", "Handler": "handler", "Script": SCRIPT,
                           "InputPayload": {"InstanceIds": source, "Region": "{{ global:REGION }}"}},
                "outputs": [{"Name": "Count", "Selector": "$.Payload.Count", "Type": "Integer"},
                            {"Name": "InstanceIds", "Selector": "$.Payload.Ids", "Type": "StringList"}]}
    if kind == 3:
        return {"name": name, "action": "aws:waitForAwsResourceProperty", "timeoutSeconds": 900,
                "inputs": {"Service": "ec2", "Api": "DescribeInstanceStatus", "InstanceIds": source,
                           "PropertySelector": "$.InstanceStatuses[0].InstanceState.Name",
                           "DesiredValues": ["running", "stopped"]}}
    if kind == 4:
        inner = [{"name": f"{name}_tag", "action": "aws:createTags", "onFailure": "Continue",
                  "inputs": {"ResourceIds": [f"{{{{ {name}.CurrentIteratorValue }}}}"],
                             "Tags": [{"Key": "CheckedBy", "Value": "{{ automation:EXECUTION_ID }}"}]}}]
        if nested:
            inner.append(_step(4, f"{name}_inner", None, None, nested - 1))
            inner[-1]["inputs"]["Iterators"] = ["{{ Owner }}"]
        return {"name": name, "action": "aws:loop",
                "inputs": {"Iterators": source, "MaxIterations": 20, "Steps": inner}}
    if kind == 5:
        return {"name": name, "action": "aws:createTags",
                "inputs": {"ResourceIds": source, "Tags": [{"Key": "Owner", "Value": "{{ Owner }}"},
                                                           {"Key": "Date", "Value": "{{ global:DATE }}"}]}}
    if kind == 6:
        return {"name": name, "action": "aws:executeAutomation",
                "inputs": {"DocumentName": "AWS-StopEC2Instance",
                           "RuntimeParameters": {"InstanceId": source,
                                                 "AutomationAssumeRole": "{{ AutomationAssumeRole }}"}}}
    return {"name": name, "action": "aws:assertAwsResourceProperty",
            "inputs": {"Service": "ec2", "Api": "DescribeInstances", "InstanceIds": source,
                       "PropertySelector": "$.Reservations[0].Instances[0].State.Name",
                       "DesiredValues": ["running"]}}


def generated_runbook(steps: int) -> str:
    """A runbook of about `steps` steps (nested ones counted) in the mix large real runbooks
    have: API calls whose outputs feed later steps, branches with nested conditions, scripts,
    waits and asserts, loops with loops inside them, child automations, Java-syntax patterns and
    '' defaults. Each kind recurs every eight steps, so each grows with the document."""
    main: list[dict] = []
    count = 0
    last_api: str | None = None
    while count < steps:
        i = len(main)
        name = f"step{i}"
        kind = i % 8
        step = _step(kind, name, last_api if kind else None, f"step{i + 1}", nested=1)
        count += 1 + (2 if kind == 4 else 0) + (1 if kind == 4 else 0)
        if kind in (0, 2):
            last_api = name
        main.append(step)
    past_end = f"step{len(main)}"
    for step in main:  # branches of the last group go to the final step
        if step["action"] == "aws:branch":
            for choice in step["inputs"]["Choices"]:
                if choice["NextStep"] == past_end:
                    choice["NextStep"] = "done"
            if step["inputs"]["Default"] == past_end:
                step["inputs"]["Default"] = "done"
    main.append({"name": "done", "action": "aws:sleep", "inputs": {"Duration": "PT0S"}, "isEnd": True})
    document = {
        "schemaVersion": "0.3",
        "description": f"A generated runbook of {steps} steps.",
        "assumeRole": "{{ AutomationAssumeRole }}",
        "parameters": {
            "InstanceIds": {"type": "StringList", "allowedPattern": r"^i-[a-f0-9]{8,17}$"},
            "AutomationAssumeRole": {"type": "String", "default": "",
                                     "allowedPattern": r"^arn:aws[\w-]*:iam::\d{12}:role/[\w+=,.@/-]+$"},
            "Owner": {"type": "String", "default": "", "allowedPattern": r"^[\p{Alnum}-_. ]{0,64}$"},
            "Mode": {"type": "String", "default": "check", "allowedValues": ["check", "apply"]},
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


LARGE = (60, 80, 100, 120, 140, 160, 180, 200)  # steps: 18 to 58 KB, under SSM's 64 KB


def large_runbook_figures(sizes: tuple[int, ...] = LARGE) -> None:
    """Documents per second on large runbooks (60 to 200 steps, scripts, nested loops) next to a
    bare PyYAML parse of the same texts, the work validation cannot do without."""
    texts = [generated_runbook(size) for size in sizes]
    validate_text(texts[0], "warm-up.yaml")  # botocore models, pattern and selector caches
    for text in texts:
        assert not [f for f in validate_text(text, "large.yaml") if f.severity == "error"]
    warm = _time(lambda: [validate_text(text, "large.yaml") for text in texts], 5)
    bare = _time(lambda: [yaml.load(text, Loader=yaml.CSafeLoader) for text in texts], 5)
    # libyaml's events, each dropped as the next comes: no YAML reader in Python does less per text.
    events = _time(lambda: [collections.deque(yaml.parse(text, Loader=yaml.CSafeLoader), maxlen=0)
                            for text in texts], 5)
    steps = sum(sizes)
    print(f"large runbooks: {len(texts)} of {min(sizes)} to {max(sizes)} steps "
          f"({sum(map(len, texts)) // len(texts) // 1024} KB on average), CPU time")
    print(f"validate, warm:                               {len(texts) / warm:8.1f} documents/s "
          f"({steps / warm:,.0f} steps/s)")
    print(f"bare PyYAML (C loader) parse:                 {len(texts) / bare:8.1f} documents/s")
    print(f"ratio validate/bare parse:                    {warm / bare:8.2f}x")
    print(f"libyaml's events alone (C loader):            {len(texts) / events:8.1f} documents/s")
    print(f"ratio validate/events alone:                  {warm / events:8.2f}x")


def parallel_figures(corpus: Path, copies: int = 8) -> None:
    """`xacct validate` over many files with one process and with one per core (wall time, the
    clock that counts when processes share the work): the corpus, and `copies` of each large
    runbook as files, next to a bare PyYAML parse of the same files in one process."""
    cores = available_cores()
    with tempfile.TemporaryDirectory() as folder:
        for copy in range(copies):
            for size in LARGE:
                Path(folder, f"large-{copy}-{size}.yaml").write_text(generated_runbook(size))
        for label, paths in (("corpus", list(expand_paths([str(corpus)]))),
                             ("large runbooks", sorted(map(str, Path(folder).iterdir())))):
            if not paths:
                continue
            one = _time(lambda: list(validate_files(paths, jobs=1)), 3, time.perf_counter)
            every = _time(lambda: list(validate_files(paths, jobs=cores)), 3, time.perf_counter)
            bare = _time(lambda: [yaml.load(Path(p).read_text(), Loader=yaml.CSafeLoader) for p in paths], 3,
                         time.perf_counter)
            print(f"{label}, {len(paths)} files, wall time:")
            print(f"  validate, 1 process:                        {len(paths) / one:8.1f} documents/s")
            print(f"  validate, {cores} processes (--jobs {cores}):            {len(paths) / every:8.1f} documents/s "
                  f"({one / every:.2f}x)")
            print(f"  bare PyYAML (C loader) parse, 1 process:    {len(paths) / bare:8.1f} documents/s")


def step_figures(sizes: list[int]) -> None:
    """Time per step: constant across sizes when validation is linear in the number of steps.
    Past 200 steps the texts are over SSM's 64 KB, so the limit is lifted for this measure."""
    validate_text(generated_runbook(8), "warm-up.yaml")  # botocore models, JSONPath tables
    with size_limit_lifted():
        for size in sizes:
            text = generated_runbook(size)
            seconds = _time(lambda: validate_text(text, f"generated-{size}.yaml"), 3)
            findings = validate_text(text, f"generated-{size}.yaml")
            print(f"generated runbook, {size:5d} steps ({len(text) // 1024:5d} KB): {seconds:7.3f} s, "
                  f"{seconds / size * 1000:6.3f} ms/step, {len(findings)} findings")


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
        return _time(lambda: subprocess.run(args, check=True, capture_output=True), 1, time.perf_counter)

    help_times = [run([sys.executable, "-m", "xacct", "--help"]) for _ in range(7)]
    bare_times = [run([sys.executable, "-c", "pass"]) for _ in range(7)]
    print(f"xacct --help start-up (median of 7):          {statistics.median(help_times) * 1000:8.1f} ms")
    print(f"python -c pass (median of 7):                 {statistics.median(bare_times) * 1000:8.1f} ms")
    print(f"ratio --help/bare python:                     "
          f"{statistics.median(help_times) / statistics.median(bare_times):8.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--steps", default="100,200,400,800", help="sizes of the generated runbooks")
    args = parser.parse_args()
    corpus_figures(Path(args.corpus))
    large_runbook_figures()
    parallel_figures(Path(args.corpus))
    step_figures([int(s) for s in args.steps.split(",") if s])
    oversize_figures()
    startup_figures()


if __name__ == "__main__":
    main()
