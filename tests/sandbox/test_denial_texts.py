"""Denials worded as the services word them (issue 11, defect 7) and service-linked roles kept
from everyone (issue 11, item 4): EC2 names the resource's ARN inside its own sentence and adds an
encoded authorization message that the sandbox's STS decodes; S3 explains a denial to its own
organization only and says "Access Denied" to other accounts; IAM answers UnmodifiableEntity for a
change to a service-linked role, even to an administrator."""

from __future__ import annotations

import json

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world

HOME, OTHER = "635200000001", "635200000002"  # no organization
MANAGEMENT, MEMBER_A, MEMBER_B = "635300000009", "635300000001", "635300000002"
REGION = "eu-west-3"
ALLOW_ALL = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def world_file(tmp_path, name, text):
    path = tmp_path / f"{name}.yaml"
    path.write_text(text)
    return str(path)


LONE = f"""
world: 1
accounts:
  "{HOME}":
    iam:
      users:
        viewer:
          accessKey: true
          policies:
            look-only:
              Version: "2012-10-17"
              Statement:
                - {{Effect: Allow, Action: ["ec2:Describe*", "sts:DecodeAuthorizationMessage", "s3:*"], Resource: "*"}}
        admin:
          accessKey: true
          policies: {{everything: {json.dumps(ALLOW_ALL)}}}
      serviceLinkedRoles: [autoscaling.amazonaws.com]
    regions:
      {REGION}:
        images: {{base: {{name: hoshi-base}}}}
        instances: {{hoshi: {{image: base}}}}
  "{OTHER}":
    regions:
      {REGION}:
        buckets: {{hoshi-other-logs: {{}}}}
"""

ORGANIZED = f"""
world: 1
organization:
  management: "{MANAGEMENT}"
  units: {{work: {{accounts: ["{MEMBER_A}", "{MEMBER_B}"]}}}}
accounts:
  "{MANAGEMENT}": {{}}
  "{MEMBER_A}":
    iam:
      users:
        reader:
          accessKey: true
          policies:
            s3-everything:
              Version: "2012-10-17"
              Statement: [{{Effect: Allow, Action: "s3:*", Resource: "*"}}]
  "{MEMBER_B}":
    regions:
      {REGION}:
        buckets: {{hoshi-member-logs: {{}}}}
"""


@pytest.fixture(scope="module")
def lone(tmp_path_factory):
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(world_file(tmp_path_factory.mktemp("lone"), "lone", LONE)), cloud)
    return cloud, built


def test_an_ec2_denial_names_the_instance_and_carries_a_decodable_message(lone):
    cloud, built = lone
    viewer = built.users[(HOME, "viewer")]
    ec2 = cloud.client("ec2", REGION, viewer)
    instance = ec2.describe_instances()["Reservations"][0]["Instances"][0]["InstanceId"]
    with pytest.raises(ClientError) as denied:
        ec2.stop_instances(InstanceIds=[instance])
    error = denied.value.response["Error"]
    arn = f"arn:aws:ec2:{REGION}:{HOME}:instance/{instance}"
    assert error["Code"] == "UnauthorizedOperation"
    prefix = (f"You are not authorized to perform this operation. User: arn:aws:iam::{HOME}:user/viewer is not "
              f"authorized to perform: ec2:StopInstances on resource: {arn} because no identity-based policy allows "
              "the ec2:StopInstances action. Encoded authorization failure message: ")
    assert error["Message"].startswith(prefix)
    encoded = error["Message"][len(prefix):]
    decoded = json.loads(cloud.client("sts", REGION, viewer).decode_authorization_message(
        EncodedMessage=encoded)["DecodedMessage"])
    assert decoded["allowed"] is False and decoded["explicitDeny"] is False
    assert decoded["context"]["action"] == "ec2:StopInstances" and decoded["context"]["resource"] == arn
    assert decoded["context"]["principal"]["arn"] == f"arn:aws:iam::{HOME}:user/viewer"


def test_a_message_that_is_not_one_is_refused(lone):
    cloud, built = lone
    with pytest.raises(ClientError) as refused:
        cloud.client("sts", REGION, built.users[(HOME, "viewer")]).decode_authorization_message(
            EncodedMessage="not-a-message")
    assert refused.value.response["Error"]["Code"] == "InvalidAuthorizationMessageException"


def test_run_instances_is_refused_on_the_new_instance(lone):
    cloud, built = lone
    ec2 = cloud.client("ec2", REGION, built.users[(HOME, "viewer")])
    image = ec2.describe_images(Owners=["self"])["Images"][0]["ImageId"]
    with pytest.raises(ClientError) as denied:
        ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)
    assert f"on resource: arn:aws:ec2:{REGION}:{HOME}:instance/* because" in denied.value.response["Error"]["Message"]


def test_s3_says_only_access_denied_to_an_account_outside_its_organization(lone):
    cloud, built = lone
    with pytest.raises(ClientError) as denied:
        cloud.client("s3", REGION, built.users[(HOME, "viewer")]).list_objects_v2(Bucket="hoshi-other-logs")
    assert denied.value.response["Error"]["Code"] == "AccessDenied"
    assert denied.value.response["Error"]["Message"] == "Access Denied"
    assert cloud.explain_denial(built.users[(HOME, "viewer")])["layer"] == "resource"  # xacct still knows why


