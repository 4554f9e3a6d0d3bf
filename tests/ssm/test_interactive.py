"""Mode Interactive through boto3 against the served sandbox, as the User Guide's "Running an
automation step by step" runs it: the execution waits (Waiting) for StartStep naming a step, runs
that step, waits again, and ends with StopAutomationExecution Type Complete (or Cancel); StopStep
stops a running step."""

import time

import pytest
from botocore.exceptions import ClientError

from .served import served_automation, wait_until

ACCOUNT = "529384716205"  # an account of this module's own
REGION = "eu-west-3"

STEPPER = {
    "schemaVersion": "0.3",
    "parameters": {"Greeting": {"type": "String", "default": "hello"}},
    "mainSteps": [
        {"name": "step1", "action": "aws:executeAwsApi",
         "inputs": {"Service": "sts", "Api": "GetCallerIdentity"},
         "outputs": [{"Name": "Account", "Selector": "$.Account", "Type": "String"}]},
        {"name": "step2", "action": "aws:sleep", "inputs": {"Duration": "PT0S"}},
        {"name": "long", "action": "aws:sleep", "inputs": {"Duration": "PT60S"}},
        {"name": "breaks", "action": "aws:executeAwsApi", "maxAttempts": 2,
         "inputs": {"Service": "ec2", "Api": "DescribeInstances", "InstanceIds": ["i-0000000000000dead"]}},
    ],
    "outputs": ["step1.Account"],
}
ENDED = ("Success", "Failed", "Cancelled", "TimedOut")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with served_automation(tmp_path_factory.mktemp("interactive"), ACCOUNT, REGION, {"Stepper": STEPPER}) as served:
        ssm = served.ssm(REGION)
        started: list[str] = []
        yield ssm, started
        for execution_id in started:  # no execution left waiting for ever in the server's threads
            try:
                ssm.stop_automation_execution(AutomationExecutionId=execution_id, Type="Cancel")
            except ClientError:
                pass


def start(served, **extra) -> str:
    ssm, started = served
    execution_id = ssm.start_automation_execution(DocumentName="Stepper", Mode="Interactive",
                                                  **extra)["AutomationExecutionId"]
    started.append(execution_id)
    return execution_id


def get(ssm, execution_id) -> dict:
    return ssm.get_automation_execution(AutomationExecutionId=execution_id)["AutomationExecution"]


def steps(execution) -> dict:
    """The latest entry of each step name."""
    return {s["StepName"]: s for s in execution["StepExecutions"]}


def step_ended(ssm, execution_id, name, status="Success"):
    """The step ended with `status` and the execution waits for the next StartStep."""
    return wait_until(ssm, execution_id, lambda e: steps(e)[name]["StepStatus"] == status
                      and e["AutomationExecutionStatus"] == "Waiting", f"{name} {status}, then Waiting")


def start_step(ssm, execution_id, name):
    ssm.send_automation_signal(AutomationExecutionId=execution_id, SignalType="StartStep",
                               Payload={"StepName": [name]})


def code_of(call) -> str:
    with pytest.raises(ClientError) as caught:
        call()
    return caught.value.response["Error"]["Code"]


def test_waits_runs_the_steps_asked_for_in_any_order_and_complete_ends_it(served):
    ssm, _ = served
    execution_id = start(served)
    execution = get(ssm, execution_id)
    assert execution["Mode"] == "Interactive"
    assert execution["AutomationExecutionStatus"] == "Waiting"  # from the start, before any step
    assert {s["StepStatus"] for s in execution["StepExecutions"]} == {"Pending"}
    start_step(ssm, execution_id, "step2")
    execution = step_ended(ssm, execution_id, "step2")
    assert steps(execution)["step1"]["StepStatus"] == "Pending"  # nothing runs unasked
    assert steps(execution)["step2"]["ValidNextSteps"] == ["long"]  # what the runbook would run next
    start_step(ssm, execution_id, "step1")
    execution = step_ended(ssm, execution_id, "step1")
    assert steps(execution)["step1"]["Outputs"] == {"Account": [ACCOUNT]}
    time.sleep(0.3)  # after the last step asked for, it still waits: only Complete ends it
    assert get(ssm, execution_id)["AutomationExecutionStatus"] == "Waiting"
    ssm.stop_automation_execution(AutomationExecutionId=execution_id, Type="Complete")
    execution = wait_until(ssm, execution_id, lambda e: e["AutomationExecutionStatus"] in ENDED, "ended")
    assert execution["AutomationExecutionStatus"] == "Success"
    assert execution["Outputs"] == {"step1.Account": [ACCOUNT]}
    assert steps(execution)["long"]["StepStatus"] == "Pending"
    listed = ssm.describe_automation_executions(Filters=[{"Key": "ExecutionId", "Values": [execution_id]}])
    assert listed["AutomationExecutionMetadataList"][0]["Mode"] == "Interactive"


