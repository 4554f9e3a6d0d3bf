"""aws:createStack: create a CloudFormation stack and wait for it."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:createStack",
    page="aws:createStack – Create an AWS CloudFormation stack",
    inputs=(
        Input("StackName", required=True),
        Input("TemplateBody"),
        Input("TemplateURL"),
        Input("Capabilities", "StringList"),
        Input("ClientRequestToken"),
        Input("DisableRollback", "Boolean"),
        Input("NotificationARNs", "StringList"),
        Input("OnFailure", allowed=("DO_NOTHING", "ROLLBACK", "DELETE")),
        Input("Parameters", "MapList"),
        Input("ResourceTypes", "StringList"),
        Input("RoleARN"),
        Input("StackPolicyBody"),
        Input("StackPolicyURL"),
        Input("Tags", "MapList"),
        Input("TimeoutInMinutes", "Integer"),
    ),
    outputs={"StackId": "String", "StackStatus": "String", "StackStatusReason": "String"},
    one_of=(("TemplateBody", "TemplateURL"),),
    exclusive=(
        ("TemplateBody", "TemplateURL"),
        ("StackPolicyBody", "StackPolicyURL"),
        ("DisableRollback", "OnFailure"),
    ),
    default_timeout_seconds=3600,
)