def test_s3_explains_a_denial_within_the_organization(tmp_path_factory):
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(world_file(tmp_path_factory.mktemp("org"), "org", ORGANIZED)), cloud)
    with pytest.raises(ClientError) as denied:
        cloud.client("s3", REGION, built.users[(MEMBER_A, "reader")]).list_objects_v2(Bucket="hoshi-member-logs")
    assert denied.value.response["Error"]["Message"] == (
        f"User: arn:aws:iam::{MEMBER_A}:user/reader is not authorized to perform: s3:ListBucket on resource: "
        "arn:aws:s3:::hoshi-member-logs because no resource-based policy allows the s3:ListBucket action")


@pytest.mark.parametrize("call,args", [
    ("put_role_policy", {"PolicyName": "more", "PolicyDocument": json.dumps(ALLOW_ALL)}),
    ("attach_role_policy", {"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}),
    ("delete_role", {}),
])
def test_an_administrator_cannot_change_a_service_linked_role(lone, call, args):
    cloud, built = lone
    iam = cloud.client("iam", REGION, built.users[(HOME, "admin")])
    with pytest.raises(ClientError) as refused:
        getattr(iam, call)(RoleName="AWSServiceRoleForAutoScaling", **args)
    assert refused.value.response["Error"]["Code"] == "UnmodifiableEntity"
    assert refused.value.response["Error"]["Message"] == ("Cannot perform the operation on the protected role "
                                                          "'AWSServiceRoleForAutoScaling' - this role is only "
                                                          "modifiable by AWS")
    iam.get_role(RoleName="AWSServiceRoleForAutoScaling")  # still there, unchanged


def test_an_administrator_cannot_change_an_aws_managed_policy(lone):
    cloud, built = lone
    iam = cloud.client("iam", REGION, built.users[(HOME, "admin")])
    with pytest.raises(ClientError) as refused:
        iam.create_policy_version(PolicyArn="arn:aws:iam::aws:policy/ReadOnlyAccess",
                                  PolicyDocument=json.dumps(ALLOW_ALL), SetAsDefault=True)
    assert refused.value.response["Error"]["Code"] == "AccessDenied"


def test_the_same_over_http(lone):
    """The served sandbox words EC2's denial the same, and its STS decodes the message."""
    import boto3
    from botocore.config import Config

    cloud, built = lone
    viewer = built.users[(HOME, "viewer")]

    def over_http(service):
        return boto3.client(service, region_name=REGION, endpoint_url=cloud.endpoint(),
                            config=Config(retries={"max_attempts": 1}), **viewer.as_client_kwargs())

    ec2 = over_http("ec2")
    instance = ec2.describe_instances()["Reservations"][0]["Instances"][0]["InstanceId"]
    with pytest.raises(ClientError) as denied:
        ec2.terminate_instances(InstanceIds=[instance])
    message = denied.value.response["Error"]["Message"]
    assert denied.value.response["Error"]["Code"] == "UnauthorizedOperation"
    assert message.startswith("You are not authorized to perform this operation. User: ")
    encoded = message.split("Encoded authorization failure message: ", 1)[1]
    decoded = json.loads(over_http("sts").decode_authorization_message(EncodedMessage=encoded)["DecodedMessage"])
    assert decoded["context"]["action"] == "ec2:TerminateInstances"


def test_an_explicit_deny_by_an_organization_policy_names_its_arn_only_inside_the_organization():
    """AWS's messages end with the denying SCP's or RCP's ARN for requests from the same account or
    organization ("Enhanced access denied error messages with policy ARNs", AWS Security Blog);
    an implicit deny, a Deny elsewhere, or a caller outside the organization get no ARN."""
    from xacct.iam import Caller, Decision, Request
    from xacct.iam.evaluate import EXPLICIT_DENY, IMPLICIT_DENY
    from xacct.iam.policy import parse_policy
    from xacct.sandbox.gate import Gate

    gate = Gate()
    gate.members = {MANAGEMENT, MEMBER_A}
    arn = f"arn:aws:organizations::{MANAGEMENT}:policy/o-abcdefghij/resource_control_policy/p-abcd1234"
    gate.policy_arns["rcp"]["Fence"] = arn
    [deny] = parse_policy({"Version": "2012-10-17", "Statement": [
        {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"}]}, "Fence").statements
    decided = Decision(EXPLICIT_DENY, "rcp", (deny,))

    def request(account):
        return Request(Caller(f"arn:aws:iam::{account}:user/u"), "s3:DeleteBucket", "arn:aws:s3:::b", MEMBER_A, {})

    assert gate._denying_policy(request(MEMBER_A), decided) == f": {arn}"
    assert gate._denying_policy(request(OTHER), decided) == ""
    assert gate._denying_policy(request(MEMBER_A), Decision(IMPLICIT_DENY, "rcp", missing="rcp level 1")) == ""
    assert gate._denying_policy(request(MEMBER_A), Decision(EXPLICIT_DENY, "identity", (deny,))) == ""
