"""StartAutomationExecution: find the runbook as SSM does (a file given to `xacct run`, an
AWS-owned runbook, or a document of the account or shared with it, at the version asked for),
record the execution, and hand its work to the context's launcher. One execution, a run on
resource targets (Targets, TargetMaps, TargetParameterName, rate control) or a run across target
locations, as the request says; Mode Interactive runs one execution step by step, as signals ask
(engine.interactive)."""

from __future__ import annotations

import json

from .context import Context, Started
from .errors import SsmError, validation
from .shapes import check_request

OPERATION = "StartAutomationExecution"
MODES = ("Auto", "Interactive")
# What makes a run on many targets or locations. The console's Execution Mode is one of Simple,
# Rate Control, Multi-account and Region, or Manual (step by step): "You must use this mode or
# Multi-account and Region if you want to use targets and rate controls" (User Guide).
NOT_INTERACTIVE = ("TargetParameterName", "Targets", "TargetMaps", "MaxConcurrency", "MaxErrors", "TargetLocations",
                   "TargetLocationsURL")


def handle(params: dict, ctx: Context) -> dict:
    params = check_request(OPERATION, params)
    token = params.get("ClientToken")
    if token:
        # "ClientToken: User-provided idempotency token", the same request again is the same execution
        key = (ctx.account, token)
        earlier = ctx.started.get(key)
        if earlier is not None:
            same, execution_id = earlier
            if same != _fingerprint(params):
                raise SsmError("IdempotentParameterMismatch",
                               "The ClientToken was used before with other parameters.")
            return {"AutomationExecutionId": execution_id}
    started = start(params, ctx)
    if token:
        ctx.started[(ctx.account, token)] = (_fingerprint(params), started.execution_id)
    if started.run is not None:
        ctx.launch(started)
    return {"AutomationExecutionId": started.execution_id}


def _fingerprint(params: dict) -> str:
    return json.dumps({k: v for k, v in params.items() if k != "ClientToken"}, sort_keys=True, default=str)


def start(params: dict, ctx: Context) -> Started:
    """Record the execution; its `run` is None when it already ended (an assume role that could
    not be assumed ends it Failed at once, and SSM still answers with its ID)."""
    from ..engine.errors import ExecutionRejected

    if ctx.cloud is None:
        raise SsmError("InternalServerError", "No sandbox to run executions in.", status=500)
    _check_mode(params)
    if params.get("TargetLocationsURL"):
        raise SsmError("InvalidAutomationExecutionParametersException",
                       "TargetLocationsURL is not supported by xacct's engine; give TargetLocations.")
    try:
        runbook = _runbook(params, ctx)
        started = _start(runbook, params, ctx)
    except ExecutionRejected as rejected:
        if rejected.execution_id:
            return Started(rejected.execution_id, None, None)
        raise SsmError(_code(rejected.code), rejected.message) from None
    if params.get("Tags"):
        ctx.store.append(started.execution_id, "Tags", data={"Tags": params["Tags"]})
    return started


def _check_mode(params: dict) -> None:
    mode = params.get("Mode", "Auto")
    if mode not in MODES:  # botocore's validator leaves enums to the service
        raise validation(f"1 validation error detected: Value '{mode}' at 'mode' failed to satisfy constraint: "
                         f"Member must satisfy enum value set: [{', '.join(MODES)}]")
    given = [key for key in NOT_INTERACTIVE if params.get(key) not in (None, "", [])]
    if mode == "Interactive" and given:
        raise SsmError("InvalidAutomationExecutionParametersException",
                       f"Mode Interactive runs one execution step by step; it takes no {', '.join(given)}.")


def _code(code: str) -> str:
    """xacct's own refusals (a file that holds no runbook) as the code SSM answers for a
    runbook it cannot use."""
    return "InvalidAutomationExecutionParametersException" if code in ("InvalidDocument", "InvalidDocumentType") \
        else code


def _runbook(params: dict, ctx: Context):
    from ..engine.documents import by_name

    name = params["DocumentName"]
    if name in ctx.runbooks:
        return ctx.runbooks[name]
    return by_name(name, ctx.cloud, ctx.caller, ctx.region, params.get("DocumentVersion"))


def _start(runbook, params: dict, ctx: Context) -> Started:
    from ..engine.interactive import run_interactive, start_interactive
    from ..engine.locations import TargetLocation, run_fanout, start_fanout
    from ..engine.runner import run, start
    from ..engine.targets import RateControl, run_rate_control, start_rate_control

    given = params.get("Parameters") or {}
    common = dict(cloud=ctx.cloud, store=ctx.store, region=ctx.region, given=given, caller=ctx.caller,
                  options=ctx.options)
    control = RateControl(params.get("TargetParameterName"), params.get("Targets") or None,
                          params.get("TargetMaps") or None, params.get("MaxConcurrency"), params.get("MaxErrors"))
    if params.get("TargetLocations"):
        locations = [TargetLocation.from_ssm(entry) for entry in params["TargetLocations"]]
        fanout = start_fanout(runbook, locations, control=control,
                              owned_by_aws=ctx.cloud.owned_document(runbook.name) is not None, **common)
        return Started(fanout.parent.id, fanout.parent, lambda: run_fanout(fanout), runbook, fanout)
    if control.active or control.target_parameter_name:
        rated = start_rate_control(runbook, control, **common)
        return Started(rated.parent.id, rated.parent, lambda: run_rate_control(rated), runbook, rated)
    interactive = params.get("Mode") == "Interactive"
    execution = (start_interactive if interactive else start)(
        runbook.document, name=runbook.name, **{k: v for k, v in common.items() if k != "given"}, given=given)
    execution.folder = runbook.folder
    work = run_interactive if interactive else run
    return Started(execution.id, execution, lambda: work(execution), runbook)
