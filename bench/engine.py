"""The engine's cost over the work it wraps: a runbook of 20 aws:executeAwsApi steps run by
xacct in the sandbox, against the same 20 calls made directly with boto3 on the same sandbox,
in one run, as a ratio (target: at most 1.3x), and steps per second.

    python bench/engine.py [ROUNDS]
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from xacct.engine import run, start_runbook
from xacct.engine.documents import Runbook
from xacct.document.loader import load_text
from xacct.document.model import build_document
from xacct.sandbox.embedded import SandboxCloud
from xacct.store import Store

STEPS = 20
CALLS = [("s3", "ListBuckets", {}), ("sts", "GetCallerIdentity", {}),
         ("ec2", "DescribeInstances", {"MaxResults": 5}), ("ssm", "DescribeParameters", {})]


def runbook() -> Runbook:
    lines = ['schemaVersion: "0.3"', "mainSteps:"]
    for i in range(STEPS):
        service, api, params = CALLS[i % len(CALLS)]
        extra = "".join(f", {k}: {v}" for k, v in params.items())
        lines.append(f"  - {{name: s{i}, action: aws:executeAwsApi, inputs: {{Service: {service}, Api: {api}{extra}}}}}")
    [source] = load_text("bench.yaml", "\n".join(lines) + "\n").documents
    return Runbook(build_document(source), "Bench")


def bare(cloud: SandboxCloud) -> None:
    from botocore import xform_name

    creds = cloud.caller_credentials()
    for i in range(STEPS):
        service, api, params = CALLS[i % len(CALLS)]
        getattr(cloud.client(service, "us-east-1", creds), xform_name(api))(**params)


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    cloud = SandboxCloud()
    book = runbook()
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db")
        bare(cloud)  # warm both paths: clients, service models, moto's first touch of each service
        run(start_runbook(book, cloud=cloud, store=store))
        xacct_times, bare_times = [], []
        for _ in range(rounds):  # interleaved, so both see the same machine
            start = time.perf_counter()
            bare(cloud)
            bare_times.append(time.perf_counter() - start)
            start = time.perf_counter()
            status = run(start_runbook(book, cloud=cloud, store=store))
            xacct_times.append(time.perf_counter() - start)
            assert status == "Success", status
    x, b = statistics.median(xacct_times), statistics.median(bare_times)
    print(f"{STEPS} aws:executeAwsApi steps, median of {rounds} rounds")
    print(f"  bare boto3 calls on the sandbox: {b * 1000:8.1f} ms")
    print(f"  xacct run (store on disk):       {x * 1000:8.1f} ms")
    print(f"  ratio xacct/bare:                {x / b:8.2f}x   (target at most 1.3x)")
    print(f"  steps per second through xacct:  {STEPS / x:8.1f}")


if __name__ == "__main__":
    main()
