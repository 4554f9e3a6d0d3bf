"""Delegated executions in the central store: what SSM answered, kept as events.

An execution that SSM runs is recorded with SSM's own ID, times, step execution IDs and texts.
The first event (ExecutionStarted) says where it runs (`xacct:Delegated`: account, Region,
profile and endpoint, never credentials); `SsmExecution` events hold the execution's top-level
record as SSM last answered it; `StepStarted`, `StepUpdated` and `StepFinished` hold each step
execution as SSM answered it, with xacct's own keys (the target's child execution, its
explanation) beside them. Only changes are written, so following a run for an hour writes no
more than the run did. `fold` turns these events back into GetAutomationExecution's shape."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..engine import status as S

MARK = "xacct:Delegated"


def plain(value: Any) -> Any:
    """An SSM answer as the store keeps it: timestamps as ISO text (what xacct's own records hold)."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def step_key(step: dict) -> str:
    return step.get("StepExecutionId") or step["StepName"]


class Recorder:
    """Writes one delegated execution (a parent or a child) into the store, change by change."""

    def __init__(self, store, execution_id: str) -> None:
        self.store, self.execution_id = store, execution_id
        self.top: dict | None = None
        self.steps: dict[str, dict] = {}
        self.own = True  # False when this store already holds the execution as the sandbox ran it
        row = store.execution(execution_id)
        if row is None:
            return
        events = store.events(execution_id)
        if MARK not in events[0]["data"]:
            self.own = False
            return
        for event in events[1:]:  # resuming: what was already recorded is not written again
            if event["type"] == "SsmExecution":
                self.top = event["data"]
            elif event["type"] in STEP_EVENTS:
                self.steps[event["data"]["xacct:Key"]] = event["data"]

    @property
    def exists(self) -> bool:
        return self.store.execution(self.execution_id) is not None

    def create(self, execution: dict, *, where: dict, parent_id: str | None = None,
               account: str | None = None, region: str | None = None, given: dict | None = None) -> None:
        if self.exists:
            return
        data = {"DocumentName": execution.get("DocumentName", "?"), MARK: where,
                "Parameters": execution.get("Parameters") or given or {}}
        if parent_id:
            data["ParentAutomationExecutionId"] = parent_id
        self.store.create_execution(self.execution_id, document_name=data["DocumentName"], parent_id=parent_id,
                                    account=account, region=region, data=plain(data))

    def execution(self, execution: dict) -> bool:
        """Record the top-level record if it changed; True when it did."""
        if not self.own:
            return False
        top = plain({k: v for k, v in execution.items() if k not in ("StepExecutions", "StepExecutionsTruncated")})
        if top == self.top:
            return False
        status = top.get("AutomationExecutionStatus")
        self.store.append(self.execution_id, "SsmExecution", data=top, status=status,
                          ended=status in S.TERMINAL)
        self.top = top
        return True

    def key_of(self, step: dict) -> str:
        """The step's key: its StepExecutionId, or its name while it waits to start (SSM gives
        the ID when it starts); a step recorded while it waited keeps the key it had."""
        key = step_key(step)
        if key not in self.steps and step["StepName"] in self.steps:
            return step["StepName"]
        return key

    def step(self, step: dict, extra: dict | None = None) -> str | None:
        """Record a step execution if it changed; returns the event written, if any. The live
        views count StepStarted as running and StepFinished as done: each step gets one of each."""
        if not self.own:
            return None
        key = self.key_of(step)
        data = {**plain(step), **(extra or {}), "xacct:Key": key}
        earlier = self.steps.get(key)
        if earlier == data:
            return None
        started = earlier is not None and earlier["StepStatus"] not in (S.PENDING,)
        status = data["StepStatus"]
        if status in S.TERMINAL:
            if not started:  # ended before anyone saw it run (it ran while nobody followed)
                self.store.append(self.execution_id, "StepStarted", step["StepName"],
                                  {**data, "StepStatus": S.IN_PROGRESS})
            kind = "StepFinished"
        else:
            kind = "StepStarted" if status != S.PENDING and not started else "StepUpdated"
        self.store.append(self.execution_id, kind, step["StepName"], data)
        self.steps[key] = data
        return kind

    def finished(self, step: dict) -> bool:
        """Whether a step was recorded as ended, with what gathering added to it."""
        data = self.steps.get(self.key_of(step))
        return data is not None and data["StepStatus"] in S.TERMINAL


STEP_EVENTS = ("StepStarted", "StepUpdated", "StepFinished")


def is_delegated(events: list[dict]) -> bool:
    return bool(events) and MARK in events[0]["data"]


def where(store, execution_id: str) -> dict | None:
    """Where a delegated execution runs (account, Region, profile, endpoint), or None."""
    events = store.events(execution_id)
    return events[0]["data"][MARK] if is_delegated(events) else None


def fold(row, events: list[dict]) -> dict:
    """GetAutomationExecution's record of a delegated execution, from its events: SSM's last
    answer. It is never marked interrupted: SSM runs it, not the process that followed it."""
    started = events[0]["data"]
    result: dict[str, Any] = {"AutomationExecutionId": row["execution_id"], "DocumentName": started["DocumentName"],
                              "ExecutionStartTime": row["started_at"], "AutomationExecutionStatus": S.PENDING,
                              "Parameters": started.get("Parameters", {}), "Outputs": {}}
    if started.get("ParentAutomationExecutionId"):
        result["ParentAutomationExecutionId"] = started["ParentAutomationExecutionId"]
    steps: dict[str, dict] = {}
    read_at = None
    for event in events[1:]:
        if event["type"] == "SsmExecution":
            result.update(event["data"])
            read_at = event["at"]
        elif event["type"] in STEP_EVENTS:
            data = dict(event["data"])
            data.pop("xacct:Key", None)
            steps[event["data"]["xacct:Key"]] = data
            read_at = event["at"]
        elif event["type"] == "TargetUnreadable":
            result.setdefault("xacct:Unreadable", []).append(event["data"])
    result["StepExecutions"] = list(steps.values())
    result["StepExecutionsTruncated"] = False
    result[MARK] = {**started[MARK], **({"LastRead": read_at} if read_at else {})}
    return result
