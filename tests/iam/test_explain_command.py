"""`xacct explain --request FILE`: exit codes, AWS's message text, the fix, and bad files."""

import json

from click.testing import CliRunner

from xacct.cli import cli

S4 = {
    "principal": "arn:aws:iam::111111111111:user/user-kawahara",
    "action": "sts:AssumeRole",
    "resource": "arn:aws:iam::222222222222:role/role-kawahara",
    "resourceAccount": "222222222222",
    "identityPolicies": [{"name": "AllowAssume", "document": {"Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*"}]}}],
    "resourcePolicy": {"Statement": [{"Sid": "WithMfa", "Effect": "Allow",
                                      "Principal": {"AWS": "arn:aws:iam::111111111111:user/user-kawahara"},
                                      "Action": "sts:AssumeRole",
                                      "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]},
}


def explain(tmp_path, data, *extra):
    path = tmp_path / "request.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return CliRunner().invoke(cli, ["explain", "--request", str(path), *extra])


def test_denied_with_aws_text_and_the_mfa_fix(tmp_path):
    result = explain(tmp_path, S4, "--output", "json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)
    assert out["decision"] == "implicitDeny" and out["layer"] == "trust"
    assert out["message"] == ("User: arn:aws:iam::111111111111:user/user-kawahara is not authorized to perform: "
                              "sts:AssumeRole on resource: arn:aws:iam::222222222222:role/role-kawahara")
    assert "--serial-number" in out["fix"] and "WithMfa" in out["fix"]


def test_allowed_with_mfa(tmp_path):
    result = explain(tmp_path, {**S4, "context": {"aws:MultiFactorAuthPresent": "true"}})
    assert result.exit_code == 0 and result.stdout.startswith("Decision: allowed")


def test_identity_denial_names_the_missing_permission(tmp_path):
    data = {"principal": "arn:aws:sts::222222222222:assumed-role/AWS-SystemsManager-AutomationExecutionRole/e1",
            "action": "s3:PutEncryptionConfiguration", "resource": "arn:aws:s3:::logs",
            "identityPolicies": [{"Statement": [{"Effect": "Allow", "Action": "s3:PutBucket*", "Resource": "*"}]}]}
    result = explain(tmp_path, data, "--output", "json")
    out = json.loads(result.stdout)
    assert out["message"].endswith("because no identity-based policy allows the s3:PutEncryptionConfiguration action")
    assert '"Action": "s3:PutEncryptionConfiguration"' in out["fix"]


def test_bad_files_exit_2_and_say_where(tmp_path):
    cases = [
        ("{not json", "line 1, column 2"),
        (json.dumps({"action": "s3:GetObject"}), "principal: a string is required"),
        (json.dumps({**S4, "identityPolicies": [{"Statement": [{"Effect": "Maybe", "Action": "*"}]}]}),
         "identityPolicies[0]: identityPolicies[0] statement 1: Effect must be Allow or Deny"),
        (json.dumps({**S4, "scps": [{"Statement": []}]}), "scps[0]: each organization level is a list"),
        (json.dumps({**S4, "unknown": 1}), "unknown key 'unknown'"),
        (json.dumps({**S4, "resourcePolicy": {"Statement": [{"Effect": "Allow", "Action": "*",
                                                             "Condition": {"StringEqualz": {"a": "b"}}}]}}),
         "unknown condition operator 'StringEqualz'"),
    ]
    for text, message in cases:
        result = explain(tmp_path, text)
        assert result.exit_code == 2, text
        assert message in result.output, result.output
        assert "Traceback" not in result.output



def test_explain_against_a_world():
    """Each `xacct explain --world` process builds the world into its own sandbox."""
    import subprocess
    import sys
    from importlib import resources

    world = str(resources.files("xacct") / "examples" / "worlds" / "s4-mfa.yaml")
    base = [sys.executable, "-m", "xacct", "explain", "--world", world,
            "--principal", "arn:aws:iam::111111111111:user/user-kawahara", "--action", "sts:AssumeRole",
            "--resource", "arn:aws:iam::222222222222:role/role-kawahara"]
    denied = subprocess.run(base + ["--output", "json"], capture_output=True, text=True)
    assert denied.returncode == 1 and json.loads(denied.stdout)["layer"] == "trust"
    allowed = subprocess.run(base + ["--context", "aws:MultiFactorAuthPresent=true"], capture_output=True, text=True)
    assert allowed.returncode == 0, allowed.stderr
    assert CliRunner().invoke(cli, ["explain", "--world", world]).exit_code == 2
