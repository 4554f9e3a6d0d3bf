"""Runs across accounts and Regions ("Running automations in multiple AWS Regions and accounts",
AWS Systems Manager User Guide): a parent execution in the starting account, and for each target
location (account x Region) the administration role assumes the execution role there, SSM reads
the runbook there (a custom runbook must be shared with that account in that Region), and a child
execution runs there as the execution role. Every target's outcome is recorded in the parent.
"""

from __future__ import annotations

import math
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any

from ..cloud import Cloud
from ..credentials import Credentials
from ..store import Store
from . import status as S
from .documents import Runbook, by_name
from .errors import ExecutionRejected
from .execution import Execution, Options
from .outputs import as_ssm_values

ADMINISTRATION_ROLE = "AWS-SystemsManager-AutomationAdministrationRole"
EXECUTION_ROLE = "AWS-SystemsManager-AutomationExecutionRole"
UNABLE_TO_ASSUME = "The execution role {arn} in the target location is unable to be assumed."
NOT_STARTED = "Not started: the maximum number of errors ({limit}) was exceeded before this target's turn."
ASSUME_PARAMETER = "AutomationAssumeRole"


def parse_rate(value: str | int | None, total: int, *, default: str, minimum: int) -> int | None:
    """A MaxConcurrency / MaxErrors value: a count ("10") or a percentage of the targets ("10%"),
    as SSM takes them; None means no limit."""
    text = str(default if value in (None, "") else value).strip()
    if text == "":
        return None
    if text.endswith("%"):
        percent = int(text[:-1])
        return max(minimum, math.floor(total * percent / 100))
    return max(minimum, int(text))


# The patterns of TargetLocationMaxConcurrency and TargetLocationMaxErrors (API_TargetLocation).
CONCURRENCY_PATTERN = r"^([1-9][0-9]*|[1-9][0-9]%|[1-9]%|100%)$"
ERRORS_PATTERN = r"^([1-9][0-9]*|[0]|[1-9][0-9]%|[0-9]%|100%)$"


def check_rate(value: str | None, name: str, pattern: str) -> None:
    import re

    if value not in (None, "") and not re.fullmatch(pattern[1:-1], str(value)):
        raise ExecutionRejected("ValidationException",
                                f"1 validation error detected: Value '{value}' at '{name}' failed to satisfy "
                                f"constraint: Member must satisfy regular expression pattern: {pattern}")


@dataclass
class TargetLocation:
    """One entry of TargetLocations, as StartAutomationExecution takes it."""

    accounts: list[str]
    regions: list[str]
    execution_role_name: str = EXECUTION_ROLE
    max_concurrency: str | None = None
    max_errors: str | None = None

    def as_ssm(self) -> dict:
        entry: dict[str, Any] = {"Accounts": self.accounts, "Regions": self.regions,
                                 "ExecutionRoleName": self.execution_role_name}
        if self.max_concurrency is not None:
            entry["TargetLocationMaxConcurrency"] = str(self.max_concurrency)
        if self.max_errors is not None:
            entry["TargetLocationMaxErrors"] = str(self.max_errors)
        return entry


@dataclass
class Target:
    account: str
    region: str
    role_name: str

    @property
    def step_name(self) -> str:
        return f"{self.account}_{self.region}"

    def role_arn(self, partition: str) -> str:
        return f"arn:{partition}:iam::{self.account}:role/{self.role_name}"


@dataclass
class Fanout:
    """A parent execution and what it needs to start its children."""

    parent: Execution
    runbook: Runbook
    owner: str  # the account that owns the runbook (for reading it by ARN in the targets)
    locations: list[TargetLocation]
    given: dict[str, Any]
    administration: Credentials
    targets: list[Target] = field(default_factory=list)


