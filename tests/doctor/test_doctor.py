"""`xacct doctor` finds S0, S1 and S4 causes before a run, each with its stable ID, target,
cause and fix; its fixes, applied, make the run succeed. Worlds are the bundled ones with their
account IDs renamed, so that this module's accounts are its own in the process-wide sandbox."""

import json
from pathlib import Path

import pytest
import yaml

from xacct.doctor import CATALOG, Checkup, Reader, diagnose
from xacct.engine.documents import by_name
from xacct.engine.locations import TargetLocation, run_fanout, start_fanout
from xacct.sandbox.world import build_world, load_world

WORLDS = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds"
TOKYO, VIRGINIA = "ap-northeast-1", "us-east-1"
ADMIN = "AWS-SystemsManager-AutomationAdministrationRole"
EXEC = "AWS-SystemsManager-AutomationExecutionRole"


def world(tmp_path, sandbox, name, ids, change=None, region=TOKYO):
    text = (WORLDS / name).read_text()
    for old, new in ids.items():
        text = text.replace(old, new)
    text = text.replace("foo-data", "foo-data-" + "-".join(ids.values()))  # bucket names are global
    data = yaml.safe_load(text)
    if change:
        change(data)
    (tmp_path / "installapp.yaml").write_text((WORLDS / "installapp.yaml").read_text())
    (tmp_path / "world.yaml").write_text(json.dumps(data))
    return build_world(load_world(str(tmp_path / "world.yaml")), sandbox, region)


def checkup(sandbox, built, management, runbook, targets, given=None, region=TOKYO, **extra):
    caller = built.users[(management, "ops")] if (management, "ops") in built.users else sandbox.operator(management)
    caller = sandbox.identity(caller, region)
    found = by_name(runbook, sandbox, caller, region)
    return Checkup(Reader(sandbox, caller, region), found, given or {}, region, caller, targets=targets,
                   owned_by_aws=sandbox.owned_document(runbook) is not None, **extra)


def ids_of(findings):
    return sorted((f.id, f.account, f.region) for f in findings)


# -- S0 ---------------------------------------------------------------------------------------

S0 = "s0-unshared-runbook.yaml"


def s0(tmp_path, sandbox, m, t, change=None):
    built = world(tmp_path, sandbox, S0, {"111111111111": m, "222222222222": t}, change)
    admin = f"arn:aws:iam::{m}:role/{ADMIN}"
    return built, {"AutomationAssumeRole": [admin]}


def test_unshared_runbook_is_D101_and_its_fix_makes_the_run_succeed(tmp_path, sandbox, store):
    m, t = "750000000001", "750000000002"
    built, given = s0(tmp_path, sandbox, m, t)
    check = checkup(sandbox, built, m, "InstallApp", [(t, TOKYO)], given)
    [finding] = diagnose(check)
    assert (finding.id, finding.account, finding.region, finding.layer) == ("D101", t, TOKYO, "share")
    assert finding.fix == (f"aws ssm modify-document-permission --name InstallApp --permission-type Share "
                           f"--account-ids-to-add {t} --region {TOKYO}")
    assert "is unable to be assumed." in finding.cause and finding.title == CATALOG["D101"]

    finding.apply()
    check.reader.read.cache_clear()
    assert diagnose(check) == []
    status, failures = run_installapp(sandbox, store, built, m, t, given)
    assert status == "Success", failures


def test_the_runbook_run_in_its_own_account_or_an_aws_owned_one_needs_no_share(tmp_path, sandbox):
    m, t = "750000000011", "750000000012"
    built, given = s0(tmp_path, sandbox, m, t)
    assert diagnose(checkup(sandbox, built, m, "InstallApp", [], {})) == []
    owned = checkup(sandbox, built, m, "AWS-RestartEC2Instance", [(t, TOKYO)], given)
    assert [f.id for f in diagnose(owned) if f.id.startswith("D1")] == []


def test_a_region_where_the_owner_has_no_such_runbook_is_D102(tmp_path, sandbox):
    m, t = "750000000021", "750000000022"
    built, given = s0(tmp_path, sandbox, m, t)
    findings = diagnose(checkup(sandbox, built, m, "InstallApp", [(t, TOKYO), (t, VIRGINIA)], given))
    assert ids_of(findings) == [("D101", t, TOKYO), ("D102", m, VIRGINIA)]


