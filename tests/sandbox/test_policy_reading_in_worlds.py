"""Defects 8 and 9 of issue 11 in worlds of their own: a near miss names every condition that
fails (MFA and the external ID both); policies are read as IAM reads them (an empty Resource list
allows nothing; `${aws:username}` is text in a bucket policy of version 2008-10-17)."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world

HOME, PARTNER = "635600000001", "635600000002"
REGION = "ap-southeast-2"
WORLD = f"""
world: 1
accounts:
  "{HOME}":
    iam:
      roles:
        audit:
          trust:
            Version: "2012-10-17"
            Statement:
              - Effect: Allow
                Principal: {{AWS: "arn:aws:iam::{PARTNER}:root"}}
                Action: sts:AssumeRole
                Condition:
                  Bool: {{"aws:MultiFactorAuthPresent": "true"}}
                  StringEquals: {{"sts:ExternalId": "umi-7"}}
    regions:
      {REGION}:
        buckets:
          umi-empty-grant:
            policy:
              Version: "2012-10-17"
              Statement:
                - {{Effect: Allow, Principal: {{AWS: "arn:aws:iam::{PARTNER}:root"}}, Action: s3:ListBucket, Resource: []}}
          umi-real-grant:
            policy:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Principal: {{AWS: "arn:aws:iam::{PARTNER}:root"}}
                  Action: s3:ListBucket
                  Resource: arn:aws:s3:::umi-real-grant
          umi-vars-old:
            policy:
              Version: "2008-10-17"
              Statement:
                - Effect: Allow
                  Principal: {{AWS: "arn:aws:iam::{PARTNER}:root"}}
                  Action: s3:ListBucket
                  Resource: arn:aws:s3:::umi-vars-old
                  Condition: {{StringLike: {{"aws:PrincipalArn": "arn:aws:iam::{PARTNER}:user/${{aws:username}}"}}}}
          umi-vars-new:
            policy:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Principal: {{AWS: "arn:aws:iam::{PARTNER}:root"}}
                  Action: s3:ListBucket
                  Resource: arn:aws:s3:::umi-vars-new
                  Condition: {{StringLike: {{"aws:PrincipalArn": "arn:aws:iam::{PARTNER}:user/${{aws:username}}"}}}}
  "{PARTNER}":
    iam:
      users:
        nagi:
          accessKey: true
          policies:
            current-version:
              Version: "2012-10-17"
              Statement:
                - {{Effect: Allow, Action: s3:ListBucket, Resource: "arn:aws:s3:::umi-*"}}
                - {{Effect: Allow, Action: sts:AssumeRole, Resource: "*"}}
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("umi") / "umi.yaml"
    path.write_text(WORLD)
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(str(path)), cloud)
    return cloud, built.users[(PARTNER, "nagi")]


def test_a_near_miss_names_both_missing_conditions(world):
    cloud, nagi = world
    with pytest.raises(ClientError):
        cloud.client("sts", REGION, nagi).assume_role(RoleArn=f"arn:aws:iam::{HOME}:role/audit", RoleSessionName="nagi")
    explanation = cloud.explain_denial(nagi)
    assert explanation["layer"] == "trust"
    near = explanation["nearMisses"]
    assert any("aws:MultiFactorAuthPresent" in n for n in near) and any("sts:ExternalId" in n for n in near)
    assert "--token-code" in explanation["fix"] and "--external-id" in explanation["fix"]


def test_an_empty_resource_list_grants_nothing(world):
    cloud, nagi = world
    s3 = cloud.client("s3", REGION, nagi)
    s3.list_objects_v2(Bucket="umi-real-grant")
    with pytest.raises(ClientError):
        s3.list_objects_v2(Bucket="umi-empty-grant")


def test_variables_are_text_in_the_old_policy_version(world):
    """(IAM itself takes identity policies of version 2012-10-17 only; a bucket policy may be older.)"""
    cloud, nagi = world
    s3 = cloud.client("s3", REGION, nagi)
    s3.list_objects_v2(Bucket="umi-vars-new")  # ${aws:username} is nagi
    with pytest.raises(ClientError):  # ${aws:username} is the text itself
        s3.list_objects_v2(Bucket="umi-vars-old")
