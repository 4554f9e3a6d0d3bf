"""S1 of SCENARIOS.md through the CLI: AWS-EnableS3BucketEncryption from the management account for
two member accounts x two Regions, whose execution roles lack s3:PutEncryptionConfiguration.

1. Every target fails at the encryption step with AWS's AccessDenied text; xacct's explanation
   names the IAM action, the API it authorizes (PutBucketEncryption), and the statement to add.
2. With max errors 0 only the target already started runs; the others are recorded as not started.
3. After put-role-policy with that statement, 4 of 4 succeed and every bucket reports default
   encryption (GetBucketEncryption).
4. One command shows every step of every target; the failure notification of step 1 reached a
   local webhook, an SNS topic (through an SQS subscription) and an EventBridge bus (a rule
   targeting an SQS queue); step logs went to CloudWatch Logs where the role may write them, and
   were a warning with its explanation where it may not.

Each `xacct` runs in this process (click's CliRunner) on the process-wide sandbox, from the
management account of a renamed copy of the bundled world, so that the accounts are this module's
own. Each target reaches its bucket as SSM would: Targets (tag Encrypt=true) with
TargetParameterName BucketName, resolved in the target with the execution role."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from click.testing import CliRunner

from xacct.cli import cli
from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world

WORLD = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds" / "s1-missing-permission.yaml"
TOKYO, VIRGINIA = "ap-northeast-1", "us-east-1"
EXEC_ROLE = "AWS-SystemsManager-AutomationExecutionRole"
ADMIN_ROLE = "AWS-SystemsManager-AutomationAdministrationRole"
RUNBOOK = "AWS-EnableS3BucketEncryption"
V = "2012-10-17"


def denied(account: str, session: str, bucket: str) -> str:
    """SCENARIOS.md, S1 step 1, with the placeholders filled in."""
    return (f"User: arn:aws:sts::{account}:assumed-role/{EXEC_ROLE}/{session} is not authorized to perform: "
            f"s3:PutEncryptionConfiguration on resource: arn:aws:s3:::{bucket} because no identity-based policy "
            "allows the s3:PutEncryptionConfiguration action")


class Webhook:
    """A receiver on 127.0.0.1 that keeps every JSON body POSTed to it."""

    def __init__(self, status: int = 204):
        received = self.received = []

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
                self.send_response(status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/xacct?token=not-to-be-printed"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


class World:
    """The S1 world renamed to (management, member A, member B), the buckets tagged Encrypt=true."""

    def __init__(self, tmp_path, ids):
        self.m, self.a, self.b = ids
        text = WORLD.read_text()
        for old, new in zip(("111111111111", "222222222222", "333333333333"), ids):
            text = text.replace(old, new)
        (tmp_path / "world.yaml").write_text(text)
        self.cloud = SandboxCloud(TOKYO, account=self.m)
        build_world(load_world(str(tmp_path / "world.yaml")), self.cloud, TOKYO)
        self.buckets = {(acct, region): f"logs-{acct}-{region}" for acct in (self.a, self.b)
                        for region in (TOKYO, VIRGINIA)}
        for (acct, region), bucket in self.buckets.items():
            self.client("s3", region, acct).put_bucket_tagging(
                Bucket=bucket, Tagging={"TagSet": [{"Key": "Encrypt", "Value": "true"}]})
        self.store = str(tmp_path / "executions.db")

    def client(self, service, region, account=None):
        return self.cloud.client(service, region, self.cloud.operator(account or self.m))

    def xacct(self, monkeypatch, *args):
        """`xacct --store S ARGS` as the management account's operator (the CLI's sandbox starts as
        the operator of the account it is given; the renamed world's management account here)."""
        monkeypatch.setattr("xacct.commands.run.make_cloud",
                            lambda aws, profile, region: SandboxCloud(region or TOKYO, account=self.m))
        result = CliRunner().invoke(cli, ["--store", self.store, *args])
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    def run(self, monkeypatch, *extra):
        return self.xacct(monkeypatch, "run", RUNBOOK, "--region", TOKYO, "--accounts", f"{self.a},{self.b}",
                          "--regions", f"{TOKYO},{VIRGINIA}", "--targets", "Key=tag:Encrypt,Values=true",
                          "--target-parameter-name", "BucketName",
                          "-p", f"AutomationAssumeRole=arn:aws:iam::{self.m}:role/{ADMIN_ROLE}", *extra)

    def show(self, monkeypatch, execution_id):
        return json.loads(self.xacct(monkeypatch, "executions", "show", execution_id, "--output", "json").output)

    def queue(self, name):
        sqs = self.client("sqs", TOKYO)
        url = sqs.create_queue(QueueName=name)["QueueUrl"]
        return url, sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]

    def messages(self, url):
        sqs, bodies = self.client("sqs", TOKYO), []
        while True:
            batch = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
            if not batch:
                return bodies
            bodies += [json.loads(m["Body"]) for m in batch]


