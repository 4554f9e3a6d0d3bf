"""aws:createTags: tag EC2 resources or Systems Manager resources."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:createTags",
    page="aws:createTags – Create tags for AWS resources",
    inputs=(
        Input("ResourceIds", "StringList", required=True),
        Input("Tags", "MapList", required=True),
        Input("ResourceType", allowed=("EC2", "ManagedInstance", "MaintenanceWindow", "Parameter")),
    ),
)


def run(call):
    from ..engine.api import call_api
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    inputs = call.inputs
    kind = inputs.get("ResourceType", "EC2")
    if kind == "EC2":
        call_api(call, "ec2", "CreateTags", {"Resources": inputs["ResourceIds"], "Tags": inputs["Tags"]})
    else:
        if len(inputs["ResourceIds"]) != 1:
            raise StepFailed(f"ResourceType {kind} takes exactly one resource ID.", retriable=False)
        call_api(call, "ssm", "AddTagsToResource",
                 {"ResourceType": kind, "ResourceId": inputs["ResourceIds"][0], "Tags": inputs["Tags"]})
    return StepResult()
