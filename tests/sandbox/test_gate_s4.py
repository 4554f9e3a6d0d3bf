"""S4 at the sandbox level: cross-account AssumeRole that needs MFA. The bare AccessDenied with
AWS's text, the explanation kept by the gate, success with a correct one-time code, refusal of a
wrong code (SCENARIOS.md, S4 steps 1 and 2)."""

import json

import pyotp
import pytest
from botocore.exceptions import ClientError

from xacct.credentials import Credentials
from xacct.sandbox.embedded import SandboxCloud

HOGE, FOO = "444444444441", "444444444442"  # apart from the shipped S4 world's accounts
V = "2012-10-17"
ROLE_ARN = f"arn:aws:iam::{FOO}:role/role-kawahara"
USER_ARN = f"arn:aws:iam::{HOGE}:user/user-kawahara"
S4_TEXT = f"User: {USER_ARN} is not authorized to perform: sts:AssumeRole on resource: {ROLE_ARN}"


@pytest.fixture(scope="module")
def world():
    cloud = SandboxCloud(enforce=True)
    hoge, foo = cloud.operator(HOGE), cloud.operator(FOO)
    iam = cloud.client("iam", "us-east-1", hoge)
    iam.create_user(UserName="user-kawahara")
    iam.put_user_policy(UserName="user-kawahara", PolicyName="switch", PolicyDocument=json.dumps(
        {"Version": V, "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": ROLE_ARN}]}))
    key = iam.create_access_key(UserName="user-kawahara")["AccessKey"]
    device = iam.create_virtual_mfa_device(VirtualMFADeviceName="user-kawahara")["VirtualMFADevice"]
    from moto.iam.models import iam_backends

    seed = iam_backends[HOGE]["global"].virtual_mfa_devices[device["SerialNumber"]].base32_string_seed
    seed = seed.decode() if isinstance(seed, bytes) else seed
    totp = pyotp.TOTP(seed)
    iam.enable_mfa_device(UserName="user-kawahara", SerialNumber=device["SerialNumber"],
                          AuthenticationCode1=totp.now(), AuthenticationCode2=totp.at(totp.timecode(
                              __import__("datetime").datetime.now()) * 30 + 30))
    foo_iam = cloud.client("iam", "us-east-1", foo)
    foo_iam.create_role(RoleName="role-kawahara", AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": USER_ARN}, "Action": "sts:AssumeRole",
         "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}))
    foo_iam.put_role_policy(RoleName="role-kawahara", PolicyName="list", PolicyDocument=json.dumps(
        {"Version": V, "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::foo-data-gate"}]}))
    cloud.client("s3", "us-east-1", foo).create_bucket(Bucket="foo-data-gate")
    user = Credentials(key["AccessKeyId"], key["SecretAccessKey"], None, USER_ARN)
    return cloud, user, device["SerialNumber"], totp


def test_without_mfa_the_bare_access_denied(world):
    cloud, user, _, _ = world
    sts = cloud.client("sts", "us-east-1", user)
    with pytest.raises(ClientError) as err:
        sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="cli")
    assert err.value.response["Error"]["Code"] == "AccessDenied"
    assert err.value.response["Error"]["Message"] == S4_TEXT
    denial = cloud.gate.last_denial(user.access_key_id)
    assert denial.decision.layer == "trust"
    assert denial.decision.notes[0].key == "aws:MultiFactorAuthPresent"


def test_with_a_correct_code_the_bucket_lists(world):
    cloud, user, serial, totp = world
    sts = cloud.client("sts", "us-east-1", user)
    response = sts.assume_role(RoleArn=ROLE_ARN, RoleSessionName="cli", SerialNumber=serial, TokenCode=totp.now())
    role = Credentials.from_response(response["Credentials"], response["AssumedRoleUser"]["Arn"])
    s3 = cloud.client("s3", "us-east-1", role)
    assert s3.list_objects_v2(Bucket="foo-data-gate")["KeyCount"] == 0
    with pytest.raises(ClientError) as err:  # the role may list, nothing more
        s3.put_object(Bucket="foo-data-gate", Key="x", Body=b"1")
    assert err.value.response["Error"]["Code"] == "AccessDenied"
    assert "because no identity-based policy allows the s3:PutObject action" in err.value.response["Error"]["Message"]


def test_a_wrong_code_is_refused(world):
    cloud, user, serial, totp = world
    wrong = f"{(int(totp.now()) + 500000) % 1000000:06d}"
    with pytest.raises(ClientError) as err:
        cloud.client("sts", "us-east-1", user).assume_role(
            RoleArn=ROLE_ARN, RoleSessionName="cli", SerialNumber=serial, TokenCode=wrong)
    assert err.value.response["Error"]["Code"] == "AccessDenied"
    assert err.value.response["Error"]["Message"] == "MultiFactorAuthentication failed with invalid MFA one time pass code."
