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


def run(call):
    from ..engine.api import call_api
    from ..engine.call import StepResult
    from ..engine.errors import StepFailed

    started = call_api(call, "stepfunctions", "StartExecution", dict(call.inputs))
    while True:
        described = call_api(call, "stepfunctions", "DescribeExecution", {"executionArn": started["executionArn"]})
        status = described.get("status")
        if status != "RUNNING":
            outputs = {key: str(described[key]) for key in SPEC.outputs if described.get(key) is not None}
            if status != "SUCCEEDED":
                raise StepFailed(f"Execution {started['executionArn']} ended {status}.")
            return StepResult(outputs=outputs, response=described)
        call.wait(call.execution.cloud.poll_seconds)
