"""Following a run SSM executes, to its end: the parent read in the central account, each
target's executions gathered in its account once the target ends, everything recorded.

Each round reads the parent once (GetAutomationExecution; DescribeAutomationStepExecutions pages
when SSM truncates its steps), so a round costs the same however long the run; a target is
gathered once, when its step ends, so the calls grow with the targets, not with the time. Rounds
come quickly while something changes and slow down (x1.5, up to the longest interval) while
nothing does. Following again (`xacct executions follow ID`, `xacct run --attach ID`) reads what
happened meanwhile and skips what was recorded: a target is never gathered twice."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Callable

from ..engine import status as S
from .calls import Calls
from .explain import Doctor, calls_for_doctor, explanation
from .gather import Child, Gatherer, first_failure
from .record import Recorder

STEP_NAME = re.compile(r"^(\d{12})_([a-z]{2}(?:-[a-z]+)+-\d)$")
INTERVAL = (2.0, 20.0)  # seconds between rounds: while things change, and at most
GATHERERS = 8  # accounts read at once


@dataclass
class Following:
    cloud: object
    store: object
    caller: object  # Credentials with the ARN
    execution_id: str
    region: str
    where: dict  # recorded with the parent: Account, Region, Profile, EndpointUrl, ReadRoleName, ...
    read_role_name: str
    execution_role_name: str = "AWS-SystemsManager-AutomationExecutionRole"
    runbook_ref: str | None = None
    given: dict = field(default_factory=dict)
    calls: Calls = field(default_factory=Calls)
    interval: tuple[float, float] = INTERVAL
    say: Callable[[str], None] = lambda line: None
    sleep: Callable[[float], None] = time.sleep
    reader: object | None = None  # a doctor.Reader of the members; made with the read role when not given


def follow(f: Following) -> str:
    """Follow to the end; the execution's final AutomationExecutionStatus."""
    from ..doctor import Reader

    account = f.caller.account
    ssm = f.cloud.client("ssm", f.region, f.caller)
    reader = f.reader or Reader(f.cloud, f.caller, f.region, f.read_role_name)
    f.calls.watch(f.cloud.client("sts", f.region, f.caller), account)  # the read roles' AssumeRole, counted
    gatherer = Gatherer(f.cloud, f.calls, reader, f.caller)
    doctor = Doctor(f.cloud, reader, f.caller, f.region, f.runbook_ref, f.given, f.execution_role_name) \
        if f.runbook_ref else None
    parent = Recorder(f.store, f.execution_id)
    if not parent.own:
        f.say(f"  {f.execution_id} is recorded in this store by the sandbox that runs it: following its status")
    pause = f.interval[0]
    ended_once = False
    while True:
        execution = f.calls.call(ssm, account, "get_automation_execution",
                                 AutomationExecutionId=f.execution_id)["AutomationExecution"]
        steps = execution.get("StepExecutions") or []
        if execution.get("StepExecutionsTruncated"):
            steps = f.calls.pages(ssm, account, "describe_automation_step_executions", "StepExecutions",
                                  AutomationExecutionId=f.execution_id)
        parent.create(execution, where=f.where, account=account, region=f.region, given=f.given)
        changed = _round(f, parent, steps, gatherer, doctor, account)
        status = execution["AutomationExecutionStatus"]
        if status in S.TERMINAL:
            # a step still open when the parent ended is read once more; then the parent's word stands
            if ended_once or not any(s.get("StepStatus") not in S.TERMINAL for s in steps):
                parent.execution(execution)
                return status
            ended_once = True
        changed = parent.execution(execution) or changed
        pause = f.interval[0] if changed else min(f.interval[1], pause * 1.5)
        f.sleep(pause)


def _round(f: Following, parent: Recorder, steps: list[dict], gatherer: Gatherer, doctor, account: str) -> bool:
    """Record what changed among the parent's steps; gather the targets that ended."""
    if not parent.own:  # the sandbox serving this run records it in this very store: all is here
        return False
    ended: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for step in steps:
        location = target_location(step, account, f.region)
        if location is not None and step.get("StepStatus") in S.TERMINAL and not parent.finished(step):
            ended[location].append(step)
    extras: dict[int, dict] = {}
    for (target_account, target_region), ended_steps, gathered in _gather_all(f, gatherer, ended):
        for child in _flat(gathered.children):
            _record_child(f, child)
        if gathered.unreadable:
            f.store.append(f.execution_id, "TargetUnreadable", None,
                           {"Account": target_account, "Region": target_region, "Message": gathered.unreadable})
            f.say(f"      could not read {target_account} {target_region}: {gathered.unreadable}")
        for step in ended_steps:
            extras[id(step)] = _target_extra(f, step, gathered, target_account, target_region, doctor)
    changed = bool(extras)
    for step in steps:  # in SSM's order, so that the record lists them as SSM does
        if not parent.finished(step):
            changed = bool(parent.step(step, extras.get(id(step)))) or changed
    return changed


