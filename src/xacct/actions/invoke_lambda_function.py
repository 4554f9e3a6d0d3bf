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
