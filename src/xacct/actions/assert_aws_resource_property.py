"""aws:assertAwsResourceProperty: call an API once and fail unless a property has a desired value."""

from .spec import ActionSpec, Input

# Shared with aws:waitForAwsResourceProperty, which polls where this action checks once.
PROPERTY_CHECK_INPUTS = (
    Input("Service", required=True),
    Input("Api", required=True),
    Input("PropertySelector", required=True),
    Input("DesiredValues", "StringList", required=True),
)

SPEC = ActionSpec(
    name="aws:assertAwsResourceProperty",
    page="aws:assertAwsResourceProperty – Assert an AWS resource state or event state",
    inputs=PROPERTY_CHECK_INPUTS,
    calls_any_api=True,
)


def property_matches(call) -> tuple[bool, object]:
    """Call the API once; (whether the selected property is among DesiredValues, its value)."""
    from ..engine.api import api_inputs, call_api
    from ..engine.outputs import select

    inputs = call.inputs
    own = tuple(item.name for item in PROPERTY_CHECK_INPUTS)
    response = call_api(call, inputs["Service"], inputs["Api"], api_inputs(inputs, own))
    found, value = select(inputs["PropertySelector"], response)
    desired = [_text(v).lower() for v in inputs["DesiredValues"]]
    if not found:
        return False, None
    values = value if isinstance(value, list) else [value]
    return bool(values) and all(_text(v).lower() in desired for v in values), value


def _text(value) -> str:
    # DesiredValues write booleans as True/False; compare them (and only them) without case.
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def run(call):
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    ok, value = property_matches(call)
    if not ok:
        raise StepFailed(f"The property {call.inputs['PropertySelector']} is {value!r}, not one of the "
                         f"desired values {list(call.inputs['DesiredValues'])}.")
    return StepResult()
