"""aws:waitForAwsResourceProperty: poll an API until a property has a desired value."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:waitForAwsResourceProperty",
    page="aws:waitForAwsResourceProperty – Wait on an AWS resource property",
    inputs=(
        Input("Service", required=True),
        Input("Api", required=True),
        Input("PropertySelector", required=True),
        Input("DesiredValues", "StringList", required=True),
    ),
    calls_any_api=True,
)