def _drop_execution_role(data, t):
    del data["accounts"][t]["iam"]["roles"][EXEC]


def _trust_without_admin(data, t):
    statements = data["accounts"][t]["iam"]["roles"][EXEC]["trust"]["Statement"]
    data["accounts"][t]["iam"]["roles"][EXEC]["trust"]["Statement"] = statements[1:]


def _admin_without_assume(data, m):
    data["accounts"][m]["iam"]["roles"][ADMIN]["policies"]["AssumeExecutionRoles"]["Statement"].pop(0)


def _admin_not_trusting_ssm(data, m):
    data["accounts"][m]["iam"]["roles"][ADMIN]["trust"]["Statement"][0]["Principal"] = {
        "Service": "lambda.amazonaws.com"}


@pytest.mark.parametrize("n, change, expected", [
    (3, lambda d, m, t: _drop_execution_role(d, t), "D204"),
    (4, lambda d, m, t: _trust_without_admin(d, t), "D205"),
    (5, lambda d, m, t: _admin_without_assume(d, m), "D203"),
    (6, lambda d, m, t: _admin_not_trusting_ssm(d, m), "D202"),
])
def test_role_causes_of_the_same_aws_text_are_told_apart_and_fixed(tmp_path, sandbox, store, n, change, expected):
    m, t = f"7500000001{n}1", f"7500000001{n}2"
    built, given = s0(tmp_path, sandbox, m, t, lambda d: change(d, m, t))
    owner = sandbox.client("ssm", TOKYO, built.users[(m, "ops")])
    owner.modify_document_permission(Name="InstallApp", PermissionType="Share", AccountIdsToAdd=[t])
    check = checkup(sandbox, built, m, "InstallApp", [(t, TOKYO)], given)
    findings = diagnose(check)
    assert [f.id for f in findings] == [expected], [f.text() for f in findings]
    [finding] = findings
    assert finding.fix.startswith("aws iam ") and finding.apply is not None
    finding.apply()
    check.reader.read.cache_clear()
    assert diagnose(check) == []
    status, failures = run_installapp(sandbox, store, built, m, t, given)
    assert status == "Success", failures


def run_installapp(sandbox, store, built, m, t, given):
    """Run InstallApp from m in t, as a run across accounts does: (status, what failed where)."""
    from xacct.engine.history import automation_execution

    caller = built.users[(m, "ops")]
    fanout = start_fanout(by_name("InstallApp", sandbox, caller, TOKYO), [TargetLocation([t], [TOKYO])],
                          cloud=sandbox, store=store, region=TOKYO, given=given, caller=caller)
    status = run_fanout(fanout)
    parent = automation_execution(store, fanout.parent.id)
    failures = [(s.get("FailureMessage"), s.get("xacct:Explanation")) for s in parent["StepExecutions"]]
    for step in parent["StepExecutions"]:
        if step.get("xacct:ChildExecutionId"):
            child = automation_execution(store, step["xacct:ChildExecutionId"])
            failures += [(s["StepName"], s.get("FailureMessage")) for s in child["StepExecutions"]]
    return status, failures


