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
