"""Target locations by organizational unit: an OU's accounts (and with IncludeChildOrganizationUnits
those of the OUs below it) are listed with the administration role, ExcludeAccounts leaves accounts
and OUs out; Targets inside each location run one child per resource there; and aws:executeAutomation
runs TargetLocations and Targets through the same code.

The organization is the world's, built into moto's Organizations; account IDs are this module's
own (moto's state lives as long as the process) and the sandbox is the module's own (a world's
organization is its gate's)."""

import json
import subprocess
import sys

import pytest
import yaml

from xacct.engine.documents import from_file
from xacct.engine.history import automation_execution
from xacct.engine.locations import TargetLocation, run_fanout, start_fanout
from xacct.engine.targets import RateControl
from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world

REGION = "us-east-1"
ADMIN = "AWS-SystemsManager-AutomationAdministrationRole"
EXEC = "AWS-SystemsManager-AutomationExecutionRole"
V = "2012-10-17"
FULL = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
LIST_ORG = ["organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent"]

TOUCH = {
    "schemaVersion": "0.3",
    "parameters": {"InstanceId": {"type": "String", "default": "none"}},
    "mainSteps": [
        {"name": "where", "action": "aws:executeAwsApi",
         "inputs": {"Service": "sts", "Api": "GetCallerIdentity"},
         "outputs": [{"Name": "Account", "Selector": "$.Account", "Type": "String"}]},
        {"name": "touch", "action": "aws:executeAwsApi",
         "inputs": {"Service": "ec2", "Api": "CreateTags", "Resources": ["{{ InstanceId }}"],
                    "Tags": [{"Key": "Touched", "Value": "{{ automation:EXECUTION_ID }}"}]},
         "isCritical": False, "onFailure": "Continue"},
    ],
    "outputs": ["where.Account"],
}


def org_world(tmp_path, management, members, *, org_actions=LIST_ORG):
    """management + members {name: id}: units Workloads [a] > Prod [b], Sandbox [c]."""
    a, b, c = members["a"], members["b"], members["c"]
    admin = {"trust": {"Version": V, "Statement": [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"},
                                                     "Action": "sts:AssumeRole"}]},
             "policies": {"admin": {"Version": V, "Statement": [
                 {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::*:role/{EXEC}"},
                 {"Effect": "Allow", "Action": org_actions, "Resource": "*"}]}}}
    execution = {"trust": {"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{management}:role/{ADMIN}"},
         "Action": "sts:AssumeRole"}]},
        "policies": {"run": {"Version": V, "Statement": [
            {"Effect": "Allow", "Action": ["ec2:*", "tag:GetResources", "resource-groups:ListGroupResources",
                                           "ssm:GetDocument", "ssm:DescribeDocument"], "Resource": "*"}]}}}
    accounts = {management: {"iam": {"users": {"ops": {"accessKey": True, "policies": {"all": FULL}}},
                                     "roles": {ADMIN: admin}},
                             # for aws:executeAutomation, which names documents: shared, as SSM reads it there
                             "regions": {REGION: {"documents": {"Touch": {"file": "touch.yaml",
                                                                          "sharedWith": [a, b, c]}}}}}}
    for account in (a, b, c):
        accounts[account] = {"iam": {"roles": {EXEC: execution}}, "regions": {REGION: {
            "images": {"base": {"name": f"base-{account}"}},
            "instances": {"web": {"image": "base", "tags": {"App": "web"}}}}}}
    world = {"world": 1, "organization": {"management": management, "units": {
        "Workloads": {"accounts": [a], "units": {"Prod": {"accounts": [b]}}}, "Sandbox": {"accounts": [c]}}},
        "accounts": accounts}
    (tmp_path / "world.yaml").write_text(json.dumps(world))
    (tmp_path / "touch.yaml").write_text(yaml.safe_dump(TOUCH))
    cloud = SandboxCloud(REGION)
    return cloud, build_world(load_world(str(tmp_path / "world.yaml")), cloud, REGION)


@pytest.fixture(scope="module")
def org(tmp_path_factory):
    members = {"a": "782000000001", "b": "782000000002", "c": "782000000003"}
    cloud, built = org_world(tmp_path_factory.mktemp("org"), "782000000000", members)
    return cloud, built, members, tmp_path_factory.getbasetemp()


def run_across(cloud, built, store, management, location, *, control=None, runbook_dir=None):
    runbook = from_file(str(runbook_dir / "touch.yaml"))
    fanout = start_fanout(runbook, [location], cloud=cloud, store=store, region=REGION,
                          caller=built.users[(management, "ops")], control=control)
    status = run_fanout(fanout)
    return status, automation_execution(store, fanout.parent.id)


def accounts_run(parent):
    return sorted(s["xacct:TargetLocation"]["Account"] for s in parent["StepExecutions"])


