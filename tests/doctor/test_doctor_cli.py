"""`xacct doctor` as users run it: bundled worlds, exit statuses, JSON, --apply with and without
confirmation, and bad input answered with a message instead of a traceback."""

import json
import subprocess
import sys
from pathlib import Path

WORLDS = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds"
S0 = ["InstallApp", "--world", str(WORLDS / "s0-unshared-runbook.yaml"), "--accounts", "222222222222",
      "--regions", "ap-northeast-1", "--region", "ap-northeast-1"]


def xacct(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "xacct", *args], capture_output=True, text=True, input=stdin,
                          timeout=120)


def test_s0_is_found_before_the_run_with_its_id_target_and_fix():
    result = xacct("doctor", *S0, "--output", "json")
    assert result.returncode == 1, result.stderr
    [finding] = json.loads(result.stdout)
    assert finding["Id"] == "D101" and finding["Account"] == "222222222222" and finding["Region"] == "ap-northeast-1"
    assert finding["Fix"] == ("aws ssm modify-document-permission --name InstallApp --permission-type Share "
                              "--account-ids-to-add 222222222222 --region ap-northeast-1")
    assert finding["Fixable"] is True


def test_apply_asks_first_and_changes_nothing_when_refused():
    result = xacct("doctor", *S0, "--apply", stdin="n\n")
    assert result.returncode == 1
    assert "Make them? [y/N]" in result.stdout and "Nothing changed." in result.stdout


def test_apply_with_yes_fixes_and_checks_again():
    result = xacct("doctor", *S0, "--apply", "--yes")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "222222222222/ap-northeast-1 D101: done" in result.stdout
    assert result.stdout.rstrip().endswith("No findings: nothing doctor can foresee would make this run fail.")


def test_s1_names_the_iam_action_of_the_api():
    result = xacct("doctor", "AWS-EnableS3BucketEncryption", "--world", str(WORLDS / "s1-missing-permission.yaml"),
                   "--accounts", "222222222222,333333333333", "--regions", "ap-northeast-1,us-east-1")
    assert result.returncode == 1
    assert result.stdout.count("D301 error") == 2
    assert "which IAM authorizes as s3:PutEncryptionConfiguration" in result.stdout


def test_s4_mfa_is_found_for_the_role_the_caller_assumes():
    result = xacct("doctor", "AWS-EnableS3BucketEncryption", "--world", str(WORLDS / "s4-mfa.yaml"),
                   "--as", "arn:aws:iam::111111111111:user/user-kawahara",
                   "--role-arn", "arn:aws:iam::222222222222:role/role-kawahara", "-p", "BucketName=foo-data")
    assert "D401 error: MFA required by the role's trust policy" in result.stdout
    assert "--serial-number arn:aws:iam::111111111111:mfa/user-kawahara --token-code <code>" in result.stdout


def test_bad_input_says_what_and_where_without_a_traceback():
    cases = [
        (["doctor", "InstallApp", "--accounts", "2222"], "an account is 12 digits"),
        (["doctor", "InstallApp", "--as", "arn:aws:iam::111111111111:user/x"], "use it with --world"),
        (["doctor", "NoSuchRunbook", "--world", str(WORLDS / "s0-unshared-runbook.yaml")], "NoSuchRunbook"),
        (["doctor", "InstallApp", "--yes"], "--yes goes with --apply"),
    ]
    for args, text in cases:
        result = xacct(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert text in result.stderr and "Traceback" not in result.stderr


def test_the_findings_catalog_in_docs_is_current():
    from xacct.doctor.findings import catalog_markdown

    assert (Path(__file__).parents[2] / "docs" / "doctor.md").read_text() == catalog_markdown()


def test_ous_by_their_world_names_with_and_without_children(tmp_path):
    import yaml

    world = yaml.safe_load((WORLDS / "s1-missing-permission.yaml").read_text())
    world["organization"] = {"management": "111111111111", "units": {
        "Workloads": {"accounts": ["222222222222"], "units": {"Prod": {"accounts": ["333333333333"]}}}}}
    (tmp_path / "world.json").write_text(json.dumps(world))
    common = ["doctor", "AWS-EnableS3BucketEncryption", "--world", str(tmp_path / "world.json"), "--regions",
              "us-east-1", "--output", "json"]

    def accounts(*args):
        result = xacct(*common, *args)
        return sorted(f["Account"] for f in json.loads(result.stdout))

    assert accounts("--ou", "Workloads") == ["222222222222"]
    assert accounts("--ou", "Workloads", "--include-child-ous") == ["222222222222", "333333333333"]
    assert accounts("--ou", "Workloads", "--include-child-ous", "--exclude-accounts", "Workloads/Prod") == [
        "222222222222"]
    unknown = xacct(*common, "--ou", "Nope")
    assert unknown.returncode == 2 and "units: Workloads, Workloads/Prod" in unknown.stderr


def test_a_denial_explained_after_a_run_names_the_finding_that_foresees_it():
    from xacct.doctor.findings import finding_for

    admin = "arn:aws:sts::111111111111:assumed-role/AWS-SystemsManager-AutomationAdministrationRole/x"
    cases = [
        ({"layer": "share", "action": "ssm:GetDocument", "finding": "D101"}, "D101"),
        ({"layer": "trust", "action": "sts:AssumeRole", "principal": admin, "finding": "D204"}, "D204"),
        ({"layer": "trust", "action": "sts:AssumeRole", "principal": admin}, "D205"),
        ({"layer": "identity", "action": "sts:AssumeRole", "principal": admin}, "D203"),
        ({"layer": "trust", "action": "sts:AssumeRole", "principal": "ssm.amazonaws.com",
          "resource": "arn:aws:iam::2:role/AWS-SystemsManager-AutomationExecutionRole"}, "D207"),
        ({"layer": "identity", "action": "iam:PassRole"}, "D206"),
        ({"layer": "identity", "action": "s3:PutEncryptionConfiguration", "decision": "implicitDeny"}, "D301"),
        ({"layer": "scp", "action": "s3:PutEncryptionConfiguration", "decision": "explicitDeny"}, "D302"),
        ({"layer": "trust", "action": "sts:AssumeRole", "principal": "arn:aws:iam::1:user/u",
          "fix": "... Bool aws:MultiFactorAuthPresent ['true']: sign in with MFA"}, "D401"),
        ({"layer": "kms", "action": "kms:CreateGrant", "principal": "arn:aws:iam::222222222222:user/ops",
          "resource": "arn:aws:kms:us-east-1:111111111111:key/k"}, "D503"),
        ({"layer": "kms", "action": "kms:Decrypt", "principal": "arn:aws:sts::222222222222:assumed-role/"
          "AWSServiceRoleForAutoScaling/AutoScaling", "resource": "arn:aws:kms:us-east-1:111111111111:key/k"}, "D504"),
        # issue 11, defect 6: a key of the caller's own account is no AMI share's: its key policy is
        # judged as any resource's the runbook names (D304), and a key no call names is no check's
        ({"layer": "kms", "action": "kms:Decrypt", "principal": "arn:aws:sts::222222222222:assumed-role/R/s",
          "resource": "arn:aws:kms:us-east-1:222222222222:key/k", "decision": "implicitDeny"}, "D304"),
        ({"layer": "kms", "action": "kms:Decrypt", "principal": "arn:aws:sts::222222222222:assumed-role/R/s",
          "resource": "*"}, None),
        ({"layer": "session", "action": "s3:GetObject", "decision": "implicitDeny"}, None),
    ]
    for explanation, expected in cases:
        assert finding_for(explanation) == expected, explanation
