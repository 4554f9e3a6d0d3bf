"""S3 at the sandbox level (SCENARIOS.md, S3 steps 1 to 4): account A's AMI, encrypted with A's
customer managed key and shared with B.
1. The key policy does not mention B: an instance launched in B does not reach running; its state
   reason is `Client.InternalError: Client error on launch`.
2. The key policy allows B: the instance runs.
3. An Auto Scaling group in B fails to launch (the service-linked role has no grant); the scaling
   activity says `Client.InternalError: Client error on launch`.
4. After B grants the key to the service-linked role, the group reaches its desired capacity."""

import json

import pytest

from xacct.sandbox.embedded import SandboxCloud

A, B = "121212121211", "121212121212"
V = "2012-10-17"
SLR = f"arn:aws:iam::{B}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
CLIENT_ERROR = "Client.InternalError: Client error on launch"


@pytest.fixture(scope="module")
def story():
    cloud = SandboxCloud()
    a, b = cloud.operator(A), cloud.operator(B)
    key = cloud.client("kms", "us-east-1", a).create_key(Description="ami")["KeyMetadata"]["Arn"]
    ec2_a = cloud.client("ec2", "us-east-1", a)
    image = ec2_a.register_image(Name="encrypted-base", RootDeviceName="/dev/xvda", BlockDeviceMappings=[
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": True, "KmsKeyId": key}}])["ImageId"]
    ec2_a.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": B}]})
    iam = cloud.client("iam", "us-east-1", b)
    iam.create_role(RoleName="launcher", AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="launcher", PolicyName="launch", PolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Action": ["ec2:*", "autoscaling:*", "iam:CreateServiceLinkedRole"], "Resource": "*"},
        {"Effect": "Allow", "Action": ["kms:Decrypt", "kms:Encrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                                       "kms:DescribeKey", "kms:CreateGrant"], "Resource": key}]}))
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    launcher = cloud.assume_role(f"arn:aws:iam::{B}:role/launcher", "launch", b, "us-east-1")
    return cloud, a, key, image, launcher


def _state(ec2, instance_id):
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    return instance["State"]["Name"], instance.get("StateReason", {}).get("Message")


def test_steps_1_to_4(story):
    cloud, a, key, image, launcher = story
    ec2 = cloud.client("ec2", "us-east-1", launcher)

    # 1. the key policy does not mention B
    first = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert _state(ec2, first) == ("terminated", CLIENT_ERROR)
    why = cloud.explain_denial(launcher)  # RunInstances itself was accepted, as in AWS; the key decided
    assert why["layer"] == "kms" and why["action"] == "kms:CreateGrant" and why["resource"] == key

    # 2. the key policy allows B (the statements of the seed)
    policy = {"Version": V, "Statement": [
        {"Sid": "Enable IAM User Permissions", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
         "Resource": "*"},
        {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "kms:CreateGrant", "Resource": "*"}]}
    cloud.client("kms", "us-east-1", a).put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(policy))
    second = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    assert _state(ec2, second)[0] == "running"

    # 3. an Auto Scaling group in B
    template = ec2.create_launch_template(LaunchTemplateName="encrypted", LaunchTemplateData={
        "ImageId": image, "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    autoscaling = cloud.client("autoscaling", "us-east-1", launcher)
    autoscaling.create_auto_scaling_group(AutoScalingGroupName="web", MinSize=2, MaxSize=2, DesiredCapacity=2,
                                          LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
                                          VPCZoneIdentifier=subnet)
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
    assert group["Instances"] == []
    activity = autoscaling.describe_scaling_activities(AutoScalingGroupName="web")["Activities"][0]
    assert activity["StatusCode"] == "Failed" and activity["StatusMessage"] == CLIENT_ERROR

    # 4. the grant to the service-linked role, made with B's credentials (the seed's command)
    cloud.client("kms", "us-east-1", launcher).create_grant(
        KeyId=key, GranteePrincipal=SLR,
        Operations=["Decrypt", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant"])
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
    assert len(group["Instances"]) == 2
    assert all(i["LifecycleState"] == "InService" for i in group["Instances"])
