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
