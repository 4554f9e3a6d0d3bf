"""S1: an AWS-owned runbook across two member accounts and two Regions, whose execution roles lack
the permission; the IAM name of that permission is not the name of the API the runbook calls."""

from __future__ import annotations

import json
import os
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import click

from .common import example, say

# The world's accounts renamed: chapter S0 has built its own roles in 111111111111 and 222222222222
# of this process's sandbox, and a sandbox account cannot hold two roles of the same name.
RENAMED = {"111111111111": "444444444444", "222222222222": "555555555555", "333333333333": "666666666666"}
MANAGEMENT, MEMBERS = RENAMED["111111111111"], [RENAMED["222222222222"], RENAMED["333333333333"]]
REGIONS = ["ap-northeast-1", "us-east-1"]
RUNBOOK = "AWS-EnableS3BucketEncryption"
EXECUTION_ROLE = "AWS-SystemsManager-AutomationExecutionRole"
ADMIN = f"arn:aws:iam::{MANAGEMENT}:role/AWS-SystemsManager-AutomationAdministrationRole"


def chapter(store) -> bool:
    from ..sandbox.embedded import SandboxCloud

    region = REGIONS[0]
    say("S1: an AWS-owned runbook across accounts and Regions, and a permission whose name is not the API's")
    cloud = SandboxCloud(region)
    ops = _build(cloud, region)
    click.echo(f"The world of s1-missing-permission.yaml, its accounts renamed ({', '.join(RENAMED.values())}): the\n"
               f"administration role in {MANAGEMENT}, the execution roles in {' and '.join(MEMBERS)}, and a bucket\n"
               "tagged Encrypt=true in each member account and Region.\n")
    listener = _Webhook()
    try:
        click.echo("1. Encrypt every bucket: 4 target locations, each resolving its buckets by tag; failures are\n"
                   "   notified to a webhook listening on 127.0.0.1:")
        failed, first = _run(cloud, store, ops, region, notify=listener.url)
        steps = _encryption_steps(store, first["AutomationExecutionId"])
        step = steps[0] if steps else {}
        why = step.get("xacct:Explanation") or {}
        click.echo("\n  What AWS says, in every target (here the first):")
        click.echo(f"    {_aws_text(step.get('FailureMessage', ''))}")
        click.echo("  What xacct adds:")
        click.echo(f"    cause: {why.get('cause')}")
        click.echo(f"    fix:   {why.get('fix')}")
        received = [e for e in listener.received if e["detail"].get("ExecutionId") == first["AutomationExecutionId"]]
        click.echo(f"\n  The webhook received {len(listener.received)} failure notifications (every failed step of "
                   "every execution); those of the run itself:")
        for event in received:
            detail = event["detail"]
            click.echo(f"    {event['detail-type']}: {detail.get('StepName') or detail['Definition']} "
                       f"{detail['Status']} ({detail.get('xacct:FailureMessage', '')})")
    finally:
        listener.close()
    report = _write_report(store, first["AutomationExecutionId"])
    click.echo(f"\n  The run as a page (xacct report {first['AutomationExecutionId'][:8]}): {report}")

    click.echo("\n2. The fix: each execution role gets the statements xacct gave, one per bucket:")
    for member in MEMBERS:
        fixes = sorted({s["xacct:Explanation"]["fix"].split(": ", 1)[1] for s in steps
                        if s.get("xacct:Explanation") and f"-{member}-" in s["xacct:Explanation"]["resource"]})
        statements = [json.loads(fix) for fix in fixes]
        document = json.dumps({"Version": "2012-10-17", "Statement": statements})
        click.echo(f"  $ aws iam put-role-policy --role-name {EXECUTION_ROLE} --policy-name EnableS3BucketEncryption "
                   f"--policy-document '{document}'   # in {member}")
        cloud.client("iam", region, cloud.operator(member)).put_role_policy(
            RoleName=EXECUTION_ROLE, PolicyName="EnableS3BucketEncryption", PolicyDocument=document)

    click.echo("\n3. The same run again:")
    fixed, _ = _run(cloud, store, ops, region)
    encrypted = _encrypted(cloud)
    click.echo(f"  default encryption (GetBucketEncryption): {sum(encrypted.values())} of {len(encrypted)} buckets: "
               + ", ".join(f"{bucket} {'AES256' if ok else 'none'}" for bucket, ok in encrypted.items()) + "\n")
    denied = "is not authorized to perform: s3:PutEncryptionConfiguration on resource: arn:aws:s3:::logs-"
    return (failed == "Failed" and [s["StepStatus"] for s in first["StepExecutions"]] == ["Failed"] * 4
            and denied in step.get("FailureMessage", "") and "PutBucketEncryption" in (why.get("cause") or "")
            and any(e["detail"]["Status"] == "Failed" for e in received)
            and fixed == "Success" and len(encrypted) == 4 and all(encrypted.values()) and os.path.exists(report))


