"""aws:runInstances: launch EC2 instances and wait until they run."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:runInstances",
    page="aws:runInstances – Launch an Amazon EC2 instance",
    inputs=(
        Input("ImageId", required=True),
        Input("AdditionalInfo"),
        Input("BlockDeviceMappings", "MapList"),
        Input("ClientToken"),
        Input("DisableApiTermination", "Boolean"),
        Input("EbsOptimized", "Boolean"),
        Input("IamInstanceProfileArn"),
        Input("IamInstanceProfileName"),
        Input("InstanceInitiatedShutdownBehavior"),
        Input("InstanceType"),
        Input("KernelId"),
        Input("KeyName"),
        Input("MaxInstanceCount", "Integer"),
        Input("MetadataOptions", "StringMap"),
        Input("MinInstanceCount", "Integer"),
        Input("Monitoring", "Boolean"),
        Input("NetworkInterfaces", "MapList"),
        Input("Placement", "StringMap"),
        Input("PrivateIpAddress"),
        Input("RamdiskId"),
        Input("SecurityGroupIds", "StringList"),
        Input("SecurityGroups", "StringList"),
        Input("SubnetId"),
        Input("TagSpecifications", "MapList"),
        Input("UserData"),
    ),
    outputs={"InstanceIds": "StringList", "InstanceStates": "StringList"},
    api=("ec2", "RunInstances"),
    default_timeout_seconds=3600,
)
