"""Every step of every target, read where SSM keeps it: in the member account.

SSM's central account shows one step per target location; each target's own execution (its
steps, inputs, outputs, failure) stays in the target account and Region. xacct reads it there
through a read role (the run's execution role, or --read-role-name), the way doctor reads other
accounts (doctor.Reader): DescribeAutomationExecutions filtered by ParentExecutionId finds the
target's executions, DescribeAutomationStepExecutions their steps. A child that itself runs on
resources (Targets, TargetParameterName) has children of its own, read the same way."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..engine import status as S

MAX_DEPTH = 3


@dataclass
class Child:
    metadata: dict
    steps: list[dict]
    account: str
    region: str
    parent_id: str
    children: list["Child"] = field(default_factory=list)


@dataclass
class Gathered:
    children: list[Child] = field(default_factory=list)
    unreadable: str | None = None  # why the member could not be read (AWS's text), if it could not


class Gatherer:
    def __init__(self, cloud, calls, reader, caller) -> None:
        self.cloud, self.calls, self.reader, self.caller = cloud, calls, reader, caller

    def gather(self, parent_id: str, account: str, region: str, wanted: set[str] | None = None) -> Gathered:
        """The executions started by `parent_id` in `account` and `region` (only `wanted` ones
        when the parent's step names them), with their steps."""
        from ..doctor import Unreadable

        try:
            credentials = self.caller if account == self.caller.account else self.reader.credentials(account)
        except Unreadable as unreadable:
            return Gathered(unreadable=str(unreadable))
        ssm = self.cloud.client("ssm", region, credentials)
        try:
            return Gathered(self._children(ssm, parent_id, account, region, wanted, 0))
        except Exception as error:  # AccessDenied to the read role, an endpoint that went away
            return Gathered(unreadable=f"cannot read the executions of {account} {region}: "
                                       f"{' '.join(str(error).split())}")

    def _children(self, ssm, parent_id: str, account: str, region: str, wanted, depth: int) -> list[Child]:
        listed = self.calls.pages(ssm, account, "describe_automation_executions", "AutomationExecutionMetadataList",
                                  Filters=[{"Key": "ParentExecutionId", "Values": [parent_id]}])
        found = []
        for metadata in listed:
            execution_id = metadata["AutomationExecutionId"]
            if wanted and execution_id not in wanted:
                continue
            steps = self.calls.pages(ssm, account, "describe_automation_step_executions", "StepExecutions",
                                     AutomationExecutionId=execution_id)
            child = Child(metadata, steps, account, region, parent_id)
            if depth < MAX_DEPTH and _has_children(metadata, steps):
                child.children = self._children(ssm, execution_id, account, region, None, depth + 1)
            found.append(child)
        return found


def _has_children(metadata: dict, steps: list[dict]) -> bool:
    """A run on resources (rate control) or a runbook with aws:executeAutomation starts executions."""
    return bool(metadata.get("TargetParameterName") or metadata.get("Targets") or metadata.get("TargetMaps")
                or any(s.get("Action") == "aws:executeAutomation" for s in steps))


def first_failure(children: list[Child]) -> tuple[Child, dict] | tuple[None, None]:
    """The deepest first failed step below a target: the one whose text says why."""
    for child in children:
        for step in child.steps:
            if step.get("StepStatus") in (S.FAILED, S.TIMED_OUT):
                below = first_failure(child.children)
                return below if below[0] is not None else (child, step)
        below = first_failure(child.children)
        if below[0] is not None:
            return below
    return None, None
