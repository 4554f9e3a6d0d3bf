"""World files: a valid world builds into enforced sandbox accounts (S4's world is shipped); a bad
one gets findings at line and column; an organization's SCPs bind members, not the management
account."""

import json
import textwrap
from importlib import resources

import pyotp
import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import WorldError, build_world, load_world

S4_WORLD = str(resources.files("xacct") / "examples" / "worlds" / "s4-mfa.yaml")
ROLE = "arn:aws:iam::222222222222:role/role-kawahara"


@pytest.fixture(scope="module")
def s4():
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(S4_WORLD), cloud)
    return cloud, built


def test_s4_world_denies_without_mfa_and_allows_with_it(s4):
    cloud, built = s4
    user = built.users[("111111111111", "user-kawahara")]
    serial = built.mfa_serials[("111111111111", "user-kawahara")]
    sts = cloud.client("sts", "us-east-1", user)
    with pytest.raises(ClientError) as err:
        sts.assume_role(RoleArn=ROLE, RoleSessionName="cli")
    assert err.value.response["Error"]["Message"].endswith(f"sts:AssumeRole on resource: {ROLE}")
    code = pyotp.TOTP("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").now()  # the world's seed: any authenticator app works
    response = sts.assume_role(RoleArn=ROLE, RoleSessionName="cli", SerialNumber=serial, TokenCode=code)
    assert response["AssumedRoleUser"]["Arn"] == "arn:aws:sts::222222222222:assumed-role/role-kawahara/cli"


BAD = """\
world: 1
accounts:
  "111111111111":
    iam:
      users:
        alice:
          accesKey: true
          policies:
            broken: {Statement: [{Effect: Perhaps, Action: "*", Resource: "*"}]}
      roles:
        r: {maxSessionDuration: long}
  "12345":
    alias: short
"""


def test_bad_world_findings_point_at_lines(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text(BAD)
    with pytest.raises(WorldError) as err:
        load_world(str(path))
    found = {(f.id, f.line) for f in err.value.findings}
    assert ("E7002", 7) in found  # unknown key accesKey
    assert ("E7004", 9) in found  # Effect Perhaps
    assert ("E7003", 11) in found  # maxSessionDuration is not a number
    assert ("E7005", 12) in found  # account ID of 5 digits
    assert all(f.path == str(path) for f in err.value.findings)


def test_unresolved_references_are_findings_too(tmp_path):
    path = tmp_path / "refs.yaml"
    path.write_text(textwrap.dedent("""\
        world: 1
        accounts:
          "555555555555":
            iam:
              users:
                bob: {managedPolicies: [NoSuchPolicy]}
            regions:
              us-east-1:
                documents:
                  InstallApp: {file: missing.yaml}
        """))
    with pytest.raises(WorldError) as err:
        build_world(load_world(str(path)), SandboxCloud(enforce=True))
    assert {(f.id, f.line) for f in err.value.findings} == {("E7006", 6), ("E7008", 10)}


def test_scps_bind_members_not_the_management_account(tmp_path):
    deny_s3 = {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "s3:ListAllMyBuckets", "Resource": "*"}]}
    full = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    admin = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    world = {"world": 1, "organization": {
        "management": "666666666666", "scps": {"FullAWSAccess": full, "NoBucketLists": deny_s3},
        "root": {"scps": ["FullAWSAccess"]},
        "units": {"Workloads": {"accounts": ["777777777777"], "scps": ["FullAWSAccess", "NoBucketLists"]}}},
        "accounts": {acct: {"iam": {"users": {"ops": {"accessKey": True, "policies": {"admin": admin}}}}}
                     for acct in ("666666666666", "777777777777")}}
    path = tmp_path / "org.yaml"
    path.write_text(json.dumps(world))
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(str(path)), cloud)
    cloud.client("s3", "us-east-1", built.users[("666666666666", "ops")]).list_buckets()
    with pytest.raises(ClientError) as err:
        cloud.client("s3", "us-east-1", built.users[("777777777777", "ops")]).list_buckets()
    # since January 2026 AWS names the SCP that denied, to callers of its organization
    org = cloud.client("organizations", "us-east-1", built.users[("666666666666", "ops")])
    arn = next(p["Arn"] for p in org.list_policies(Filter="SERVICE_CONTROL_POLICY")["Policies"]
               if p["Name"] == "NoBucketLists")
    assert arn.startswith("arn:aws:organizations::666666666666:policy/o-") and "/service_control_policy/p-" in arn
    assert err.value.response["Error"]["Message"].endswith(f"with an explicit deny in a service control policy: {arn}")


