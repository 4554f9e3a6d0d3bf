"""S1 at the sandbox level: the execution role in a member account runs AWS-EnableS3BucketEncryption
and is denied s3:PutEncryptionConfiguration (the IAM name of PutBucketEncryption) with AWS's text;
the failed step carries the explanation and the fix; with the permission added, it succeeds."""

import json

import pytest

from xacct.engine import run, start_runbook
from xacct.engine.history import automation_execution
from xacct.sandbox.embedded import SandboxCloud

MGMT, MEMBER = "111111111111", "333333333333"
V = "2012-10-17"
ADMIN = f"arn:aws:iam::{MGMT}:role/AWS-SystemsManager-AutomationAdministrationRole"
EXECUTION = f"arn:aws:iam::{MEMBER}:role/AWS-SystemsManager-AutomationExecutionRole"


@pytest.fixture(scope="module")
def roles():
    cloud = SandboxCloud(enforce=True)
    mgmt, member = cloud.operator(MGMT), cloud.operator(MEMBER)
    cloud.client("iam", "us-east-1", mgmt).create_role(
        RoleName="AWS-SystemsManager-AutomationAdministrationRole",
        AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{MGMT}:root"}, "Action": "sts:AssumeRole"}]}))
    cloud.client("iam", "us-east-1", mgmt).put_role_policy(
        RoleName="AWS-SystemsManager-AutomationAdministrationRole", PolicyName="assume",
        PolicyDocument=json.dumps({"Version": V, "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
            "Resource": "arn:aws:iam::*:role/AWS-SystemsManager-AutomationExecutionRole"}]}))
    iam = cloud.client("iam", "us-east-1", member)
    iam.create_role(RoleName="AWS-SystemsManager-AutomationExecutionRole",
                    AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
                        {"Effect": "Allow", "Principal": {"AWS": ADMIN}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="AWS-SystemsManager-AutomationExecutionRole", PolicyName="bucket-tools",
                        PolicyDocument=json.dumps({"Version": V, "Statement": [
                            {"Effect": "Allow", "Action": ["s3:PutBucketEncryption", "s3:GetBucket*"], "Resource": "*"}]}))
    cloud.client("s3", "us-east-1", member).create_bucket(Bucket="member-logs-s1")
    admin = cloud.assume_role(ADMIN, "admin", mgmt, "us-east-1")
    execution_role = cloud.assume_role(EXECUTION, "s1-run", admin, "us-east-1")
    return cloud, member, execution_role


def test_denied_with_aws_text_then_fixed(roles, tmp_path):
    from xacct.store import Store

    cloud, member, execution_role = roles
    store = Store(tmp_path / "x.db")
    execution = start_runbook("AWS-EnableS3BucketEncryption", cloud=cloud, store=store, caller=execution_role,
                              parameters={"BucketName": ["member-logs-s1"]})
    assert run(execution) == "Failed"
    step = automation_execution(store, execution.id)["StepExecutions"][0]
    assert (f"User: arn:aws:sts::{MEMBER}:assumed-role/AWS-SystemsManager-AutomationExecutionRole/s1-run is not "
            "authorized to perform: s3:PutEncryptionConfiguration on resource: arn:aws:s3:::member-logs-s1 because "
            "no identity-based policy allows the s3:PutEncryptionConfiguration action") in step["FailureMessage"]
    explanation = step["xacct:Explanation"]
    assert explanation["layer"] == "identity" and '"Action": "s3:PutEncryptionConfiguration"' in explanation["fix"]

    cloud.client("iam", "us-east-1", member).put_role_policy(
        RoleName="AWS-SystemsManager-AutomationExecutionRole", PolicyName="encryption",
        PolicyDocument=json.dumps({"Version": V, "Statement": [
            {"Effect": "Allow", "Action": "s3:PutEncryptionConfiguration", "Resource": "arn:aws:s3:::member-logs-s1"}]}))
    execution = start_runbook("AWS-EnableS3BucketEncryption", cloud=cloud, store=store, caller=execution_role,
                              parameters={"BucketName": ["member-logs-s1"]})
    assert run(execution) == "Success"
    rules = cloud.client("s3", "us-east-1", member).get_bucket_encryption(Bucket="member-logs-s1")
    assert rules["ServerSideEncryptionConfiguration"]["Rules"][0]["ApplyServerSideEncryptionByDefault"][
        "SSEAlgorithm"] == "AES256"
