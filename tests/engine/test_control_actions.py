"""aws:branch (every operator, And/Or/Not, Default), aws:loop (for each, do while), aws:sleep,
aws:pause and aws:approve (signals, approvers, minimum approvals), and cancellation with its
onCancel path. Sources: the action pages of the Automation actions reference."""

import threading
import time

import pytest

from xacct.engine import Options

from .helpers import run_text, statuses, step


def branch(choice: str, params: str = "") -> str:
    return f"""
schemaVersion: "0.3"
parameters:
  S: {{type: String, default: Hello World}}
  N: {{type: Integer, default: 5}}
  B: {{type: Boolean, default: true}}
  L: {{type: StringList, default: [a, b]}}
mainSteps:
  - name: choose
    action: aws:branch
    inputs:
      Choices:
        - NextStep: right
          {choice}
      Default: left
  - {{name: left, action: aws:sleep, inputs: {{Duration: PT0S}}, isEnd: true}}
  - {{name: right, action: aws:sleep, inputs: {{Duration: PT0S}}}}
"""


@pytest.mark.parametrize("choice, taken", [
    ("Variable: '{{ S }}'\n          StringEquals: Hello World", "right"),
    ("Variable: '{{ S }}'\n          StringEquals: hello world", "left"),
    ("Variable: '{{ S }}'\n          EqualsIgnoreCase: hello world", "right"),
    ("Variable: '{{ S }}'\n          StartsWith: Hello", "right"),
    ("Variable: '{{ S }}'\n          EndsWith: World", "right"),
    ("Variable: '{{ S }}'\n          Contains: lo Wo", "right"),
    ("Variable: '{{ L }}'\n          Contains: b", "right"),
    ("Variable: '{{ N }}'\n          NumericEquals: 5", "right"),
    ("Variable: '{{ N }}'\n          NumericGreater: 5", "left"),
    ("Variable: '{{ N }}'\n          NumericLesser: 6", "right"),
    ("Variable: '{{ N }}'\n          NumericGreaterOrEquals: 5", "right"),
    ("Variable: '{{ N }}'\n          NumericLesserOrEquals: 4", "left"),
    ("Variable: '{{ B }}'\n          BooleanEquals: true", "right"),
    ("And:\n            - {Variable: '{{ N }}', NumericGreater: 1}\n            - {Variable: '{{ B }}', BooleanEquals: false}", "left"),
    ("Or:\n            - {Variable: '{{ N }}', NumericGreater: 10}\n            - {Variable: '{{ B }}', BooleanEquals: true}", "right"),
    ("Not: {Variable: '{{ S }}', StartsWith: Bye}", "right"),
])
def test_branch_operators(choice, taken, sandbox, store):
    status, result, _ = run_text(branch(choice), sandbox, store)
    assert status == "Success"
    assert step(result, taken)["StepStatus"] == "Success"
    assert step(result, "right" if taken == "left" else "left")["StepStatus"] == "Pending"


def test_branch_without_match_or_default_goes_on(sandbox, store):
    text = branch("Variable: '{{ S }}'\n          StringEquals: nope").replace("      Default: left\n", "")
    _, result, _ = run_text(text, sandbox, store)
    assert statuses(result) == {"choose": "Success", "left": "Success", "right": "Pending"}


