"""S4 through the real AWS CLI (the `awscli` package) against `xacct sandbox serve`: the bare
AccessDenied with AWS's text, success with --serial-number/--token-code, refusal of a wrong code,
and a profile with role_arn, source_profile and mfa_serial that asks for the code once
(SCENARIOS.md, S4 steps 1 to 3)."""

import shutil
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pyotp
import pytest

from tests.served import served_world

WORLD = str(resources.files("xacct") / "examples" / "worlds" / "s4-mfa.yaml")
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ROLE = "arn:aws:iam::222222222222:role/role-kawahara"
MFA = "arn:aws:iam::111111111111:mfa/user-kawahara"
AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")

pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli) is not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    with served_world(Path(WORLD), folder) as (env, endpoint):
        yield env, folder, endpoint


def aws(env, *args, stdin=None):
    return subprocess.run([AWS, *args], env=env, capture_output=True, text=True, input=stdin, timeout=60)


def test_without_mfa_the_cli_gets_the_bare_access_denied(served):
    env, _, _ = served
    result = aws(env, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "cli",
                 "--profile", "hoge-user-kawahara")
    assert result.returncode != 0
    assert result.stderr.strip() == (
        "An error occurred (AccessDenied) when calling the AssumeRole operation: User: "
        "arn:aws:iam::111111111111:user/user-kawahara is not authorized to perform: sts:AssumeRole on resource: "
        "arn:aws:iam::222222222222:role/role-kawahara")


def test_with_serial_number_and_token_code(served):
    env, _, _ = served
    result = aws(env, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "cli",
                 "--profile", "hoge-user-kawahara", "--serial-number", MFA,
                 "--token-code", pyotp.TOTP(SEED).now(), "--query", "AssumedRoleUser.Arn", "--output", "text")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "arn:aws:sts::222222222222:assumed-role/role-kawahara/cli"


def test_a_wrong_code_is_refused(served):
    env, _, _ = served
    wrong = f"{(int(pyotp.TOTP(SEED).now()) + 500000) % 1000000:06d}"
    result = aws(env, "sts", "assume-role", "--role-arn", ROLE, "--role-session-name", "cli",
                 "--profile", "hoge-user-kawahara", "--serial-number", MFA, "--token-code", wrong)
    assert "MultiFactorAuthentication failed with invalid MFA one time pass code." in result.stderr


def test_a_profile_with_mfa_serial_asks_once_and_lists_the_bucket(served):
    env, folder, endpoint = served
    with open(folder / "config", "a") as config:
        config.write(f"\n[profile foo-role]\nrole_arn = {ROLE}\nsource_profile = hoge-user-kawahara\n"
                     f"mfa_serial = {MFA}\nregion = us-east-1\nendpoint_url = {endpoint}\n")
    result = aws(env, "s3api", "list-objects-v2", "--bucket", "foo-data", "--profile", "foo-role",
                 stdin=pyotp.TOTP(SEED).now() + "\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Enter MFA code") <= 1
