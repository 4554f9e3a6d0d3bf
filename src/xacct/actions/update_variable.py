"""aws:updateVariable: set a runbook variable to a new value of its declared type."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:updateVariable",
    page="aws:updateVariable – Updates a value for a runbook variable",
    inputs=(Input("Name", required=True), Input("Value", "Any", required=True)),
    allows_on_cancel=False,
)