def parent_id(output: str) -> str:
    return output.split("Execution ", 1)[1].split(" ", 1)[0]


def encryption_steps(shown):
    """(target execution, its PutBucketEncryption step) of every bucket a target ran for."""
    return [(child, step) for child in shown["ChildExecutions"] for step in child["StepExecutions"]
            if step["StepName"] == "PutBucketEncryption"]


def test_s1_fails_as_aws_says_is_explained_fixed_and_reported(tmp_path, monkeypatch):
    world = World(tmp_path, ("740000000001", "740000000002", "740000000003"))
    hook = Webhook()
    topic = world.client("sns", TOKYO).create_topic(Name="xacct-failures")["TopicArn"]
    sns_queue, sns_queue_arn = world.queue("from-sns")
    world.client("sns", TOKYO).subscribe(TopicArn=topic, Protocol="sqs", Endpoint=sns_queue_arn)
    bus_queue, bus_queue_arn = world.queue("from-eventbridge")
    events = world.client("events", TOKYO)
    events.put_rule(Name="xacct-failures", EventPattern=json.dumps({
        "source": ["xacct"], "detail-type": ["EC2 Automation Execution Status-change Notification"]}))
    events.put_targets(Rule="xacct-failures", Targets=[{"Id": "queue", "Arn": bus_queue_arn}])
    try:
        # 1. every target fails at the encryption step with AWS's text, and xacct explains it
        result = world.run(monkeypatch, "--max-concurrency", "2", "--max-errors", "4", "--notify", hook.url,
                           "--notify", topic, "--notify", "default", "--log-group", "/xacct/s1")
        assert result.exit_code == 1, result.output
        failed_run = parent_id(result.output)
        assert "token=not-to-be-printed" not in result.output
        shown = world.show(monkeypatch, failed_run)
        parent = shown["AutomationExecution"]
        assert parent["AutomationExecutionStatus"] == "Failed"
        assert [s["StepName"] for s in parent["StepExecutions"]] == [
            f"{world.a}_{TOKYO}", f"{world.a}_{VIRGINIA}", f"{world.b}_{TOKYO}", f"{world.b}_{VIRGINIA}"]
        assert {s["StepStatus"] for s in parent["StepExecutions"]} == {"Failed"}
        steps = encryption_steps(shown)
        reached = set()
        for child, step in steps:
            bucket = child["Parameters"]["BucketName"][0]
            account = bucket.split("-")[1]
            reached.add(bucket)
            assert step["StepStatus"] == "Failed"
            assert denied(account, child["AutomationExecutionId"], bucket) in step["FailureMessage"]
            why = step["xacct:Explanation"]
            assert why["layer"] == "identity" and why["action"] == "s3:PutEncryptionConfiguration"
            assert "PutBucketEncryption" in why["cause"] and "s3:PutEncryptionConfiguration" in why["cause"]
            assert json.loads(why["fix"].split(": ", 1)[1]) == {
                "Effect": "Allow", "Action": "s3:PutEncryptionConfiguration", "Resource": f"arn:aws:s3:::{bucket}"}
        assert reached == set(world.buckets.values())

        # 4 (of this run). one command shows every step of every target, with the explanation
        text = world.xacct(monkeypatch, "executions", "show", failed_run[:8]).output
        for child, step in steps:
            assert child["AutomationExecutionId"] in text
        assert text.count("- PutBucketEncryption (aws:executeAwsApi): Failed, started ") == len(steps)
        assert text.count('input Bucket = "logs-') == len(steps)
        assert text.count("cause: the step calls the s3 API PutBucketEncryption, which IAM authorizes as "
                          "s3:PutEncryptionConfiguration") == len(steps)
        for account in (world.a, world.b):
            assert f"in {account} {TOKYO}" in text and f"in {account} {VIRGINIA}" in text
        # the failure notification, in each receiver
        execution_events = [e for e in hook.received if e["detail-type"] ==
                            "EC2 Automation Execution Status-change Notification"]
        top = [e for e in execution_events if e["detail"]["ExecutionId"] == failed_run]
        assert len(top) == 1 and top[0]["detail"]["Status"] == "Failed" and top[0]["source"] == "xacct"
        assert top[0]["account"] == world.m and top[0]["region"] == TOKYO
        assert top[0]["detail"]["Definition"] == RUNBOOK
        assert top[0]["resources"][0] == f"arn:aws:ssm:{TOKYO}:{world.m}:automation-execution/{failed_run}"
        target_steps = {e["detail"]["StepName"]: e for e in hook.received
                        if e["detail-type"] == "EC2 Automation Step Status-change Notification"
                        and e["detail"]["ExecutionId"] == failed_run}
        assert set(target_steps) == {s["StepName"] for s in parent["StepExecutions"]}
        denials = [e for e in hook.received if e["detail"].get("StepName") == "PutBucketEncryption"]
        assert denials and all(e["detail"]["xacct:Explanation"]["action"] == "s3:PutEncryptionConfiguration"
                               for e in denials)
        assert {e["account"] for e in denials} == {world.a, world.b}
        from_sns = [json.loads(body["Message"]) for body in world.messages(sns_queue)]
        assert failed_run in {e["detail"]["ExecutionId"] for e in from_sns}
        from_bus = world.messages(bus_queue)
        assert [e["detail"]["Status"] for e in from_bus if e["detail"]["ExecutionId"] == failed_run] == ["Failed"]
        # step logs: the management account's operator may write them; the execution roles may not
        stream = world.client("logs", TOKYO).get_log_events(logGroupName="/xacct/s1", logStreamName=failed_run)
        lines = [e["message"] for e in stream["events"]]
        assert lines[0] == "execution InProgress" and lines[-1].startswith("execution Failed")
        assert any(line.startswith(f"step {world.a}_{TOKYO} Failed after ") for line in lines)
        refused = [w for child in shown["ChildExecutions"] for w in child.get("xacct:Warnings", [])]
        assert refused and all(w["Source"] == "step-logs" for w in refused)
        assert refused[0]["xacct:Explanation"]["action"] == "logs:CreateLogStream"

        # 2. max errors 0: only the target already started runs, the rest are not started
        result = world.run(monkeypatch, "--max-concurrency", "2", "--max-errors", "0")
        assert result.exit_code == 1, result.output
        parent = world.show(monkeypatch, parent_id(result.output))["AutomationExecution"]
        statuses = [s["StepStatus"] for s in parent["StepExecutions"]]
        assert statuses == ["Failed", "Cancelled", "Cancelled", "Cancelled"]
        for step in parent["StepExecutions"][1:]:
            assert step["FailureMessage"].startswith("Not started") and "xacct:ChildExecutionId" not in step
        assert parent["FailureMessage"] == "1 of 4 target locations failed; 3 were not started."

        # 3. the statement of the explanation added to each execution role: 4 of 4 succeed
        for account in (world.a, world.b):
            statements = [json.loads(step["xacct:Explanation"]["fix"].split(": ", 1)[1])
                          for child, step in steps if child["Parameters"]["BucketName"][0].split("-")[1] == account]
            statements.append({"Effect": "Allow", "Action": ["logs:CreateLogGroup", "logs:CreateLogStream",
                                                             "logs:PutLogEvents"], "Resource": "*"})
            world.client("iam", VIRGINIA, account).put_role_policy(
                RoleName=EXEC_ROLE, PolicyName="EnableS3BucketEncryption",
                PolicyDocument=json.dumps({"Version": V, "Statement": statements}))
        result = world.run(monkeypatch, "--max-concurrency", "2", "--max-errors", "0", "--log-group", "/xacct/s1")
        assert result.exit_code == 0, result.output
        fixed = world.show(monkeypatch, parent_id(result.output))
        assert [s["StepStatus"] for s in fixed["AutomationExecution"]["StepExecutions"]] == ["Success"] * 4
        for (account, region), bucket in world.buckets.items():
            rules = world.client("s3", region, account).get_bucket_encryption(Bucket=bucket)
            assert rules["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"][
                "SSEAlgorithm"] == "AES256"
        # each target's execution logged in its own account and Region, as its execution role
        target_runs = [c for c in fixed["ChildExecutions"]
                       if c["ParentAutomationExecutionId"] == fixed["AutomationExecution"]["AutomationExecutionId"]]
        assert len(target_runs) == 4 and not any("xacct:Warnings" in c for c in fixed["ChildExecutions"])
        for step in fixed["AutomationExecution"]["StepExecutions"]:
            account, region = step["StepName"].split("_")
            stream = world.client("logs", region, account).get_log_events(
                logGroupName="/xacct/s1", logStreamName=step["xacct:ChildExecutionId"])
            assert stream["events"][-1]["message"] == "execution Success"
    finally:
        hook.close()


