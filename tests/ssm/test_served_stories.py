"""S0 through the real AWS CLI against `xacct sandbox serve`: a run across accounts started with
`aws ssm start-automation-execution --target-locations`, followed with get-automation-execution
and describe-automation-step-executions, fails with AWS's text while the runbook is unshared and
succeeds once shared; `xacct executions show` reads the same executions from the server's store."""

import json
import os
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.served import served_world

WORLDS = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds"
AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
REGION = "ap-northeast-1"
ADMIN = "arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole"
LOCATION = "Accounts=222222222222,Regions=ap-northeast-1,ExecutionRoleName=AWS-SystemsManager-AutomationExecutionRole"

pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli, a test dependency) is not installed")


@contextmanager
def serving(folder, world):
    """The world served, with the server's store in the folder (the server records there)."""
    store = folder / "executions.db"
    previous = os.environ.get("XACCT_STORE")
    os.environ["XACCT_STORE"] = str(store)
    try:
        with served_world(folder / world, folder) as (env, endpoint):
            yield env, store
    finally:
        if previous is None:
            os.environ.pop("XACCT_STORE", None)
        else:
            os.environ["XACCT_STORE"] = previous


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("s0-served")
    for name in ("s0-unshared-runbook.yaml", "installapp.yaml"):
        shutil.copy(WORLDS / name, folder / name)
    with serving(folder, "s0-unshared-runbook.yaml") as served:
        yield served


def tree(store, execution_id):
    """`xacct executions show ID --output json` on the server's store."""
    shown = subprocess.run([sys.executable, "-m", "xacct", "--store", str(store), "executions", "show",
                            execution_id, "--output", "json"], capture_output=True, text=True, timeout=60)
    assert shown.returncode == 0, shown.stderr
    return json.loads(shown.stdout)


