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
    phase="verifying the command has completed",
)


def _instances(call, command: dict) -> list[str]:
    """The instances a command went to: as given, or those its tag Targets select."""
    from ..engine.api import call_api

    if command.get("InstanceIds"):
        return list(command["InstanceIds"])
    filters = [{"Name": t["Key"], "Values": t["Values"]} for t in command.get("Targets", [])
               if t.get("Key", "").startswith("tag:")]
    if not filters:
        return []
    reservations = call_api(call, "ec2", "DescribeInstances", {"Filters": filters}).get("Reservations", [])
    return [i["InstanceId"] for r in reservations for i in r.get("Instances", [])]


def run(call):
    """SendCommand, then wait until the invocation on every instance has ended; the outputs are
    those of the first instance's invocation."""
    import json

    from ..engine.api import call_api
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    command = call_api(call, "ssm", "SendCommand", dict(call.inputs))["Command"]
    command_id = command["CommandId"]
    instances = _instances(call, command)
    if not instances:
        raise StepFailed(f"Command {command_id} found no instances to run on.")
    while True:
        invocations = [call_api(call, "ssm", "GetCommandInvocation", {"CommandId": command_id, "InstanceId": i})
                       for i in instances]
        if all(i.get("Status") not in ("Pending", "InProgress", "Delayed") for i in invocations):
            break
        call.wait(call.execution.cloud.poll_seconds)
    first = invocations[0]
    output = first.get("StandardOutputContent", "")
    response_code = first.get("ResponseCode", 0)
    status = first.get("Status")
    payload = json.dumps({"Status": status, "ResponseCode": response_code, "Output": output,
                          "CommandId": command_id}, separators=(",", ":"))
    outputs = {"CommandId": command_id, "Status": status, "ResponseCode": response_code, "Output": output,
               "OutputPayload": payload}
    if any(i.get("Status") != "Success" for i in invocations):
        raise StepFailed(f"Command {command_id} returns unexpected invocation result: \n"
                         f"{{Status=[{status}], ResponseCode=[{response_code}], Output=[{output}], "
                         f"OutputPayload=[{payload}], CommandId=[{command_id}]}}")
    return StepResult(outputs=outputs, response=outputs)
