"""IAM's special rules, one table each, with the AWS page each row comes from. Every row is a
request and the policies that apply to it; the expected decision is what AWS's page says."""

from __future__ import annotations

import json

import pytest

from xacct.iam import ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY, Caller, PolicySet, Request, evaluate, parse_policy
from xacct.iam.explain import explain, fix_for

A, B, MANAGEMENT = "634100000001", "634100000002", "634100000009"
USER = f"arn:aws:iam::{A}:user/mio"
ROLE = f"arn:aws:iam::{A}:role/builder"
SESSION = f"arn:aws:sts::{A}:assumed-role/builder/run-7"
SLR = f"arn:aws:iam::{A}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
BUCKET_OBJECT = "arn:aws:s3:::tsubame-logs/k"


def policy(*statements, name="p"):
    return parse_policy({"Version": "2012-10-17", "Statement": list(statements)}, name)


def allow(action="*", resource="*", **more):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **more}


def deny(action="*", resource="*", **more):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **more}


ADMIN = policy(allow())
NOTHING = policy(allow("ec2:DescribeRegions"))


def decide(principal, action, target="*", *, role=None, account=None, context=None, **policies):
    return evaluate(Request(Caller(principal, role), action, target, account, context or {}), PolicySet(**policies))


# "GetCallerIdentity": no permissions are required, and an explicit deny does not stop it.
# https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
@pytest.mark.parametrize("policies", [
    {},
    {"identity": [policy(deny("sts:GetCallerIdentity"))]},
    {"identity": [ADMIN], "scps": [[policy(deny())]]},
    {"boundaries": [NOTHING], "session": policy(deny("sts:*"))},
])
def test_get_caller_identity_needs_no_permission_and_cannot_be_denied(policies):
    decision = decide(SESSION, "sts:GetCallerIdentity", role=ROLE, **policies)
    assert decision.decision == ALLOWED
    assert "every caller" in decision.reason


# AWS managed policies and service-linked roles cannot be changed by anyone, administrators too.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies
# https://docs.aws.amazon.com/IAM/latest/UserGuide/using-service-linked-roles.html
@pytest.mark.parametrize("action,resource,expected", [
    ("iam:CreatePolicyVersion", "arn:aws:iam::aws:policy/AdministratorAccess", EXPLICIT_DENY),
    ("iam:DeletePolicy", "arn:aws:iam::aws:policy/ReadOnlyAccess", EXPLICIT_DENY),
    ("iam:SetDefaultPolicyVersion", "arn:aws:iam::aws:policy/ReadOnlyAccess", EXPLICIT_DENY),
    ("iam:GetPolicyVersion", "arn:aws:iam::aws:policy/ReadOnlyAccess", ALLOWED),  # reading is not changing
    ("iam:PutRolePolicy", SLR, EXPLICIT_DENY),
    ("iam:AttachRolePolicy", SLR, EXPLICIT_DENY),
    ("iam:DeleteRole", SLR, EXPLICIT_DENY),
    ("iam:UpdateAssumeRolePolicy", SLR, EXPLICIT_DENY),
    ("iam:PutRolePermissionsBoundary", SLR, EXPLICIT_DENY),
    ("iam:GetRole", SLR, ALLOWED),
    ("iam:PutRolePolicy", ROLE, ALLOWED),  # an ordinary role of the account
    ("iam:CreatePolicyVersion", f"arn:aws:iam::{A}:policy/team-policy", ALLOWED),
])
def test_aws_managed_policies_and_service_linked_roles_are_protected_from_admins(action, resource, expected):
    decision = decide(USER, action, resource, account=A, identity=[ADMIN])
    assert decision.decision == expected
    if expected == EXPLICIT_DENY:
        assert decision.layer == "protected"
        assert explain(Request(Caller(USER), action, resource), decision)["fix"].startswith("none:")


def test_a_service_linked_role_is_refused_with_iams_words():
    decision = decide(USER, "iam:PutRolePolicy", SLR, identity=[ADMIN])
    assert decision.reason == ("Cannot perform the operation on the protected role 'AWSServiceRoleForAutoScaling' - "
                               "this role is only modifiable by AWS")