def test_a_webhook_that_fails_is_a_warning_and_the_run_goes_on(tmp_path, monkeypatch):
    world = World(tmp_path, ("740000000011", "740000000012", "740000000013"))
    hook = Webhook(status=500)
    try:
        result = world.run(monkeypatch, "--max-errors", "0", "--notify", hook.url)
    finally:
        hook.close()
    assert result.exit_code == 1, result.output  # the run's own outcome, not the notification's
    assert len(hook.received) > 1  # retried
    warning = f"xacct: warning: notification to webhook http://127.0.0.1:{hook.server.server_port} not delivered"
    assert warning in result.output and "token=not-to-be-printed" not in result.output
    shown = world.show(monkeypatch, parent_id(result.output))
    warnings = shown["AutomationExecution"]["xacct:Warnings"]
    assert warnings[0]["Source"] == "notify" and "not-to-be-printed" not in json.dumps(shown)


def test_status_notifications_of_a_single_account_run(tmp_path, monkeypatch):
    world = World(tmp_path, ("740000000021", "740000000022", "740000000023"))
    hook = Webhook()
    try:
        result = world.xacct(monkeypatch, "run", RUNBOOK, "--region", TOKYO, "-p", "BucketName=missing-bucket-s1",
                             "--notify", hook.url, "--notify-on", "status")
    finally:
        hook.close()
    assert result.exit_code == 1, result.output  # no such bucket: the step fails
    execution_id = parent_id(result.output)
    statuses = [(e["detail-type"].split()[2], e["detail"].get("StepName"), e["detail"]["Status"])
                for e in hook.received if e["detail"]["ExecutionId"] == execution_id]
    assert statuses == [("Execution", None, "InProgress"), ("Step", "PutBucketEncryption", "InProgress"),
                        ("Step", "PutBucketEncryption", "Failed"), ("Execution", None, "Failed")]
    step = hook.received[2]["detail"]
    assert list(step)[:9] == ["ExecutionId", "Definition", "DefinitionVersion", "Status", "StartTime", "EndTime",
                              "Time", "StepName", "Action"]
    assert step["Action"] == "aws:executeAwsApi" and "NoSuchBucket" in step["xacct:FailureMessage"]