def _gather_all(f: Following, gatherer: Gatherer, ended: dict) -> list:
    """Gather the locations that ended, accounts side by side (each account's calls are paced on
    their own), the Regions of one account one after the other (its read role assumed once)."""
    by_account: dict[str, list] = defaultdict(list)
    for (account, region), steps in ended.items():
        by_account[account].append((region, steps))

    def one_account(account: str) -> list:
        found = []
        for region, steps in by_account[account]:
            wanted = {i for s in steps for i in (s.get("Outputs") or {}).get("ExecutionId", [])}
            found.append(((account, region), steps, gatherer.gather(f.execution_id, account, region,
                                                                     wanted or None)))
        return found

    if len(by_account) == 1:
        return one_account(next(iter(by_account)))
    with ThreadPoolExecutor(max_workers=GATHERERS, thread_name_prefix="xacct-gather") as pool:
        return [entry for entries in pool.map(one_account, list(by_account)) for entry in entries]


def _record_child(f: Following, child: Child) -> None:
    recorder = Recorder(f.store, child.metadata["AutomationExecutionId"])
    recorder.create(child.metadata, where={"Account": child.account, "Region": child.region},
                    parent_id=child.parent_id, account=child.account, region=child.region)
    failing = first_failure([child])[1]
    for step in child.steps:
        extra = None
        if step is failing and step.get("FailureMessage") and calls_for_doctor(step["FailureMessage"]):
            extra = {"xacct:Explanation": explanation(step["FailureMessage"], [], child.account, child.region)}
        recorder.step(step, extra)
    recorder.execution(child.metadata)  # after its steps: the record's final status is what ends it


def _flat(children: list[Child]) -> list[Child]:
    found = []
    for child in children:
        found.append(child)
        found += _flat(child.children)
    return found


def _target_extra(f: Following, step: dict, gathered, account: str, region: str, doctor) -> dict:
    """What xacct adds to a target's step: where it ran, its execution there, and why it failed."""
    extra: dict = {"xacct:TargetLocation": {"Account": account, "Region": region}}
    mine = [c for c in gathered.children if c.metadata["AutomationExecutionId"] in
            (step.get("Outputs") or {}).get("ExecutionId", [])] or gathered.children[:1]
    if mine:
        extra["ChildExecutionId"] = extra["xacct:ChildExecutionId"] = mine[0].metadata["AutomationExecutionId"]
    if gathered.unreadable:
        extra["xacct:Unreadable"] = gathered.unreadable
    if step.get("StepStatus") not in (S.FAILED, S.TIMED_OUT):  # succeeded, or never started (MaxErrors)
        return extra
    _, failing = first_failure(mine)
    text = (failing or {}).get("FailureMessage") or step.get("FailureMessage") or \
        f"The target {account} {region} ended {step.get('StepStatus')}."
    findings, unexamined = doctor.findings(account, region) if doctor is not None and calls_for_doctor(text) \
        else ([], None)
    extra["xacct:Explanation"] = explanation(text, findings, account, region, unexamined)
    return extra


def target_location(step: dict, account: str, region: str) -> tuple[str, str] | None:
    """Where a parent's step ran its execution: the step's TargetLocation, or its inputs, or the
    name SSM gives a target location's step (ACCOUNT_REGION); an aws:executeAutomation step
    without one ran in the parent's own account and Region. None for a step that starts nothing."""
    location = step.get("TargetLocation") or {}
    if location.get("Accounts") and location.get("Regions"):
        return location["Accounts"][0], location["Regions"][0]
    given = (step.get("Inputs") or {}).get("TargetLocation")
    if isinstance(given, str):
        try:
            given = json.loads(given)
        except ValueError:
            given = None
    if isinstance(given, dict) and given.get("Account") and given.get("Region"):
        return str(given["Account"]), str(given["Region"])
    named = STEP_NAME.match(step.get("StepName", ""))
    if named:
        return named.group(1), named.group(2)
    if step.get("Action") == "aws:executeAutomation":
        return account, region
    return None
