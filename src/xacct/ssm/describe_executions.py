"""DescribeAutomationExecutions: the executions of the caller's account and Region, newest first,
filtered as the API's AutomationExecutionFilter keys say (values of one key: any may match; all
keys must)."""

from __future__ import annotations

from ..engine import status as S
from .context import Context
from .errors import SsmError
from .times import moment
from .paging import page
from .shapes import answer, check_request

OPERATION = "DescribeAutomationExecutions"
SCAN_LIMIT = 100_000
METADATA_KEYS = ("AutomationExecutionId", "DocumentName", "DocumentVersion", "AutomationExecutionStatus",
                 "ExecutionStartTime", "ExecutionEndTime", "ExecutedBy", "Outputs", "Mode",
                 "ParentAutomationExecutionId", "CurrentStepName", "CurrentAction", "FailureMessage",
                 "TargetParameterName", "Targets", "TargetMaps", "ResolvedTargets", "MaxConcurrency", "MaxErrors",
                 "Target")


def handle(params: dict, ctx: Context) -> dict:
    params = check_request(OPERATION, params)
    wanted = [_predicate(f["Key"], f["Values"]) for f in params.get("Filters") or []]
    found = []
    for row in ctx.store.executions(limit=SCAN_LIMIT):
        if not ctx.sees(row):
            continue
        entry = metadata(row, ctx)
        if all(test(entry) for test in wanted):
            found.append(entry)
    chunk, token = page(found, params)
    return answer(OPERATION, {"AutomationExecutionMetadataList": chunk, **({"NextToken": token} if token else {})})


def metadata(row, ctx: Context) -> dict:
    from ..engine.history import automation_execution

    full = automation_execution(ctx.store, row["execution_id"])
    entry = {key: full[key] for key in METADATA_KEYS if key in full}
    entry["AutomationType"] = "CrossAccount" if full.get("TargetLocations") else "Local"
    entry["xacct:Tags"] = next((e["data"]["Tags"] for e in reversed(ctx.store.events(row["execution_id"]))
                                if e["type"] == "Tags"), [])
    return entry


def _predicate(key: str, values: list[str]):
    if not values:
        raise SsmError("InvalidFilterValue", f"The filter {key} needs at least one value.")
    if key == "DocumentNamePrefix":
        return lambda e: any(e["DocumentName"].startswith(v) for v in values)
    if key == "ExecutionStatus":
        unknown = [v for v in values if v not in _statuses()]
        if unknown:
            raise SsmError("InvalidFilterValue", f"{unknown[0]} is not an AutomationExecutionStatus.")
        return lambda e: e["AutomationExecutionStatus"] in values
    if key == "ExecutionId":
        return lambda e: e["AutomationExecutionId"] in values
    if key == "ParentExecutionId":
        return lambda e: e.get("ParentAutomationExecutionId") in values
    if key == "CurrentAction":
        return lambda e: e.get("CurrentAction") in values
    if key in ("StartTimeBefore", "StartTimeAfter"):
        moments = [moment(v, key) for v in values]
        if key == "StartTimeBefore":
            return lambda e: any(moment(e["ExecutionStartTime"], key) < m for m in moments)
        return lambda e: any(moment(e["ExecutionStartTime"], key) > m for m in moments)
    if key == "AutomationType":
        return lambda e: e["AutomationType"] in values
    if key == "TagKey":
        return lambda e: any(tag.get("Key") in values for tag in e["xacct:Tags"])
    if key == "TargetResourceGroup":
        return lambda e: any(t.get("Key") == "ResourceGroup" and set(t.get("Values", [])) & set(values)
                             for t in e.get("Targets", []))
    # AutomationSubtype (change requests) and OpsItemId: no execution of xacct's has them
    return lambda e: False


def _statuses() -> frozenset[str]:
    from .shapes import operation_model

    shape = operation_model("GetAutomationExecution").output_shape.members["AutomationExecution"]
    return frozenset(shape.members["AutomationExecutionStatus"].enum) | frozenset(S.STEP_STATUSES)
