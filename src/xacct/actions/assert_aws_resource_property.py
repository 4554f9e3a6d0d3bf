"""aws:assertAwsResourceProperty: call an API once and fail unless a property has a desired value."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:assertAwsResourceProperty",
    page="aws:assertAwsResourceProperty – Assert an AWS resource state or event state",
    inputs=(
        Input("Service", required=True),
        Input("Api", required=True),
        Input("PropertySelector", required=True),
        Input("DesiredValues", "StringList", required=True),
    ),
    calls_any_api=True,
)
