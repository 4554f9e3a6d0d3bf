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
