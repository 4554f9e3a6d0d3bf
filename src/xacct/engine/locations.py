"""Runs across accounts and Regions ("Running automations in multiple AWS Regions and accounts",
AWS Systems Manager User Guide): a parent execution in the starting account, and for each target
location (account x Region) the administration role assumes the execution role there, SSM reads
the runbook there (a custom runbook must be shared with that account in that Region), and a child
execution runs there as the execution role. Every target's outcome is recorded in the parent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..cloud import Cloud
from ..credentials import Credentials
from ..store import Store
from . import status as S
from .documents import Runbook, by_name
from .errors import ExecutionRejected
from .execution import Execution, Options
from .org_units import ACCOUNT, EXCLUDE_PATTERN, OU, expand, has_units
from .outputs import as_ssm_values
from .rate_control import (CONCURRENCY_PATTERN, ERRORS_PATTERN, check_rate,  # noqa: F401 (re-exported)
                           parse_rate, run_rated)
from .targets import NOT_STARTED, RateControl, check_request, run_rate_control, start_rate_control

ADMINISTRATION_ROLE = "AWS-SystemsManager-AutomationAdministrationRole"
EXECUTION_ROLE = "AWS-SystemsManager-AutomationExecutionRole"
UNABLE_TO_ASSUME = "The execution role {arn} in the target location is unable to be assumed."
ASSUME_PARAMETER = "AutomationAssumeRole"


@dataclass
class TargetLocation:
    """One entry of TargetLocations, as StartAutomationExecution takes it."""

    accounts: list[str]
    regions: list[str]
    execution_role_name: str = EXECUTION_ROLE
    max_concurrency: str | None = None
    max_errors: str | None = None
    include_child_ous: bool = False  # IncludeChildOrganizationUnits
    exclude_accounts: list[str] = field(default_factory=list)  # ExcludeAccounts: accounts or OUs
    targets: list[dict] | None = None  # Targets: resources in each account x Region
    targets_max_concurrency: str | None = None
    targets_max_errors: str | None = None

    def as_ssm(self) -> dict:
        entry: dict[str, Any] = {"Accounts": self.accounts, "Regions": self.regions,
                                 "ExecutionRoleName": self.execution_role_name}
        for key, value in (("TargetLocationMaxConcurrency", self.max_concurrency),
                           ("TargetLocationMaxErrors", self.max_errors),
                           ("IncludeChildOrganizationUnits", self.include_child_ous or None),
                           ("ExcludeAccounts", self.exclude_accounts or None), ("Targets", self.targets),
                           ("TargetsMaxConcurrency", self.targets_max_concurrency),
                           ("TargetsMaxErrors", self.targets_max_errors)):
            if value is not None:
                entry[key] = value if isinstance(value, (bool, list)) else str(value)
        return entry

    @classmethod
    def from_ssm(cls, entry: dict) -> "TargetLocation":
        """An entry as the API (or aws:executeAutomation's TargetLocations input) spells it."""
        def text(key):
            return None if entry.get(key) in (None, "") else str(entry[key])

        include = entry.get("IncludeChildOrganizationUnits", False)
        return cls([str(a) for a in entry.get("Accounts") or []], [str(r) for r in entry.get("Regions") or []],
                   str(entry.get("ExecutionRoleName") or EXECUTION_ROLE), text("TargetLocationMaxConcurrency"),
                   text("TargetLocationMaxErrors"), include is True or str(include).lower() == "true",
                   [str(a) for a in entry.get("ExcludeAccounts") or []], entry.get("Targets") or None,
                   text("TargetsMaxConcurrency"), text("TargetsMaxErrors"))

    def control(self, overall: RateControl) -> RateControl:
        """The rate control of the runs inside this location: its own Targets, TargetsMaxConcurrency
        and TargetsMaxErrors take precedence over StartAutomationExecution's (API_TargetLocation)."""
        return RateControl(overall.target_parameter_name, self.targets or overall.targets,
                           None if self.targets else overall.target_maps,
                           self.targets_max_concurrency or overall.max_concurrency,
                           self.targets_max_errors or overall.max_errors)


@dataclass
class Target:
    account: str
    region: str
    role_name: str
    location: TargetLocation | None = field(default=None, compare=False, repr=False)

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
    control: RateControl = field(default_factory=RateControl)  # Targets, TargetMaps, ... for every location


def start_fanout(runbook: Runbook, locations: list[TargetLocation], *, cloud: Cloud, store: Store, region: str,
                 given: dict[str, Any] | None = None, caller: Credentials | None = None,
                 options: Options | None = None, owned_by_aws: bool = False, control: RateControl | None = None,
                 parent: Execution | None = None) -> Fanout:
    """Record the parent execution and take the administration role: the runbook's assume role
    (AutomationAssumeRole), or AWS-SystemsManager-AutomationAdministrationRole of the caller's
    account when none is given. `control` holds StartAutomationExecution's Targets, TargetMaps,
    TargetParameterName, MaxConcurrency and MaxErrors; `parent` is the execution whose
    aws:executeAutomation step starts this one. Raises ExecutionRejected before anything runs."""
    caller = cloud.identity(caller or cloud.caller_credentials(), region)
    given = dict(given or {})
    control = control or RateControl()
    for location in locations:
        _check_location(location)
        inside = location.control(control)
        if inside.active or inside.target_parameter_name:
            check_request(runbook.document, runbook.name, given, inside)
    admin_role = _first(given.get(ASSUME_PARAMETER)) or (
        f"arn:{cloud.partition}:iam::{caller.account}:role/{ADMINISTRATION_ROLE}")
    # OUs are expanded once the run starts, with the administration role (run_fanout)
    targets = [target for location in locations if not has_units(location.accounts)
               for target in _targets(location, location.accounts)]
    parent_execution = Execution(document=runbook.document, name=runbook.name, cloud=cloud, store=store,
                                 region=region, credentials=caller, caller=caller, parameters={},
                                 options=options or (parent.options if parent else Options()), parent=parent)
    execution_id = parent_execution.id
    store.create_execution(
        execution_id, document_name=runbook.name, parent_id=parent.id if parent else None, account=caller.account,
        region=region,
        data={"DocumentName": runbook.name, "Parameters": {k: as_ssm_values(v) for k, v in given.items()},
              "ExecutedBy": caller.arn, "Region": region, "Mode": "Auto", "AssumeRole": admin_role,
              "ParentAutomationExecutionId": parent.id if parent else None, **control.as_ssm(),
              "TargetLocations": [location.as_ssm() for location in locations],
              "Steps": [_step_record(t) for t in targets]})
    if parent:
        parent.children.append(parent_execution)
        store.append(parent.id, "ChildStarted", None, {"ChildExecutionId": execution_id, "DocumentName": runbook.name})
    source = f"arn:{cloud.partition}:ssm:{region}:{caller.account}:automation-execution/{execution_id}"
    try:
        administration = cloud.assume_role_as_service("ssm.amazonaws.com", admin_role, execution_id, caller, region,
                                                      source)
    except Exception as exc:
        from .runner import ASSUME_ROLE_FAILED

        store.append(execution_id, "ExecutionFinished", data={
            "AutomationExecutionStatus": S.FAILED, "FailureMessage": ASSUME_ROLE_FAILED,
            "Cause": " ".join(str(exc).split())}, status=S.FAILED, ended=True)
        raise ExecutionRejected("InvalidAutomationExecutionParametersException", ASSUME_ROLE_FAILED,
                                execution_id) from None
    owner = "" if owned_by_aws else caller.account
    return Fanout(parent_execution, runbook, owner, locations, given, administration, targets, control)


def _check_location(location: TargetLocation) -> None:
    member = "targetLocations.member"
    check_rate(location.max_concurrency, f"{member}.targetLocationMaxConcurrency", CONCURRENCY_PATTERN)
    check_rate(location.max_errors, f"{member}.targetLocationMaxErrors", ERRORS_PATTERN)
    check_rate(location.targets_max_concurrency, f"{member}.targetsMaxConcurrency", CONCURRENCY_PATTERN)
    check_rate(location.targets_max_errors, f"{member}.targetsMaxErrors", ERRORS_PATTERN)
    for i, excluded in enumerate(location.exclude_accounts, start=1):
        if not re.fullmatch(EXCLUDE_PATTERN[1:-1], excluded):
            raise ExecutionRejected(
                "ValidationException", f"1 validation error detected: Value '{excluded}' at "
                f"'{member}.excludeAccounts.{i}.member' failed to satisfy constraint: Member must satisfy regular "
                f"expression pattern: {EXCLUDE_PATTERN}")
    if not location.accounts or not location.regions:
        raise ExecutionRejected("ValidationException", "A target location needs at least one account and one "
                                                       "Region.")
    bad = [a for a in location.accounts if not (ACCOUNT.fullmatch(a) or OU.fullmatch(a))]
    if bad:  # the API gives Accounts no pattern; xacct's text for what is neither an account nor an OU
        raise ExecutionRejected("ValidationException", f"{', '.join(bad)}: a target location's Accounts are account "
                                                       "IDs (12 digits) or organizational unit IDs (ou-...).")


def _targets(location: TargetLocation, accounts: list[str]) -> list[Target]:
    return [Target(account, target_region, location.execution_role_name, location)
            for account in accounts for target_region in location.regions]


def _step_record(target: Target) -> dict:
    return {"StepName": target.step_name, "Action": "aws:executeAutomation",
            "xacct:TargetLocation": {"Account": target.account, "Region": target.region,
                                     "ExecutionRoleName": target.role_name}}


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
    try:
        _expand_units(fanout)
    except Exception as exc:
        from botocore.exceptions import BotoCoreError, ClientError

        if not isinstance(exc, (BotoCoreError, ClientError)):
            raise
        data: dict[str, Any] = {"AutomationExecutionStatus": S.FAILED, "Outputs": {},
                                "FailureMessage": " ".join(str(exc).split())}
        explanation = parent.cloud.explain_denial(fanout.administration)
        if explanation:
            data["xacct:Explanation"] = explanation
        store.append(parent.id, "ExecutionFinished", data=data, status=S.FAILED, ended=True)
        return S.FAILED
    failed, pending = _run_locations(fanout)
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


def _run_locations(fanout: Fanout) -> tuple[int, list[Target]]:
    """Each TargetLocations entry with its own TargetLocationMaxConcurrency and
    TargetLocationMaxErrors (API_TargetLocation: "The maximum number of errors allowed before the
    system stops queueing additional Automation executions"), entries side by side, so that one
    entry's failures never stop another's targets and one's concurrency never widens another's.
    Returns (targets failed, targets never started), the latter recorded as not run."""
    parent, store = fanout.parent, fanout.parent.store
    groups = [(location, [t for t in fanout.targets if t.location is location]) for location in fanout.locations]
    groups = [(location, targets) for location, targets in groups if targets]

    def one(group) -> tuple[int, list[Target]]:
        location, targets = group
        # the defaults of TargetLocationMaxConcurrency (1) and TargetLocationMaxErrors (0), as
        # the API reference gives them (API_TargetLocation)
        concurrency = parse_rate(location.max_concurrency, len(targets), default="1", minimum=1)
        error_limit = parse_rate(location.max_errors, len(targets), default="0", minimum=0)
        ran = run_rated(targets, lambda target: _run_target_safely(fanout, target), concurrency=concurrency,
                        error_limit=error_limit, cancelled=parent.cancelled)
        for target in ran.not_started:  # never started: say so
            store.append(parent.id, "StepFinished", target.step_name, {
                "StepStatus": S.CANCELLED,
                **({} if parent.cancelled() else {"FailureMessage": NOT_STARTED.format(limit=error_limit)})})
        return ran.failed, ran.not_started

    if len(groups) <= 1:
        results = [one(group) for group in groups]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=len(groups), thread_name_prefix="location") as pool:
            results = list(pool.map(one, groups))
    return sum(f for f, _ in results), [t for _, pending in results for t in pending]


