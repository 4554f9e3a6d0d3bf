"""aws:updateVariable: set a runbook variable to a new value of its declared type."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:updateVariable",
    page="aws:updateVariable – Updates a value for a runbook variable",
    inputs=(Input("Name", required=True), Input("Value", "Any", required=True)),
    allows_on_cancel=False,
)


def run(call):
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    name = str(call.inputs["Name"])
    if not name.startswith("variable:"):
        raise StepFailed(f"Name {name!r} must be written variable:NAME.", retriable=False)
    variable = name[len("variable:"):]
    if variable not in call.execution.document.variables:
        raise StepFailed(f"The runbook declares no variable {variable!r}.", retriable=False)
    call.execution.variables[variable] = call.inputs["Value"]
    return StepResult()
