"""aws:branch: choose the next step from conditions on parameters and outputs."""

from .spec import ActionSpec, Input

# Operators of a choice, by the type of operand they compare ("Using conditional statements in
# runbooks"). And/Or take a list of conditions, Not a single one.
STRING_OPERATORS = ("StringEquals", "EqualsIgnoreCase", "StartsWith", "EndsWith", "Contains")
NUMERIC_OPERATORS = (
    "NumericEquals",
    "NumericGreater",
    "NumericLesser",
    "NumericGreaterOrEquals",
    "NumericLesserOrEquals",
)
BOOLEAN_OPERATORS = ("BooleanEquals",)
COMPARISONS = STRING_OPERATORS + NUMERIC_OPERATORS + BOOLEAN_OPERATORS
LOGICAL_OPERATORS = ("And", "Or", "Not")

SPEC = ActionSpec(
    name="aws:branch",
    page="aws:branch – Run conditional automation steps",
    inputs=(Input("Choices", "MapList", required=True), Input("Default")),
)


def run(call):
    import json

    from ..engine.call import StepResult
    from ..engine.conditions import holds

    chosen = call.inputs.get("Default")
    for choice in call.inputs.get("Choices") or []:
        if holds(choice):
            chosen = choice["NextStep"]
            break
    if chosen is None:
        return StepResult()
    outputs = {"NextStep": chosen, "OutputPayload": json.dumps({"NextStep": chosen}, separators=(",", ":"))}
    return StepResult(next_step=chosen, outputs=outputs)
