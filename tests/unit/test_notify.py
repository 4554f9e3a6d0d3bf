"""Notifications and step-log lines without a sandbox: destinations as --notify takes them, SSM's
event shapes and time format, what is (not) sent for each --notify-on, and the words of a denial's
cause."""

from datetime import datetime, timezone

import pytest

from xacct.engine.denial_cause import with_api_cause
from xacct.results.notify import Notifier, aws_time, parse_destination
from xacct.results.step_logs import check_log_group, line_for
from xacct.store import Store


def test_destinations():
    hook = parse_destination("https://hooks.example.com/services/T000/B000/SECRET", "us-east-1")
    assert hook.kind == "webhook" and hook.shown == "webhook https://hooks.example.com"
    assert parse_destination("http://user:pw@127.0.0.1:9/x", None).shown == "webhook http://127.0.0.1:9"
    topic = parse_destination("arn:aws:sns:ap-northeast-1:111111111111:ops-alerts", "us-east-1")
    assert (topic.kind, topic.region) == ("sns", "ap-northeast-1")
    bus = parse_destination("arn:aws:events:eu-west-1:111111111111:event-bus/ops", "us-east-1")
    assert (bus.kind, bus.region) == ("events", "eu-west-1")
    assert parse_destination("default", "us-east-1") == parse_destination("default", "us-east-1")
    assert parse_destination("default", "us-east-1").region == "us-east-1"
    for bad in ("ftp://x/y", "arn:aws:sns:us-east-1:1:t", "arn:aws:s3:::bucket", "has space", "https://"):
        with pytest.raises(ValueError):
            parse_destination(bad, "us-east-1")


def test_times_as_ssm_events_write_them():
    assert aws_time(datetime(2024, 11, 29, 19, 43, 25, tzinfo=timezone.utc)) == "Nov 29, 2024 7:43:25 PM"
    assert aws_time(datetime(2024, 1, 2, 0, 5, 9, tzinfo=timezone.utc)) == "Jan 2, 2024 12:05:09 AM"


class Recorder(Notifier):
    """A Notifier that keeps the events it would send."""

    def __init__(self, store, on):
        super().__init__(store, None, None, [parse_destination("http://127.0.0.1:9/", None)], on=on)
        self.events = []

    def _send(self, destination, event):
        self.events.append(event)


@pytest.mark.parametrize("on, expected", [
    ("failure", [("Step", "Failed"), ("Execution", "Failed")]),
    ("status", [("Execution", "InProgress"), ("Step", "InProgress"), ("Step", "Failed"), ("Execution", "Failed")]),
])
def test_what_each_notify_on_sends_and_what_never_is(tmp_path, on, expected):
    store = Store(tmp_path / "x.db")
    notifier = Recorder(store, on)
    store.listeners.append(notifier)
    store.create_execution("e-1", document_name="Doc", parent_id=None, account="111111111111", region="us-east-1",
                           data={"DocumentName": "Doc", "ExecutedBy": "arn:aws:iam::111111111111:user/ops",
                                 "Parameters": {"Password": ["not-in-any-notification"]},
                                 "Steps": [{"StepName": "call", "Action": "aws:executeAwsApi"}]})
    store.append("e-1", "ExecutionStatus", data={"AutomationExecutionStatus": "InProgress"}, status="InProgress")
    store.append("e-1", "StepStarted", "call", {"Inputs": {"Secret": '"not-in-any-notification"'},
                                                "Action": "aws:executeAwsApi"})
    store.append("e-1", "StepFinished", "call", {"StepStatus": "Failed", "FailureMessage": "boom",
                                                 "xacct:Explanation": {"layer": "identity", "fix": "allow it"}})
    store.append("e-1", "ExecutionFinished", data={"AutomationExecutionStatus": "Failed", "Outputs": {}},
                 status="Failed", ended=True)
    notifier.close()
    assert [(e["detail-type"].split()[2], e["detail"]["Status"]) for e in notifier.events] == expected
    assert "not-in-any-notification" not in repr(notifier.events)
    step = [e for e in notifier.events if e["detail"].get("StepName") and e["detail"]["Status"] == "Failed"][0]
    assert step["resources"] == ["arn:aws:ssm:us-east-1:111111111111:automation-execution/e-1",
                                 "arn:aws:ssm:us-east-1:111111111111:automation-definition/Doc:1"]
    assert step["detail"]["xacct:FailureMessage"] == "boom"
    assert step["detail"]["xacct:Explanation"] == {"layer": "identity", "fix": "allow it"}
    final = notifier.events[-1]["detail"]
    assert list(final) == ["ExecutionId", "Definition", "DefinitionVersion", "Status", "StartTime", "EndTime",
                           "Time", "ExecutedBy"]
    store.close()


def test_log_lines_and_group_names():
    assert line_for("StepFinished", "call", {"StepStatus": "Failed", "FailureMessage": "boom"}, 1.5) == \
        "step call Failed after 1.500s: boom"
    assert line_for("StepStarted", "call", {"Action": "aws:sleep"}, None) == "step call (aws:sleep) InProgress"
    assert line_for("Warning", None, {"Message": "x"}, None) is None
    assert check_log_group("/xacct/runs_1.a#b") == "/xacct/runs_1.a#b"
    with pytest.raises(ValueError):
        check_log_group("no:colons")


def test_a_denial_names_the_api_and_the_iam_action():
    explanation = {"decision": "implicitDeny", "layer": "identity", "missing": "identity",
                   "principal": "arn:aws:sts::222222222222:assumed-role/R/s", "action": "s3:PutEncryptionConfiguration",
                   "resource": "arn:aws:s3:::b"}
    cause = with_api_cause(explanation, {"Service": "s3", "Operation": "PutBucketEncryption"})["cause"]
    assert cause == ("the step calls the s3 API PutBucketEncryption, which IAM authorizes as "
                     "s3:PutEncryptionConfiguration (a different name) on arn:aws:s3:::b; no identity-based policy of "
                     "arn:aws:sts::222222222222:assumed-role/R/s allows it")
    same = with_api_cause({**explanation, "action": "s3:GetObject"}, {"Service": "s3", "Operation": "GetObject"})
    assert same["cause"].startswith("the step calls the s3 API GetObject (s3:GetObject) on")
    assert with_api_cause(explanation, {}) is explanation  # no call known: nothing to add
