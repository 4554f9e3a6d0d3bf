"""aws:executeStateMachine: start a Step Functions execution and wait for it."""

from .spec import ActionSpec, Input

SPEC = ActionSpec(
    name="aws:executeStateMachine",
    page="aws:executeStateMachine – Run an AWS Step Functions state machine",
    inputs=(Input("stateMachineArn", required=True), Input("name"), Input("input")),
    outputs={
        name: "String"
        for name in (
            "executionArn", "input", "name", "output", "startDate", "stateMachineArn", "status", "stopDate",
        )
    },
    api=("stepfunctions", "StartExecution"),
)
