"""A world's organization (issue 11, defect 5): the world is built as its builder, not under its
own SCPs, and naming an SCP at a level keeps FullAWSAccess there unless the level detaches it,
as AWS keeps what is attached."""

import json

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import WorldError, build_world, load_world

V = "2012-10-17"
ADMIN = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
ONLY_S3 = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}


def _world(tmp_path, unit: dict, n: int):
    """A management account and a member in OU Prod: accounts 6410000000n1 and 6410000000n2."""
    global MANAGEMENT, MEMBER
    MANAGEMENT, MEMBER = f"6410000000{n}1", f"6410000000{n}2"
    data = {"world": 1,
            "organization": {"management": MANAGEMENT, "scps": {"OnlyS3": ONLY_S3},
                             "units": {"Prod": {"accounts": [MEMBER], **unit}}},
            "accounts": {account: {"iam": {
                "users": {"ops": {"accessKey": True, "policies": {"admin": ADMIN}}},
                "roles": {"Worker": {"trust": {"Version": V, "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"},
                     "Action": "sts:AssumeRole"}]}, "policies": {"admin": ADMIN}}}}}
                for account in (MANAGEMENT, MEMBER)}}
    path = tmp_path / "org.yaml"
    path.write_text(json.dumps(data))
    return load_world(str(path))


def test_an_allow_list_without_iam_still_builds_the_roles_of_its_accounts(tmp_path):
    cloud = SandboxCloud(enforce=True)
    built = build_world(_world(tmp_path, {"scps": ["OnlyS3"], "detach": ["FullAWSAccess"]}, 1), cloud)
    ops = built.users[(MEMBER, "ops")]
    # built: the role is there; run: the SCP binds the member's own principals
    assert cloud.reading_client("iam", "us-east-1", cloud.operator(MEMBER)).get_role(RoleName="Worker")
    cloud.client("s3", "us-east-1", ops).list_buckets()
    with pytest.raises(ClientError) as err:
        cloud.client("iam", "us-east-1", ops).list_roles()
    assert "service control policy" in err.value.response["Error"]["Message"]


def test_naming_an_scp_keeps_full_aws_access_unless_the_level_detaches_it(tmp_path):
    cloud = SandboxCloud(enforce=True)
    built = build_world(_world(tmp_path, {"scps": ["OnlyS3"]}, 2), cloud)
    cloud.client("iam", "us-east-1", built.users[(MEMBER, "ops")]).list_roles()  # FullAWSAccess still allows
    org = cloud.client("organizations", "us-east-1", cloud.operator(MANAGEMENT))
    unit = built.units["Prod"]
    names = {p["Name"] for p in org.list_policies_for_target(TargetId=unit, Filter="SERVICE_CONTROL_POLICY")["Policies"]}
    assert "OnlyS3" in names and "FullAWSAccess" in names


def test_detach_names_only_what_can_be_detached(tmp_path):
    with pytest.raises(WorldError) as err:
        _world(tmp_path, {"scps": ["OnlyS3"], "detach": ["RCPFullAWSAccess"]}, 3)
    [finding] = err.value.findings
    assert finding.id == "E7012" and "cannot be detached" in finding.message


def test_detaching_the_last_scp_of_a_level_is_refused_where_it_is_said(tmp_path):
    with pytest.raises(WorldError) as err:
        build_world(_world(tmp_path, {"detach": ["FullAWSAccess"]}, 4), SandboxCloud(enforce=True))
    [finding] = err.value.findings
    assert finding.id == "E7009" and "ConstraintViolationException" in finding.message
    assert "organization.units.Prod.detach" in finding.message


def test_a_trust_policy_naming_a_role_the_world_lacks_is_refused_at_its_place(tmp_path):
    """Issue 11, defect 11: IAM refuses such a policy with MalformedPolicyDocument."""
    text = """\
world: 1
accounts:
  '641000000051':
    iam:
      roles:
        Reader:
          trust:
            Version: '2012-10-17'
            Statement:
            - Effect: Allow
              Principal:
                AWS:
                - arn:aws:iam::641000000051:role/Writer
                - arn:aws:iam::641000000052:user/nobody
                - arn:aws:iam::999999999999:role/ElsewhereIsNotJudged
                - arn:aws:iam::641000000051:role/aws-service-role/x/AWSServiceRoleForAutoScaling
              Action: sts:AssumeRole
  '641000000052':
    iam:
      users:
        somebody: {}
    regions:
      sa-east-1:
        buckets:
          b-641000000052:
            policy: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::641000000051:role/Gone"},"Action":"s3:GetObject","Resource":"arn:aws:s3:::b-641000000052/*"}]}'
"""
    path = tmp_path / "principals.yaml"
    path.write_text(text)
    with pytest.raises(WorldError) as err:
        load_world(str(path))
    found = sorted((f.line, f.column, f.id, f.message) for f in err.value.findings)
    assert [(line, rule) for line, _, rule, _ in found] == [(13, "E7004"), (14, "E7004"), (26, "E7004")]
    assert "MalformedPolicyDocument: Invalid principal in policy (arn:aws:iam::641000000051:role/Writer: no role " \
           "Writer in account 641000000051 of this world)" in found[0][3]
    assert "no user nobody in account 641000000052" in found[1][3]
    assert found[2][3].startswith("not a valid IAM policy: MalformedPolicy: Invalid principal in policy")


def test_an_account_of_its_own_keeps_full_aws_access_unless_it_detaches_it(tmp_path):
    """SCPs attached to an account itself, below its OU's: the same rule as at an OU."""
    management, kept, detached = "641000000061", "641000000062", "641000000063"
    data = {"world": 1,
            "organization": {"management": management, "scps": {"OnlyS3": ONLY_S3},
                             "accounts": {kept: {"scps": ["OnlyS3"]},
                                          detached: {"scps": ["OnlyS3"], "detach": ["FullAWSAccess"]}}},
            "accounts": {a: {"iam": {"users": {"ops": {"accessKey": True, "policies": {"admin": ADMIN}}}}}
                         for a in (management, kept, detached)}}
    (tmp_path / "accounts.yaml").write_text(json.dumps(data))
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(str(tmp_path / "accounts.yaml")), cloud)
    cloud.client("iam", "us-east-1", built.users[(kept, "ops")]).list_roles()
    with pytest.raises(ClientError) as err:
        cloud.client("iam", "us-east-1", built.users[(detached, "ops")]).list_roles()
    assert "no service control policy allows the iam:ListRoles action" in err.value.response["Error"]["Message"]
    org = cloud.reading_client("organizations", "us-east-1", cloud.operator(management))
    names = {p["Name"] for p in org.list_policies_for_target(TargetId=detached, Filter="SERVICE_CONTROL_POLICY")["Policies"]}
    assert names == {"OnlyS3"}
