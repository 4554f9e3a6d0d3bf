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
    from ..engine.call import StepResult
    from ..engine.documents import by_name
    from ..engine.errors import StepFailed
    from ..engine.runner import run as run_execution
    from ..engine.runner import start

    inputs = call.inputs
    parent = call.execution
    for key in ("TargetLocations", "Targets", "TargetMaps"):
        if inputs.get(key):
            raise StepFailed(f"{key} of aws:executeAutomation needs xacct's multi-account runner, which this "
                             "version does not have yet.", retriable=False)
    runbook = by_name(str(inputs["DocumentName"]), parent.cloud, parent.credentials, parent.region,
                      inputs.get("DocumentVersion"))
    given = inputs.get("RuntimeParameters") or {}
    child = start(runbook.document, name=runbook.name, cloud=parent.cloud, store=parent.store,
                  region=parent.region, given=given, caller=parent.credentials, parent=parent)
    child.cancel = call.interrupt  # the parent step's timeout or cancel stops the child too
    status = run_execution(child)
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
