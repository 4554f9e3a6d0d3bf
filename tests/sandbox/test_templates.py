"""CloudFormation templates in worlds (SCENARIOS.md S2 steps 1 and 2): deploying seed 002's
template creates the runbook, the role and the association, and the association runs on
creation for each tagged instance, as State Manager does; the AMI's launch permission lists the
other account, which finds and launches it. Types the sandbox cannot deploy are refused."""

import json
import shutil
from pathlib import Path

import pytest

from xacct.engine.history import automation_execution
from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import WorldError, build_world, load_world
from xacct.store import Store

SEED = Path(__file__).parents[1] / "fixtures" / "seed002-template.yaml"
OWNER, PARTNER = "141414141411", "141414141412"


@pytest.fixture(scope="module")
def deployed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("s2")
    shutil.copy(SEED, folder / "template.yaml")
    (folder / "world.yaml").write_text(json.dumps({"world": 1, "accounts": {
        OWNER: {"templates": [{"file": "template.yaml", "stack": "soa-03-005",
                               "parameters": {"AccountId": PARTNER}}]},
        PARTNER: {}}}))
    cloud, store = SandboxCloud(), Store(":memory:")
    built = build_world(load_world(str(folder / "world.yaml")), cloud, store=store)
    return cloud, store, built


def test_the_association_ran_on_creation_for_the_tagged_instance(deployed):
    cloud, store, built = deployed
    [execution_id] = built.executions
    result = automation_execution(store, execution_id)
    assert result["DocumentName"] == "soa-03-005-CreateAndShareAmiRunbook"
    assert result["AutomationExecutionStatus"] == "Success"
    instance = result["Parameters"]["InstanceId"][0]
    tags = cloud.client("ec2", "us-east-1", cloud.operator(OWNER)).describe_tags(
        Filters=[{"Name": "resource-id", "Values": [instance]}])["Tags"]
    assert {"Key": "MyDocument", "Value": "Group1"} in [{"Key": t["Key"], "Value": t["Value"]} for t in tags]


def test_the_partner_finds_and_launches_the_shared_ami(deployed):
    cloud, store, built = deployed
    steps = automation_execution(store, built.executions[0])["StepExecutions"]
    ami = [s for s in steps if s["StepName"] == "convertStringListToString"][0]["Outputs"]["Ami"][0]
    owner_ec2 = cloud.client("ec2", "us-east-1", cloud.operator(OWNER))
    permissions = owner_ec2.describe_image_attribute(ImageId=ami, Attribute="launchPermission")["LaunchPermissions"]
    assert permissions == [{"UserId": PARTNER}]
    partner_ec2 = cloud.client("ec2", "us-east-1", cloud.operator(PARTNER))
    assert partner_ec2.describe_images(ImageIds=[ami])["Images"][0]["OwnerId"] == OWNER
    instance = partner_ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    state = partner_ec2.describe_instances(InstanceIds=[instance])["Reservations"][0]["Instances"][0]["State"]
    assert state["Name"] == "running"


def test_unsupported_types_are_refused(tmp_path):
    (tmp_path / "t.yaml").write_text("Resources:\n  Rule:\n    Type: AWS::Config::ConfigRule\n    Properties: {}\n")
    (tmp_path / "world.yaml").write_text(json.dumps({"world": 1, "accounts": {
        "151515151511": {"templates": [{"file": "t.yaml"}]}}}))
    with pytest.raises(WorldError) as err:
        build_world(load_world(str(tmp_path / "world.yaml")), SandboxCloud())
    [finding] = err.value.findings
    assert finding.id == "E7010" and "Rule (AWS::Config::ConfigRule)" in finding.message
