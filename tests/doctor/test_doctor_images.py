"""Doctor on story S3: a runbook in account B launches A's AMI, encrypted with A's key, through
an Auto Scaling group. Doctor reports what the launch lacks (the key policy, the grant for B's
Auto Scaling service-linked role), each with the command that fixes it; applied, the group launches."""

import json
from pathlib import Path

import yaml

from xacct.doctor import Checkup, Reader, diagnose
from xacct.document.loader import load_text
from xacct.document.model import build_document
from xacct.engine.documents import Runbook
from xacct.sandbox.world import build_world, load_world

WORLDS = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds"
REGION = "us-east-1"
LAUNCH_GROUP = """schemaVersion: '0.3'
parameters:
  ImageId: {type: String}
mainSteps:
  - name: template
    action: aws:executeAwsApi
    inputs: {Service: ec2, Api: CreateLaunchTemplate, LaunchTemplateName: web,
             LaunchTemplateData: {ImageId: '{{ ImageId }}', InstanceType: t3.micro}}
  - name: group
    action: aws:executeAwsApi
    inputs: {Service: autoscaling, Api: CreateAutoScalingGroup, AutoScalingGroupName: web, MinSize: 1, MaxSize: 1,
             DesiredCapacity: 1, LaunchTemplate: {LaunchTemplateName: web}, AvailabilityZones: [us-east-1a]}
"""
LAUNCH_INSTANCE = """schemaVersion: '0.3'
parameters:
  ImageId: {type: String}
mainSteps:
  - name: launch
    action: aws:runInstances
    inputs: {ImageId: '{{ ImageId }}', InstanceType: t3.micro}
"""


def s3_world(tmp_path, sandbox, a, b):
    text = (WORLDS / "s3-encrypted-ami.yaml").read_text().replace("111111111111", a).replace("222222222222", b)
    (tmp_path / "world.yaml").write_text(json.dumps(yaml.safe_load(text)))
    return build_world(load_world(str(tmp_path / "world.yaml")), sandbox, REGION)


def runbook(text):
    [source] = load_text("launch.yaml", text).documents
    return Runbook(build_document(source), "Launch", folder=".")


def image_of(sandbox, a):
    ec2 = sandbox.client("ec2", REGION, sandbox.operator(a))
    return ec2.describe_images(Owners=["self"])["Images"][0]["ImageId"]


def test_an_auto_scaling_launch_of_an_encrypted_shared_ami_needs_the_key_policy_and_the_grant(tmp_path, sandbox):
    a, b = "750000000091", "750000000092"
    built = s3_world(tmp_path, sandbox, a, b)
    image = image_of(sandbox, a)
    caller = sandbox.identity(built.users[(b, "ops")], REGION)
    check = Checkup(Reader(sandbox, caller, REGION), runbook(LAUNCH_GROUP), {"ImageId": [image]}, REGION, caller,
                    images=[image])
    findings = diagnose(check)
    assert [(f.id, f.account) for f in findings] == [("D503", a), ("D504", b)], [f.text() for f in findings]
    policy, grant = findings
    assert policy.fix.startswith("aws kms put-key-policy --key-id arn:aws:kms:us-east-1:" + a)
    assert grant.fix.startswith("aws kms create-grant --key-id arn:aws:kms:us-east-1:" + a)
    assert f"arn:aws:iam::{b}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling" in grant.fix
    for finding in findings:
        finding.apply()
    check.reader.read.cache_clear()
    assert diagnose(check) == []


def test_an_instance_launch_needs_only_the_key_policy(tmp_path, sandbox):
    a, b = "750000000093", "750000000094"
    built = s3_world(tmp_path, sandbox, a, b)
    image = image_of(sandbox, a)
    caller = sandbox.identity(built.users[(b, "ops")], REGION)
    findings = diagnose(Checkup(Reader(sandbox, caller, REGION), runbook(LAUNCH_INSTANCE), {"ImageId": [image]},
                                REGION, caller, images=[image]))
    assert [f.id for f in findings] == ["D503"]
