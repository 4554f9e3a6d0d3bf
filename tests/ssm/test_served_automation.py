"""SSM's Automation API on the sandbox's HTTP endpoint, through boto3 as any SDK program uses it:
executions start, run in the server's background, and every read API shows them."""

import json

import boto3
import pytest
from botocore.exceptions import ClientError

from .served import served_automation, wait_until

ACCOUNT = "371204758220"  # an account of this module's own
REGION = "eu-central-1"

RUNBOOK = {
    "schemaVersion": "0.3",
    "description": "Says who runs it, then waits for a moment.",
    "parameters": {"Greeting": {"type": "String", "default": "hello"}},
    "mainSteps": [
        {"name": "whoAmI", "action": "aws:executeAwsApi",
         "inputs": {"Service": "sts", "Api": "GetCallerIdentity"},
         "outputs": [{"Name": "Account", "Selector": "$.Account", "Type": "String"}]},
        {"name": "rest", "action": "aws:sleep", "inputs": {"Duration": "PT0S"}},
    ],
    "outputs": ["whoAmI.Account"],
}
TOKEN = "5f0c54a8-4c0e-4f06-9d7e-0d1f2a3b4c5d"
WAITS = {"schemaVersion": "0.3", "mainSteps": [
    {"name": "hold", "action": "aws:pause", "inputs": {}},
    {"name": "after", "action": "aws:sleep", "inputs": {"Duration": "PT0S"}}]}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with served_automation(tmp_path_factory.mktemp("ssm"), ACCOUNT, REGION,
                           {"Greeter": RUNBOOK, "Holder": WAITS}) as served:
        iam = served.cloud.client("iam", "us-east-1", served.operator)
        iam.create_user(UserName="reader")
        iam.put_user_policy(UserName="reader", PolicyName="read", PolicyDocument=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Resource": "*", "Action": [
                "ssm:GetAutomationExecution", "ssm:DescribeAutomationExecutions", "ssm:GetDocument"]}]}))
        key = iam.create_access_key(UserName="reader")["AccessKey"]
        served.reader = (key["AccessKeyId"], key["SecretAccessKey"])
        yield served


def client(served, keys=None):
    return served.ssm(REGION, keys)


def wait_for(ssm, execution_id, statuses=("Success", "Failed", "Cancelled", "TimedOut")):
    return wait_until(ssm, execution_id, lambda e: e["AutomationExecutionStatus"] in statuses, f"one of {statuses}")


def test_start_runs_in_the_background_and_get_shows_every_step(served):
    ssm = client(served)
    execution_id = ssm.start_automation_execution(DocumentName="Greeter",
                                                  Parameters={"Greeting": ["hi"]})["AutomationExecutionId"]
    assert len(execution_id) == 36
    execution = wait_for(ssm, execution_id)
    assert execution["AutomationExecutionStatus"] == "Success"
    assert execution["Outputs"] == {"whoAmI.Account": [ACCOUNT]}
    assert [s["StepName"] for s in execution["StepExecutions"]] == ["whoAmI", "rest"]
    assert execution["ExecutionStartTime"] <= execution["ExecutionEndTime"]  # timestamps, parsed by botocore
    assert execution["Parameters"] == {"Greeting": ["hi"]}
    assert not any(key.startswith("xacct:") for key in execution)


def test_describe_executions_filters_and_pages(served):
    ssm = client(served)
    ids = [ssm.start_automation_execution(DocumentName="Greeter")["AutomationExecutionId"] for _ in range(3)]
    for execution_id in ids:
        wait_for(ssm, execution_id)
    listed = ssm.describe_automation_executions(
        Filters=[{"Key": "ExecutionId", "Values": ids}], MaxResults=2)
    assert len(listed["AutomationExecutionMetadataList"]) == 2 and listed["NextToken"]
    rest = ssm.describe_automation_executions(Filters=[{"Key": "ExecutionId", "Values": ids}],
                                              NextToken=listed["NextToken"])
    seen = [m["AutomationExecutionId"] for m in listed["AutomationExecutionMetadataList"]
            + rest["AutomationExecutionMetadataList"]]
    assert sorted(seen) == sorted(ids)
    by_prefix = ssm.describe_automation_executions(Filters=[{"Key": "DocumentNamePrefix", "Values": ["Gree"]},
                                                            {"Key": "ExecutionStatus", "Values": ["Success"]}])
    assert set(ids) <= {m["AutomationExecutionId"] for m in by_prefix["AutomationExecutionMetadataList"]}
    with pytest.raises(ClientError) as bad:
        ssm.describe_automation_executions(NextToken="not-a-token")
    assert bad.value.response["Error"]["Code"] == "InvalidNextToken"