# Within one account a resource-based policy that names the IAM user or the role session ARN is
# not limited by an implicit deny of a permissions boundary or a session policy; one that names
# the role ARN is. An explicit deny anywhere still decides.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html
# https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html
# https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session
def bucket_naming(*principals):
    return policy(allow("s3:GetObject", BUCKET_OBJECT, Principal={"AWS": list(principals)}), name="bucket")


@pytest.mark.parametrize("caller,role,named,limits,expected,layer", [
    (USER, None, USER, {"boundaries": [NOTHING]}, ALLOWED, "resource"),
    (SESSION, ROLE, SESSION, {"boundaries": [NOTHING]}, ALLOWED, "resource"),
    (SESSION, ROLE, SESSION, {"session": NOTHING}, ALLOWED, "resource"),
    (SESSION, ROLE, ROLE, {"boundaries": [NOTHING]}, IMPLICIT_DENY, "boundary"),
    (SESSION, ROLE, ROLE, {"session": NOTHING}, IMPLICIT_DENY, "session"),
    (SESSION, ROLE, ROLE, {}, ALLOWED, "resource"),  # nothing limits it
    (SESSION, ROLE, ROLE, {"boundaries": [policy(allow("s3:*"))]}, ALLOWED, "resource"),
    (USER, None, USER, {"boundaries": [policy(deny("s3:*"))]}, EXPLICIT_DENY, "boundary"),
    (SESSION, ROLE, SESSION, {"session": policy(deny("s3:GetObject"))}, EXPLICIT_DENY, "session"),
    (USER, None, f"arn:aws:iam::{A}:root", {"boundaries": [NOTHING]}, IMPLICIT_DENY, "identity"),  # delegates
])
def test_same_account_resource_policy_against_boundaries_and_session_policies(caller, role, named, limits,
                                                                              expected, layer):
    decision = decide(caller, "s3:GetObject", BUCKET_OBJECT, role=role, account=A, resource=bucket_naming(named),
                      **limits)
    assert (decision.decision, decision.layer) == (expected, layer)


def test_a_grant_to_the_session_allows_even_when_another_names_only_the_role():
    bucket = policy(allow("s3:GetObject", BUCKET_OBJECT, Principal={"AWS": ROLE}),
                    allow("s3:GetObject", BUCKET_OBJECT, Principal={"AWS": SESSION}), name="bucket")
    decision = decide(SESSION, "s3:GetObject", BUCKET_OBJECT, role=ROLE, account=A, resource=bucket,
                      boundaries=[NOTHING])
    assert decision.allowed and [s.index for s in decision.statements] == [1]


# SCPs do not affect principals of the management account, nor service-linked roles; RCPs do not
# affect the management account's resources.
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html
# https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html
DENY_ALL = [[policy(deny(), name="DenyAll")]]
ALLOW_LIST = [[policy(allow("ec2:*"), name="OnlyEc2")]]


@pytest.mark.parametrize("caller,account,scps,rcps,expected", [
    (f"arn:aws:iam::{MANAGEMENT}:user/kaito", MANAGEMENT, DENY_ALL, [], ALLOWED),
    (f"arn:aws:iam::{MANAGEMENT}:user/kaito", MANAGEMENT, ALLOW_LIST, [], ALLOWED),
    (f"arn:aws:iam::{A}:user/mio", A, DENY_ALL, [], EXPLICIT_DENY),
    (f"arn:aws:iam::{A}:user/mio", A, ALLOW_LIST, [], IMPLICIT_DENY),
    (f"arn:aws:sts::{A}:assumed-role/AWSServiceRoleForAutoScaling/AutoScaling", A, DENY_ALL, [], ALLOWED),
    (f"arn:aws:iam::{MANAGEMENT}:user/kaito", MANAGEMENT, [], DENY_ALL, ALLOWED),
    (f"arn:aws:iam::{A}:user/mio", A, [], DENY_ALL, EXPLICIT_DENY),
])
def test_scps_and_rcps_spare_the_management_account_and_service_linked_roles(caller, account, scps, rcps, expected):
    role = SLR if "AWSServiceRoleFor" in caller else None
    decision = decide(caller, "s3:GetObject", "arn:aws:s3:::tsubame-logs/k", role=role, account=account,
                      identity=[ADMIN], scps=scps, rcps=rcps, management_account=MANAGEMENT)
    assert decision.decision == expected


