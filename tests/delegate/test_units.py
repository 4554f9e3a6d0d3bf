"""The parts of following a delegated run that need no sandbox: pacing, retrying throttled calls
with jitter, where a parent's step ran, recording only changes, and the explanation's choice."""

import botocore.session
import pytest
from botocore.stub import Stubber

from xacct.delegate.calls import Bucket, Calls
from xacct.delegate.explain import explanation
from xacct.delegate.follow import target_location
from xacct.delegate.record import Recorder
from xacct.doctor import Finding


def ssm_client():
    return botocore.session.get_session().create_client(
        "ssm", region_name="us-east-1", aws_access_key_id="AKIDEXAMPLE", aws_secret_access_key="not-a-secret")


def test_the_bucket_spaces_calls_evenly_at_the_rate():
    now = [0.0]
    bucket = Bucket(5.0, lambda: now[0])
    assert bucket.wait() == 0.0
    assert bucket.wait() == pytest.approx(0.2)
    assert bucket.wait() == pytest.approx(0.4)  # two are waiting their turn
    now[0] += 1.0
    assert bucket.wait() == 0.0
    burst = Bucket(5.0, lambda: now[0], burst=5.0)
    assert [burst.wait() for _ in range(5)] == [0.0] * 5 and burst.wait() == pytest.approx(0.2)


def test_a_call_botocore_gave_up_on_is_tried_again_after_a_jittered_wait():
    client = ssm_client()
    waits = []
    calls = Calls(sleep=waits.append)
    with Stubber(client) as stub:
        for _ in range(3):
            stub.add_client_error("get_automation_execution", service_error_code="ThrottlingException",
                                  service_message="Rate exceeded")
        stub.add_response("get_automation_execution", {"AutomationExecution": {"AutomationExecutionId": "x" * 36}},
                          {"AutomationExecutionId": "a" * 36})
        answer = calls.call(client, "123456789012", "get_automation_execution", AutomationExecutionId="a" * 36)
    assert answer["AutomationExecution"]["AutomationExecutionId"] == "x" * 36
    assert len(waits) == 3
    assert all(0 <= wait <= 0.5 * 2 ** (n + 1) for n, wait in enumerate(waits))


def test_other_errors_are_not_retried():
    client = ssm_client()
    calls = Calls(sleep=lambda _: pytest.fail("no wait for an error that is not throttling"))
    with Stubber(client) as stub:
        stub.add_client_error("get_automation_execution", service_error_code="AutomationExecutionNotFoundException")
        with pytest.raises(client.exceptions.AutomationExecutionNotFoundException):
            calls.call(client, "123456789012", "get_automation_execution", AutomationExecutionId="a" * 36)


@pytest.mark.parametrize("step, where", [
    ({"StepName": "s", "TargetLocation": {"Accounts": ["830000000002"], "Regions": ["eu-west-1"]}},
     ("830000000002", "eu-west-1")),
    ({"StepName": "s", "Inputs": {"TargetLocation": '{"Account":"830000000003","Region":"us-east-1"}'}},
     ("830000000003", "us-east-1")),
    ({"StepName": "830000000004_ap-northeast-1"}, ("830000000004", "ap-northeast-1")),
    ({"StepName": "i-0123", "Action": "aws:executeAutomation"}, ("830000000001", "us-west-2")),
    ({"StepName": "whoAmI", "Action": "aws:executeAwsApi"}, None),
])
def test_where_a_parents_step_ran(step, where):
    assert target_location(step, "830000000001", "us-west-2") == where


def test_only_changes_are_recorded_and_a_waiting_step_keeps_its_key(store):
    execution = {"AutomationExecutionId": "e" * 36, "DocumentName": "d", "AutomationExecutionStatus": "InProgress"}
    recorder = Recorder(store, "e" * 36)
    recorder.create(execution, where={"Account": "830000000001", "Region": "us-west-2"})
    assert recorder.execution(execution) is True
    assert recorder.execution(execution) is False
    assert recorder.step({"StepName": "830000000002_us-west-2", "StepStatus": "Pending"}) == "StepUpdated"
    assert recorder.step({"StepName": "830000000002_us-west-2", "StepStatus": "Pending"}) is None
    assert recorder.step({"StepName": "830000000002_us-west-2", "StepStatus": "InProgress",
                          "StepExecutionId": "s1"}) == "StepStarted"
    assert recorder.step({"StepName": "830000000002_us-west-2", "StepStatus": "Success",
                          "StepExecutionId": "s1"}) == "StepFinished"
    from xacct.engine.history import automation_execution

    shown = automation_execution(store, "e" * 36)
    assert [(s["StepName"], s["StepStatus"]) for s in shown["StepExecutions"]] == [
        ("830000000002_us-west-2", "Success")]
    again = Recorder(store, "e" * 36)  # following again: what was recorded is known
    assert again.finished({"StepName": "830000000002_us-west-2", "StepExecutionId": "s1"})


def test_unable_to_be_assumed_takes_the_share_finding_before_others():
    text = "The execution role arn:aws:iam::830000000002:role/R in the target location is unable to be assumed."
    findings = [Finding("D301", "error", "830000000002", "us-east-1", "a permission", "add it"),
                Finding("D101", "error", "830000000002", "us-east-1", "not shared", "share it", layer="share")]
    explained = explanation(text, findings, "830000000002", "us-east-1")
    assert (explained["finding"], explained["fix"], explained["message"]) == ("D101", "share it", text)
    alone = explanation(text, [], "830000000002", "us-east-1", "AccessDenied on iam:GetRole")
    assert alone["doctor"] == "doctor could not look: AccessDenied on iam:GetRole"
    assert "not shared" in alone["cause"] and alone["fix"].startswith("xacct doctor")


def test_a_run_the_sandbox_records_in_this_store_is_not_recorded_twice(store):
    """`xacct sandbox serve` and `xacct run --profile` on one store: the sandbox's record stands."""
    store.create_execution("f" * 36, document_name="d", parent_id=None, account="830000000001",
                           region="us-west-2", data={"DocumentName": "d"})
    recorder = Recorder(store, "f" * 36)
    assert recorder.own is False
    assert recorder.execution({"AutomationExecutionStatus": "Success"}) is False
    assert recorder.step({"StepName": "s", "StepStatus": "Success", "StepExecutionId": "s1"}) is None
    assert [e["type"] for e in store.events("f" * 36)] == ["ExecutionStarted"]
