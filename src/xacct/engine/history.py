"""An execution as GetAutomationExecution shows it, folded from its recorded events.

Status is derived, never stored apart from the events: a run whose process died shows what it
had finished, and is reported as interrupted rather than as still running.
"""

from __future__ import annotations

import os
import uuid
from typing import Any

from ..store import Store
from . import status as S

INTERRUPTED = ("Interrupted: the xacct process that ran this execution ended before it finished; "
               "steps after the last recorded one did not run.")


def _alive(pid: int | None, host: str | None) -> bool:
    if not pid or host != os.uname().nodename:
        return host != os.uname().nodename  # another machine's run: assume it goes on
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def automation_execution(store: Store, execution_id: str) -> dict[str, Any] | None:
    row = store.execution(execution_id)
    if row is None:
        return None
    events = store.events(execution_id)
    started = events[0]["data"]
    if "xacct:Delegated" in started:  # SSM runs it: its record is what SSM answered (delegate/record.py)
        from ..delegate.record import fold

        delegated = fold(row, events)
        delegated["StepExecutions"] = [_ordered(step) for step in delegated["StepExecutions"]]
        return _ordered_top(delegated)
    entries: list[dict] = []  # in the order SSM lists step executions
    latest: dict[str, dict] = {}  # the newest entry of each step name
    for record in started.get("Steps", []):
        entry = {**{k: v for k, v in record.items() if v is not None}, "StepStatus": S.PENDING}
        entries.append(entry)
        latest[record["StepName"]] = entry
    result: dict[str, Any] = {
        "AutomationExecutionId": execution_id,
        "DocumentName": started["DocumentName"],
        "DocumentVersion": "1",
        "ExecutionStartTime": row["started_at"],
        "AutomationExecutionStatus": S.PENDING,
        "Parameters": started.get("Parameters", {}),
        "Outputs": {},
        "Mode": started.get("Mode", "Auto"),
        "ExecutedBy": started.get("ExecutedBy"),
    }
    if started.get("ParentAutomationExecutionId"):
        result["ParentAutomationExecutionId"] = started["ParentAutomationExecutionId"]
    for key in SHOWN_AS_GIVEN:  # rate control and target locations, as the user gave them
        if started.get(key) not in (None, "", []):
            result[key] = started[key]
    for event in events[1:]:
        kind, name, data = event["type"], event["step"], event["data"]
        if kind == "ExecutionStatus":
            result["AutomationExecutionStatus"] = data["AutomationExecutionStatus"]
        elif kind == "ExecutionFinished":
            result["AutomationExecutionStatus"] = data["AutomationExecutionStatus"]
            result["ExecutionEndTime"] = event["at"]
            result["Outputs"] = data.get("Outputs") or {}
            if data.get("FailureMessage"):
                result["FailureMessage"] = data["FailureMessage"]
            if data.get("xacct:Explanation"):
                result["xacct:Explanation"] = data["xacct:Explanation"]
        elif kind == "TargetsResolved":
            # resource targets or accounts of OUs, known once the run starts: their steps wait
            if data.get("ResolvedTargets"):
                result["ResolvedTargets"] = data["ResolvedTargets"]
            for record in data.get("Steps", []):
                if record["StepName"] not in latest:
                    entry = {**record, "StepStatus": S.PENDING}
                    entries.append(entry)
                    latest[record["StepName"]] = entry
        elif name is not None:
            step = latest.get(name)
            if step is None or (kind == "StepStarted" and step.get("ExecutionEndTime")):
                # a step run again (a loop, a jump back) or nested in a loop: a new entry, as SSM lists it
                step = {"StepName": name, "StepStatus": S.PENDING}
                entries.append(step)
                latest[name] = step
            _apply(step, kind, {**event, "execution_id": execution_id})
    if result["AutomationExecutionStatus"] not in S.TERMINAL and not _alive(row["runner_pid"], row["runner_host"]):
        result["AutomationExecutionStatus"] = S.FAILED
        result["FailureMessage"] = INTERRUPTED
        for step in entries:
            if step["StepStatus"] in (S.IN_PROGRESS, S.WAITING):
                step["StepStatus"] = S.FAILED
                step["FailureMessage"] = INTERRUPTED
    current = [step for step in entries if step["StepStatus"] in (S.IN_PROGRESS, S.WAITING)]
    if current:
        result["CurrentStepName"] = current[-1]["StepName"]
        result["CurrentAction"] = current[-1].get("Action")
    result["StepExecutions"] = [_ordered(step) for step in entries]
    result["StepExecutionsTruncated"] = False
    return _ordered_top(result)


