"""aws:invokeLambdaFunction: invoke a Lambda function."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:invokeLambdaFunction",
    page="aws:invokeLambdaFunction – Invoke an AWS Lambda function",
    inputs=(
        Input("FunctionName", required=True),
        Input("Qualifier"),
        Input("InvocationType", allowed=("Event", "RequestResponse", "DryRun")),
        Input("LogType", allowed=("None", "Tail")),
        Input("ClientContext"),
        Input("InputPayload", "StringMap"),
        Input("Payload"),
    ),
    outputs={"StatusCode": "Integer", "FunctionError": "String", "LogResult": "String", "Payload": "String"},
    api=("lambda", "Invoke"),
    max_timeout_seconds=300,
    default_timeout_seconds=300,
)


def run(call):
    import json

    from ..engine.api import call_api
    from ..engine.call import StepResult

    inputs = dict(call.inputs)
    payload = inputs.pop("InputPayload", None)
    if payload is not None:  # "InputPayload takes precedence over Payload"
        inputs["Payload"] = json.dumps(payload)
    response = call_api(call, "lambda", "Invoke", inputs, read_streams=True)
    outputs = {"StatusCode": response.get("StatusCode")}
    for key in ("FunctionError", "LogResult", "Payload"):
        if response.get(key) is not None:
            outputs[key] = response[key]
    return StepResult(outputs=outputs, response=response)