def _expand_units(fanout: Fanout) -> None:
    """The accounts of the locations given as OUs, listed as the administration role; their steps
    are recorded as they become known."""
    added: list[Target] = []
    for location in fanout.locations:
        if not has_units(location.accounts):
            continue
        accounts = expand(location.accounts, include_children=location.include_child_ous,
                          exclude=location.exclude_accounts, cloud=fanout.parent.cloud,
                          credentials=fanout.administration)
        added += _targets(location, accounts)
    if not added:
        return
    known = {t.step_name for t in fanout.targets}
    added = [t for t in added if t.step_name not in known and not known.add(t.step_name)]
    fanout.targets += added
    fanout.parent.store.append(fanout.parent.id, "TargetsResolved",
                               data={"Steps": [_step_record(t) for t in added]})


def _run_target_safely(fanout: Fanout, target: Target) -> str:
    """One target; whatever goes wrong there is that target's failure, recorded, never the run's."""
    try:
        return _run_target(fanout, target)
    except Exception as exc:
        return _target_failed(fanout, target, " ".join(str(exc).split()) or type(exc).__name__, None, cause=exc)


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

    control = target.location.control(fanout.control) if target.location else fanout.control
    try:
        if control.active:  # resources in this account x Region: a rate-controlled run there
            rated = start_rate_control(runbook, control, cloud=cloud, store=store, region=target.region,
                                       given=given, caller=execution_role, parent=parent)
            rated.runbook.folder = fanout.runbook.folder
            child, status = rated.parent, run_rate_control(rated)
        else:
            child = start(runbook.document, name=runbook.name, cloud=cloud, store=store, region=target.region,
                          given=given, caller=execution_role, parent=parent)
            child.folder = fanout.runbook.folder
            status = run_child(child)
    except ExecutionRejected as exc:
        explanation = cloud.explain_denial(execution_role)
        return _target_failed(fanout, target, f"{exc.code}: {exc.message}", explanation)
    data: dict[str, Any] = {"StepStatus": S.SUCCESS if status == S.SUCCESS else S.FAILED,
                            "Outputs": {"ExecutionId": [child.id], "Status": [status]},
                            "ChildExecutionId": child.id}
    if status != S.SUCCESS:
        from .history import automation_execution

        record = automation_execution(store, child.id) or {}
        data["FailureMessage"] = record.get("FailureMessage") or f"Child execution {child.id} ended {status}."
        explanation = _first_explanation(store, record)
        if explanation:
            data["xacct:Explanation"] = explanation
    store.append(parent.id, "StepFinished", target.step_name, data)
    return status


