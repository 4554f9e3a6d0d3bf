"""Resource targets and rate control ("Mapping targets for an automation" and "Run automations at
scale", AWS Systems Manager User Guide): StartAutomationExecution with Targets (tag:KEY, tag-key,
ResourceGroup or ParameterValues) or TargetMaps makes a parent execution whose steps are one
aws:executeAutomation per target, each named by the target's value (the guide's
get-automation-execution example lists a step "i-02573cafcfEXAMPLE" with Inputs {"InstanceId":
"i-02573cafcfEXAMPLE"}), each starting a child execution with TargetParameterName set to that
value; MaxConcurrency and MaxErrors pace them (rate_control.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from ..cloud import Cloud
from ..credentials import Credentials
from ..document.model import Document
from ..store import Store
from . import status as S
from .documents import Runbook
from .errors import ExecutionRejected
from .execution import Execution, Options
from .outputs import as_ssm_values
from .parameters import INVALID
from .rate_control import CONCURRENCY_PATTERN, ERRORS_PATTERN, check_rate, parse_rate, run_rated

ASSUME_PARAMETER = "AutomationAssumeRole"
NOT_STARTED = "Not started: the maximum number of errors ({limit}) was exceeded before this target's turn."
DEFAULT_CONCURRENCY = "10"  # "The default value is 10." (StartAutomationExecution, MaxConcurrency)
KEYS = ("ParameterValues", "ResourceGroup", "tag:<key>", "tag-key")

# Texts AWS is known to return (InvalidAutomationExecutionParametersException, seen in aws-cli
# issue 8628 and boto3 issue 1472; the second listed only the two keys of 2018, xacct lists every
# key the Target reference gives for Automation today).
ONE_TARGET = "Only one resource group or tag can be specified at a time"
BAD_KEY = "Target key can have only following values : " + ", ".join(KEYS)
# The API reference says what is required but not what SSM answers; these texts are xacct's.
BOTH = "Both Targets and TargetMaps can't be specified together."
NEEDS_NAME = "TargetParameterName is required when Targets are specified."
NEEDS_TARGETS = "Targets or TargetMaps are required when TargetParameterName is specified."
NOT_A_PARAMETER = "TargetParameterName {name} is not a parameter of the runbook {document}."
NOTHING_RESOLVED = "No target resources were found for {targets}."


@dataclass
class RateControl:
    """The rate-control members of StartAutomationExecution (or of aws:executeAutomation)."""

    target_parameter_name: str | None = None
    targets: list[dict] | None = None
    target_maps: list[dict] | None = None
    max_concurrency: str | None = None
    max_errors: str | None = None

    @property
    def active(self) -> bool:
        return bool(self.targets) or bool(self.target_maps)

    def as_ssm(self) -> dict:
        """As GetAutomationExecution shows them: what the user gave."""
        shown: dict[str, Any] = {}
        for key, value in (("TargetParameterName", self.target_parameter_name), ("Targets", self.targets),
                           ("TargetMaps", self.target_maps), ("MaxConcurrency", self.max_concurrency),
                           ("MaxErrors", self.max_errors)):
            if value not in (None, "", []):
                shown[key] = value
        return shown


@dataclass
class ResourceTarget:
    """One child to start: its step name, the value shown for it, and the parameters it adds."""

    step_name: str
    value: str
    parameters: dict[str, list[str]]


def _reject(message: str) -> ExecutionRejected:
    return ExecutionRejected(INVALID, message)


def check_request(document: Document, name: str, given: dict[str, Any], control: RateControl,
                  *, prefix: str = "") -> None:
    """Refuse bad combinations before anything is recorded, as StartAutomationExecution does."""
    check_rate(control.max_concurrency, f"{prefix}maxConcurrency", CONCURRENCY_PATTERN)
    check_rate(control.max_errors, f"{prefix}maxErrors", ERRORS_PATTERN)
    if control.targets and control.target_maps:
        raise _reject(BOTH)
    if control.targets:
        if len(control.targets) > 1:
            raise _reject(ONE_TARGET)
        key = str(control.targets[0].get("Key", ""))
        if key not in ("ParameterValues", "ResourceGroup", "tag-key") and not (key.startswith("tag:") and key[4:]):
            raise _reject(BAD_KEY)
        if not control.target_parameter_name:
            raise _reject(NEEDS_NAME)
    elif control.target_parameter_name and not control.target_maps:
        raise _reject(NEEDS_TARGETS)
    parameters = document.parameters
    # "Target parameter names are case sensitive ... If you don't, the system returns an
    # InvalidAutomationExecutionParametersException error." ("Mapping targets for an automation")
    if control.target_parameter_name and control.target_parameter_name not in parameters:
        raise _reject(NOT_A_PARAMETER.format(name=control.target_parameter_name, document=name))
    mapped = [set(m) for m in control.target_maps or []]
    unknown = [n for n in [*given, *(k for m in mapped for k in m)] if n not in parameters]
    if unknown:
        raise _reject(f"Undefined execution inputs: [{', '.join(dict.fromkeys(unknown))}]")
    filled = set(given) | ({control.target_parameter_name} if control.targets else set())
    for name_, parameter in parameters.items():
        if parameter.has_default or name_ in filled:
            continue
        if mapped and all(name_ in m for m in mapped):
            continue
        raise _reject(f"Missing required parameter: {name_} in user inputs.")


class TargetsUnresolved(Exception):
    def __init__(self, message: str, explanation: dict | None = None):
        super().__init__(message)
        self.message, self.explanation = message, explanation


def resource_id(arn: str) -> str:
    """The value a resource gives its target parameter: its ID (i-0abc... of an instance's ARN,
    the name of a bucket)."""
    resource = arn.split(":", 5)[5] if arn.count(":") >= 5 else arn
    return resource.rsplit("/", 1)[-1] if "/" in resource else resource.rsplit(":", 1)[-1]


def resolve(control: RateControl, cloud: Cloud, credentials: Credentials, region: str) -> list[ResourceTarget]:
    """The targets, in the order the APIs list them; tag and resource-group targets are resolved
    with `credentials` (tag:GetResources, resource-groups:ListGroupResources)."""
    if control.target_maps:
        return _from_maps(control)
    target = control.targets[0]
    key, values = str(target["Key"]), [str(v) for v in target.get("Values") or []]
    name = control.target_parameter_name or ""
    try:
        if key == "ParameterValues":
            found = values
        elif key == "ResourceGroup":
            found = [resource_id(arn) for group in values for arn in _group_arns(cloud, credentials, region, group)]
        elif key == "tag-key":
            found = [resource_id(arn) for tag in values for arn in _tagged(cloud, credentials, region, tag, None)]
        else:
            found = [resource_id(arn) for arn in _tagged(cloud, credentials, region, key[4:], values)]
    except Exception as exc:
        from botocore.exceptions import BotoCoreError, ClientError

        if not isinstance(exc, (BotoCoreError, ClientError)):
            raise
        raise TargetsUnresolved(" ".join(str(exc).split()), cloud.explain_denial(credentials)) from None
    found = list(dict.fromkeys(found))
    if not found:
        # the documentation does not say what SSM does when targets resolve to nothing; xacct fails
        # the parent rather than report a success that did nothing
        raise TargetsUnresolved(NOTHING_RESOLVED.format(targets=f"Key={key},Values={','.join(values)}"))
    return [ResourceTarget(value, value, {name: [value]}) for value in found]


def _from_maps(control: RateControl) -> list[ResourceTarget]:
    """One child per map. The guide shows step names only for Targets; xacct names a map's step by
    its TargetParameterName value when it has one, else TargetMap-N, made unique with #N."""
    targets, seen = [], {}
    for i, entry in enumerate(control.target_maps or [], start=1):
        parameters = {k: [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in entry.items()}
        values = parameters.get(control.target_parameter_name or "", [])
        value = ",".join(values) if values else f"TargetMap-{i}"
        seen[value] = seen.get(value, 0) + 1
        step = value if seen[value] == 1 else f"{value}#{seen[value]}"
        targets.append(ResourceTarget(step, value, parameters))
    return targets


def _tagged(cloud: Cloud, credentials: Credentials, region: str, key: str, values: list[str] | None) -> list[str]:
    client = cloud.client("resourcegroupstaggingapi", region, credentials)
    tag_filter: dict[str, Any] = {"Key": key}
    if values:
        tag_filter["Values"] = values
    arns, token = [], ""
    while True:
        page = client.get_resources(TagFilters=[tag_filter], PaginationToken=token)
        arns += [r["ResourceARN"] for r in page.get("ResourceTagMappingList", [])]
        token = page.get("PaginationToken") or ""
        if not token:
            return arns


def _group_arns(cloud: Cloud, credentials: Credentials, region: str, group: str) -> list[str]:
    client = cloud.client("resource-groups", region, credentials)
    arns, args = [], {"Group": group}
    while True:
        page = client.list_group_resources(**args)
        arns += [r["ResourceArn"] for r in page.get("ResourceIdentifiers", [])]
        if not page.get("NextToken"):
            return arns
        args["NextToken"] = page["NextToken"]


@dataclass
class RateRun:
    """A rate-controlled parent and what it needs to start its children."""

    parent: Execution
    runbook: Runbook
    control: RateControl
    given: dict[str, Any]
    resolver: Credentials  # who resolves tag and resource-group targets
    targets: list[ResourceTarget] = field(default_factory=list)


def start_rate_control(runbook: Runbook, control: RateControl, *, cloud: Cloud, store: Store, region: str,
                       given: dict[str, Any] | None = None, caller: Credentials | None = None,
                       options: Options | None = None, parent: Execution | None = None) -> RateRun:
    """Check the request and record the parent; raises ExecutionRejected before anything runs.
    Targets are resolved as the automation's assume role when AutomationAssumeRole is given (AWS's
    execution role template grants tag:GetResources and resource-groups:ListGroupResources for
    this), else as the caller."""
    caller = cloud.identity(caller or cloud.caller_credentials(), region)
    given = dict(given or {})
    check_request(runbook.document, runbook.name, given, control)
    execution = Execution(document=runbook.document, name=runbook.name, cloud=cloud, store=store, region=region,
                          credentials=caller, caller=caller, parameters={},
                          options=options or (parent.options if parent else Options()), parent=parent)
    execution.folder = runbook.folder
    store.create_execution(
        execution.id, document_name=runbook.name, parent_id=parent.id if parent else None,
        account=caller.account, region=region,
        data={"DocumentName": runbook.name, "Parameters": {k: as_ssm_values(v) for k, v in given.items()},
              "ExecutedBy": caller.arn, "Region": region, "Mode": "Auto",
              "ParentAutomationExecutionId": parent.id if parent else None, **control.as_ssm(), "Steps": []})
    if parent:
        parent.children.append(execution)
        store.append(parent.id, "ChildStarted", None, {"ChildExecutionId": execution.id, "DocumentName": runbook.name})
    resolver = caller
    role = _first(given.get(ASSUME_PARAMETER))
    if role and ASSUME_PARAMETER in runbook.document.parameters:
        from .runner import ASSUME_ROLE_FAILED

        source = f"arn:{cloud.partition}:ssm:{region}:{caller.account}:automation-execution/{execution.id}"
        try:
            resolver = cloud.assume_role_as_service("ssm.amazonaws.com", role, execution.id, caller, region, source)
        except Exception as exc:
            store.append(execution.id, "ExecutionFinished", data={
                "AutomationExecutionStatus": S.FAILED, "FailureMessage": ASSUME_ROLE_FAILED,
                "Cause": " ".join(str(exc).split())}, status=S.FAILED, ended=True)
            raise ExecutionRejected(INVALID, ASSUME_ROLE_FAILED, execution.id) from None
    return RateRun(execution, runbook, control, given, resolver)


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        return value[0] if value else None
    return value


def run_rate_control(run: RateRun) -> str:
    """Resolve the targets, then run one child per target under MaxConcurrency and MaxErrors.
    Returns the parent's status: Success when every child succeeded."""
    parent, store = run.parent, run.parent.store
    store.append(parent.id, "ExecutionStatus", data={"AutomationExecutionStatus": S.IN_PROGRESS},
                 status=S.IN_PROGRESS)
    try:
        run.targets = resolve(run.control, parent.cloud, run.resolver, parent.region)
    except TargetsUnresolved as exc:
        return _finish(run, S.FAILED, exc.message, explanation=exc.explanation)
    values = [t.value for t in run.targets]
    store.append(parent.id, "TargetsResolved", data={
        "ResolvedTargets": {"ParameterValues": values, "Truncated": False},
        "Steps": [{"StepName": t.step_name, "Action": "aws:executeAutomation"} for t in run.targets]})
    total = len(run.targets)
    concurrency = parse_rate(run.control.max_concurrency, total, default=DEFAULT_CONCURRENCY, minimum=1)
    # MaxErrors has no documented default for Automation; none given, every target runs (what "100%"
    # would do)
    error_limit = parse_rate(run.control.max_errors, total, default="", minimum=0)
    ran = run_rated(run.targets, lambda target: _run_child(run, target), concurrency=concurrency,
                    error_limit=error_limit, cancelled=parent.cancelled, name="xacct-resource")
    for target in ran.not_started:
        store.append(parent.id, "StepFinished", target.step_name, {
            "StepStatus": S.CANCELLED,
            **({} if parent.cancelled() else {"FailureMessage": NOT_STARTED.format(limit=error_limit)})})
    if parent.cancelled():
        return _finish(run, S.CANCELLED, None)
    if ran.failed or ran.not_started:
        message = f"{ran.failed} of {total} targets failed" + (
            f"; {len(ran.not_started)} were not started" if ran.not_started else "") + "."
        return _finish(run, S.FAILED, message)
    return _finish(run, S.SUCCESS, None)


def _finish(run: RateRun, final: str, failure: str | None, explanation: dict | None = None) -> str:
    data: dict[str, Any] = {"AutomationExecutionStatus": final, "Outputs": {}, "FailureMessage": failure}
    if explanation:
        data["xacct:Explanation"] = explanation
    run.parent.store.append(run.parent.id, "ExecutionFinished", data=data, status=final, ended=True)
    return final


def _inputs(parameters: dict[str, list[str]]) -> dict[str, str]:
    """The step's Inputs as the guide's example shows them: the target parameter's value as it is."""
    return {k: v[0] if len(v) == 1 else json.dumps(v) for k, v in sorted(parameters.items())}


def _run_child(run: RateRun, target: ResourceTarget) -> str:
    parent, store = run.parent, run.parent.store
    store.append(parent.id, "StepStarted", target.step_name, {"Inputs": _inputs(target.parameters),
                                                               "Action": "aws:executeAutomation"})
    from .runner import run as run_child, start

    try:
        child = start(run.runbook.document, name=run.runbook.name, cloud=parent.cloud, store=store,
                      region=parent.region, given={**run.given, **target.parameters}, caller=parent.caller,
                      parent=parent, record={"Target": target.value})
    except ExecutionRejected as exc:
        return _step_failed(run, target, f"{exc.code}: {exc.message}")
    except Exception as exc:  # one target's trouble never loses the others' results
        return _step_failed(run, target, " ".join(str(exc).split()) or type(exc).__name__)
    child.folder = run.runbook.folder
    try:
        status = run_child(child)
    except Exception as exc:
        return _step_failed(run, target, " ".join(str(exc).split()) or type(exc).__name__, child.id)
    data: dict[str, Any] = {"StepStatus": status if status in (S.SUCCESS, S.CANCELLED, S.TIMED_OUT) else S.FAILED,
                            "Outputs": {}, "ChildExecutionId": child.id}
    if status != S.SUCCESS:
        from .history import automation_execution

        record = automation_execution(store, child.id) or {}
        data["FailureMessage"] = record.get("FailureMessage") or f"Child execution {child.id} ended {status}."
    store.append(parent.id, "StepFinished", target.step_name, data)
    return status


def _step_failed(run: RateRun, target: ResourceTarget, message: str, child_id: str | None = None) -> str:
    data: dict[str, Any] = {"StepStatus": S.FAILED, "FailureMessage": message}
    if child_id:
        data["ChildExecutionId"] = child_id
    explanation = run.parent.cloud.explain_denial(run.parent.caller)
    if explanation and "AccessDenied" in message:
        data["xacct:Explanation"] = explanation
    run.parent.store.append(run.parent.id, "StepFinished", target.step_name, data)
    return S.FAILED
