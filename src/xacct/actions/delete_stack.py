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


def run(call):
    from ..engine.api import call_api
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed
    from .create_stack import stack_status

    name = call.inputs["StackName"]
    stack = stack_status(call, name)
    if stack is None:
        return StepResult()
    call_api(call, "cloudformation", "DeleteStack", dict(call.inputs))
    while True:
        stack = stack_status(call, stack["StackId"])
        status = (stack or {}).get("StackStatus", "DELETE_COMPLETE")
        if status == "DELETE_COMPLETE":
            return StepResult()
        if status == "DELETE_FAILED":
            raise StepFailed(f"Stack {name} is DELETE_FAILED: {stack.get('StackStatusReason', '')}")
        call.wait(call.execution.cloud.poll_seconds)