def _first_explanation(store: Store, record: dict, depth: int = 3) -> dict | None:
    """The explanation of the first failed step below a child execution (through the children of
    a run on resources), so that the target's line says why, not only that it failed."""
    from .history import automation_execution

    for step in record.get("StepExecutions", []):
        if step.get("StepStatus") not in (S.FAILED, S.TIMED_OUT):
            continue
        if step.get("xacct:Explanation"):
            return step["xacct:Explanation"]
        child = step.get("xacct:ChildExecutionId")
        if child and depth > 0:
            found = _first_explanation(store, automation_execution(store, child) or {}, depth - 1)
            if found:
                return found
    return None


def _read_in_target(fanout: Fanout, credentials: Credentials, target: Target) -> Runbook:
    """SSM reads the runbook in the target account and Region: an AWS-owned one by name, a file
    as it is, and a custom one by its owner's ARN (readable only where it is shared)."""
    if fanout.runbook.folder is not None or not fanout.owner:
        return fanout.runbook
    cloud = fanout.parent.cloud
    name = fanout.runbook.name
    if target.account != fanout.owner:
        name = f"arn:{cloud.partition}:ssm:{target.region}:{fanout.owner}:document/{name}"
    from botocore.exceptions import ClientError

    try:
        return by_name(name, cloud, credentials, target.region)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("AccessDenied", "AccessDeniedException"):
            raise
    # SSM reads the runbook as the service: AWS asks no ssm:GetDocument of the execution role
    # ("Setting up management account permissions for multi-Region and multi-account automation").
    # A cloud that can only read as a principal got AccessDenied, which says the runbook is there
    # and shared (an unshared one "does not exist"), so the starter, who owns it, reads it.
    return by_name(fanout.runbook.name, cloud, fanout.parent.caller, target.region)


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
            "resource": role_arn, "message": text, "finding": "D204",
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
    return {"decision": "Deny", "layer": "share", "principal": execution_role.arn, "finding": "D101",
            "action": "ssm:GetDocument",
            "resource": f"arn:{fanout.parent.cloud.partition}:ssm:{region}:{owner}:document/{name}",
            "cause": (f"the runbook {name} is owned by {owner} and not shared with {target.account} in {region}; "
                      "SSM reads it in the target location and reports the failure as the execution role's"),
            "fix": (f"aws ssm modify-document-permission --name {name} --permission-type Share "
                    f"--account-ids-to-add {target.account} --region {region}")}
