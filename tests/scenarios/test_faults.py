"""Throttling and server errors in 10% of the sandbox's calls: a run across 12 accounts x 2
Regions still completes, every call retried as botocore's standard mode retries it, and every
step of every target is in the store."""

import json

from xacct.document.loader import load_text
from xacct.document.model import build_document
from xacct.engine.documents import Runbook
from xacct.engine.history import automation_execution
from xacct.engine.locations import ADMINISTRATION_ROLE, EXECUTION_ROLE, TargetLocation, run_fanout, start_fanout
from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.faults import FaultPlan

MANAGEMENT = "720000000000"
MEMBERS = [f"7200000000{n:02d}" for n in range(1, 13)]
REGIONS = ["ap-northeast-1", "us-east-1"]
V = "2012-10-17"
RUNBOOK = """schemaVersion: "0.3"
assumeRole: "{{ AutomationAssumeRole }}"
parameters:
  AutomationAssumeRole: {type: String}
mainSteps:
  - {name: who, action: aws:executeAwsApi, inputs: {Service: sts, Api: GetCallerIdentity},
     outputs: [{Name: Account, Selector: $.Account, Type: String}]}
  - {name: vpcs, action: aws:executeAwsApi, inputs: {Service: ec2, Api: DescribeVpcs}}
  - {name: params, action: aws:executeAwsApi, inputs: {Service: ssm, Api: DescribeParameters}}
"""


def _roles(cloud):
    admin = f"arn:aws:iam::{MANAGEMENT}:role/{ADMINISTRATION_ROLE}"
    iam = cloud.client("iam", "us-east-1", cloud.operator(MANAGEMENT))
    iam.create_role(RoleName=ADMINISTRATION_ROLE, AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName=ADMINISTRATION_ROLE, PolicyName="a", PolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::*:role/{EXECUTION_ROLE}"}]}))
    for account in MEMBERS:
        iam = cloud.client("iam", "us-east-1", cloud.operator(account))
        iam.create_role(RoleName=EXECUTION_ROLE, AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": admin}, "Action": "sts:AssumeRole"},
            {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}))
        iam.put_role_policy(RoleName=EXECUTION_ROLE, PolicyName="w", PolicyDocument=json.dumps({"Version": V, "Statement": [
            {"Effect": "Allow", "Action": ["ec2:DescribeVpcs", "ssm:DescribeParameters", "iam:PassRole"],
             "Resource": "*"}]}))
    return admin


def test_a_run_survives_throttling_and_server_errors(store):
    admin = _roles(SandboxCloud("us-east-1"))
    cloud = SandboxCloud("us-east-1")
    cloud.faults = FaultPlan(rate=0.10, seed=7)
    [source] = load_text("faults.yaml", RUNBOOK).documents
    runbook = Runbook(build_document(source), "Faults", folder=".")
    fanout = start_fanout(runbook, [TargetLocation(MEMBERS, REGIONS, max_concurrency="6")], cloud=cloud,
                          store=store, region="us-east-1", given={"AutomationAssumeRole": [admin]},
                          caller=cloud.operator(MANAGEMENT))
    assert run_fanout(fanout) == "Success"
    injected = cloud.faults.injected
    assert injected["throttled"] > 3 and injected["server"] > 3, injected
    parent = automation_execution(store, fanout.parent.id)
    assert len(parent["StepExecutions"]) == len(MEMBERS) * len(REGIONS)
    seen = set()
    for step in parent["StepExecutions"]:
        assert step["StepStatus"] == "Success"
        child = automation_execution(store, step["xacct:ChildExecutionId"])
        assert [s["StepStatus"] for s in child["StepExecutions"]] == ["Success"] * 3
        account = child["StepExecutions"][0]["Outputs"]["Account"][0]
        seen.add((account, step["xacct:TargetLocation"]["Region"]))
    assert seen == {(a, r) for a in MEMBERS for r in REGIONS}
