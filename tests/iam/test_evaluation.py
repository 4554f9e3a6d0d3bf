"""AWS's evaluation logic, layer by layer. Sources (IAM User Guide unless noted): "Policy
evaluation logic", "Policy evaluation for requests within a single account", "Cross-account
policy evaluation logic", "IAM JSON policy elements: Action / NotAction / Resource / NotResource /
Principal / NotPrincipal", "Permissions boundaries for IAM entities", "Session policies"; AWS
Organizations User Guide: "Service control policies (SCPs)", "Resource control policies
(RCPs)"; AWS KMS Developer Guide: "Key policies in AWS KMS", "Default key policy"."""

import pytest

from xacct.iam import Caller, PolicySet, Request, evaluate, parse_policy

A, B = "111111111111", "222222222222"
USER = f"arn:aws:iam::{A}:user/alice"
ROLE = f"arn:aws:iam::{A}:role/ops"
SESSION = f"arn:aws:sts::{A}:assumed-role/ops/s1"
BUCKET = "arn:aws:s3:::data"
OBJECT = "arn:aws:s3:::data/report.csv"


def allow(action="s3:GetObject", resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def deny(action="s3:GetObject", resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


def grant(principal, action="s3:GetObject", resource=OBJECT, effect="Allow", **extra):
    return {"Effect": effect, "Principal": principal, "Action": action, "Resource": resource, **extra}


def P(*statements, name="policy"):
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, name)


def decide(caller=USER, action="s3:GetObject", arn=OBJECT, account=A, context=None, **policies):
    policies.setdefault("identity", [])
    request = Request(Caller(caller), action, arn, account, context or {})
    return evaluate(request, PolicySet(**policies))


ELEMENT_CASES = [
    # name, identity statements, action, resource, decision
    ("action-exact", [allow()], "s3:GetObject", OBJECT, "allowed"),
    ("action-case-insensitive", [allow("S3:getobject")], "s3:GetObject", OBJECT, "allowed"),
    ("action-star", [allow("s3:Get*")], "s3:GetObject", OBJECT, "allowed"),
    ("action-question", [allow("s3:GetObjec?")], "s3:GetObject", OBJECT, "allowed"),
    ("action-other", [allow("s3:Put*")], "s3:GetObject", OBJECT, "implicitDeny"),
    ("action-list", [allow(["ec2:*", "s3:GetObject"])], "s3:GetObject", OBJECT, "allowed"),
    ("not-action", [{"Effect": "Allow", "NotAction": "iam:*", "Resource": "*"}], "s3:GetObject", OBJECT, "allowed"),
    ("not-action-excluded", [{"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}], "s3:GetObject", OBJECT,
     "implicitDeny"),
    ("resource-wildcard", [allow(resource="arn:aws:s3:::data/*")], "s3:GetObject", OBJECT, "allowed"),
    ("resource-case-sensitive", [allow(resource="arn:aws:s3:::DATA/*")], "s3:GetObject", OBJECT, "implicitDeny"),
    ("resource-segment", [allow("ec2:*", "arn:aws:ec2:*:111111111111:instance/*")], "ec2:StopInstances",
     f"arn:aws:ec2:us-east-1:{A}:instance/i-1", "allowed"),
    ("resource-account-segment", [allow("ec2:*", "arn:aws:ec2:*:222222222222:instance/*")], "ec2:StopInstances",
     f"arn:aws:ec2:us-east-1:{A}:instance/i-1", "implicitDeny"),
    ("not-resource", [{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::secret/*"}],
     "s3:GetObject", OBJECT, "allowed"),
    ("not-resource-excluded", [{"Effect": "Allow", "Action": "s3:*", "NotResource": "arn:aws:s3:::data/*"}],
     "s3:GetObject", OBJECT, "implicitDeny"),
    ("variable-in-resource", [allow(resource="arn:aws:s3:::home/${aws:username}/*")], "s3:GetObject",
     "arn:aws:s3:::home/alice/x", "allowed"),
    ("variable-other-user", [allow(resource="arn:aws:s3:::home/${aws:username}/*")], "s3:GetObject",
     "arn:aws:s3:::home/bob/x", "implicitDeny"),
    ("deny-wins", [allow("s3:*"), deny("s3:GetObject", OBJECT)], "s3:GetObject", OBJECT, "explicitDeny"),
    ("deny-with-failed-condition", [allow("s3:*"), deny(Condition={"Bool": {"aws:SecureTransport": "false"}})],
     "s3:GetObject", OBJECT, "allowed"),
]


@pytest.mark.parametrize("name, statements, action, resource, expected", ELEMENT_CASES,
                         ids=[c[0] for c in ELEMENT_CASES])
def test_policy_elements(name, statements, action, resource, expected):
    assert decide(action=action, arn=resource, identity=[P(*statements)]).decision == expected


def test_no_policy_is_an_implicit_deny_by_identity():
    d = decide()
    assert (d.decision, d.layer, d.missing) == ("implicitDeny", "identity", "identity")


def test_the_deciding_statement_is_named():
    d = decide(identity=[P(allow(), {"Sid": "NoReports", **deny()}, name="Readers")])
    assert d.decision == "explicitDeny" and d.layer == "identity"
    assert (d.statements[0].policy, d.statements[0].sid, d.statements[0].index) == ("Readers", "NoReports", 1)


# --- resource-based policies, one account and across accounts ---------------------------------
RESOURCE_CASES = [
    # name, caller, resource account, identity allows?, resource policy principal, decision, layer
    ("same-account-identity-only", USER, A, True, None, "allowed", "identity"),
    ("same-account-resource-grant-to-user", USER, A, False, {"AWS": USER}, "allowed", "resource"),
    ("same-account-resource-grant-to-session", SESSION, A, False, {"AWS": SESSION}, "allowed", "resource"),
    ("same-account-resource-grant-to-role", SESSION, A, False, {"AWS": ROLE}, "allowed", "resource"),
    ("same-account-grant-to-account-needs-identity", USER, A, False, {"AWS": A}, "implicitDeny", "identity"),
    ("same-account-everyone", USER, A, False, "*", "allowed", "resource"),
    ("cross-account-both-allow", f"arn:aws:iam::{B}:user/bob", A, True, {"AWS": f"arn:aws:iam::{B}:root"},
     "allowed", "identity"),
    ("cross-account-no-resource-policy", f"arn:aws:iam::{B}:user/bob", A, True, None, "implicitDeny", "resource"),
    ("cross-account-resource-only", f"arn:aws:iam::{B}:user/bob", A, False, {"AWS": f"arn:aws:iam::{B}:user/bob"},
     "implicitDeny", "identity"),
    ("cross-account-other-account-named", f"arn:aws:iam::{B}:user/bob", A, True, {"AWS": "333333333333"},
     "implicitDeny", "resource"),
]


@pytest.mark.parametrize("name, caller, account, identity_allows, principal, expected, layer", RESOURCE_CASES,
                         ids=[c[0] for c in RESOURCE_CASES])
def test_resource_policies_and_accounts(name, caller, account, identity_allows, principal, expected, layer):
    identity = [P(allow())] if identity_allows else []
    resource = P(grant(principal)) if principal else None
    d = decide(caller=caller, account=account, identity=identity, resource=resource)
    assert (d.decision, d.layer) == (expected, layer)


def test_resource_deny_applies_to_the_owner_too():
    d = decide(identity=[P(allow())], resource=P(grant("*", effect="Deny")))
    assert (d.decision, d.layer) == ("explicitDeny", "resource")


def test_not_principal_deny_denies_everyone_else():
    resource = P({"Effect": "Deny", "NotPrincipal": {"AWS": USER}, "Action": "s3:*", "Resource": OBJECT})
    assert decide(identity=[P(allow())], resource=resource).decision == "allowed"
    other = f"arn:aws:iam::{A}:user/carol"
    assert decide(caller=other, identity=[P(allow())], resource=resource).decision == "explicitDeny"


def test_anonymous_needs_a_public_grant():
    assert decide(caller="*", resource=P(grant("*"))).decision == "allowed"
    assert decide(caller="*", resource=P(grant({"AWS": A}))).decision == "implicitDeny"


# --- boundaries and session policies ------------------------------------------------------------
def test_boundary_limits_identity():
    d = decide(identity=[P(allow("s3:*"))], boundaries=[P(allow("ec2:*"))])
    assert (d.decision, d.layer) == ("implicitDeny", "boundary")
    assert decide(identity=[P(allow("s3:*"))], boundaries=[P(allow("s3:Get*"))]).decision == "allowed"


def test_boundary_does_not_grant():
    assert decide(boundaries=[P(allow("s3:*"))]).decision == "implicitDeny"


def test_resource_grant_to_a_role_arn_is_limited_by_the_boundary_but_not_to_a_session_arn():
    boundary = [P(allow("ec2:*"))]
    assert decide(caller=SESSION, resource=P(grant({"AWS": ROLE})), boundaries=boundary).layer == "boundary"
    assert decide(caller=SESSION, resource=P(grant({"AWS": SESSION})), boundaries=boundary).decision == "allowed"


def test_session_policy_limits_a_role_session():
    d = decide(caller=SESSION, identity=[P(allow("s3:*"))], session=P(allow("ec2:*")))
    assert (d.decision, d.layer) == ("implicitDeny", "session")
    assert decide(caller=SESSION, identity=[P(allow("s3:*"))], session=P(allow())).decision == "allowed"


# --- organizations: SCPs and RCPs ---------------------------------------------------------------
FULL = P(allow("*"), name="FullAWSAccess")


def test_every_scp_level_must_allow():
    levels = [[FULL], [P(allow("ec2:*"), name="OnlyEc2")], [FULL]]
    d = decide(identity=[P(allow("s3:*"))], scps=levels)
    assert (d.decision, d.layer, d.missing) == ("implicitDeny", "scp", "scp level 2")
    assert decide(identity=[P(allow("s3:*"))], scps=[[FULL], [FULL]]).decision == "allowed"


def test_scp_deny_and_scp_does_not_grant():
    d = decide(identity=[P(allow("s3:*"))], scps=[[FULL, P(deny("s3:*"), name="NoS3")]])
    assert (d.decision, d.layer, d.statements[0].policy) == ("explicitDeny", "scp", "NoS3")
    assert decide(scps=[[FULL]]).decision == "implicitDeny"


def test_service_linked_roles_are_exempt_from_scps():
    slr = f"arn:aws:sts::{A}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling"
    request_caller = Caller(slr, f"arn:aws:iam::{A}:role/aws-service-role/autoscaling.amazonaws.com/"
                                 "AWSServiceRoleForAutoScaling")
    policies = PolicySet(identity=[P(allow("kms:*"))], scps=[[P(deny("kms:*"))]])
    assert evaluate(Request(request_caller, "kms:Decrypt", "*", A), policies).decision == "allowed"


def test_rcps_apply_to_the_resource():
    d = decide(identity=[P(allow())], rcps=[[P(allow("s3:*"))], [P(deny("s3:GetObject"), name="NoReads")]])
    assert (d.decision, d.layer) == ("explicitDeny", "rcp")
    d = decide(identity=[P(allow())], rcps=[[P(allow("ec2:*"))]])
    assert (d.decision, d.layer) == ("implicitDeny", "rcp")


# --- role trust policies ------------------------------------------------------------------------
ROLE_B = f"arn:aws:iam::{B}:role/target"


def assume(caller, trust, identity=None, context=None, account=B):
    return decide(caller=caller, action="sts:AssumeRole", arn=ROLE_B, account=account, context=context,
                  identity=identity or [], resource=P(*trust), resource_kind="trust")


def test_trust_policy_must_allow_even_in_one_account():
    same = f"arn:aws:iam::{B}:user/local"
    d = assume(same, [grant({"AWS": f"arn:aws:iam::{B}:user/other"}, "sts:AssumeRole", resource="*")],
               identity=[P(allow("sts:AssumeRole"))])
    assert (d.decision, d.layer) == ("implicitDeny", "trust")
    assert assume(same, [grant({"AWS": same}, "sts:AssumeRole", resource="*")]).decision == "allowed"


def test_cross_account_assume_needs_trust_and_identity():
    trust = [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "sts:AssumeRole"}]
    assert assume(USER, trust).layer == "identity"
    assert assume(USER, trust, identity=[P(allow("sts:AssumeRole", ROLE_B))]).decision == "allowed"


def test_mfa_condition_in_trust_is_a_near_miss_without_mfa():
    trust = [{"Effect": "Allow", "Principal": {"AWS": USER}, "Action": "sts:AssumeRole",
              "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]
    identity = [P(allow("sts:AssumeRole"))]
    d = assume(USER, trust, identity)
    assert (d.decision, d.layer) == ("implicitDeny", "trust")
    assert d.notes[0].key == "aws:MultiFactorAuthPresent"
    assert assume(USER, trust, identity, context={"aws:MultiFactorAuthPresent": "true"}).decision == "allowed"


def test_service_principal_in_trust_with_source_conditions():
    trust = [{"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole",
              "Condition": {"StringEquals": {"aws:SourceAccount": B},
                            "ArnLike": {"aws:SourceArn": f"arn:aws:ssm:*:{B}:automation-execution/*"}}}]
    ok = {"aws:SourceAccount": B, "aws:SourceArn": f"arn:aws:ssm:us-east-1:{B}:automation-execution/e-1"}
    assert assume("ssm.amazonaws.com", trust, context=ok).decision == "allowed"
    wrong = {**ok, "aws:SourceAccount": A}
    assert assume("ssm.amazonaws.com", trust, context=wrong).decision == "implicitDeny"


# --- KMS key policies ---------------------------------------------------------------------------
KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd"
ROOT_DELEGATES = {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
                  "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "kms:*", "Resource": "*"}


def kms(caller, key_policy, identity, account=A):
    return decide(caller=caller, action="kms:Decrypt", arn=KEY, account=account, identity=identity,
                  resource=P(*key_policy), resource_kind="kms")


def test_iam_policies_count_only_where_the_key_policy_delegates_to_the_account():
    identity = [P(allow("kms:Decrypt"))]
    assert kms(USER, [ROOT_DELEGATES], identity).decision == "allowed"
    other_only = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:user/admin"}, "Action": "kms:*",
                  "Resource": "*"}
    d = kms(USER, [other_only], identity)
    assert (d.decision, d.layer) == ("implicitDeny", "kms")


def test_cross_account_key_use_needs_the_key_policy_and_the_callers_iam():
    bob = f"arn:aws:iam::{B}:user/bob"
    to_b = {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
            "Action": ["kms:Decrypt", "kms:DescribeKey"], "Resource": "*"}
    assert kms(bob, [ROOT_DELEGATES], [P(allow("kms:Decrypt"))]).layer == "kms"
    assert kms(bob, [ROOT_DELEGATES, to_b], []).layer == "identity"
    assert kms(bob, [ROOT_DELEGATES, to_b], [P(allow("kms:Decrypt", KEY))]).decision == "allowed"
