"""aws:executeAutomation: run another runbook as a child execution."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:executeAutomation",
    page="aws:executeAutomation – Run another automation",
    inputs=(
        Input("DocumentName", required=True),
        Input("DocumentVersion"),
        Input("RuntimeParameters", "StringMap"),
        Input("MaxConcurrency"),
        Input("MaxErrors"),
        Input("Tags", "MapList"),
        Input("TargetLocations", "MapList"),
        Input("TargetMaps", "MapList"),
        Input("TargetParameterName"),
        Input("Targets", "MapList"),
    ),
    # Output is a StringList even when the child has one output (the S2 pitfall).
    outputs={"Output": "StringList", "ExecutionId": "String", "Status": "String"},
    exclusive=(("Targets", "TargetMaps"),),
    phase="Execution complete: verified",
)


def run(call):
    """The child runs through the same code as `xacct run`: a plain child, a rate-controlled run
    (Targets or TargetMaps), or a run across TargetLocations; the step waits for it and its
    timeout or cancel stops it too."""
    from ..engine.documents import by_name

    inputs = call.inputs
    parent = call.execution
    runbook = by_name(str(inputs["DocumentName"]), parent.cloud, parent.credentials, parent.region,
                      inputs.get("DocumentVersion"))
    given = inputs.get("RuntimeParameters") or {}
    control = _control(inputs)
    if inputs.get("TargetLocations"):
        child, status = _across(call, runbook, given, control)
    elif control.active or control.target_parameter_name:
        child, status = _rated(call, runbook, given, control)
    else:
        child, status = _single(call, runbook, given)
    return _result(child, status)


def _control(inputs):
    from ..engine.targets import RateControl

    def text(key):
        return None if inputs.get(key) in (None, "") else str(inputs[key])

    return RateControl(text("TargetParameterName"), inputs.get("Targets") or None, inputs.get("TargetMaps") or None,
                       text("MaxConcurrency"), text("MaxErrors"))


def _single(call, runbook, given):
    from ..engine.runner import run as run_execution
    from ..engine.runner import start

    parent = call.execution
    child = start(runbook.document, name=runbook.name, cloud=parent.cloud, store=parent.store,
                  region=parent.region, given=given, caller=parent.credentials, parent=parent)
    child.cancel = call.interrupt  # the parent step's timeout or cancel stops the child too
    return child, run_execution(child)


def _rated(call, runbook, given, control):
    from ..engine.targets import run_rate_control, start_rate_control

    parent = call.execution
    rated = start_rate_control(runbook, control, cloud=parent.cloud, store=parent.store, region=parent.region,
                               given=given, caller=parent.credentials, parent=parent)
    rated.parent.cancel = call.interrupt
    return rated.parent, run_rate_control(rated)


def _across(call, runbook, given, control):
    from ..engine.locations import TargetLocation, run_fanout, start_fanout

    parent = call.execution
    entries = call.inputs["TargetLocations"]
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        from ..engine.errors import StepFailed

        raise StepFailed("TargetLocations must be a list of target locations (Accounts, Regions, ...).",
                         retriable=False)
    locations = [TargetLocation.from_ssm(entry) for entry in entries]
    fanout = start_fanout(runbook, locations, cloud=parent.cloud, store=parent.store, region=parent.region,
                          given=given, caller=parent.credentials, control=control, parent=parent,
                          owned_by_aws=parent.cloud.owned_document(runbook.name) is not None)
    fanout.parent.cancel = call.interrupt
    return fanout.parent, run_fanout(fanout)


def _result(child, status):
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    values = [v for out in child.document.outputs for v in _values(child, out[0])]
    outputs = {"Output": values, "ExecutionId": child.id, "Status": status}
    details = {"ChildExecutionId": child.id}
    if status != "Success":
        shown = ", ".join(values) if values else "No output available yet because the step is not successfully executed"
        raise StepFailed(f"Failed to run automation with executionId: {child.id} {status} :\n"
                         f"{{Status=[{status}], Output=[{shown}], ExecutionId=[{child.id}]}}", details=details)
    return StepResult(response=outputs, outputs=outputs, details=details)


def _values(child, text):
    from ..engine.outputs import as_ssm_values

    step, _, attribute = text.partition(".")
    if attribute in child.outputs.get(step, {}):
        return as_ssm_values(child.outputs[step][attribute])
    return []