def test_step_executions_filter_and_reverse(served):
    ssm = client(served)
    execution_id = ssm.start_automation_execution(DocumentName="Greeter")["AutomationExecutionId"]
    wait_for(ssm, execution_id)
    steps = ssm.describe_automation_step_executions(AutomationExecutionId=execution_id, ReverseOrder=True)
    assert [s["StepName"] for s in steps["StepExecutions"]] == ["rest", "whoAmI"]
    only = ssm.describe_automation_step_executions(AutomationExecutionId=execution_id,
                                                   Filters=[{"Key": "Action", "Values": ["aws:sleep"]}])
    assert [s["StepName"] for s in only["StepExecutions"]] == ["rest"]


def test_signal_resumes_and_stop_cancels(served):
    ssm = client(served)
    resumed = ssm.start_automation_execution(DocumentName="Holder")["AutomationExecutionId"]
    wait_for(ssm, resumed, ("Waiting",))
    with pytest.raises(ClientError) as wrong:
        ssm.send_automation_signal(AutomationExecutionId=resumed, SignalType="Approve")
    assert wrong.value.response["Error"]["Code"] == "InvalidAutomationSignalException"
    ssm.send_automation_signal(AutomationExecutionId=resumed, SignalType="Resume")
    assert wait_for(ssm, resumed)["AutomationExecutionStatus"] == "Success"
    stopped = ssm.start_automation_execution(DocumentName="Holder")["AutomationExecutionId"]
    wait_for(ssm, stopped, ("Waiting",))
    ssm.stop_automation_execution(AutomationExecutionId=stopped, Type="Cancel")
    assert wait_for(ssm, stopped)["AutomationExecutionStatus"] == "Cancelled"
    with pytest.raises(ClientError) as again:
        ssm.stop_automation_execution(AutomationExecutionId=stopped)
    assert again.value.response["Error"]["Code"] == "InvalidAutomationStatusUpdateException"


def test_errors_have_ssm_codes(served):
    ssm = client(served)
    cases = [
        (lambda: ssm.start_automation_execution(DocumentName="NoSuchRunbook"), "AutomationDefinitionNotFoundException"),
        (lambda: ssm.start_automation_execution(DocumentName="Greeter", Parameters={"Nope": ["x"]}),
         "InvalidAutomationExecutionParametersException"),
        (lambda: ssm.get_automation_execution(AutomationExecutionId="0" * 36), "AutomationExecutionNotFoundException"),
        (lambda: ssm.start_automation_execution(DocumentName="Greeter", DocumentVersion="9"),
         "AutomationDefinitionVersionNotFoundException"),
    ]
    for call, code in cases:
        with pytest.raises(ClientError) as caught:
            call()
        assert caught.value.response["Error"]["Code"] == code
        assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_client_token_makes_start_idempotent(served):
    ssm = client(served)
    first = ssm.start_automation_execution(DocumentName="Greeter", ClientToken=TOKEN)
    second = ssm.start_automation_execution(DocumentName="Greeter", ClientToken=TOKEN)
    assert first["AutomationExecutionId"] == second["AutomationExecutionId"]
    with pytest.raises(ClientError) as caught:
        ssm.start_automation_execution(DocumentName="Greeter", ClientToken=TOKEN,
                                       Parameters={"Greeting": ["other"]})
    assert caught.value.response["Error"]["Code"] == "IdempotentParameterMismatch"


def test_start_is_authorized_on_the_automation_definition(served):
    """A user allowed to read documents and executions but not ssm:StartAutomationExecution is
    refused; reading needs ssm:GetAutomationExecution, which the user has."""
    reader = client(served, served.reader)
    with pytest.raises(ClientError) as caught:
        reader.start_automation_execution(DocumentName="Greeter")
    error = caught.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert "automation-definition/Greeter:$DEFAULT" in error["Message"]


def test_executions_are_per_account_and_region(served):
    ssm = client(served)
    execution_id = ssm.start_automation_execution(DocumentName="Greeter")["AutomationExecutionId"]
    wait_for(ssm, execution_id)
    elsewhere = boto3.client("ssm", region_name="us-west-2", endpoint_url=served.endpoint,
                             aws_access_key_id=served.operator.access_key_id,
                             aws_secret_access_key=served.operator.secret_access_key)
    with pytest.raises(ClientError) as caught:
        elsewhere.get_automation_execution(AutomationExecutionId=execution_id)
    assert caught.value.response["Error"]["Code"] == "AutomationExecutionNotFoundException"