def test_stop_step_cancels_the_running_step_and_the_execution_waits_again(served):
    ssm, _ = served
    execution_id = start(served)
    start_step(ssm, execution_id, "long")
    running = wait_until(ssm, execution_id, lambda e: steps(e)["long"]["StepStatus"] == "InProgress", "long runs")
    assert running["AutomationExecutionStatus"] == "InProgress" and running["CurrentStepName"] == "long"
    assert code_of(lambda: start_step(ssm, execution_id, "step2")) == "InvalidAutomationSignalException"
    began = time.monotonic()
    ssm.send_automation_signal(AutomationExecutionId=execution_id, SignalType="StopStep",
                               Payload={"StepExecutionId": [steps(running)["long"]["StepExecutionId"]]})
    step_ended(ssm, execution_id, "long", "Cancelled")
    assert time.monotonic() - began < 10  # stopped, not slept out
    start_step(ssm, execution_id, "step2")  # the execution goes on with the next step asked for
    step_ended(ssm, execution_id, "step2")
    ssm.stop_automation_execution(AutomationExecutionId=execution_id, Type="Complete")
    execution = wait_until(ssm, execution_id, lambda e: e["AutomationExecutionStatus"] in ENDED, "ended")
    assert execution["AutomationExecutionStatus"] == "Success"  # a step stopped on request is no failure


def test_complete_after_a_critical_step_failed_is_failed(served):
    ssm, _ = served
    execution_id = start(served)
    start_step(ssm, execution_id, "breaks")
    execution = step_ended(ssm, execution_id, "breaks", "Failed")
    assert len(steps(execution)["breaks"]["FailureMessage"]) > 0
    ssm.stop_automation_execution(AutomationExecutionId=execution_id, Type="Complete")
    execution = wait_until(ssm, execution_id, lambda e: e["AutomationExecutionStatus"] in ENDED, "ended")
    assert execution["AutomationExecutionStatus"] == "Failed"
    assert execution["FailureMessage"] == steps(execution)["breaks"]["FailureMessage"]


def test_cancel_ends_it_waiting_or_while_a_step_runs(served):
    ssm, _ = served
    waiting = start(served)
    ssm.stop_automation_execution(AutomationExecutionId=waiting, Type="Cancel")
    assert wait_until(ssm, waiting, lambda e: e["AutomationExecutionStatus"] in ENDED,
                      "ended")["AutomationExecutionStatus"] == "Cancelled"
    running = start(served)
    start_step(ssm, running, "long")
    wait_until(ssm, running, lambda e: steps(e)["long"]["StepStatus"] == "InProgress", "long runs")
    ssm.stop_automation_execution(AutomationExecutionId=running)
    execution = wait_until(ssm, running, lambda e: e["AutomationExecutionStatus"] in ENDED, "ended")
    assert execution["AutomationExecutionStatus"] == "Cancelled"
    assert steps(execution)["long"]["StepStatus"] == "Cancelled"
    assert code_of(lambda: ssm.stop_automation_execution(AutomationExecutionId=running, Type="Complete")) \
        == "InvalidAutomationStatusUpdateException"
    assert code_of(lambda: start_step(ssm, running, "step1")) == "InvalidAutomationSignalException"


def test_signals_that_do_not_fit_answer_ssm_codes(served):
    ssm, _ = served
    execution_id = start(served)
    start_step(ssm, execution_id, "step2")
    finished = steps(step_ended(ssm, execution_id, "step2"))["step2"]["StepExecutionId"]

    def signal(kind, payload=None):
        return lambda: ssm.send_automation_signal(AutomationExecutionId=execution_id, SignalType=kind,
                                                  **({"Payload": payload} if payload is not None else {}))

    assert code_of(signal("StartStep")) == "InvalidAutomationSignalException"  # no StepName
    assert code_of(signal("StartStep", {"StepName": ["nope"]})) == "AutomationStepNotFoundException"
    assert code_of(signal("StopStep")) == "InvalidAutomationSignalException"  # no StepExecutionId
    assert code_of(signal("StopStep", {"StepExecutionId": ["97fff367-fc5a-4299-aed8-0123456789ab"]})) \
        == "AutomationStepNotFoundException"
    assert code_of(signal("StopStep", {"StepExecutionId": [finished]})) == "InvalidAutomationSignalException"
    assert code_of(signal("Approve")) == "InvalidAutomationSignalException"  # no step waits for one
    assert get(ssm, execution_id)["AutomationExecutionStatus"] == "Waiting"  # none of them changed anything


def test_start_step_is_for_interactive_executions_only(served):
    ssm, started = served
    auto = ssm.start_automation_execution(DocumentName="Stepper", Mode="Auto")["AutomationExecutionId"]
    started.append(auto)
    assert code_of(lambda: start_step(ssm, auto, "step1")) == "InvalidAutomationSignalException"


def test_start_refuses_interactive_on_targets_and_unknown_modes(served):
    ssm, _ = served
    targets = dict(TargetParameterName="Greeting", Targets=[{"Key": "ParameterValues", "Values": ["a", "b"]}])
    assert code_of(lambda: ssm.start_automation_execution(DocumentName="Stepper", Mode="Interactive", **targets)) \
        == "InvalidAutomationExecutionParametersException"
    assert code_of(lambda: ssm.start_automation_execution(DocumentName="Stepper", Mode="Stepwise")) \
        == "ValidationException"
