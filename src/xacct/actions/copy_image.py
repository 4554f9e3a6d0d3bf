"""aws:copyImage: copy (and optionally encrypt) an AMI into the current Region."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:copyImage",
    page="aws:copyImage – Copy or encrypt an Amazon Machine Image",
    inputs=(
        Input("SourceRegion", required=True),
        Input("SourceImageId", required=True),
        Input("ImageName", required=True),
        Input("ImageDescription"),
        Input("Encrypted", "Boolean"),
        Input("KmsKeyId"),
        Input("ClientToken"),
    ),
    outputs={"ImageId": "String", "ImageState": "String"},
    api=("ec2", "CopyImage"),
    default_timeout_seconds=3600,
)


def wait_for_image(call, image_id: str) -> str:
    """Poll until the image is available; a failed image fails the step."""
    from ..engine.api import call_api
    from ..engine.errors import StepFailed

    while True:
        images = call_api(call, "ec2", "DescribeImages", {"ImageIds": [image_id]}).get("Images", [])
        state = images[0]["State"] if images else "pending"
        if state == "available":
            return state
        if state in ("failed", "error", "invalid", "deregistered"):
            raise StepFailed(f"Image {image_id} is {state}.")
        call.wait(call.execution.cloud.poll_seconds)


def run(call):
    from ..engine.api import call_api
    from ..engine.call import StepResult

    inputs = call.inputs
    args = {"SourceRegion": inputs["SourceRegion"], "SourceImageId": inputs["SourceImageId"],
            "Name": inputs["ImageName"]}
    for name, key in (("ImageDescription", "Description"), ("Encrypted", "Encrypted"), ("KmsKeyId", "KmsKeyId"),
                      ("ClientToken", "ClientToken")):
        if name in inputs:
            args[key] = inputs[name]
    image_id = call_api(call, "ec2", "CopyImage", args)["ImageId"]
    state = wait_for_image(call, image_id)
    return StepResult(outputs={"ImageId": image_id, "ImageState": state},
                      response={"ImageId": image_id, "ImageState": state})
