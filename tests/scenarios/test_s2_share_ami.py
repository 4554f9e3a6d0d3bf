"""S2 of SCENARIOS.md through the command line: the world of s2-share-ami.yaml deploys the
template (runbook, role, association that runs on creation) into `xacct sandbox serve`; the AWS
CLI with each account's profile sees the AMI and its launch permission, and the partner launches
it (steps 1 and 2). The runbook without its conversion step is flagged by `xacct validate` and
fails at that step when run (step 3)."""

import json
import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from tests.served import served_world

EXAMPLES = Path(str(resources.files("xacct") / "examples"))
AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    with served_world(EXAMPLES / "worlds" / "s2-share-ami.yaml", tmp_path_factory.mktemp("s2")) as (env, _):
        yield env


def aws(env, *args):
    result = subprocess.run([AWS, *args, "--output", "json"], env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if result.stdout.strip() else {}


@pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli) is not installed")
def test_steps_1_and_2_the_association_made_the_ami_and_the_partner_launches_it(served):
    images = aws(served, "ec2", "describe-images", "--owners", "self", "--profile", "builder-ops")["Images"]
    made = [i for i in images if i["Name"] != "amzn2-base"]
    assert len(made) == 1, images  # one AMI, of the one instance tagged Backup=Nightly
    ami = made[0]["ImageId"]
    permissions = aws(served, "ec2", "describe-image-attribute", "--image-id", ami, "--attribute",
                      "launchPermission", "--profile", "builder-ops")["LaunchPermissions"]
    assert permissions == [{"UserId": "222222222222"}]
    seen = aws(served, "ec2", "describe-images", "--image-ids", ami, "--profile", "partner-ops")["Images"]
    assert seen[0]["OwnerId"] == "111111111111"
    launched = aws(served, "ec2", "run-instances", "--image-id", ami, "--instance-type", "t3.micro",
                   "--profile", "partner-ops")["Instances"][0]
    state = aws(served, "ec2", "describe-instances", "--instance-ids", launched["InstanceId"],
                "--profile", "partner-ops")["Reservations"][0]["Instances"][0]["State"]["Name"]
    assert state == "running"


@pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli) is not installed")
def test_step_3_validate_flags_the_list_and_the_run_fails_at_that_step(served, tmp_path):
    broken = EXAMPLES / "s2-share-ami-unconverted.yaml"
    found = subprocess.run([sys.executable, "-m", "xacct", "validate", str(broken)], capture_output=True, text=True,
                           timeout=60)
    assert found.returncode == 1
    [line] = [x for x in found.stdout.splitlines() if " E5001 " in x]
    path, row, column = line.split(":")[:3]
    assert path == str(broken) and int(row) > 0 and int(column) > 0
    reservations = aws(served, "ec2", "describe-instances", "--filters", "Name=tag:Backup,Values=Nightly",
                       "--profile", "builder-ops")["Reservations"]
    instance = reservations[0]["Instances"][0]["InstanceId"]
    run = subprocess.run([sys.executable, "-m", "xacct", "--store", str(tmp_path / "x.db"), "run", "--output", "json",
                          "--profile", "builder-ops", f"{broken}#ShareAmiRunbook", "-p", f"InstanceId={instance}"],
                         env=served, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr
    assert "SSM accepts this runbook, but the errors above make it fail while it runs" in run.stderr
    steps = json.loads(run.stdout)["AutomationExecution"]["StepExecutions"]
    assert [(s["StepName"], s["StepStatus"]) for s in steps] == [("makeImage", "Success"), ("shareImage", "Failed")], steps[0].get("FailureMessage")
    assert "ImageId" in steps[1]["FailureMessage"]