# Anonymous requests: only a resource-based policy that allows everyone ("*") lets them in;
# identity-based policies belong to nobody here.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-anonymous
@pytest.mark.parametrize("resource_policy,expected", [
    (policy(allow("s3:GetObject", BUCKET_OBJECT, Principal="*")), ALLOWED),
    (policy(allow("s3:GetObject", BUCKET_OBJECT, Principal={"AWS": "*"})), ALLOWED),
    (policy(allow("s3:GetObject", BUCKET_OBJECT, Principal={"AWS": f"arn:aws:iam::{A}:root"})), IMPLICIT_DENY),
    (policy(allow("s3:GetObject", BUCKET_OBJECT, Principal={"AWS": USER})), IMPLICIT_DENY),
    (None, IMPLICIT_DENY),
])
def test_anonymous_requests_need_a_resource_policy_for_everyone(resource_policy, expected):
    decision = decide("*", "s3:GetObject", BUCKET_OBJECT, account=A, identity=[ADMIN], resource=resource_policy)
    assert decision.decision == expected


# A KMS alias has no key policy: operations on the alias ARN are decided by IAM policies alone;
# CreateAlias, UpdateAlias and DeleteAlias also need the permission on the key, where the key
# policy applies.
# https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html
ALIAS = f"arn:aws:kms:eu-north-1:{A}:alias/tsubame"
KEY = f"arn:aws:kms:eu-north-1:{A}:key/0b1e6f2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b"
KEY_POLICY_ROOT_ONLY = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "kms:*",
                               "Resource": "*"}, name="key policy")


@pytest.mark.parametrize("resource,identity,expected", [
    (ALIAS, [policy(allow("kms:CreateAlias", ALIAS))], ALLOWED),  # the key policy does not apply to the alias
    (ALIAS, [policy(allow("kms:CreateAlias", KEY))], IMPLICIT_DENY),
    (KEY, [policy(allow("kms:CreateAlias", "*"))], IMPLICIT_DENY),  # the key's own policy does not delegate to A
    (ALIAS, [], IMPLICIT_DENY),
])
def test_kms_aliases_have_no_key_policy(resource, identity, expected):
    decision = decide(USER, "kms:CreateAlias", resource, account=A, identity=identity, resource=KEY_POLICY_ROOT_ONLY,
                      resource_kind="kms")
    assert decision.decision == expected


# An action that takes no resource type is decided on "*": a statement naming an ARN does not
# allow it.
# https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html
@pytest.mark.parametrize("action,resource,statement_resource,expected", [
    ("s3:ListAllMyBuckets", "arn:aws:s3:::tsubame-logs", "arn:aws:s3:::tsubame-logs", IMPLICIT_DENY),
    ("s3:ListAllMyBuckets", "arn:aws:s3:::tsubame-logs", "*", ALLOWED),
    ("ec2:DescribeInstances", f"arn:aws:ec2:eu-north-1:{A}:instance/i-0abc", f"arn:aws:ec2:*:{A}:instance/*",
     IMPLICIT_DENY),
    ("ec2:StopInstances", f"arn:aws:ec2:eu-north-1:{A}:instance/i-0abc", f"arn:aws:ec2:*:{A}:instance/*", ALLOWED),
])
def test_actions_without_resource_types_are_decided_on_star(action, resource, statement_resource, expected):
    decision = decide(USER, action, resource, identity=[policy(allow(action, statement_resource))])
    assert decision.decision == expected