def test_s3_world_builds_keys_images_and_shares(tmp_path):
    """The shipped S3 world: A's encrypted image is visible in B; launching it fails until the
    key policy names B."""
    import subprocess
    import sys

    code = """
import sys
from importlib import resources
from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world
cloud = SandboxCloud()
built = build_world(load_world(str(resources.files('xacct') / 'examples' / 'worlds' / 's3-encrypted-ami.yaml')), cloud)
ec2 = cloud.client('ec2', 'us-east-1', built.users[('222222222222', 'ops')])
[image] = ec2.describe_images(Filters=[{'Name': 'name', 'Values': ['web-base-2026-11']}])['Images']
i = ec2.run_instances(ImageId=image['ImageId'], MinCount=1, MaxCount=1)['Instances'][0]['InstanceId']
state = ec2.describe_instances(InstanceIds=[i])['Reservations'][0]['Instances'][0]
print(image['OwnerId'], state['State']['Name'], state['StateReason']['Message'])
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.stdout.split(None, 2) == ["111111111111", "terminated",
                                         "Client.InternalError: Client error on launch\n"], out.stderr


def test_rcps_grants_and_snapshots(tmp_path):
    """RCPs bind the resources of member accounts; a world's key grant lets its grantee decrypt;
    snapshots are made and shared."""
    full = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    no_s3_deletes = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Principal": "*", "Action": "s3:DeleteBucket", "Resource": "*"}]}
    member, other = "161616161611", "161616161612"
    world = {"world": 1,
             "organization": {"management": "161616161610", "rcps": {"ProtectBuckets": no_s3_deletes},
                              "units": {"Data": {"accounts": [member], "rcps": ["ProtectBuckets"]}}},
             "accounts": {
                 member: {"iam": {"users": {"ops": {"accessKey": True, "policies": {"all": full}}}},
                          "regions": {"us-east-1": {
                              "buckets": {"kept-161616": {}},
                              "kmsKeys": {"data": {"grants": [{"grantee": f"arn:aws:iam::{other}:user/reader",
                                                               "operations": ["Decrypt", "DescribeKey"]}]}},
                              "snapshots": {"backup": {"size": 4, "sharedWith": [other]}}}}},
                 other: {"iam": {"users": {"reader": {"accessKey": True}}}}}}
    path = tmp_path / "org.yaml"
    path.write_text(json.dumps(world))
    cloud = SandboxCloud()
    built = build_world(load_world(str(path)), cloud)
    ops = built.users[(member, "ops")]
    with pytest.raises(ClientError) as err:
        cloud.client("s3", "us-east-1", ops).delete_bucket(Bucket="kept-161616")
    org = cloud.client("organizations", "us-east-1", cloud.operator("161616161610"))
    arn = next(p["Arn"] for p in org.list_policies(Filter="RESOURCE_CONTROL_POLICY")["Policies"]
               if p["Name"] == "ProtectBuckets")
    assert "/resource_control_policy/p-" in arn
    assert err.value.response["Error"]["Message"].endswith(f"with an explicit deny in a resource control policy: {arn}")
    kms = cloud.client("kms", "us-east-1", ops)
    key = kms.describe_key(KeyId="alias/data")["KeyMetadata"]["Arn"]
    reader = cloud.client("kms", "us-east-1", built.users[(other, "reader")])
    assert reader.describe_key(KeyId=key)["KeyMetadata"]["Arn"] == key  # by the grant alone
    ec2 = cloud.client("ec2", "us-east-1", ops)
    [snapshot] = ec2.describe_snapshots(OwnerIds=["self"], Filters=[{"Name": "tag:Name", "Values": ["backup"]}])["Snapshots"]
    permissions = ec2.describe_snapshot_attribute(SnapshotId=snapshot["SnapshotId"], Attribute="createVolumePermission")
    assert permissions["CreateVolumePermissions"] == [{"UserId": other}]


@pytest.mark.parametrize("name", ["s0-unshared-runbook.yaml", "s1-missing-permission.yaml", "s2-share-ami.yaml",
                                  "s3-encrypted-ami.yaml", "s4-mfa.yaml"])
def test_every_shipped_world_builds(name):
    """Each in a process of its own: the worlds use the same account IDs."""
    import subprocess
    import sys

    code = (f"from importlib import resources\nfrom xacct.sandbox.embedded import SandboxCloud\n"
            f"from xacct.sandbox.world import build_world, load_world\n"
            f"path = str(resources.files('xacct') / 'examples' / 'worlds' / {name!r})\n"
            f"built = build_world(load_world(path), SandboxCloud())\nprint(len(built.users), len(built.executions))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]


def test_principal_tags_and_organization_id_in_conditions(tmp_path):
    full = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    by_tag = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListAllMyBuckets",
              "Resource": "*", "Condition": {"StringEquals": {"aws:PrincipalTag/team": "ops"}}}]}
    org_only = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::shared-181818",
         "Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-sandbox0001"}}}]}
    inside, outside, owner = "181818181811", "181818181812", "181818181810"
    reader = {"accessKey": True, "policies": {"all": full}}
    world = {"world": 1,
             "organization": {"management": owner, "id": "o-sandbox0001", "units": {"All": {"accounts": [inside]}}},
             "accounts": {
                 owner: {"iam": {"users": {"tagged": {"accessKey": True, "policies": {"by-tag": by_tag}},
                                           "untagged": {"accessKey": True, "policies": {"by-tag": by_tag}}}},
                         "regions": {"us-east-1": {"buckets": {"shared-181818": {"policy": org_only}}}}},
                 inside: {"iam": {"users": {"reader": reader}}},
                 outside: {"iam": {"users": {"reader": reader}}}}}
    path = tmp_path / "tags.yaml"
    path.write_text(json.dumps(world))
    cloud = SandboxCloud()
    built = build_world(load_world(str(path)), cloud)
    cloud.client("iam", "us-east-1", cloud.operator(owner)).tag_user(UserName="tagged",
                                                                        Tags=[{"Key": "team", "Value": "ops"}])
    cloud.client("s3", "us-east-1", built.users[(owner, "tagged")]).list_buckets()
    with pytest.raises(ClientError):
        cloud.client("s3", "us-east-1", built.users[(owner, "untagged")]).list_buckets()
    cloud.client("s3", "us-east-1", built.users[(inside, "reader")]).list_objects_v2(Bucket="shared-181818")
    with pytest.raises(ClientError) as err:
        cloud.client("s3", "us-east-1", built.users[(outside, "reader")]).list_objects_v2(Bucket="shared-181818")
    # S3 explains a denial only within its account's organization; to others it says "Access Denied"
    assert err.value.response["Error"]["Message"] == "Access Denied"
    assert "because no resource-based policy allows the s3:ListBucket action" in \
        cloud.explain_denial(built.users[(outside, "reader")])["message"]
