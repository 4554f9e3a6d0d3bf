"""Tag-based (ABAC) policies decide as in AWS (issue 11, defect 10): the gate fills
aws:ResourceTag/KEY and ec2:ResourceTag/KEY from the resource's tags, and aws:RequestTag/KEY and
aws:TagKeys from the tags a call carries."""

from __future__ import annotations

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world

ACCOUNT = "635400000001"
REGION = "ca-central-1"
WORLD = f"""
world: 1
accounts:
  "{ACCOUNT}":
    iam:
      users:
        sora-ops:
          accessKey: true
          policies:
            own-team-only:
              Version: "2012-10-17"
              Statement:
                - {{Effect: Allow, Action: "ec2:Describe*", Resource: "*"}}
                - Effect: Allow
                  Action: [ec2:StopInstances, ec2:StartInstances]
                  Resource: "*"
                  Condition: {{StringEquals: {{"ec2:ResourceTag/team": sora}}}}
                - Effect: Allow
                  Action: ec2:RebootInstances
                  Resource: "*"
                  Condition: {{StringEquals: {{"aws:ResourceTag/Team": sora}}}}
                - Effect: Allow
                  Action: ec2:CreateTags
                  Resource: "*"
                  Condition:
                    StringEquals: {{"aws:RequestTag/team": sora}}
                    "ForAllValues:StringEquals": {{"aws:TagKeys": [team]}}
    regions:
      {REGION}:
        images: {{base: {{name: tag-base}}}}
        instances:
          sora-web: {{image: base, tags: {{team: sora}}}}
          umi-web: {{image: base, tags: {{team: umi}}}}
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("tags") / "tags.yaml"
    path.write_text(WORLD)
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(str(path)), cloud)
    user = built.users[(ACCOUNT, "sora-ops")]
    ec2 = cloud.client("ec2", REGION, user)
    instances = {tag["Value"]: i["InstanceId"] for r in ec2.describe_instances()["Reservations"]
                 for i in r["Instances"] for tag in i.get("Tags", []) if tag["Key"] == "Name"}
    return cloud, user, ec2, instances


def test_a_resource_tag_condition_allows_the_teams_instance(world):
    _, _, ec2, instances = world
    ec2.stop_instances(InstanceIds=[instances["sora-web"]])
    ec2.reboot_instances(InstanceIds=[instances["sora-web"]])  # the tag key's case does not matter


def test_a_resource_tag_condition_refuses_another_teams_instance(world):
    cloud, user, ec2, instances = world
    with pytest.raises(ClientError) as denied:
        ec2.stop_instances(InstanceIds=[instances["umi-web"]])
    assert denied.value.response["Error"]["Code"] == "UnauthorizedOperation"
    near = cloud.explain_denial(user)["nearMisses"]
    assert any("ec2:ResourceTag/team ['sora'] does not hold (request: ['umi'])" in n for n in near)


def test_request_tags_decide_a_tagging_call(world):
    _, _, ec2, instances = world
    ec2.create_tags(Resources=[instances["sora-web"]], Tags=[{"Key": "team", "Value": "sora"}])
    with pytest.raises(ClientError):
        ec2.create_tags(Resources=[instances["sora-web"]], Tags=[{"Key": "team", "Value": "umi"}])
    with pytest.raises(ClientError):  # a second tag key is not in the allowed keys
        ec2.create_tags(Resources=[instances["sora-web"]], Tags=[{"Key": "team", "Value": "sora"},
                                                                  {"Key": "cost", "Value": "1"}])


@pytest.mark.parametrize("operation,params,context", [
    ("RunInstances", {"TagSpecifications": [{"ResourceType": "instance", "Tags": [{"Key": "team", "Value": "sora"}]}]},
     {"aws:RequestTag/team": ["sora"], "aws:TagKeys": ["team"]}),
    ("TagResource", {"KeyId": "k", "Tags": [{"TagKey": "team", "TagValue": "sora"}]},  # KMS's shape
     {"aws:RequestTag/team": ["sora"], "aws:TagKeys": ["team"]}),
    ("UntagResource", {"KeyId": "k", "TagKeys": ["team"]}, {"aws:TagKeys": ["team"]}),
    ("DeleteTags", {"Resources": ["i-1"], "Tags": [{"Key": "team"}]}, {"aws:TagKeys": ["team"]}),
    ("PutBucketTagging", {"Bucket": "b", "Tagging": {"TagSet": [{"Key": "team", "Value": "sora"}]}},
     {"aws:RequestTag/team": ["sora"], "aws:TagKeys": ["team"]}),
    ("PutObject", {"Bucket": "b", "Key": "k", "Tagging": "team=sora&cost=1"},
     {"s3:RequestObjectTag/team": ["sora"], "s3:RequestObjectTag/cost": ["1"]}),
    ("DescribeInstances", {}, {}),
])
def test_the_tags_a_call_carries(operation, params, context):
    from xacct.sandbox.resource_tags import request_tag_keys

    assert request_tag_keys(operation, params) == context