def aws(env, *args):
    result = subprocess.run([AWS, *args, "--profile", "management-ops", "--region", REGION, "--output", "json"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


def finished(env, execution_id):
    for _ in range(300):
        execution = aws(env, "ssm", "get-automation-execution", "--automation-execution-id",
                        execution_id)["AutomationExecution"]
        if execution["AutomationExecutionStatus"] not in ("Pending", "InProgress", "Waiting"):
            return execution
        time.sleep(0.1)
    raise AssertionError(f"{execution_id} did not finish")


def start(env):
    return aws(env, "ssm", "start-automation-execution", "--document-name", "InstallApp",
               "--parameters", f"AutomationAssumeRole={ADMIN}",
               "--target-locations", LOCATION)["AutomationExecutionId"]


def test_s0_over_http_unshared_fails_as_aws_says_then_shared_it_runs(served):
    env, store = served
    failed = finished(env, start(env))
    assert failed["AutomationExecutionStatus"] == "Failed"
    steps = aws(env, "ssm", "describe-automation-step-executions", "--automation-execution-id",
                failed["AutomationExecutionId"])["StepExecutions"]
    assert [s["StepName"] for s in steps] == ["222222222222_ap-northeast-1"]
    assert steps[0]["FailureMessage"] == (
        "The execution role arn:aws:iam::222222222222:role/AWS-SystemsManager-AutomationExecutionRole in the "
        "target location is unable to be assumed.")

    aws(env, "ssm", "modify-document-permission", "--name", "InstallApp", "--permission-type", "Share",
        "--account-ids-to-add", "222222222222")
    succeeded = finished(env, start(env))
    assert succeeded["AutomationExecutionStatus"] == "Success"

    listed = aws(env, "ssm", "describe-automation-executions", "--filters",
                 "Key=AutomationType,Values=CrossAccount")["AutomationExecutionMetadataList"]
    assert {failed["AutomationExecutionId"], succeeded["AutomationExecutionId"]} <= {
        m["AutomationExecutionId"] for m in listed}

    shown = tree(store, succeeded["AutomationExecutionId"])
    child = shown["ChildExecutions"][0]
    assert child["DocumentName"] == "InstallApp"
    assert [s["StepName"] for s in child["StepExecutions"]] == ["findInstances", "install", "markInstalled"]
    assert all(s["StepStatus"] == "Success" for s in child["StepExecutions"])


@pytest.fixture(scope="module")
def served_s1(tmp_path_factory):
    folder = tmp_path_factory.mktemp("s1-served")
    shutil.copy(WORLDS / "s1-missing-permission.yaml", folder / "world.yaml")
    with serving(folder, "world.yaml") as served:
        yield served


def test_s1_over_http_four_targets_fail_on_the_iam_name_of_put_bucket_encryption(served_s1):
    """The parent in the management account shows one step per target location, as SSM's console
    does; the member accounts' steps, with AWS's denial, are in the central store."""
    env, store = served_s1
    execution_id = aws(env, "ssm", "start-automation-execution", "--document-name", "AWS-EnableS3BucketEncryption",
                       "--parameters", f"AutomationAssumeRole={ADMIN}",
                       "--target-parameter-name", "BucketName", "--targets", "Key=tag:Encrypt,Values=true",
                       "--target-locations",
                       "Accounts=222222222222,333333333333,Regions=ap-northeast-1,us-east-1,"
                       "TargetLocationMaxConcurrency=4,TargetLocationMaxErrors=4")["AutomationExecutionId"]
    assert finished(env, execution_id)["AutomationExecutionStatus"] == "Failed"
    steps = aws(env, "ssm", "describe-automation-step-executions", "--automation-execution-id",
                execution_id)["StepExecutions"]
    assert sorted(s["StepName"] for s in steps) == sorted(
        f"{a}_{r}" for a in ("222222222222", "333333333333") for r in ("ap-northeast-1", "us-east-1"))
    assert all(s["StepStatus"] == "Failed" for s in steps)
    children = tree(store, execution_id)["ChildExecutions"]
    denied = [s for child in children for s in child["StepExecutions"]
              if "s3:PutEncryptionConfiguration" in s.get("FailureMessage", "")
              and s["Action"] != "aws:executeAutomation"]  # the steps that made the call, not their parents
    assert len(denied) == 4
    assert {d["FailureMessage"].split("assumed-role/")[0].rsplit(" ", 1)[0] for d in denied} == {
        "Step fails when it is Execute/Cancelling action. An error occurred (AccessDenied) when calling the "
        "PutBucketEncryption operation: User:"}


# -- S2, S3 and S4 through the AWS CLI ------------------------------------------------------------
# S2 (the partner account launches from the shared AMI, through the AWS CLI against the served
# s2-share-ami world) is tests/scenarios/test_s2_share_ami.py::
# test_steps_1_and_2_the_association_made_the_ami_and_the_partner_launches_it; S4 (the bare
# AccessDenied without MFA, success with --serial-number/--token-code, a wrong code refused) is
# tests/sandbox/test_serve_awscli.py. Neither is repeated here.
S3_REGION = "us-east-1"
CLIENT_ERROR = "Client.InternalError: Client error on launch"


@pytest.fixture(scope="module")
def served_s3(tmp_path_factory):
    folder = tmp_path_factory.mktemp("s3-served")
    shutil.copy(WORLDS / "s3-encrypted-ami.yaml", folder / "world.yaml")
    with serving(folder, "world.yaml") as (env, _):
        yield env


def aws_as(env, profile, *args):
    result = subprocess.run([AWS, *args, "--profile", profile, "--region", S3_REGION, "--output", "json"],
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


def test_s3_over_http_the_launch_from_the_encrypted_ami_ends_terminated_and_the_group_fails(served_s3):
    """S3 steps 1 and 3 (tests/scenarios/test_s3_encrypted_ami.py in process): the key policy of
    A's key does not mention B, so B's instance never runs, and B's Auto Scaling group records
    the failed launches with AWS's text."""
    env = served_s3
    [image] = aws_as(env, "account-b-ops", "ec2", "describe-images", "--filters",
                     "Name=name,Values=web-base-2026-11")["Images"]
    assert image["OwnerId"] == "111111111111"
    launched = aws_as(env, "account-b-ops", "ec2", "run-instances", "--image-id", image["ImageId"],
                      "--instance-type", "t3.micro")["Instances"][0]["InstanceId"]
    instance = aws_as(env, "account-b-ops", "ec2", "describe-instances", "--instance-ids",
                      launched)["Reservations"][0]["Instances"][0]
    assert instance["State"]["Name"] == "terminated"
    assert instance["StateReason"] == {"Code": "Client.InternalError", "Message": CLIENT_ERROR}

    template = aws_as(env, "account-b-ops", "ec2", "create-launch-template", "--launch-template-name", "web",
                      "--launch-template-data", json.dumps({"ImageId": image["ImageId"], "InstanceType": "t3.micro"})
                      )["LaunchTemplate"]["LaunchTemplateId"]
    subnet = aws_as(env, "account-b-ops", "ec2", "describe-subnets")["Subnets"][0]["SubnetId"]
    aws_as(env, "account-b-ops", "autoscaling", "create-auto-scaling-group", "--auto-scaling-group-name", "web",
           "--min-size", "2", "--max-size", "2", "--desired-capacity", "2", "--vpc-zone-identifier", subnet,
           "--launch-template", f"LaunchTemplateId={template},Version=$Latest")
    group = aws_as(env, "account-b-ops", "autoscaling", "describe-auto-scaling-groups", "--auto-scaling-group-names",
                   "web")["AutoScalingGroups"][0]
    assert [i for i in group["Instances"] if i["LifecycleState"] == "InService"] == []
    activities = aws_as(env, "account-b-ops", "autoscaling", "describe-scaling-activities",
                        "--auto-scaling-group-name", "web")["Activities"]
    assert activities and activities[0]["StatusCode"] == "Failed"
    assert activities[0]["StatusMessage"] == CLIENT_ERROR
    assert activities[0]["Description"] == f"Launching a new EC2 instance.  Status Reason: {CLIENT_ERROR}"


def test_owned_runbooks_are_listed_as_amazon_s_and_read_as_json_over_http(served):
    """What `aws ssm list-documents --filters Key=Owner,Values=Amazon` and `get-document
    --document-format JSON` show of the AWS-owned runbooks the stories run (S1's
    AWS-EnableS3BucketEncryption, S2's AWS-CreateImage); the account's own runbook is Self's."""
    env, _ = served
    amazon = aws(env, "ssm", "list-documents", "--filters", "Key=Owner,Values=Amazon")["DocumentIdentifiers"]
    assert {"AWS-CreateImage", "AWS-EnableS3BucketEncryption"} <= {d["Name"] for d in amazon}
    assert {d["Owner"] for d in amazon} == {"Amazon"}
    own = aws(env, "ssm", "list-documents", "--filters", "Key=Owner,Values=Self")["DocumentIdentifiers"]
    assert [(d["Name"], d["Owner"]) for d in own] == [("InstallApp", "111111111111")]
    document = aws(env, "ssm", "get-document", "--name", "AWS-CreateImage", "--document-format", "JSON")
    assert document["DocumentFormat"] == "JSON"
    assert json.loads(document["Content"])["schemaVersion"] == "0.3"
