"""AWS-owned runbooks from a folder (`--runbooks DIR`), measured on 500 generated runbooks of
realistic size (eight steps, half JSON and half YAML, about 3 KB each):

(a) load: reading the folder into the registry the sandbox serves from (every file read, parsed,
    named, indexed), next to the bare work it wraps: reading and parsing the same files with
    json and PyYAML's C loader, as a ratio from the same run;
(b) ListDocuments paging: every page of `Owner=Amazon` (MaxResults 50, SSM's largest) through the
    IAM gate in process and over HTTP, next to moto listing the same 500 documents created in an
    account (no gate, no owner), as a ratio;
(c) GetDocument as written and converted to the other format, per call, in process.

    python bench/catalogue.py [COUNT]
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

import boto3
import yaml

from xacct.runbooks import Registry, activate
from xacct.sandbox.embedded import SandboxCloud

ACCOUNT = "990000000014"


def runbook(index: int) -> dict:
    steps = []
    for i in range(8):
        steps.append({"name": f"step{i}", "action": "aws:executeAwsApi", "onFailure": "Abort",
                      "description": f"Step {i} of example {index}: describes the instance and keeps its state.",
                      "inputs": {"Service": "ec2", "Api": "DescribeInstances", "InstanceIds": ["{{ InstanceId }}"]},
                      "outputs": [{"Name": "State", "Selector": "$.Reservations[0].Instances[0].State.Name",
                                   "Type": "String"}]})
    return {"schemaVersion": "0.3", "description": f"Example {index}: looks at an instance eight times.",
            "assumeRole": "{{ AutomationAssumeRole }}",
            "parameters": {"InstanceId": {"type": "String", "description": "The instance."},
                           "AutomationAssumeRole": {"type": "String", "default": ""}},
            "mainSteps": steps, "outputs": ["step7.State"]}


def write(folder: Path, count: int) -> list[Path]:
    paths = []
    for index in range(count):
        body = runbook(index)
        if index % 2:
            path = folder / f"Example-Bench{index:04d}.yaml"
            path.write_text(yaml.safe_dump(body, sort_keys=False))
        else:
            path = folder / f"Example-Bench{index:04d}.json"
            path.write_text(json.dumps(body, indent=2))
        paths.append(path)
    return paths


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def bare_parse(paths: list[Path]) -> None:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for path in paths:
        text = path.read_text()
        json.loads(text) if path.suffix == ".json" else yaml.load(text, Loader=loader)  # noqa: S506


def page_all(ssm, **filters) -> int:
    pages = ssm.get_paginator("list_documents").paginate(**filters, PaginationConfig={"PageSize": 50})
    return sum(len(p["DocumentIdentifiers"]) for p in pages)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "runbooks"
        folder.mkdir()
        paths = write(folder, count)
        size = sum(p.stat().st_size for p in paths) / count
        print(f"{count} runbooks, {size / 1024:.1f} KB each on average")

        load = best(lambda: Registry((str(folder),)).names())
        bare = best(lambda: bare_parse(paths))
        print(f"(a) load into the registry: {load * 1000:.0f} ms ({load / count * 1e6:.0f} us a runbook); "
              f"bare read+parse: {bare * 1000:.0f} ms; ratio {load / bare:.2f}")

        activate([str(folder)], pulled=False)
        cloud = SandboxCloud("us-east-1")
        operator = cloud.operator(ACCOUNT)
        in_process = cloud.client("ssm", "us-east-1", operator)
        over_http = boto3.client("ssm", region_name="us-east-1", endpoint_url=cloud.endpoint(),
                                 aws_access_key_id=operator.access_key_id,
                                 aws_secret_access_key=operator.secret_access_key)
        amazon = {"Filters": [{"Key": "Owner", "Values": ["Amazon"]}]}
        listed = page_all(in_process, **amazon)
        pages = -(-listed // 50)
        gated = best(lambda: page_all(in_process, **amazon))
        http = best(lambda: page_all(over_http, **amazon))

        bare_cloud = SandboxCloud("us-east-1", enforce=False)
        moto = bare_cloud.client("ssm", "us-east-1", bare_cloud.operator(ACCOUNT))
        for path in paths:
            moto.create_document(Name=path.stem, DocumentType="Automation", Content=path.read_text(),
                                 DocumentFormat="JSON" if path.suffix == ".json" else "YAML")
        own = best(lambda: page_all(moto))
        print(f"(b) ListDocuments Owner=Amazon, {listed} documents in {pages} pages: in process {gated * 1000:.0f} ms "
              f"({gated / pages * 1000:.1f} ms a page), over HTTP {http * 1000:.0f} ms "
              f"({http / pages * 1000:.1f} ms a page); moto listing the same {count} of an account, in process "
              f"(no gate): {own * 1000:.0f} ms; ratio {gated / own:.2f}")

        def get(first: int, fmt: str):  # 25 runbooks written as JSON (even) or YAML (odd)
            for index in range(first, 50, 2):
                in_process.get_document(Name=f"Example-Bench{index:04d}", DocumentFormat=fmt)

        figures = {(w, f): best(lambda: get(0 if w == "JSON" else 1, f), 3) / 25 * 1000
                   for w in ("JSON", "YAML") for f in ("JSON", "YAML")}
        print("(c) GetDocument in process: " + "; ".join(
            f"written as {w}, asked as {f}: {ms:.2f} ms" for (w, f), ms in figures.items()))

if __name__ == "__main__":
    main()