def test_loop_for_each(sandbox, store):
    text = """
    schemaVersion: "0.3"
    mainSteps:
      - name: each
        action: aws:loop
        inputs:
          Iterators: [alpha, beta, gamma]
          Steps:
            - name: tag
              action: aws:executeScript
              inputs:
                Runtime: python3.11
                Handler: h
                InputPayload: {value: "{{ each.CurrentIteratorValue }}", n: "{{ each.CurrentIteration }}"}
                Script: "def h(e, c): return e"
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success"
    runs = [s for s in result["StepExecutions"] if s["StepName"] == "tag"]
    assert [s["Inputs"]["InputPayload"] for s in runs] == [
        '{"value":"alpha","n":1}', '{"value":"beta","n":2}', '{"value":"gamma","n":3}']
    assert execution.outputs["each"]["CurrentIteration"] == 3


def test_loop_do_while_stops_at_max_iterations(sandbox, store):
    text = """
    schemaVersion: "0.3"
    mainSteps:
      - name: again
        action: aws:loop
        inputs:
          MaxIterations: 4
          LoopCondition: {Variable: "{{ again.CurrentIteration }}", NumericLesser: 100}
          Steps:
            - {name: nap, action: aws:sleep, inputs: {Duration: PT0S}}
    """
    status, _, execution = run_text(text, sandbox, store)
    assert status == "Success" and execution.outputs["again"]["CurrentIteration"] == 4


def _signal_when_waiting(store, kind, payload, after=0.0):
    def send():
        time.sleep(after)
        for _ in range(500):
            rows = store.executions(status="Waiting")
            if rows:
                store.send_signal(rows[0]["execution_id"], kind, payload)
                return
            time.sleep(0.02)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


APPROVE = """
schemaVersion: "0.3"
mainSteps:
  - name: ask
    action: aws:approve
    timeoutSeconds: 20
    inputs:
      Approvers: [alice, "arn:aws:iam::111111111111:user/bob"]
      MinRequiredApprovals: {n}
      Message: ship it?
  - {{name: after, action: aws:sleep, inputs: {{Duration: PT0S}}}}
"""


def test_approve_waits_for_a_signal(sandbox, store):
    _signal_when_waiting(store, "Approve", {"Approver": "alice", "Comment": "fine"})
    status, result, execution = run_text(APPROVE.format(n=1), sandbox, store)
    assert status == "Success"
    assert execution.outputs["ask"]["ApprovalStatus"] == "Approved"
    kinds = [e["type"] for e in store.events(execution.id)]
    assert "StepWaiting" in kinds and "SignalReceived" in kinds


def test_approve_needs_the_minimum_of_distinct_approvers(sandbox, store):
    _signal_when_waiting(store, "Approve", {"Approver": "alice"})
    _signal_when_waiting(store, "Approve", {"Approver": "mallory"}, after=0.2)  # not an approver: ignored
    _signal_when_waiting(store, "Approve", {"Approver": "arn:aws:iam::111111111111:user/bob"}, after=0.4)
    status, _, execution = run_text(APPROVE.format(n=2), sandbox, store)
    assert status == "Success"
    decisions = execution.outputs["ask"]["ApproverDecisions"]
    assert [d["Approver"] for d in decisions] == ["alice", "arn:aws:iam::111111111111:user/bob"]


def test_reject_fails_the_step(sandbox, store):
    _signal_when_waiting(store, "Reject", {"Approver": "alice", "Comment": "no"})
    status, result, _ = run_text(APPROVE.format(n=1), sandbox, store)
    assert status == "Failed"
    assert "rejected by alice" in step(result, "ask")["FailureMessage"]
    assert step(result, "after")["StepStatus"] == "Pending"


def test_auto_approve(sandbox, store):
    status, _, _ = run_text(APPROVE.format(n=1), sandbox, store, options=Options(auto_approve=True))
    assert status == "Success"


def test_pause_until_resume(sandbox, store):
    _signal_when_waiting(store, "Resume", {})
    text = 'schemaVersion: "0.3"\nmainSteps:\n  - {name: hold, action: aws:pause, inputs: {}, timeoutSeconds: 20}\n'
    status, _, _ = run_text(text, sandbox, store)
    assert status == "Success"


def test_cancel_runs_the_on_cancel_path(sandbox, store):
    text = """
    schemaVersion: "0.3"
    mainSteps:
      - name: long
        action: aws:sleep
        onCancel: step:cleanup
        inputs: {Duration: PT60S}
      - {name: next, action: aws:sleep, inputs: {Duration: PT0S}}
      - name: cleanup
        action: aws:executeScript
        inputs: {Runtime: python3.11, Handler: h, Script: "def h(e, c): return {'cleaned': True}"}
    """

    def cancel():
        for _ in range(500):
            rows = store.executions(status="InProgress")
            started = rows and any(e["type"] == "StepStarted" for e in store.events(rows[0]["execution_id"]))
            if started:
                store.send_signal(rows[0]["execution_id"], "Cancel", {})
                return
            time.sleep(0.02)

    threading.Thread(target=cancel, daemon=True).start()
    began = time.monotonic()
    status, result, _ = run_text(text, sandbox, store)
    assert time.monotonic() - began < 20
    assert status == "Cancelled"
    assert statuses(result) == {"long": "Cancelled", "next": "Pending", "cleanup": "Success"}
