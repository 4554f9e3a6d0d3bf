"""The organization's global condition keys in the sandbox ("AWS global condition context keys"):
aws:ResourceAccount on every request; aws:ResourceOrgID and aws:ResourceOrgPaths when the
resource's account is in the organization; aws:PrincipalOrgID and aws:PrincipalOrgPaths when the
caller's is. A data-perimeter SCP ("StringNotEquals aws:ResourceOrgID ${aws:PrincipalOrgID}",
true when the key is absent) allows the organization's own buckets and denies others'."""

import json

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world

MANAGEMENT, WORKLOAD, ROOTED, VENDOR = "648000000001", "648000000002", "648000000003", "648000000009"
REGION = "ca-central-1"
ADMIN = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def _bucket_policy(bucket: str, condition: dict) -> dict:
    return {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{bucket}/*",
         "Condition": condition}]}


WORLD = {
    "world": 1,
    "organization": {
        "management": MANAGEMENT,
        "scps": {"DataPerimeter": {"Version": "2012-10-17", "Statement": [
            {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
             "Condition": {"StringNotEquals": {"aws:ResourceOrgID": "${aws:PrincipalOrgID}"}}}]}},
        "root": {"scps": ["DataPerimeter"]},
        "units": {"Workloads": {"accounts": [WORKLOAD]}},
        "accounts": {ROOTED: {}},
    },
    "accounts": {
        **{account: {"iam": {"users": {"ops": {"accessKey": True, "policies": {"admin": ADMIN}}}},
                     "regions": {REGION: {"buckets": {f"data-{account}": {}}}}}
           for account in (MANAGEMENT, WORKLOAD, ROOTED)},
        VENDOR: {"iam": {"users": {"ops": {"accessKey": True, "policies": {"admin": ADMIN}}}},
                 "regions": {REGION: {"buckets": {f"data-{VENDOR}": {
                     "policy": _bucket_policy(f"data-{VENDOR}", {"StringEquals": {"aws:PrincipalAccount": WORKLOAD}}),
                 }}}}},
    },
}


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("org-keys") / "world.json"
    path.write_text(json.dumps(WORLD))
    cloud = SandboxCloud(REGION)
    built = build_world(load_world(str(path)), cloud, REGION)
    for account in (MANAGEMENT, WORKLOAD, ROOTED, VENDOR):
        cloud.client("s3", REGION, built.users[(account, "ops")]).put_object(
            Bucket=f"data-{account}", Key="k", Body=b"inside")
    return cloud, built


def _get(world, caller: str, owner: str):
    cloud, built = world
    return cloud.client("s3", REGION, built.users[(caller, "ops")]).get_object(Bucket=f"data-{owner}", Key="k")


def test_a_data_perimeter_scp_lets_the_organizations_own_buckets_be_read(world):
    assert _get(world, WORKLOAD, WORKLOAD)["Body"].read() == b"inside"


def test_a_data_perimeter_scp_denies_a_bucket_outside_the_organization(world):
    with pytest.raises(ClientError) as err:
        _get(world, WORKLOAD, VENDOR)  # the vendor's bucket policy allows it; the SCP does not
    assert err.value.response["Error"]["Message"] == "Access Denied"  # S3 explains only to the bucket's org
    cloud, built = world
    explained = cloud.explain_denial(built.users[(WORKLOAD, "ops")])
    assert explained["decision"] == "explicitDeny" and explained["layer"] == "scp"


def test_the_principal_org_paths_name_the_callers_ou(world):
    """A bucket policy that lets in callers of any OU (not the root): the Workloads account's path
    has its OU, the account under the root has none."""
    cloud, built = world
    bucket = f"data-{MANAGEMENT}"
    cloud.client("s3", REGION, built.users[(MANAGEMENT, "ops")]).put_bucket_policy(
        Bucket=bucket, Policy=json.dumps(_bucket_policy(bucket, {
            "ForAnyValue:StringLike": {"aws:PrincipalOrgPaths": ["o-*/r-*/ou-*/"]}})))
    assert _get(world, WORKLOAD, MANAGEMENT)["Body"].read() == b"inside"
    with pytest.raises(ClientError) as err:
        _get(world, ROOTED, MANAGEMENT)
    assert "because no resource-based policy allows the s3:GetObject action" in err.value.response["Error"]["Message"]


def test_the_resource_keys_are_in_every_request_in_the_organization(world):
    cloud, built = world
    from xacct.sandbox.gate import organization_id

    gate = cloud.gate
    org = organization_id(MANAGEMENT)  # the world names no `id`: the one made from its management account
    assert gate._resource_keys(WORKLOAD) == {
        "aws:ResourceAccount": [WORKLOAD], "aws:ResourceOrgID": [org],
        "aws:ResourceOrgPaths": [gate.org_paths[WORKLOAD]]}
    assert gate.org_paths[WORKLOAD].startswith(f"{org}/r-") and "/ou-" in gate.org_paths[WORKLOAD]
    assert gate.org_paths[ROOTED].count("/") == 2  # o-id/r-id/: under the root
    assert gate._resource_keys(VENDOR) == {"aws:ResourceAccount": [VENDOR]}
