"""aws:deleteStack: delete a CloudFormation stack and wait for it."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:deleteStack",
    page="aws:deleteStack – Delete an AWS CloudFormation stack",
    inputs=(
        Input("StackName", required=True),
        Input("ClientRequestToken"),
        Input("RetainResources", "StringList"),
        Input("RoleARN"),
    ),
    default_timeout_seconds=3600,
)
