"""Runs delegated to SSM at scale: `xacct run --profile P` against the served sandbox, one runbook
(one aws:executeAwsApi step) across N accounts x 2 Regions (N = 50, 100, 250 by default: 100 to
500 target locations). xacct runs as the user runs it, a process of its own: it publishes and
shares the runbook, starts the run, follows it and gathers every target's steps into its store.

For each size: xacct's wall time, the run's own time in SSM (the bare work: ExecutionStartTime to
ExecutionEndTime of the parent) and their ratio, the API calls xacct made to follow and gather
(SSM's and STS's for the read roles, in all and per target: they should stay flat as targets
grow), the most SSM calls it made in one second to one account and Region against its budget
(delegate/calls.py) and to all accounts together, and xacct's peak memory.

    python bench/delegate.py [N ...] [--concurrency C]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from xacct.credentials import Credentials
from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.profiles import write_profiles
from xacct.sandbox.server import SandboxServer
from xacct.store import Store

CENTRAL = "700000000000"
REGIONS = ["ap-northeast-1", "us-east-1"]
ADMIN, EXECUTION = "AWS-SystemsManager-AutomationAdministrationRole", "AWS-SystemsManager-AutomationExecutionRole"
RUNBOOK = """description: Says who it runs as (bench/delegate.py).
schemaVersion: '0.3'
mainSteps:
- name: whoAmI
  action: aws:executeAwsApi
  inputs: {Service: sts, Api: GetCallerIdentity}
"""
V = "2012-10-17"
# xacct as `python -m xacct`, saying at exit the peak of its own resident memory (VmHWM starts
# again at exec, unlike getrusage's ru_maxrss, which would count this process's pages, forked)
PEAK_MEMORY = ("import atexit, runpy, sys\n"
               "def peak():\n"
               "    line = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]\n"
               "    sys.stderr.write('xacct-peak-kib ' + line.split()[1] + '\\n')\n"
               "atexit.register(peak)\n"
               "sys.argv = ['xacct'] + sys.argv[1:]\n"
               "runpy.run_module('xacct', run_name='__main__')\n")
CALLS = re.compile(r"API calls to follow and gather: (\d+)(?: \((\d+) throttled and retried\))?; at most (\d+) SSM "
                   r"calls in a second to one account and Region \(budget ([\d.]+)\), (\d+) to all")


def _central(cloud: SandboxCloud) -> Credentials:
    iam = cloud.client("iam", "us-east-1", cloud.operator(CENTRAL))
    iam.create_user(UserName="ops")
    iam.put_user_policy(UserName="ops", PolicyName="administrator", PolicyDocument=json.dumps(
        {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
    keys = iam.create_access_key(UserName="ops")["AccessKey"]
    iam.create_role(RoleName=ADMIN, AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=ADMIN, PolicyName="assume", PolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::*:role/{EXECUTION}"}]}))
    return Credentials(keys["AccessKeyId"], keys["SecretAccessKey"])


def _member(cloud: SandboxCloud, account: str) -> None:
    """The execution role of the AWS guide, trusting the central account too (the read role)."""
    iam = cloud.client("iam", "us-east-1", cloud.operator(account))
    iam.create_role(RoleName=EXECUTION, AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{CENTRAL}:role/{ADMIN}"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{CENTRAL}:root"}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=EXECUTION, PolicyName="work", PolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Action": ["sts:GetCallerIdentity", "ssm:DescribeAutomationExecutions",
                                       "ssm:DescribeAutomationStepExecutions", "ssm:GetAutomationExecution",
                                       "ssm:GetDocument", "ssm:DescribeDocument"], "Resource": "*"}]}))


def _run(folder: Path, env: dict, accounts: list[str], concurrency: int) -> dict:
    command = [sys.executable, "-c", PEAK_MEMORY, "--store", str(folder / "client.db"), "run", "bench.yaml",
               "--profile", f"{CENTRAL}-ops", "--region", REGIONS[0], "--accounts", ",".join(accounts),
               "--regions", ",".join(REGIONS), "--share", "--max-concurrency", str(concurrency),
               "--max-errors", "100%", "--poll-seconds", "0.5"]
    began = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(command, cwd=folder, env=env, stdout=subprocess.PIPE, stderr=errors, text=True)
        out = process.stdout.read()
        status = process.wait()
        took = time.perf_counter() - began
        errors.seek(0)
        err = errors.read()
    process.stdout.close()
    returncode = status
    calls = CALLS.search(out)
    if returncode != 0 or calls is None:
        raise SystemExit(f"xacct run failed ({returncode}):\n{out[-2000:]}\n{err[-2000:]}")
    execution_id = re.search(r"^Execution ([0-9a-f-]{36}) of ", out, re.M).group(1)
    return {"took": took, "calls": int(calls.group(1)), "throttled": int(calls.group(2) or 0),
            "peak": int(calls.group(3)), "budget": float(calls.group(4)), "all": int(calls.group(5)),
            "id": execution_id,
            "memory": int(re.search(r"xacct-peak-kib (\d+)", err).group(1)) / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[50, 100, 250], help="accounts (x 2 Regions)")
    parser.add_argument("--concurrency", type=int, default=50, help="TargetLocationMaxConcurrency")
    args = parser.parse_args()
    cloud = SandboxCloud(enforce=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "bench.yaml").write_text(RUNBOOK)
        server_store = Store(folder / "server.db")
        cloud.serve_automation(server_store)
        ops = _central(cloud)
        server = SandboxServer(cloud.gate)
        endpoint = server.start()
        write_profiles(folder, endpoint, {(CENTRAL, "ops"): ops}, {}, REGIONS[0])
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "XACCT_"))}
        env.update({"HOME": str(folder), "AWS_CONFIG_FILE": str(folder / "config"),
                    "AWS_SHARED_CREDENTIALS_FILE": str(folder / "credentials")})
        made: list[str] = []
        print(f"{'targets':>8} {'xacct s':>8} {'SSM s':>7} {'ratio':>6} {'calls':>6} {'calls/target':>13} "
              f"{'growth':>7} {'peak/s':>7} {'budget':>7} {'all/s':>6} {'xacct MiB':>10}")
        first = None
        try:
            for size in sorted(args.sizes):
                while len(made) < size:
                    account = f"7{len(made) + 1:011d}"
                    _member(cloud, account)
                    made.append(account)
                result = _run(folder, env, made[:size], args.concurrency)
                parent = server_store.events(result["id"])
                ssm_took = _run_time(server_store, result["id"]) if parent else float("nan")
                targets = size * len(REGIONS)
                per_target = result["calls"] / targets
                first = first or per_target
                print(f"{targets:>8} {result['took']:>8.2f} {ssm_took:>7.2f} {result['took'] / ssm_took:>6.2f} "
                      f"{result['calls']:>6} {per_target:>13.2f} {per_target / first:>6.2f}x {result['peak']:>7} "
                      f"{result['budget']:>7g} {result['all']:>6} {result['memory']:>10.0f}")
        finally:
            server.stop()


def _run_time(store: Store, execution_id: str) -> float:
    from datetime import datetime

    from xacct.engine.history import automation_execution

    record = automation_execution(store, execution_id)
    return (datetime.fromisoformat(record["ExecutionEndTime"]) -
            datetime.fromisoformat(record["ExecutionStartTime"])).total_seconds()


if __name__ == "__main__":
    main()
