"""S3 at the level of KMS: account A's key used from account B ("Allowing users in other accounts
to use a KMS key", "Grants in AWS KMS"). Without a key policy statement for B, B's role is denied
even though its own IAM allows the key; with it, B's role uses the key; B's Auto Scaling
service-linked role is denied until B creates a grant for it."""

import json

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud

A, B = "101010101011", "101010101012"
V = "2012-10-17"
SLR = f"arn:aws:iam::{B}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
GRANT_OPERATIONS = ["Decrypt", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant"]


@pytest.fixture(scope="module")
def setup():
    cloud = SandboxCloud()
    a, b = cloud.operator(A), cloud.operator(B)
    key = cloud.client("kms", "us-east-1", a).create_key(Description="ami key")["KeyMetadata"]["Arn"]
    iam = cloud.client("iam", "us-east-1", b)
    iam.create_role(RoleName="b-app", AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "sts:AssumeRole"}]}))
    iam.put_role_policy(RoleName="b-app", PolicyName="use-a-key", PolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*",
                                       "kms:DescribeKey", "kms:CreateGrant"], "Resource": key}]}))
    iam.create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    app = cloud.assume_role(f"arn:aws:iam::{B}:role/b-app", "app", b, "us-east-1")
    slr = cloud.assume_role_as_service("autoscaling.amazonaws.com", SLR, "AutoScaling", b, "us-east-1")
    return cloud, a, key, app, slr


def test_the_key_policy_must_name_the_other_account(setup):
    cloud, a, key, app, _ = setup
    with pytest.raises(ClientError) as err:
        cloud.client("kms", "us-east-1", app).describe_key(KeyId=key)
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert "because no resource-based policy allows the kms:DescribeKey action" in err.value.response["Error"]["Message"]
    assert cloud.explain_denial(app)["layer"] == "kms"


def test_with_the_key_policy_b_uses_the_key_and_grants_it_to_its_service_linked_role(setup):
    cloud, a, key, app, slr = setup
    root_a = {"Sid": "Enable IAM User Permissions", "Effect": "Allow",
              "Principal": {"AWS": f"arn:aws:iam::{A}:root"}, "Action": "kms:*", "Resource": "*"}
    use = {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{B}:root"},
           "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
           "Resource": "*"}
    grants = {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
              "Principal": {"AWS": f"arn:aws:iam::{B}:root"}, "Action": "kms:CreateGrant", "Resource": "*"}
    cloud.client("kms", "us-east-1", a).put_key_policy(KeyId=key, PolicyName="default", Policy=json.dumps(
        {"Version": V, "Statement": [root_a, use, grants]}))
    b_kms = cloud.client("kms", "us-east-1", app)
    assert b_kms.describe_key(KeyId=key)["KeyMetadata"]["Arn"] == key
    blob = b_kms.encrypt(KeyId=key, Plaintext=b"secret")["CiphertextBlob"]
    assert blob

    slr_kms = cloud.client("kms", "us-east-1", slr)
    with pytest.raises(ClientError):
        slr_kms.decrypt(KeyId=key, CiphertextBlob=blob)
    b_kms.create_grant(KeyId=key, GranteePrincipal=SLR, Operations=GRANT_OPERATIONS)
    assert slr_kms.decrypt(KeyId=key, CiphertextBlob=blob)["Plaintext"] == b"secret"
