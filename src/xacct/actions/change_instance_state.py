"""aws:changeInstanceState: change or assert the state of EC2 instances."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:changeInstanceState",
    page="aws:changeInstanceState – Change or assert instance state",
    inputs=(
        Input("InstanceIds", "StringList", required=True),
        Input("DesiredState", required=True, allowed=("running", "stopped", "terminated")),
        Input("CheckStateOnly", "Boolean"),
        Input("Force", "Boolean"),
        Input("FailOnUnexpectedStopped", "Boolean"),
        Input("AdditionalInfo"),
    ),
    default_timeout_seconds=3600,
)
