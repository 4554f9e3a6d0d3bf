"""S4 of SCENARIOS.md through xacct's own commands: the bare AccessDenied explained (step 1), the
role reached with MFA (step 2, through `xacct sandbox serve` and a profile), and step 4: a run
across several accounts with a profile that has role_arn, source_profile and mfa_serial asks
for the MFA code once, not once per account. Steps 1 to 3 through the AWS CLI itself are in
tests/sandbox/test_serve_awscli.py."""

import json
import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pyotp
import pytest
import yaml

from tests.served import served_world

WORLDS = Path(str(resources.files("xacct") / "examples" / "worlds"))
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ROLE = "arn:aws:iam::222222222222:role/role-kawahara"
MFA = "arn:aws:iam::111111111111:mfa/user-kawahara"
USER = "arn:aws:iam::111111111111:user/user-kawahara"
ADMIN = "AWS-SystemsManager-AutomationAdministrationRole"
EXEC = "AWS-SystemsManager-AutomationExecutionRole"
TARGETS = ["333333333333", "444444444444"]
WHOAMI = """schemaVersion: '0.3'
description: Says who runs it.
mainSteps:
  - name: whoAmI
    action: aws:executeAwsApi
    inputs: {Service: sts, Api: GetCallerIdentity}
    outputs:
      - {Name: Arn, Selector: $.Arn, Type: String}
"""


def s4_world_with_targets(folder: Path) -> Path:
    """The S4 world, where role-kawahara (reached only with MFA) starts runs in two more accounts."""
    world = yaml.safe_load((WORLDS / "s4-mfa.yaml").read_text())
    foo = world["accounts"]["222222222222"]
    foo["iam"]["roles"]["role-kawahara"]["policies"]["operate"] = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["ssm:GetDocument", "ssm:DescribeDocument"], "Resource": "*"},
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::222222222222:role/{ADMIN}"}]}
    foo["iam"]["roles"][ADMIN] = {
        "trust": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"AWS": ROLE}, "Action": "sts:AssumeRole"}]},
        "policies": {"AssumeExecutionRoles": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": f"arn:aws:iam::*:role/{EXEC}"}]}}}
    foo["regions"]["us-east-1"]["documents"] = {"WhoAmI": {"file": "whoami.yaml", "sharedWith": TARGETS}}
    for account in TARGETS:
        world["accounts"][account] = {"iam": {"roles": {EXEC: {
            "trust": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::222222222222:role/{ADMIN}"},
                 "Action": "sts:AssumeRole"}]},
            "policies": {"ReadRunbooks": {"Version": "2012-10-17", "Statement": [
                {"Effect": "Allow", "Action": ["ssm:GetDocument", "ssm:DescribeDocument"], "Resource": "*"}]}}}}}}
    (folder / "whoami.yaml").write_text(WHOAMI)
    path = folder / "world.yaml"
    path.write_text(json.dumps(world))
    return path


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("s4")
    with served_world(s4_world_with_targets(folder), folder) as (env, endpoint):
        with open(folder / "config", "a") as config:
            config.write(f"\n[profile foo-role]\nrole_arn = {ROLE}\nsource_profile = hoge-user-kawahara\n"
                         f"mfa_serial = {MFA}\nregion = us-east-1\nendpoint_url = {endpoint}\n")
        yield {**env, "XACCT_STORE": str(folder / "executions.db")}


def xacct(env, *args, stdin=None):
    # a session of its own: no controlling terminal, so the MFA prompt reads stdin as in CI
    return subprocess.run([sys.executable, "-m", "xacct", *args], env=env, capture_output=True, text=True,
                          input=stdin, timeout=120, start_new_session=True)


def test_step1_the_bare_access_denied_is_explained_as_the_trust_policy_wanting_mfa():
    result = xacct(dict(os.environ), "explain", "--world", str(WORLDS / "s4-mfa.yaml"), "--principal", USER,
                   "--action", "sts:AssumeRole", "--resource", ROLE)
    out = result.stdout
    assert (f"User: {USER} is not authorized to perform: sts:AssumeRole on resource: {ROLE}") in out
    assert "aws:MultiFactorAuthPresent" in out and "--serial-number" in out and "mfa_serial" in out


def test_step4_a_run_across_accounts_with_an_mfa_profile_asks_for_the_code_once(served):
    # xacct's own engine (the role may not call ssm:StartAutomationExecution, so SSM could not run
    # it); the same through SSM: tests/delegate/test_served_runs.py
    result = xacct(served, "run", "WhoAmI", "--profile", "foo-role", "--engine", "local", "--accounts", ",".join(TARGETS),
                   "--regions", "us-east-1", "--max-concurrency", "2", "--output", "json",
                   stdin=pyotp.TOTP(SEED).now() + "\n")
    assert result.returncode == 0, result.stdout + result.stderr
    assert (result.stdout + result.stderr).count("Enter MFA code") == 1
    document = json.loads(result.stdout[result.stdout.index("{"):])
    assert document["AutomationExecution"]["AutomationExecutionStatus"] == "Success"
    arns = sorted(child["StepExecutions"][0]["Outputs"]["Arn"][0] for child in document["ChildExecutions"])
    assert [arn.split(":")[4] for arn in arns] == TARGETS
    assert all(f":assumed-role/{EXEC}/" in arn for arn in arns)


def test_step4_without_the_code_the_run_does_not_start(served):
    result = xacct(served, "run", "WhoAmI", "--profile", "foo-role", "--accounts", ",".join(TARGETS),
                   "--regions", "us-east-1", stdin="000000\n")
    assert result.returncode == 2
    assert "MultiFactorAuthentication failed with invalid MFA one time pass code." in result.stderr
    assert "Traceback" not in result.stderr


def test_doctor_explains_a_profile_refused_for_want_of_mfa(served):
    with open(Path(served["AWS_CONFIG_FILE"]), "a") as config:
        endpoint = Path(served["AWS_CONFIG_FILE"]).read_text().split("endpoint_url = ", 1)[1].split("\n", 1)[0]
        config.write(f"\n[profile foo-no-mfa]\nrole_arn = {ROLE}\nsource_profile = hoge-user-kawahara\n"
                     f"region = us-east-1\nendpoint_url = {endpoint}\n")
    result = xacct(served, "doctor", "WhoAmI", "--profile", "foo-no-mfa", "--output", "json")
    assert result.returncode == 1, result.stderr
    [finding] = json.loads(result.stdout)
    assert finding["Id"] == "D401" and finding["Account"] == "222222222222"
    assert f"is not authorized to perform: sts:AssumeRole on resource: {ROLE}" in finding["Cause"]
    assert finding["Fix"].startswith(f"add to the profile: mfa_serial = {MFA}")