@pytest.mark.parametrize("args, words", [
    (["--notify", "ftp://example.com/x"], "neither an http(s) URL"),
    (["--notify", "arn:aws:sns:us-east-1:12:t"], "is not an SNS topic ARN"),
    (["--log-group", "bad:name"], "is not a log group name"),
    (["--notify-on", "status"], "--notify-on goes with --notify"),
])
def test_bad_reporting_options_exit_2_with_a_message(tmp_path, monkeypatch, args, words):
    result = CliRunner().invoke(cli, ["--store", str(tmp_path / "x.db"), "run", RUNBOOK, *args])
    assert result.exit_code == 2 and words in result.output, result.output
    assert "Traceback" not in result.output


def test_list_filters_by_account_region_status_and_parent(tmp_path, monkeypatch):
    world = World(tmp_path, ("740000000031", "740000000032", "740000000033"))
    result = world.run(monkeypatch, "--max-concurrency", "4", "--max-errors", "4")
    run_id = parent_id(result.output)

    def listed(*args):
        out = world.xacct(monkeypatch, "executions", "list", "--output", "json", *args)
        assert out.exit_code == 0, out.output
        return json.loads(out.output)["AutomationExecutionMetadataList"]

    in_a_tokyo = listed("--account", world.a, "--region", TOKYO)
    assert in_a_tokyo and {(e["xacct:Account"], e["xacct:Region"]) for e in in_a_tokyo} == {(world.a, TOKYO)}
    assert {e["AutomationExecutionStatus"] for e in listed("--account", world.b, "--status", "Failed")} == {"Failed"}
    assert listed("--account", world.b, "--status", "Success") == []
    targets = listed("--parent", run_id[:8])
    assert len(targets) == 4 and {e["ParentAutomationExecutionId"] for e in targets} == {run_id}
    assert [e["AutomationExecutionId"] for e in listed()] == [run_id]  # top level only by default
    bad = world.xacct(monkeypatch, "executions", "list", "--status", "Broken")
    assert bad.exit_code == 2 and "Invalid value for '--status'" in bad.output


def test_demo_chapter_s1(store, capsys):
    from xacct.demo import s1

    assert s1.chapter(store) is True
    told = capsys.readouterr().out
    assert "is not authorized to perform: s3:PutEncryptionConfiguration on resource: arn:aws:s3:::logs-" in told
    assert "which IAM authorizes as s3:PutEncryptionConfiguration" in told
    assert "EC2 Automation Execution Status-change Notification: AWS-EnableS3BucketEncryption Failed" in told
    assert "default encryption (GetBucketEncryption): 4 of 4 buckets" in told