def start_fanout(runbook: Runbook, locations: list[TargetLocation], *, cloud: Cloud, store: Store, region: str,
                 given: dict[str, Any] | None = None, caller: Credentials | None = None,
                 options: Options | None = None, owned_by_aws: bool = False) -> Fanout:
    """Record the parent execution and take the administration role: the runbook's assume role
    (AutomationAssumeRole), or AWS-SystemsManager-AutomationAdministrationRole of the caller's
    account when none is given. Raises ExecutionRejected before anything runs."""
    caller = cloud.identity(caller or cloud.caller_credentials(), region)
    given = dict(given or {})
    for location in locations:
        check_rate(location.max_concurrency, "targetLocations.member.targetLocationMaxConcurrency",
                   CONCURRENCY_PATTERN)
        check_rate(location.max_errors, "targetLocations.member.targetLocationMaxErrors", ERRORS_PATTERN)
        if not location.accounts or not location.regions:
            raise ExecutionRejected("ValidationException", "A target location needs at least one account and one "
                                                           "Region.")
    admin_role = _first(given.get(ASSUME_PARAMETER)) or (
        f"arn:{cloud.partition}:iam::{caller.account}:role/{ADMINISTRATION_ROLE}")
    targets = [Target(account, target_region, location.execution_role_name)
               for location in locations for account in location.accounts for target_region in location.regions]
    parent = Execution(document=runbook.document, name=runbook.name, cloud=cloud, store=store, region=region,
                       credentials=caller, caller=caller, parameters={}, options=options or Options())
    store.create_execution(
        parent.id, document_name=runbook.name, parent_id=None, account=caller.account, region=region,
        data={"DocumentName": runbook.name, "Parameters": {k: as_ssm_values(v) for k, v in given.items()},
              "ExecutedBy": caller.arn, "Region": region, "Mode": "Auto", "AssumeRole": admin_role,
              "TargetLocations": [location.as_ssm() for location in locations],
              "Steps": [{"StepName": t.step_name, "Action": "aws:executeAutomation",
                         "xacct:TargetLocation": {"Account": t.account, "Region": t.region,
                                                  "ExecutionRoleName": t.role_name}} for t in targets]})
    source = f"arn:{cloud.partition}:ssm:{region}:{caller.account}:automation-execution/{parent.id}"
    try:
        administration = cloud.assume_role_as_service("ssm.amazonaws.com", admin_role, parent.id, caller, region,
                                                      source)
    except Exception as exc:
        from .runner import ASSUME_ROLE_FAILED

        store.append(parent.id, "ExecutionFinished", data={
            "AutomationExecutionStatus": S.FAILED, "FailureMessage": ASSUME_ROLE_FAILED,
            "Cause": " ".join(str(exc).split())}, status=S.FAILED, ended=True)
        raise ExecutionRejected("InvalidAutomationExecutionParametersException", ASSUME_ROLE_FAILED) from None
    owner = "" if owned_by_aws else caller.account
    return Fanout(parent, runbook, owner, locations, given, administration, targets)


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def run_fanout(fanout: Fanout) -> str:
    """Run every target, as many at once as TargetLocationMaxConcurrency allows (ramping up 1, 2,
    4, ... as SSM does), and stop starting new ones once more than TargetLocationMaxErrors
    targets have failed; those that are already running finish. Returns the parent's status."""
    parent, store = fanout.parent, fanout.parent.store
    store.append(parent.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.IN_PROGRESS},
                 status=S.IN_PROGRESS)
    failed = 0
    pending = list(fanout.targets)
    # one limit per location entry, as each entry carries its own settings
    limits = {}
    for location in fanout.locations:
        total = len(location.accounts) * len(location.regions)
        limits[id(location)] = (parse_rate(location.max_concurrency, total, default="1", minimum=1),
                                parse_rate(location.max_errors, total, default="", minimum=0))
    concurrency = max(c for c, _ in limits.values()) if limits else 1
    error_limit = min((e for _, e in limits.values() if e is not None), default=None)
    finished_count = 0
    stopped = False
    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="xacct-target") as pool:
        running: dict = {}
        while pending or running:
            if parent.cancelled():
                stopped = True
            allowed = min(concurrency, max(1, 2 * finished_count))  # ramp-up: 1, 2, 4, ...
            while pending and not stopped and len(running) < allowed:
                target = pending.pop(0)
                running[pool.submit(_run_target, fanout, target)] = target
            if not running:
                break
            done, _ = wait(list(running), timeout=0.5, return_when=FIRST_COMPLETED)
            for future in done:
                running.pop(future)
                finished_count += 1
                if future.result() != S.SUCCESS:
                    failed += 1
                if error_limit is not None and failed > error_limit:
                    stopped = True
    for target in pending:  # never started: say so
        store.append(parent.id, "StepFinished", target.step_name, {
            "StepStatus": S.CANCELLED,
            **({} if parent.cancelled() else {"FailureMessage": NOT_STARTED.format(limit=error_limit)})})
    if parent.cancelled():
        final = S.CANCELLED
    elif failed or pending:
        final = S.FAILED
    else:
        final = S.SUCCESS
    failure = None
    if final == S.FAILED:
        failure = f"{failed} of {len(fanout.targets)} target locations failed" + (
            f"; {len(pending)} were not started" if pending else "") + "."
    store.append(parent.id, "ExecutionFinished",
                 data={"AutomationExecutionStatus": final, "Outputs": {}, "FailureMessage": failure},
                 status=final, ended=True)
    return final