def test_a_caller_who_may_not_pass_the_administration_role_is_D206(tmp_path, sandbox):
    m, t = "750000000031", "750000000032"

    def narrow(data):
        data["accounts"][m]["iam"]["users"]["ops"]["policies"]["administrator"]["Statement"].append(
            {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"})

    built, given = s0(tmp_path, sandbox, m, t, narrow)
    findings = diagnose(checkup(sandbox, built, m, "InstallApp", [(t, TOKYO)], given))
    assert "D206" in [f.id for f in findings]


# -- S1 ---------------------------------------------------------------------------------------

S1 = "s1-missing-permission.yaml"
ENCRYPT = "AWS-EnableS3BucketEncryption"


def test_a_permission_whose_iam_name_differs_from_the_api_is_D301_per_account(tmp_path, sandbox, store):
    m, a, b = "750000000041", "750000000042", "750000000043"
    built = world(tmp_path, sandbox, S1, {"111111111111": m, "222222222222": a, "333333333333": b})
    targets = [(x, r) for x in (a, b) for r in (TOKYO, VIRGINIA)]
    check = checkup(sandbox, built, m, ENCRYPT, targets, {"AutomationAssumeRole": [f"arn:aws:iam::{m}:role/{ADMIN}"]})
    findings = diagnose(check)
    assert [(f.id, f.account) for f in findings] == [("D301", a), ("D301", b)]
    for finding in findings:
        assert "calls s3 PutBucketEncryption, which IAM authorizes as s3:PutEncryptionConfiguration" in finding.cause
        assert "no identity-based policy allows the s3:PutEncryptionConfiguration action" in finding.cause
        assert finding.statement == {"Effect": "Allow", "Action": "s3:PutEncryptionConfiguration",
                                     "Resource": "arn:aws:s3:::*"}
        assert finding.fix.startswith(f"aws iam put-role-policy --role-name {EXEC} ")
        finding.apply()
    check.reader.read.cache_clear()
    assert diagnose(check) == []


def test_a_known_bucket_is_judged_on_its_own_arn(tmp_path, sandbox):
    m, a, b = "750000000051", "750000000052", "750000000053"

    def only_one_bucket(data):
        data["accounts"][a]["iam"]["roles"][EXEC]["policies"]["ExecutionPolicy"]["Statement"].append(
            {"Effect": "Allow", "Action": "s3:PutEncryptionConfiguration", "Resource": "arn:aws:s3:::allowed-bucket"})

    built = world(tmp_path, sandbox, S1, {"111111111111": m, "222222222222": a, "333333333333": b}, only_one_bucket)
    given = {"AutomationAssumeRole": [f"arn:aws:iam::{m}:role/{ADMIN}"]}
    assert diagnose(checkup(sandbox, built, m, ENCRYPT, [(a, VIRGINIA)], given)) == []  # some bucket is allowed
    other = diagnose(checkup(sandbox, built, m, ENCRYPT, [(a, VIRGINIA)], {**given, "BucketName": ["other-bucket"]}))
    assert [f.id for f in other] == ["D301"]
    assert other[0].statement["Resource"] == "arn:aws:s3:::other-bucket"
    allowed = diagnose(checkup(sandbox, built, m, ENCRYPT, [(a, VIRGINIA)], {**given, "BucketName": ["allowed-bucket"]}))
    assert allowed == []


def test_an_explicit_deny_is_D302_and_a_condition_is_D303(tmp_path, sandbox):
    m, a, b = "750000000061", "750000000062", "750000000063"

    def deny_and_condition(data):
        data["accounts"][a]["iam"]["roles"][EXEC]["policies"]["ExecutionPolicy"]["Statement"] += [
            {"Effect": "Allow", "Action": "s3:PutEncryptionConfiguration", "Resource": "*"},
            {"Effect": "Deny", "Action": "s3:Put*", "Resource": "*"}]
        data["accounts"][b]["iam"]["roles"][EXEC]["policies"]["ExecutionPolicy"]["Statement"].append(
            {"Effect": "Allow", "Action": "s3:PutEncryptionConfiguration", "Resource": "*",
             "Condition": {"StringEquals": {"aws:RequestedRegion": "eu-west-1"}}})

    built = world(tmp_path, sandbox, S1, {"111111111111": m, "222222222222": a, "333333333333": b}, deny_and_condition)
    given = {"AutomationAssumeRole": [f"arn:aws:iam::{m}:role/{ADMIN}"]}
    findings = diagnose(checkup(sandbox, built, m, ENCRYPT, [(a, VIRGINIA), (b, VIRGINIA)], given))
    assert [(f.id, f.severity, f.account) for f in findings] == [("D302", "error", a), ("D303", "warning", b)]
    assert "denies s3:PutEncryptionConfiguration" in findings[0].cause and findings[0].apply is None


# -- S4 ---------------------------------------------------------------------------------------

def test_a_role_that_needs_mfa_is_D401_until_the_caller_brings_a_device(tmp_path, sandbox):
    hoge, foo = "750000000071", "750000000072"
    built = world(tmp_path, sandbox, "s4-mfa.yaml", {"111111111111": hoge, "222222222222": foo}, region=VIRGINIA)
    user = built.users[(hoge, "user-kawahara")]
    role = f"arn:aws:iam::{foo}:role/role-kawahara"
    serial = f"arn:aws:iam::{hoge}:mfa/user-kawahara"
    bucket = f"foo-data-{hoge}-{foo}"

    def check(**extra):
        caller = sandbox.identity(user, VIRGINIA)
        found = by_name(ENCRYPT, sandbox, caller, VIRGINIA)
        return diagnose(Checkup(Reader(sandbox, caller, VIRGINIA), found, {"BucketName": [bucket]}, VIRGINIA,
                                caller, owned_by_aws=True, role_arn=role, **extra))

    without = check()
    assert [f.id for f in without][0] == "D401"
    assert f"is not authorized to perform: sts:AssumeRole on resource: {role}" in without[0].cause
    assert f"--serial-number {serial} --token-code <code>" in without[0].fix
    assert f"mfa_serial = {serial}" in without[0].fix
    # with the device, the run's own calls are judged as the role: it may only list foo-data
    with_device = check(mfa_serial=serial)
    assert [f.id for f in with_device] == ["D301"]
    assert with_device[0].cause.endswith("no identity-based policy allows the s3:PutEncryptionConfiguration action")
    wrong = check(mfa_serial=f"arn:aws:iam::{hoge}:mfa/someone-else")
    assert wrong[0].id == "D401" and "is not an MFA device of" in wrong[0].cause


def test_an_scp_that_denies_what_the_role_may_do_is_D302(tmp_path, sandbox):
    m, a, b = "750000000081", "750000000082", "750000000083"

    def organization(data):
        data["accounts"][a]["iam"]["roles"][EXEC]["policies"]["ExecutionPolicy"]["Statement"].append(
            {"Effect": "Allow", "Action": "s3:PutEncryptionConfiguration", "Resource": "*"})
        data["organization"] = {
            "management": m,
            "scps": {"FullAccess": {"Version": "2012-10-17", "Statement": [
                         {"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                     "NoEncryptionChanges": {"Version": "2012-10-17", "Statement": [
                         {"Effect": "Deny", "Action": "s3:PutEncryptionConfiguration", "Resource": "*"}]}},
            "units": {"Workloads": {"accounts": [a], "scps": ["FullAccess", "NoEncryptionChanges"]}}}

    built = world(tmp_path, sandbox, S1, {"111111111111": m, "222222222222": a, "333333333333": b}, organization)
    given = {"AutomationAssumeRole": [f"arn:aws:iam::{m}:role/{ADMIN}"]}
    [finding] = diagnose(checkup(sandbox, built, m, ENCRYPT, [(a, VIRGINIA)], given))
    assert (finding.id, finding.account) == ("D302", a)
    assert "SCP NoEncryptionChanges statement 1 denies s3:PutEncryptionConfiguration" in finding.cause


def test_the_lookup_of_resource_targets_is_judged_too(tmp_path, sandbox):
    m, a, b = "750000000101", "750000000102", "750000000103"

    def without_tag_lookup(data):
        data["accounts"][a]["iam"]["roles"][EXEC]["policies"]["ExecutionPolicy"]["Statement"][0]["Action"] = [
            "ec2:DescribeInstances"]

    built = world(tmp_path, sandbox, S1, {"111111111111": m, "222222222222": a, "333333333333": b},
                  without_tag_lookup)
    given = {"AutomationAssumeRole": [f"arn:aws:iam::{m}:role/{ADMIN}"], "BucketName": ["given-but-replaced"]}
    findings = diagnose(checkup(sandbox, built, m, ENCRYPT, [(a, VIRGINIA)], given, target_keys=["tag:Encrypt"],
                                target_parameter="BucketName"))
    assert [(f.id, f.statement["Action"], f.statement["Resource"]) for f in findings] == [
        ("D301", "tag:GetResources", "*"), ("D301", "s3:PutEncryptionConfiguration", "arn:aws:s3:::*")]
    assert findings[0].cause.startswith("step (targets) calls resourcegroupstaggingapi GetResources")
