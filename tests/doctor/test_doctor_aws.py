"""`xacct doctor --profile` reads AWS through its APIs: here AWS is `xacct sandbox serve`, reached
with the profiles it writes. The caller's account is read with its own credentials, the target's
through OrganizationAccountAccessRole; an account doctor cannot enter is a D901 finding, not a guess."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.served import served_world

WORLDS = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds"
READER = "OrganizationAccountAccessRole"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("doctor-aws")
    world = yaml.safe_load((WORLDS / "s0-unshared-runbook.yaml").read_text())
    world["accounts"]["222222222222"]["iam"]["roles"][READER] = {
        "trust": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111111111111:root"}, "Action": "sts:AssumeRole"}]},
        "policies": {"read": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": ["iam:Get*", "iam:List*", "ssm:Describe*", "ssm:Get*"],
             "Resource": "*"}]}}}
    (folder / "installapp.yaml").write_text((WORLDS / "installapp.yaml").read_text())
    (folder / "world.yaml").write_text(json.dumps(world))
    with served_world(folder / "world.yaml", folder) as (env, _):
        yield env


def doctor(env, *args):
    return subprocess.run([sys.executable, "-m", "xacct", "doctor", "InstallApp", "--profile", "management-ops",
                           "--region", "ap-northeast-1", "--accounts", "222222222222", "--regions", "ap-northeast-1",
                           "--output", "json", *args], env=env, capture_output=True, text=True, timeout=120)


def test_the_unshared_runbook_is_found_in_aws_mode(served):
    result = doctor(served)
    assert result.returncode == 1, result.stderr
    assert [(f["Id"], f["Account"]) for f in json.loads(result.stdout)] == [("D101", "222222222222")]


def test_an_account_doctor_cannot_enter_is_said_so(served):
    result = doctor(served, "--read-role-name", "NoSuchReader")
    findings = json.loads(result.stdout)
    assert [(f["Id"], f["Severity"]) for f in findings if f["Account"] == "222222222222"][0] == ("D901", "info")
    assert "cannot assume NoSuchReader in 222222222222" in findings[0]["Cause"]