# Near misses name every condition key that fails, and the fix says how to meet each.
def test_a_near_miss_names_every_failing_condition():
    trust = policy({"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole",
                    "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"},
                                  "StringEquals": {"sts:ExternalId": "kumo-42"}}}, name="trust")
    request = Request(Caller(f"arn:aws:iam::{B}:user/rin"), "sts:AssumeRole", ROLE, A, {})
    decision = evaluate(request, PolicySet(identity=[ADMIN], resource=trust, resource_kind="trust"))
    assert decision.decision == IMPLICIT_DENY
    assert [n.key for n in decision.notes] == ["aws:MultiFactorAuthPresent", "sts:ExternalId"]
    fix = fix_for(request, decision)
    assert "aws:MultiFactorAuthPresent" in fix and "sts:ExternalId" in fix
    assert "--token-code" in fix and "--external-id" in fix


def test_a_request_file_names_the_management_account():
    from xacct.iam.request_file import load_request

    deny_all = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    data = {"principal": f"arn:aws:iam::{MANAGEMENT}:user/kaito", "action": "s3:GetObject", "resource": BUCKET_OBJECT,
            "identityPolicies": [admin], "scps": [[deny_all]]}
    assert evaluate(*load_request(json.dumps(data))).decision == EXPLICIT_DENY
    assert evaluate(*load_request(json.dumps({**data, "managementAccount": MANAGEMENT}))).decision == ALLOWED


@pytest.mark.parametrize("action, resource, expected", [
    # AWS names no resource for an action decided on "*" (real answers to ListBuckets, DescribeInstances)
    ("s3:ListAllMyBuckets", "*", "is not authorized to perform: s3:ListAllMyBuckets because no identity-based "
                                 "policy allows the s3:ListAllMyBuckets action"),
    ("ec2:DescribeInstances", "*", "is not authorized to perform: ec2:DescribeInstances because no identity-based "
                                   "policy allows the ec2:DescribeInstances action"),
    ("s3:GetObject", "arn:aws:s3:::vault-637/k", "is not authorized to perform: s3:GetObject on resource: "
                                                 "arn:aws:s3:::vault-637/k because no identity-based policy allows"),
])
def test_a_denial_names_the_resource_only_when_there_is_one(action, resource, expected):
    from xacct.iam import denied_message

    request = Request(Caller("arn:aws:iam::637000000001:user/ana"), action, resource, "637000000001", {})
    assert expected in denied_message(request, evaluate(request, PolicySet()))


@pytest.mark.parametrize("caller, expected", [
    (Caller("ssm.amazonaws.com"), ALLOWED),  # a service: the RCP's exemption for services holds
    (Caller(SESSION, ROLE), EXPLICIT_DENY),  # outside the organization, and no service
])
def test_an_rcp_exempting_services_lets_a_service_principal_assume_a_role(caller, expected):
    """aws:PrincipalIsAWSService is in every request ("AWS global condition context keys"): an RCP
    perimeter on sts:AssumeRole that exempts services with `BoolIfExists aws:PrincipalIsAWSService
    false` does not stop SSM from assuming an execution role ("Resource control policy examples")."""
    perimeter = policy(deny("sts:AssumeRole", Condition={
        "StringNotEqualsIfExists": {"aws:PrincipalOrgID": "o-perimeter01"},
        "BoolIfExists": {"aws:PrincipalIsAWSService": "false"}}), name="StsPerimeter")
    role = f"arn:aws:iam::{B}:role/AWS-SystemsManager-AutomationExecutionRole"
    trust = policy({"Effect": "Allow", "Principal": {"AWS": ROLE, "Service": "ssm.amazonaws.com"},
                    "Action": "sts:AssumeRole"})
    request = Request(caller, "sts:AssumeRole", role, B, {})
    decision = evaluate(request, PolicySet(identity=[policy(allow())], resource=trust, resource_kind="trust",
                                           rcps=[[policy(allow(), name="RCPFullAWSAccess"), perimeter]]))
    assert decision.decision == expected
