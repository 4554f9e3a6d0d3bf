"""The runner's step semantics, from "Properties shared by all actions" (AWS Systems Manager
User Guide): onFailure, isCritical defaults, maxAttempts, timeoutSeconds, isEnd, nextStep, and
the statuses of "Understanding automation statuses"."""

import pytest

from .helpers import run_text, statuses, step

OK = "- name: {name}\n  action: aws:sleep\n  inputs: {{Duration: PT0S}}\n{extra}"
FAIL = ("- name: {name}\n  action: aws:executeAwsApi\n  inputs: {{Service: ec2, Api: DescribeImages, "
        "ImageIds: [ami-doesnotexist]}}\n{extra}")
SLOW = "- name: {name}\n  action: aws:sleep\n  inputs: {{Duration: PT30S}}\n{extra}"


def doc(*steps):
    return 'schemaVersion: "0.3"\nmainSteps:\n' + "".join(steps)


def ok(name, extra=""):
    return OK.format(name=name, extra=extra)


def fail(name, extra=""):
    return FAIL.format(name=name, extra=extra)


CASES = [
    # (name, document, final status, step statuses)
    ("all-succeed", doc(ok("a"), ok("b")), "Success", {"a": "Success", "b": "Success"}),
    ("abort-by-default", doc(ok("a"), fail("b"), ok("c")), "Failed",
     {"a": "Success", "b": "Failed", "c": "Pending"}),
    ("continue-is-not-critical", doc(fail("a", "  onFailure: Continue\n"), ok("b")), "Success",
     {"a": "Failed", "b": "Success"}),
    ("continue-but-critical", doc(fail("a", "  onFailure: Continue\n  isCritical: true\n"), ok("b")), "Failed",
     {"a": "Failed", "b": "Success"}),
    ("jump-on-failure-is-critical", doc(fail("a", "  onFailure: step:c\n"), ok("b"), ok("c")), "Failed",
     {"a": "Failed", "b": "Pending", "c": "Success"}),
    ("jump-on-failure-not-critical", doc(fail("a", "  onFailure: step:c\n  isCritical: false\n"), ok("b"), ok("c")),
     "Success", {"a": "Failed", "b": "Pending", "c": "Success"}),
    ("is-end", doc(ok("a", "  isEnd: true\n"), ok("b")), "Success", {"a": "Success", "b": "Pending"}),
    ("next-step", doc(ok("a", "  nextStep: c\n"), ok("b"), ok("c")), "Success",
     {"a": "Success", "b": "Pending", "c": "Success"}),
    ("timeout", doc(SLOW.format(name="a", extra="  timeoutSeconds: 1\n"), ok("b")), "TimedOut",
     {"a": "TimedOut", "b": "Pending"}),
    ("timeout-continue", doc(SLOW.format(name="a", extra="  timeoutSeconds: 1\n  onFailure: Continue\n"), ok("b")),
     "Success", {"a": "TimedOut", "b": "Success"}),
]


@pytest.mark.parametrize("name, text, final, expected", CASES, ids=[c[0] for c in CASES])
def test_flow(name, text, final, expected, sandbox, store):
    status, result, _ = run_text(text, sandbox, store)
    assert status == final
    assert result["AutomationExecutionStatus"] == final
    assert statuses(result) == expected


def test_max_attempts_retries_then_fails(sandbox, store):
    status, result, _ = run_text(doc(fail("a", "  maxAttempts: 3\n")), sandbox, store)
    assert status == "Failed"
    assert len(step(result, "a")["xacct:Attempts"]) == 3
    assert step(result, "a")["MaxAttempts"] == 3


def test_failure_message_is_worded_as_ssm_words_it(sandbox, store):
    _, result, _ = run_text(doc(fail("a")), sandbox, store)
    message = step(result, "a")["FailureMessage"]
    assert message.startswith("Step fails when it is Execute/Cancelling action. An error occurred "
                              "(InvalidAMIID.NotFound) when calling the DescribeImages operation: ")
    assert message.endswith(". Please refer to Automation Service Troubleshooting Guide for more diagnosis details.")
    assert result["FailureMessage"] == message


def test_timeout_message(sandbox, store):
    _, result, _ = run_text(doc(SLOW.format(name="a", extra="  timeoutSeconds: 1\n")), sandbox, store)
    assert step(result, "a")["FailureMessage"].startswith("Step timed out while step is ")


def test_pending_steps_show_as_ssm_shows_them(sandbox, store):
    _, result, _ = run_text(doc(ok("a", "  isEnd: true\n"), ok("b")), sandbox, store)
    pending = step(result, "b")
    assert pending["StepStatus"] == "Pending" and pending["Inputs"] == {} and "Outputs" not in pending
    assert "ExecutionStartTime" not in pending


def test_stepexecution_keys_follow_the_api_model(sandbox, store):
    _, result, _ = run_text(doc(ok("a", "  timeoutSeconds: 5\n  onFailure: Abort\n"), ok("b")), sandbox, store)
    first = step(result, "a")
    assert list(first)[:4] == ["StepName", "Action", "TimeoutSeconds", "OnFailure"]
    assert first["Inputs"] == {"Duration": '"PT0S"'}
    assert first["ValidNextSteps"] == ["b"]
    assert list(result)[:6] == ["AutomationExecutionId", "DocumentName", "DocumentVersion", "ExecutionStartTime",
                                "ExecutionEndTime", "AutomationExecutionStatus"]


def test_internal_actions_fail_clearly(sandbox, store):
    text = doc("- name: a\n  action: aws:shareSQLMedia\n  inputs: {}\n")
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Failed"
    assert "undocumented action internal to AWS" in step(result, "a")["FailureMessage"]


@pytest.mark.parametrize("api", ["ListBuckets", "list_buckets", "listBuckets", "list-buckets"])
def test_api_names_in_every_casing_run(api, sandbox, store):
    text = doc(f"- name: a\n  action: aws:executeAwsApi\n  inputs: {{Service: s3, Api: {api}}}\n"
               "  outputs: [{Name: Owner, Selector: $.Owner.ID, Type: String}]\n")
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