def _build(cloud, region):
    from ..sandbox.world import build_world, load_world

    with open(example("worlds/s1-missing-permission.yaml"), encoding="utf-8") as handle:
        text = handle.read()
    for old, new in RENAMED.items():
        text = text.replace(old, new)
    with tempfile.TemporaryDirectory(prefix="xacct-demo-s1-") as folder:
        path = os.path.join(folder, "s1-missing-permission.yaml")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
        built = build_world(load_world(path), cloud, region)
    for member in MEMBERS:
        for where in REGIONS:
            cloud.client("s3", where, cloud.operator(member)).put_bucket_tagging(
                Bucket=f"logs-{member}-{where}", Tagging={"TagSet": [{"Key": "Encrypt", "Value": "true"}]})
    return built.users[(MANAGEMENT, "ops")]


def _run(cloud, store, ops, region, notify: str | None = None):
    """The run across the targets, as `xacct run` starts it, followed on the screen."""
    from ..engine.documents import by_name
    from ..engine.history import automation_execution
    from ..engine.locations import TargetLocation, run_fanout, start_fanout
    from ..engine.targets import RateControl
    from ..results.fanout_view import FanoutProgress, matrix
    from ..results.notify import Notifier, parse_destination

    click.echo(f"  $ xacct run {RUNBOOK} --accounts {','.join(MEMBERS)} --regions {','.join(REGIONS)} \\\n"
               f"      --targets Key=tag:Encrypt,Values=true --target-parameter-name BucketName "
               f"--max-concurrency 2 --max-errors 4 \\\n      -p AutomationAssumeRole={ADMIN}"
               + (f" --notify {notify}" if notify else ""))
    control = RateControl("BucketName", [{"Key": "tag:Encrypt", "Values": ["true"]}])
    fanout = start_fanout(by_name(RUNBOOK, cloud, ops, region),
                          [TargetLocation(MEMBERS, REGIONS, max_concurrency="2", max_errors="4")], cloud=cloud,
                          store=store, region=region, given={"AutomationAssumeRole": [ADMIN]}, caller=ops,
                          owned_by_aws=True, control=control)
    listeners = [FanoutProgress(fanout.parent.id, len(fanout.targets))]
    if notify:
        listeners.append(Notifier(store, cloud, ops, [parse_destination(notify, region)]))
    store.listeners.extend(listeners)
    try:
        status = run_fanout(fanout)
    finally:
        for listener in listeners:
            store.listeners.remove(listener)
            if hasattr(listener, "close"):
                listener.close()  # the notifications queued during the run are sent
    result = automation_execution(store, fanout.parent.id)
    click.echo("\n".join("  " + line for line in matrix(result["StepExecutions"]).splitlines()))
    return status, result


def _write_report(store, execution_id: str) -> str:
    """The failed run's HTML report, in the temporary folder: the demo's store is gone after it."""
    from ..results.report_html import write_report

    return write_report(store, execution_id, os.path.join(tempfile.gettempdir(), "xacct-demo-s1-report.html"))


def _encryption_steps(store, parent_id: str) -> list[dict]:
    """The PutBucketEncryption step of every execution below the run."""
    from ..engine.history import automation_execution

    found, waiting = [], [parent_id]
    while waiting:
        for row in store.executions(parent_id=waiting.pop(0), limit=1000):
            waiting.append(row["execution_id"])
            found += [s for s in automation_execution(store, row["execution_id"])["StepExecutions"]
                      if s["StepName"] == "PutBucketEncryption"]
    return found


def _aws_text(failure: str) -> str:
    """The AccessDenied message inside SSM's "Step fails when it is ..." wrapper."""
    return failure.partition("operation: ")[2].partition(". Please refer")[0] or failure


def _encrypted(cloud) -> dict[str, bool]:
    from botocore.exceptions import ClientError

    found = {}
    for member in MEMBERS:
        for where in REGIONS:
            bucket = f"logs-{member}-{where}"
            try:
                rules = cloud.client("s3", where, cloud.operator(member)).get_bucket_encryption(Bucket=bucket)
                found[bucket] = rules["ServerSideEncryptionConfiguration"]["Rules"][0][
                    "ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"
            except ClientError:
                found[bucket] = False
    return found


class _Webhook:
    """A receiver on 127.0.0.1 that keeps the JSON events POSTed to it."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}"))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args):  # quiet: the chapter says what arrived
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, name="xacct-demo-webhook", daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/xacct"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
