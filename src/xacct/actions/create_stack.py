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

FAILED_STATES = ("CREATE_FAILED", "ROLLBACK_IN_PROGRESS", "ROLLBACK_FAILED", "ROLLBACK_COMPLETE")


def stack_status(call, name: str) -> dict | None:
    from ..engine.api import call_api
    from ..engine.errors import StepFailed

    try:
        stacks = call_api(call, "cloudformation", "DescribeStacks", {"StackName": name}).get("Stacks", [])
    except StepFailed as exc:
        if "does not exist" in exc.message:
            return None
        raise
    return stacks[0] if stacks else None


def run(call):
    from ..engine.api import call_api
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    args = {k: v for k, v in call.inputs.items()}
    stack_id = call_api(call, "cloudformation", "CreateStack", args)["StackId"]
    while True:
        stack = stack_status(call, stack_id) or {}
        status = stack.get("StackStatus", "CREATE_IN_PROGRESS")
        outputs = {"StackId": stack_id, "StackStatus": status, "StackStatusReason": stack.get("StackStatusReason", "")}
        if status == "CREATE_COMPLETE":
            return StepResult(outputs=outputs, response=outputs)
        if status in FAILED_STATES:
            raise StepFailed(f"Stack {args['StackName']} is {status}: {outputs['StackStatusReason']}")
        call.wait(call.execution.cloud.poll_seconds)