def _dir(tmp_path):
    (tmp_path / "touch.yaml").write_text(yaml.safe_dump(TOUCH))
    return tmp_path


def test_an_ou_runs_in_its_own_accounts_only_unless_children_are_included(org, store, tmp_path):
    cloud, built, m, _ = org
    workloads = built.units["Workloads"]
    status, parent = run_across(cloud, built, store, "782000000000", TargetLocation([workloads], [REGION]),
                                runbook_dir=_dir(tmp_path))
    assert status == "Success", parent
    assert accounts_run(parent) == [m["a"]]
    assert parent["TargetLocations"][0]["Accounts"] == [workloads]
    status, parent = run_across(cloud, built, store, "782000000000",
                                TargetLocation([workloads], [REGION], include_child_ous=True, max_concurrency="2"),
                                runbook_dir=_dir(tmp_path))
    assert status == "Success" and accounts_run(parent) == [m["a"], m["b"]]
    assert parent["TargetLocations"][0]["IncludeChildOrganizationUnits"] is True
    for step in parent["StepExecutions"]:  # each child really ran in its account, as the execution role
        child = automation_execution(store, step["xacct:ChildExecutionId"])
        assert child["Outputs"]["where.Account"] == [step["xacct:TargetLocation"]["Account"]]
        assert child["ExecutedBy"].startswith(f"arn:aws:sts::{step['xacct:TargetLocation']['Account']}:assumed-role/")


def test_exclusions_remove_accounts_and_ous_and_accounts_mix_with_ous(org, store, tmp_path):
    cloud, built, m, _ = org
    workloads, prod = built.units["Workloads"], built.units["Workloads/Prod"]
    location = TargetLocation([workloads], [REGION], include_child_ous=True, exclude_accounts=[m["a"]])
    status, parent = run_across(cloud, built, store, "782000000000", location, runbook_dir=_dir(tmp_path))
    assert status == "Success" and accounts_run(parent) == [m["b"]]
    location = TargetLocation([m["c"], workloads], [REGION], include_child_ous=True, exclude_accounts=[prod])
    status, parent = run_across(cloud, built, store, "782000000000", location, runbook_dir=_dir(tmp_path))
    assert status == "Success" and accounts_run(parent) == [m["a"], m["c"]]
    assert parent["TargetLocations"][0]["ExcludeAccounts"] == [prod]


def test_a_bad_exclusion_is_refused_with_the_api_pattern(org, store, tmp_path):
    from xacct.engine import ExecutionRejected

    cloud, built, m, _ = org
    with pytest.raises(ExecutionRejected) as err:
        run_across(cloud, built, store, "782000000000",
                   TargetLocation([built.units["Workloads"]], [REGION], exclude_accounts=["12345"]),
                   runbook_dir=_dir(tmp_path))
    assert err.value.code == "ValidationException"
    assert "failed to satisfy constraint: Member must satisfy regular expression pattern: ^((ou-" in err.value.message


def test_targets_inside_each_location_run_one_child_per_resource_there(org, store, tmp_path):
    cloud, built, m, _ = org
    location = TargetLocation([built.units["Workloads"]], [REGION], include_child_ous=True,
                              targets=[{"Key": "tag:App", "Values": ["web"]}], targets_max_concurrency="2")
    status, parent = run_across(cloud, built, store, "782000000000", location,
                                control=RateControl("InstanceId"), runbook_dir=_dir(tmp_path))
    assert status == "Success", parent
    for step in parent["StepExecutions"]:
        account = step["xacct:TargetLocation"]["Account"]
        rated = automation_execution(store, step["xacct:ChildExecutionId"])
        assert rated["TargetParameterName"] == "InstanceId" and rated["Targets"] == location.targets
        assert rated["MaxConcurrency"] == "2"
        ec2 = cloud.client("ec2", REGION, cloud.operator(account))
        [instance] = [i for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]]
        assert rated["ResolvedTargets"]["ParameterValues"] == [instance["InstanceId"]]
        [resource_step] = rated["StepExecutions"]
        grandchild = automation_execution(store, resource_step["xacct:ChildExecutionId"])
        tags = {t["Key"]: t["Value"] for t in instance["Tags"]}
        assert tags["Touched"] == grandchild["AutomationExecutionId"]  # the resource in that account, touched


def test_an_administration_role_that_cannot_list_child_ous_fails_the_run_explained(tmp_path, store):
    members = {"a": "782000000011", "b": "782000000012", "c": "782000000013"}
    cloud, built = org_world(tmp_path, "782000000010", members, org_actions=["organizations:ListAccountsForParent"])
    status, parent = run_across(cloud, built, store, "782000000010",
                                TargetLocation([built.units["Workloads"]], [REGION], include_child_ous=True),
                                runbook_dir=tmp_path)
    assert status == "Failed" and parent["StepExecutions"] == []
    assert "organizations:ListOrganizationalUnitsForParent" in parent["FailureMessage"]
    assert parent["xacct:Explanation"]["action"] == "organizations:ListOrganizationalUnitsForParent"
    # without child OUs the same role is enough
    status, parent = run_across(cloud, built, store, "782000000010",
                                TargetLocation([built.units["Workloads"]], [REGION]), runbook_dir=tmp_path)
    assert status == "Success" and accounts_run(parent) == [members["a"]]