def _run_target(fanout: Fanout, target: Target) -> str:
    """One target location: assume the execution role, read the runbook there, run the child."""
    parent, cloud, store = fanout.parent, fanout.parent.cloud, fanout.parent.store
    partition = cloud.partition
    role_arn = target.role_arn(partition)
    inputs = {"DocumentName": fanout.runbook.name, "TargetLocation": {"Account": target.account,
                                                                      "Region": target.region},
              "ExecutionRoleName": target.role_name}
    from .runner import encode_inputs

    store.append(parent.id, "StepStarted", target.step_name, {"Inputs": encode_inputs(inputs),
                                                               "Action": "aws:executeAutomation"})
    unable = UNABLE_TO_ASSUME.format(arn=role_arn)
    try:
        execution_role = cloud.assume_role(role_arn, f"{parent.id}"[:64], fanout.administration, target.region)
    except Exception as exc:
        if cloud.role_exists(role_arn) is False:
            explanation = _role_explanation(fanout, role_arn, exc)
        else:
            explanation = cloud.explain_denial(fanout.administration) or _role_explanation(fanout, role_arn, exc)
        return _target_failed(fanout, target, unable, explanation, cause=exc)
    try:
        runbook = _read_in_target(fanout, execution_role, target)
    except Exception as exc:  # unshared (InvalidDocument), or unreadable for the role
        explanation = _share_explanation(fanout, target, execution_role)
        return _target_failed(fanout, target, unable, explanation, cause=exc)
    given = dict(fanout.given)
    if ASSUME_PARAMETER in runbook.document.parameters:
        # the child acts as the execution role: SSM passes that role, not the administration role
        given[ASSUME_PARAMETER] = [role_arn]
    from .runner import run as run_child, start

    try:
        child = start(runbook.document, name=runbook.name, cloud=cloud, store=store, region=target.region,
                      given=given, caller=execution_role, parent=parent)
    except ExecutionRejected as exc:
        explanation = cloud.explain_denial(execution_role)
        return _target_failed(fanout, target, f"{exc.code}: {exc.message}", explanation)
    child.folder = fanout.runbook.folder
    status = run_child(child)
    data: dict[str, Any] = {"StepStatus": S.SUCCESS if status == S.SUCCESS else S.FAILED,
                            "Outputs": {"ExecutionId": [child.id], "Status": [status]},
                            "ChildExecutionId": child.id}
    if status != S.SUCCESS:
        from .history import automation_execution

        record = automation_execution(store, child.id) or {}
        data["FailureMessage"] = record.get("FailureMessage") or f"Child execution {child.id} ended {status}."
    store.append(parent.id, "StepFinished", target.step_name, data)
    return status


def _read_in_target(fanout: Fanout, credentials: Credentials, target: Target) -> Runbook:
    """SSM reads the runbook in the target account and Region: an AWS-owned one by name, a file
    as it is, and a custom one by its owner's ARN (readable only where it is shared)."""
    if fanout.runbook.folder is not None or not fanout.owner:
        return fanout.runbook
    cloud = fanout.parent.cloud
    name = fanout.runbook.name
    if target.account != fanout.owner:
        name = f"arn:{cloud.partition}:ssm:{target.region}:{fanout.owner}:document/{name}"
    return by_name(name, cloud, credentials, target.region)


def _target_failed(fanout: Fanout, target: Target, message: str, explanation: dict | None, *,
                   cause: Exception | None = None) -> str:
    data: dict[str, Any] = {"StepStatus": S.FAILED, "FailureMessage": message}
    if explanation:
        data["xacct:Explanation"] = explanation
    if cause is not None:
        data["xacct:Cause"] = " ".join(str(cause).split()) or type(cause).__name__
    fanout.parent.store.append(fanout.parent.id, "StepFinished", target.step_name, data)
    return S.FAILED


def _role_explanation(fanout: Fanout, role_arn: str, exc: Exception) -> dict:
    """When the gate recorded no decision: the role itself is missing in the target account."""
    text = " ".join(str(exc).split())
    account, name = role_arn.split(":")[4], role_arn.rsplit("/", 1)[-1]
    admin = fanout.administration.arn or "the administration role"
    return {"decision": "Deny", "layer": "trust", "principal": admin, "action": "sts:AssumeRole",
            "resource": role_arn, "message": text,
            "cause": f"the execution role {name} does not exist in {account} (or could not be read there)",
            "fix": (f"create {name} in {account} with a trust policy naming the administration role "
                    f"({_role_of(admin)}) and ssm.amazonaws.com (AWS's template: "
                    "AWS-SystemsManager-AutomationExecutionRole.json)")}


def _role_of(assumed: str) -> str:
    """arn:aws:iam::A:role/R of arn:aws:sts::A:assumed-role/R/session."""
    if ":assumed-role/" not in assumed:
        return assumed
    head, _, rest = assumed.partition(":assumed-role/")
    return head.replace(":sts:", ":iam:") + ":role/" + rest.split("/")[0]


def _share_explanation(fanout: Fanout, target: Target, execution_role: Credentials) -> dict:
    denial = fanout.parent.cloud.explain_denial(execution_role)
    if denial and denial.get("action") in ("ssm:GetDocument", "ssm:DescribeDocument"):
        return denial  # the execution role may not read documents at all
    name, owner, region = fanout.runbook.name, fanout.owner, target.region
    return {"decision": "Deny", "layer": "share", "principal": execution_role.arn,
            "action": "ssm:GetDocument",
            "resource": f"arn:{fanout.parent.cloud.partition}:ssm:{region}:{owner}:document/{name}",
            "cause": (f"the runbook {name} is owned by {owner} and not shared with {target.account} in {region}; "
                      "SSM reads it in the target location and reports the failure as the execution role's"),
            "fix": (f"aws ssm modify-document-permission --name {name} --permission-type Share "
                    f"--account-ids-to-add {target.account} --region {region}")}
