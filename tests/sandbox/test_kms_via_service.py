"""KMS's own condition keys in the sandbox ("AWS KMS condition keys", KMS Developer Guide): a key
policy that lets another account use the key only through EC2 (kms:ViaService
ec2.REGION.amazonaws.com, kms:CallerAccount) lets that account launch from an AMI encrypted with
the key, where EC2 uses the key on the launcher's behalf, and refuses the same account's direct
kms:Decrypt; `xacct ami share` finds nothing missing in such a policy."""

import json

import pytest
from botocore.exceptions import ClientError

from xacct.ami_share import missing_statements
from xacct.sandbox.embedded import SandboxCloud

OWNER, USER = "643100000001", "643100000002"
REGION = "eu-south-1"
V = "2012-10-17"


def _policy(key_arn: str) -> dict:
    through_ec2 = {"StringEquals": {"kms:ViaService": f"ec2.{REGION}.amazonaws.com", "kms:CallerAccount": USER}}
    return {"Version": V, "Statement": [
        {"Sid": "Owner", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{OWNER}:root"},
         "Action": "kms:*", "Resource": "*"},
        {"Sid": "UseThroughEc2", "Effect": "Allow", "Principal": {"AWS": "*"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey",
                    "kms:CreateGrant"], "Resource": "*", "Condition": through_ec2}]}


@pytest.fixture(scope="module")
def sandbox():
    cloud = SandboxCloud(REGION)
    owner, user = cloud.operator(OWNER), cloud.operator(USER)
    kms = cloud.client("kms", REGION, owner)
    key = kms.create_key(Description="through EC2 only")["KeyMetadata"]["Arn"]
    kms.put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(_policy(key)))
    ciphertext = kms.encrypt(KeyId=key, Plaintext=b"secret")["CiphertextBlob"]
    ec2 = cloud.client("ec2", REGION, owner)
    image = ec2.register_image(Name="through-ec2", RootDeviceName="/dev/xvda", BlockDeviceMappings=[
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": True, "KmsKeyId": key}}])["ImageId"]
    ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": USER}]})
    return cloud, user, key, image, ciphertext


def test_a_launch_uses_the_key_through_ec2(sandbox):
    cloud, user, _, image, _ = sandbox
    ec2 = cloud.client("ec2", REGION, user)
    launched = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    state = ec2.describe_instances(InstanceIds=[launched])["Reservations"][0]["Instances"][0]["State"]["Name"]
    assert state == "running"


def test_a_direct_decrypt_by_the_same_account_is_refused(sandbox):
    cloud, user, key, _, ciphertext = sandbox
    with pytest.raises(ClientError) as err:
        cloud.client("kms", REGION, user).decrypt(CiphertextBlob=ciphertext)
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "kms:Decrypt" in err.value.response["Error"]["Message"]


def test_ami_share_finds_nothing_missing_for_launches_in_such_a_policy(sandbox):
    _, _, key, _, _ = sandbox
    assert missing_statements(_policy(key), key, USER, for_autoscaling=False) == []
    # the account's own CreateGrant for Auto Scaling is direct: the EC2-only statement does not cover it
    assert [s["Action"] for s in missing_statements(_policy(key), key, USER, for_autoscaling=True)] == [
        ["kms:CreateGrant"]]
