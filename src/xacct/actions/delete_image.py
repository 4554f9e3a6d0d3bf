"""aws:deleteImage: delete an AMI and its snapshots."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:deleteImage",
    page="aws:deleteImage – Delete an Amazon Machine Image",
    inputs=(Input("ImageId", required=True),),
)
