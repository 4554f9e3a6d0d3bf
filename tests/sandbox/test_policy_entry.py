"""Where identity-based policies enter the sandbox (a world file, put-user-policy), IAM's refusal
of a statement without Resource is kept (issue 11, defect 9): the world names the policy's place,
and the call answers MalformedPolicyDocument."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import WorldError, build_world, load_world

ACCOUNT = "635500000001"
WORLD = f"""
world: 1
accounts:
  "{ACCOUNT}":
    iam:
      users:
        nori:
          accessKey: true
          policies:
            no-resource:
              Version: "2012-10-17"
              Statement: [{{Effect: Allow, Action: "s3:*"}}]
"""


def test_a_world_policy_without_resource_is_refused_at_its_place(tmp_path):
    path = tmp_path / "nori.yaml"
    path.write_text(WORLD)
    with pytest.raises(WorldError) as refused:
        build_world(load_world(str(path)), SandboxCloud(enforce=True))
    assert "accounts.635500000001.iam.users.nori.policies.no-resource: MalformedPolicyDocument" in str(refused.value)
    assert ".yaml:11:" in str(refused.value)  # the policy's line (the leading newline is line 1)


def test_put_user_policy_without_resource_is_malformed():
    cloud = SandboxCloud(enforce=True)
    iam = cloud.client("iam", "ap-south-1", cloud.operator("635500000002"))
    iam.create_user(UserName="kaede")
    with pytest.raises(ClientError) as refused:
        iam.put_user_policy(UserName="kaede", PolicyName="p", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*"}]}))
    assert refused.value.response["Error"]["Code"] == "MalformedPolicyDocument"