def _caller_runbook(tmp_path, step_inputs):
    document = {"schemaVersion": "0.3", "mainSteps": [
        {"name": "fanOut", "action": "aws:executeAutomation", "inputs": step_inputs}],
        "outputs": ["fanOut.ExecutionId", "fanOut.Status"]}
    (tmp_path / "caller.yaml").write_text(yaml.safe_dump(document))
    return from_file(str(tmp_path / "caller.yaml"))


def test_execute_automation_with_target_locations(org, store, tmp_path):
    from xacct.engine import run, start_runbook

    cloud, built, m, _ = org
    _dir(tmp_path)
    runbook = _caller_runbook(tmp_path, {
        "DocumentName": "Touch",
        "TargetLocations": [{"Accounts": [built.units["Workloads"], m["c"]], "Regions": [REGION],
                             "IncludeChildOrganizationUnits": True, "ExcludeAccounts": [m["b"]],
                             "TargetLocationMaxConcurrency": "2"}]})
    execution = start_runbook(runbook, cloud=cloud, store=store, region=REGION,
                              caller=built.users[("782000000000", "ops")])
    assert run(execution) == "Success"
    record = automation_execution(store, execution.id)
    [step] = record["StepExecutions"]
    assert step["Outputs"]["Status"] == ["Success"]
    fanout = automation_execution(store, step["Outputs"]["ExecutionId"][0])
    assert fanout["ParentAutomationExecutionId"] == execution.id
    assert accounts_run(fanout) == [m["a"], m["c"]]


def test_execute_automation_with_targets_runs_a_child_per_resource(org, store, tmp_path):
    from xacct.engine import run, start_runbook

    cloud, built, m, _ = org
    _dir(tmp_path)
    ec2 = cloud.client("ec2", REGION, cloud.operator("782000000000"))
    image = ec2.register_image(Name="caller-base", RootDeviceName="/dev/xvda",
                               BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
    made = [ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Fleet", "Value": "blue"}]}])["Instances"][0]["InstanceId"]
        for _ in range(3)]
    runbook = _caller_runbook(tmp_path, {
        "DocumentName": "Touch", "TargetParameterName": "InstanceId",
        "Targets": [{"Key": "tag:Fleet", "Values": ["blue"]}], "MaxConcurrency": "2", "MaxErrors": "0"})
    execution = start_runbook(runbook, cloud=cloud, store=store, region=REGION,
                              caller=built.users[("782000000000", "ops")])
    assert run(execution) == "Success"
    [step] = automation_execution(store, execution.id)["StepExecutions"]
    rated = automation_execution(store, step["Outputs"]["ExecutionId"][0])
    assert sorted(rated["ResolvedTargets"]["ParameterValues"]) == sorted(made)
    assert rated["MaxConcurrency"] == "2" and rated["MaxErrors"] == "0"
    assert all(s["StepStatus"] == "Success" for s in rated["StepExecutions"])


def test_execute_automation_refuses_bad_combinations_as_the_api_does(org, store, tmp_path):
    from xacct.engine import run, start_runbook

    cloud, built, m, _ = org
    _dir(tmp_path)
    runbook = _caller_runbook(tmp_path, {"DocumentName": "Touch",
                                         "Targets": [{"Key": "tag:Fleet", "Values": ["blue"]}]})
    execution = start_runbook(runbook, cloud=cloud, store=store, region=REGION,
                              caller=built.users[("782000000000", "ops")])
    assert run(execution) == "Failed"
    [step] = automation_execution(store, execution.id)["StepExecutions"]
    assert ("InvalidAutomationExecutionParametersException: TargetParameterName is required when Targets are "
            "specified") in step["FailureMessage"]


@pytest.mark.parametrize("args, words", [
    (["--ou", "ou-bad"], "an organizational unit ID is ou-xxxx-xxxxxxxx"),
    (["--include-child-ous"], "go with --accounts or --ou"),
    (["--accounts", "222222222222", "--exclude-accounts", "22"], "neither an account (12 digits) nor an OU"),
], ids=["bad-ou", "children-without-ou", "bad-exclusion"])
def test_cli_refuses_bad_ou_input_clearly(tmp_path, args, words):
    (tmp_path / "touch.yaml").write_text(yaml.safe_dump(TOUCH))
    result = subprocess.run([sys.executable, "-m", "xacct", "--store", str(tmp_path / "x.db"), "run",
                             str(tmp_path / "touch.yaml"), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert words in result.stderr and "Traceback" not in result.stderr
