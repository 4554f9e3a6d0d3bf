"""aws:deleteImage: delete an AMI and its snapshots."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:deleteImage",
    page="aws:deleteImage – Delete an Amazon Machine Image",
    inputs=(Input("ImageId", required=True),),
)


def run(call):
    """Deregister the image, then delete the snapshots behind it."""
    from ..engine.api import call_api
    from ..engine.call import StepResult

    image_id = call.inputs["ImageId"]
    images = call_api(call, "ec2", "DescribeImages", {"ImageIds": [image_id]}).get("Images", [])
    snapshots = [m["Ebs"]["SnapshotId"] for image in images for m in image.get("BlockDeviceMappings", [])
                 if m.get("Ebs", {}).get("SnapshotId")]
    call_api(call, "ec2", "DeregisterImage", {"ImageId": image_id})
    for snapshot in snapshots:
        call_api(call, "ec2", "DeleteSnapshot", {"SnapshotId": snapshot})
    return StepResult()