# Keys in the order botocore's model lists them (StepExecution, AutomationExecution).
STEP_KEYS = ("StepName", "Action", "TimeoutSeconds", "OnFailure", "MaxAttempts", "ExecutionStartTime",
             "ExecutionEndTime", "StepStatus", "ResponseCode", "Inputs", "Outputs", "Response", "FailureMessage",
             "FailureDetails", "StepExecutionId", "OverriddenParameters", "IsEnd", "NextStep", "IsCritical",
             "ValidNextSteps")
TOP_KEYS = ("AutomationExecutionId", "DocumentName", "DocumentVersion", "ExecutionStartTime", "ExecutionEndTime",
            "AutomationExecutionStatus", "StepExecutions", "StepExecutionsTruncated", "Parameters", "Outputs",
            "FailureMessage", "Mode", "ParentAutomationExecutionId", "ExecutedBy", "CurrentStepName",
            "CurrentAction", "TargetParameterName", "Targets", "TargetMaps", "ResolvedTargets", "MaxConcurrency",
            "MaxErrors", "Target", "TargetLocations")
SHOWN_AS_GIVEN = ("TargetParameterName", "Targets", "TargetMaps", "MaxConcurrency", "MaxErrors", "Target",
                  "TargetLocations")


def _ordered(step: dict) -> dict:
    step.setdefault("Inputs", {})
    step.setdefault("OverriddenParameters", {})
    ordered = {key: step[key] for key in STEP_KEYS if key in step}
    ordered.update({key: value for key, value in step.items() if key not in ordered})  # xacct's own, last
    return ordered


def _ordered_top(result: dict) -> dict:
    result.setdefault("Targets", [])
    result.setdefault("ResolvedTargets", {"ParameterValues": [], "Truncated": False})
    ordered = {key: result[key] for key in TOP_KEYS if key in result}
    ordered.update({key: value for key, value in result.items() if key not in ordered})
    return ordered


def _apply(step: dict, kind: str, event: dict) -> None:
    data = event["data"]
    if kind == "StepStarted":
        step["StepStatus"] = S.IN_PROGRESS
        step["StepExecutionId"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{event['execution_id']}/{event['seq']}"))
        step["ExecutionStartTime"] = event["at"]
        step["Inputs"] = data.get("Inputs", {})
        if data.get("Action"):
            step.setdefault("Action", data["Action"])
    elif kind == "StepWaiting":
        step["StepStatus"] = S.WAITING
    elif kind == "StepResumed":
        step["StepStatus"] = S.IN_PROGRESS
    elif kind == "StepAttemptFailed":
        step.setdefault("xacct:Attempts", []).append(data)
    elif kind == "StepFinished":
        step["StepStatus"] = data["StepStatus"]
        if data.get("ValidNextSteps"):
            step["ValidNextSteps"] = data["ValidNextSteps"]
        step["ExecutionEndTime"] = event["at"]
        step["Outputs"] = data.get("Outputs", {})
        if data.get("FailureMessage"):
            step["FailureMessage"] = data["FailureMessage"]
        if data.get("ChildExecutionId"):
            step["xacct:ChildExecutionId"] = data["ChildExecutionId"]
        if data.get("xacct:Explanation"):
            step["xacct:Explanation"] = data["xacct:Explanation"]
    elif kind == "StepLog":
        step.setdefault("xacct:Logs", []).append(data)


CHILDREN_LIMIT = 10000  # children read per execution (a run across 10,000 targets has as many)


def descendants(store, execution_id: str) -> list[str]:
    """The IDs of every execution below this one, depth first, each after its parent, in the
    order they started."""
    found = []
    for row in reversed(store.executions(parent_id=execution_id, limit=CHILDREN_LIMIT)):
        found.append(row["execution_id"])
        found += descendants(store, row["execution_id"])
    return found
