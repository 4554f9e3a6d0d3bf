"""aws:runCommand: run a Command document on managed nodes and wait for it."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:runCommand",
    page="aws:runCommand – Run a command on a managed instance",
    inputs=(
        Input("DocumentName", required=True),
        Input("InstanceIds", "StringList"),
        Input("Targets", "MapList"),
        Input("Parameters", "StringMap"),
        Input("CloudWatchOutputConfig", "StringMap"),
        Input("Comment"),
        Input("DocumentHash"),
        Input("DocumentHashType", allowed=("Sha256", "Sha1")),
        Input("NotificationConfig", "StringMap"),
        Input("OutputS3BucketName"),
        Input("OutputS3KeyPrefix"),
        Input("ServiceRoleArn"),
        Input("TimeoutSeconds", "Integer"),
    ),
    outputs={"CommandId": "String", "Status": "String", "ResponseCode": "Integer", "Output": "String"},
    api=("ssm", "SendCommand"),
    one_of=(("InstanceIds", "Targets"),),
)
