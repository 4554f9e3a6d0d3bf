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


def run(call):
    """SendCommand, then wait until every invocation has ended; the outputs are those of the
    invocation (of the first instance when there are several)."""
    import json

    from ..engine.api import call_api
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    command = call_api(call, "ssm", "SendCommand", dict(call.inputs))["Command"]
    command_id = command["CommandId"]
    while True:
        invocations = call_api(call, "ssm", "ListCommandInvocations",
                               {"CommandId": command_id, "Details": True}).get("CommandInvocations", [])
        pending = [i for i in invocations if i.get("Status") in ("Pending", "InProgress", "Delayed")]
        if invocations and not pending:
            break
        call.wait(call.execution.cloud.poll_seconds)
    first = invocations[0]
    plugins = first.get("CommandPlugins") or [{}]
    output = plugins[0].get("Output", "")
    response_code = plugins[0].get("ResponseCode", 0)
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
