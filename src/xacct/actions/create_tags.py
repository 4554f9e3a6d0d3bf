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
