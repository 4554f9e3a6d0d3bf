"""aws:createImage: create an AMI from an instance and wait until it is available."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:createImage",
    page="aws:createImage – Create an Amazon Machine Image",
    inputs=(
        Input("InstanceId", required=True),
        Input("ImageName", required=True),
        Input("ImageDescription"),
        Input("NoReboot", "Boolean"),
        Input("BlockDeviceMappings", "MapList"),
    ),
    outputs={"ImageId": "String", "ImageState": "String"},
    api=("ec2", "CreateImage"),
    default_timeout_seconds=3600,
)


def run(call):
    from ..engine.api import call_api
    from ..engine.call import StepResult
    from .copy_image import wait_for_image

    inputs = call.inputs
    args = {"InstanceId": inputs["InstanceId"], "Name": inputs["ImageName"]}
    if "ImageDescription" in inputs:
        args["Description"] = inputs["ImageDescription"]
    if "NoReboot" in inputs:
        args["NoReboot"] = inputs["NoReboot"] in (True, "true", "True")
    if inputs.get("BlockDeviceMappings"):
        args["BlockDeviceMappings"] = inputs["BlockDeviceMappings"]
    image_id = call_api(call, "ec2", "CreateImage", args)["ImageId"]
    state = wait_for_image(call, image_id)
    return StepResult(outputs={"ImageId": image_id, "ImageState": state},
                      response={"ImageId": image_id, "ImageState": state})

