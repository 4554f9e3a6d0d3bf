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
    phase="verifying launched instance(s) are ready to be used",
)


def run(call):
    from ..engine.api import call_api
    from ..engine.call import StepResult
    from .change_instance_state import wait_for_state

    inputs = dict(call.inputs)
    args = {"MinCount": int(inputs.pop("MinInstanceCount", 1)), "MaxCount": int(inputs.pop("MaxInstanceCount", 1)),
            "InstanceType": inputs.pop("InstanceType", "m1.small")}
    profile = {}
    if "IamInstanceProfileArn" in inputs:
        profile["Arn"] = inputs.pop("IamInstanceProfileArn")
    if "IamInstanceProfileName" in inputs:
        profile["Name"] = inputs.pop("IamInstanceProfileName")
    if profile:
        args["IamInstanceProfile"] = profile
    if "Monitoring" in inputs:
        args["Monitoring"] = {"Enabled": inputs.pop("Monitoring") in (True, "true", "True")}
    args.update(inputs)  # the rest are RunInstances parameters by the same name
    reservation = call_api(call, "ec2", "RunInstances", args)
    ids = [i["InstanceId"] for i in reservation["Instances"]]
    states = wait_for_state(call, ids, "running")
    return StepResult(outputs={"InstanceIds": ids, "InstanceStates": states},
                      response={"InstanceIds": ids, "InstanceStates": states})
