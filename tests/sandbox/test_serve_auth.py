"""The served sandbox authenticates as AWS does, through the real AWS CLI and boto3 over 127.0.0.1:
a wrong secret or an unknown key is refused with AWS's code, an unsigned request is the anonymous
caller (refused on a private bucket, let in where a bucket policy allows "*"), a presigned URL acts
as the identity that signed it and expires, GetSessionToken with MFA gives credentials that carry
the MFA context, and a malformed parameter is a 400 in the protocol's error shape."""

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest import mock

import boto3
import pyotp
import pytest
import requests
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.config import Config
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from tests.served import profile_keys, served_world

ACCOUNT = "333333333331"
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
MFA = f"arn:aws:iam::{ACCOUNT}:mfa/mfa-user"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/reader"
AWS = shutil.which("aws", path=str(Path(sys.executable).parent)) or shutil.which("aws")
WORLD = f"""world: 1
accounts:
  "{ACCOUNT}":
    alias: auth
    iam:
      users:
        writer:
          accessKey: true
          policies:
            read-write:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: [s3:GetObject, s3:PutObject, s3:ListBucket]
                  Resource: [arn:aws:s3:::auth-private, "arn:aws:s3:::auth-private/*", arn:aws:s3:::auth-public,
                             "arn:aws:s3:::auth-public/*"]
                - {{Effect: Allow, Action: sts:AssumeRole, Resource: "{ROLE}"}}
        mfa-user:
          accessKey: true
          mfa: {{seed: {SEED}}}
          policies:
            list-with-mfa:
              Version: "2012-10-17"
              Statement:
                - Effect: Allow
                  Action: s3:ListBucket
                  Resource: arn:aws:s3:::auth-private
                  Condition: {{Bool: {{aws:MultiFactorAuthPresent: "true"}}}}
      roles:
        reader:
          trust:
            Version: "2012-10-17"
            Statement: [{{Effect: Allow, Principal: {{AWS: "arn:aws:iam::{ACCOUNT}:root"}}, Action: sts:AssumeRole}}]
          policies:
            read:
              Version: "2012-10-17"
              Statement: [{{Effect: Allow, Action: s3:GetObject, Resource: "arn:aws:s3:::auth-private/*"}}]
    regions:
      us-east-1:
        buckets:
          auth-private: {{}}
          auth-public:
            policy:
              Version: "2012-10-17"
              Statement:
                - {{Effect: Allow, Principal: "*", Action: s3:GetObject, Resource: "arn:aws:s3:::auth-public/*"}}
"""

pytestmark = pytest.mark.skipif(AWS is None, reason="the AWS CLI (awscli) is not installed")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served-auth")
    world = folder / "auth.yaml"
    world.write_text(WORLD)
    with served_world(world, folder) as (env, endpoint):
        writer = profile_keys(folder, "auth-writer")
        s3 = client("s3", endpoint, *writer)
        s3.put_object(Bucket="auth-private", Key="secret.txt", Body=b"private")
        s3.put_object(Bucket="auth-public", Key="hello.txt", Body=b"hello")
        yield env, endpoint, folder


def client(service, endpoint, key, secret, token=None, **config):
    return boto3.client(service, region_name="us-east-1", endpoint_url=endpoint, aws_access_key_id=key,
                        aws_secret_access_key=secret, aws_session_token=token,
                        config=Config(retries={"max_attempts": 1}, **config))


def aws(env, *args, keys=None):
    if keys is not None:
        env = {**env, "AWS_ACCESS_KEY_ID": keys[0], "AWS_SECRET_ACCESS_KEY": keys[1], "AWS_DEFAULT_REGION": "us-east-1"}
        if len(keys) > 2:
            env["AWS_SESSION_TOKEN"] = keys[2]
    return subprocess.run([AWS, *args], env=env, capture_output=True, text=True, timeout=60)


def error_of(response: requests.Response) -> tuple[str, str]:
    root = ET.fromstring(response.content)
    return root.findtext(".//Code"), root.findtext(".//Message")


def test_a_wrong_secret_is_refused(served):
    env, endpoint, folder = served
    key, _ = profile_keys(folder, "auth-writer")
    result = aws(env, "sts", "get-caller-identity", "--endpoint-url", endpoint, keys=(key, "not-the-secret"))
    assert result.returncode != 0
    assert ("An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: The request "
            "signature we calculated does not match the signature you provided. Check your AWS Secret Access Key "
            "and signing method. Consult the service documentation for details.") in result.stderr
    with pytest.raises(ClientError) as s3_error:
        client("s3", endpoint, key, "not-the-secret").list_objects_v2(Bucket="auth-private")
    assert s3_error.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert s3_error.value.response["Error"]["Message"].endswith("Check your key and signing method.")
    with pytest.raises(ClientError) as ssm_error:
        client("ssm", endpoint, key, "not-the-secret").describe_parameters()
    assert ssm_error.value.response["Error"]["Code"] == "InvalidSignatureException"


def test_an_unknown_key_is_refused(served):
    env, endpoint, _ = served
    unknown = ("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")
    result = aws(env, "sts", "get-caller-identity", "--endpoint-url", endpoint, keys=unknown)
    assert ("An error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: The security "
            "token included in the request is invalid.") in result.stderr
    with pytest.raises(ClientError) as s3_error:
        client("s3", endpoint, *unknown).list_buckets()
    assert s3_error.value.response["Error"]["Code"] == "InvalidAccessKeyId"
    assert s3_error.value.response["Error"]["Message"] == "The AWS Access Key Id you provided does not exist in our " \
                                                          "records."


def test_an_unsigned_listing_of_a_private_bucket_is_refused(served):
    env, endpoint, _ = served
    result = aws(env, "s3", "ls", "s3://auth-private", "--no-sign-request", "--endpoint-url", endpoint,
                 keys=("unused", "unused"))
    assert result.returncode != 0
    assert "An error occurred (AccessDenied) when calling the ListObjectsV2 operation: Access Denied" in result.stderr


def test_an_unsigned_put_is_refused(served):
    _, endpoint, folder = served
    response = requests.put(f"{endpoint}/auth-private/planted.txt", data=b"anyone")
    assert response.status_code == 403
    assert error_of(response) == ("AccessDenied", "Access Denied")
    with pytest.raises(ClientError) as missing:
        client("s3", endpoint, *profile_keys(folder, "auth-writer")).head_object(Bucket="auth-private",
                                                                                 Key="planted.txt")
    assert missing.value.response["Error"]["Code"] == "404"


def test_an_unsigned_get_is_allowed_where_the_bucket_policy_allows_everyone(served):
    env, endpoint, _ = served
    assert requests.get(f"{endpoint}/auth-public/hello.txt").content == b"hello"
    result = aws(env, "s3", "cp", "s3://auth-public/hello.txt", "-", "--no-sign-request", "--endpoint-url", endpoint,
                 keys=("unused", "unused"))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "hello"
    assert requests.get(f"{endpoint}/auth-private/secret.txt").status_code == 403


def test_a_presigned_get_by_a_permitted_user_works(served):
    env, endpoint, folder = served
    writer = profile_keys(folder, "auth-writer")
    # what `aws s3 presign` makes (S3's SigV2 query string), and a SigV4 presigned URL
    cli = aws(env, "s3", "presign", "s3://auth-private/secret.txt", "--endpoint-url", endpoint, keys=writer)
    assert cli.returncode == 0, cli.stderr
    assert requests.get(cli.stdout.strip()).content == b"private"
    url = client("s3", endpoint, *writer, signature_version="s3v4").generate_presigned_url(
        "get_object", Params={"Bucket": "auth-private", "Key": "secret.txt"})
    assert "X-Amz-Signature=" in url
    assert requests.get(url).content == b"private"
    tampered = url.replace("secret.txt", "other.txt")
    assert error_of(requests.get(tampered))[0] == "SignatureDoesNotMatch"


def test_a_presigned_put_by_a_role_without_put_object_is_refused(served):
    _, endpoint, folder = served
    writer = profile_keys(folder, "auth-writer")
    session = client("sts", endpoint, *writer).assume_role(RoleArn=ROLE, RoleSessionName="presigner")["Credentials"]
    role = (session["AccessKeyId"], session["SecretAccessKey"], session["SessionToken"])
    role_s3 = client("s3", endpoint, *role, signature_version="s3v4")
    assert role_s3.get_object(Bucket="auth-private", Key="secret.txt")["Body"].read() == b"private"
    url = role_s3.generate_presigned_url("put_object", Params={"Bucket": "auth-private", "Key": "by-role.txt"})
    response = requests.put(url, data=b"uploaded")
    assert response.status_code == 403
    code, message = error_of(response)
    assert code == "AccessDenied"
    assert message == ("User: arn:aws:sts::333333333331:assumed-role/reader/presigner is not authorized to perform: "
                       "s3:PutObject on resource: arn:aws:s3:::auth-private/by-role.txt because no identity-based "
                       "policy allows the s3:PutObject action")
    # the session's token is part of what it signs: without it the key is not recognised
    stripped = client("s3", endpoint, *role[:2], signature_version="s3v4")
    with pytest.raises(ClientError) as no_token:
        stripped.get_object(Bucket="auth-private", Key="secret.txt")
    assert no_token.value.response["Error"]["Code"] == "InvalidToken"


def test_an_expired_presigned_url_is_refused(served):
    _, endpoint, folder = served
    s3 = client("s3", endpoint, *profile_keys(folder, "auth-writer"), signature_version="s3v4")
    two_hours_ago = datetime.now(timezone.utc) - timedelta(hours=2)
    with mock.patch("botocore.auth.get_current_datetime", return_value=two_hours_ago.replace(tzinfo=None)):
        url = s3.generate_presigned_url("get_object", Params={"Bucket": "auth-private", "Key": "secret.txt"},
                                        ExpiresIn=3600)
    response = requests.get(url)
    assert response.status_code == 403
    assert error_of(response) == ("AccessDenied", "Request has expired")


def test_get_session_token_with_mfa_gives_credentials_with_the_mfa_context(served):
    env, endpoint, folder = served
    user = profile_keys(folder, "auth-mfa-user")
    # without MFA the user's policy (aws:MultiFactorAuthPresent) does not allow the listing
    without = aws(env, "sts", "get-session-token", "--endpoint-url", endpoint, "--output", "json", keys=user)
    assert without.returncode == 0, without.stderr
    plain = json.loads(without.stdout)["Credentials"]
    denied = aws(env, "s3api", "list-objects-v2", "--bucket", "auth-private", "--endpoint-url", endpoint,
                 keys=(plain["AccessKeyId"], plain["SecretAccessKey"], plain["SessionToken"]))
    assert "(AccessDenied)" in denied.stderr
    result = aws(env, "sts", "get-session-token", "--serial-number", MFA, "--token-code", pyotp.TOTP(SEED).now(),
                 "--endpoint-url", endpoint, "--output", "json", keys=user)
    assert result.returncode == 0, result.stderr
    credentials = json.loads(result.stdout)["Credentials"]
    assert credentials["AccessKeyId"].startswith("ASIA") and credentials["SessionToken"]
    session = (credentials["AccessKeyId"], credentials["SecretAccessKey"], credentials["SessionToken"])
    who = aws(env, "sts", "get-caller-identity", "--endpoint-url", endpoint, "--query", "Arn", "--output", "text",
              keys=session)
    assert who.stdout.strip() == f"arn:aws:iam::{ACCOUNT}:user/mfa-user", who.stderr
    listed = aws(env, "s3api", "list-objects-v2", "--bucket", "auth-private", "--endpoint-url", endpoint,
                 "--query", "Contents[].Key", "--output", "text", keys=session)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.split() == ["secret.txt"]
    again = aws(env, "sts", "get-session-token", "--endpoint-url", endpoint, keys=session)
    assert ("An error occurred (AccessDenied) when calling the GetSessionToken operation: Cannot call "
            "GetSessionToken with session credentials") in again.stderr


def test_get_session_token_with_a_wrong_code_is_refused(served):
    env, endpoint, folder = served
    wrong = f"{(int(pyotp.TOTP(SEED).now()) + 500000) % 1000000:06d}"
    result = aws(env, "sts", "get-session-token", "--serial-number", MFA, "--token-code", wrong, "--endpoint-url",
                 endpoint, keys=profile_keys(folder, "auth-mfa-user"))
    assert ("An error occurred (AccessDenied) when calling the GetSessionToken operation: MultiFactorAuthentication "
            "failed with invalid MFA one time pass code.") in result.stderr


def signed_post(endpoint, keys, service, body, headers):
    request = AWSRequest(method="POST", url=endpoint + "/", data=body, headers=headers)
    SigV4Auth(Credentials(*keys), service, "us-east-1").add_auth(request)
    return requests.post(endpoint + "/", data=body, headers=dict(request.headers))


FORM = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}


def test_a_non_numeric_duration_is_a_validation_error(served):
    _, endpoint, folder = served
    writer = profile_keys(folder, "auth-writer")
    body = f"Action=AssumeRole&Version=2011-06-15&RoleArn={ROLE}&RoleSessionName=x1&DurationSeconds=abc"
    response = signed_post(endpoint, writer, "sts", body, FORM)
    assert response.status_code == 400
    root = ET.fromstring(response.content)
    assert root.tag == "ErrorResponse"
    assert root.findtext("Error/Type") == "Sender" and root.findtext("Error/Code") == "ValidationError"
    assert root.findtext("Error/Message") == ("1 validation error detected: Value 'abc' at 'durationSeconds' failed to "
                                              "satisfy constraint: Member must be of type Integer")
    assert root.findtext("RequestId")


def test_malformed_calls_answer_in_their_protocols_shape(served):
    _, endpoint, folder = served
    writer = profile_keys(folder, "auth-writer")
    missing = signed_post(endpoint, writer, "sts", "Action=AssumeRole&Version=2011-06-15&RoleSessionName=x1", FORM)
    assert (missing.status_code, error_of(missing)) == (400, (
        "ValidationError", "1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member "
                           "must not be null"))
    unknown = signed_post(endpoint, writer, "sts", "Action=BecomeRoot&Version=2011-06-15", FORM)
    assert error_of(unknown) == ("InvalidAction", "Could not find operation BecomeRoot for version 2011-06-15")
    json_headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AmazonSSM.DescribeParameters"}
    not_an_object = signed_post(endpoint, writer, "ssm", "[1, 2]", json_headers)
    assert not_an_object.status_code == 400
    assert not_an_object.json()["__type"] == "SerializationException"
    no_such = signed_post(endpoint, writer, "ssm", "{}", {**json_headers, "X-Amz-Target": "AmazonSSM.Levitate"})
    assert no_such.json()["__type"] == "UnknownOperationException"
    wrong_type = signed_post(endpoint, writer, "ssm", '{"MaxResults": "ten"}', json_headers)
    assert wrong_type.json() == {"__type": "SerializationException",
                                 "message": "STRING_VALUE can not be converted to an Integer (at 'maxResults')"}
    unsigned = requests.post(endpoint + "/", data="{}", headers=json_headers)
    assert (unsigned.status_code, unsigned.json()) == (403, {"__type": "MissingAuthenticationTokenException",
                                                             "message": "Missing Authentication Token"})


def test_get_session_token_in_process_needs_no_permission_and_carries_mfa(sandbox):
    """The same path for the sandbox's own clients: no policy allows sts:GetSessionToken, and the
    session's requests carry aws:MultiFactorAuthPresent (here: a policy that needs it)."""
    from moto.iam.models import iam_backends

    from xacct.credentials import Credentials as XCredentials

    account = "333333333339"
    iam = sandbox.client("iam", "us-east-1", sandbox.operator(account))
    iam.create_user(UserName="mfa-in-process")
    iam.put_user_policy(UserName="mfa-in-process", PolicyName="with-mfa", PolicyDocument=json.dumps({
        "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "iam:ListUsers", "Resource": "*",
                                                "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}}}]}))
    key = iam.create_access_key(UserName="mfa-in-process")["AccessKey"]
    serial = iam.create_virtual_mfa_device(VirtualMFADeviceName="mfa-in-process")["VirtualMFADevice"]["SerialNumber"]
    iam_backends[account]["global"].virtual_mfa_devices[serial].base32_string_seed = SEED
    iam.enable_mfa_device(UserName="mfa-in-process", SerialNumber=serial, AuthenticationCode1=pyotp.TOTP(SEED).now(),
                          AuthenticationCode2=pyotp.TOTP(SEED).now())
    user = XCredentials(key["AccessKeyId"], key["SecretAccessKey"], None, f"arn:aws:iam::{account}:user/mfa-in-process")
    sts = sandbox.client("sts", "us-east-1", user)
    answer = sts.get_session_token(SerialNumber=serial, TokenCode=pyotp.TOTP(SEED).now(), DurationSeconds=900)
    session = XCredentials.from_response(answer["Credentials"], user.arn)
    assert sandbox.client("sts", "us-east-1", session).get_caller_identity()["Arn"] == user.arn
    assert sandbox.client("iam", "us-east-1", session).list_users()["Users"]
    with pytest.raises(ClientError) as without:
        plain = sts.get_session_token()["Credentials"]
        sandbox.client("iam", "us-east-1", XCredentials.from_response(plain, user.arn)).list_users()
    assert without.value.response["Error"]["Code"] == "InvalidClientTokenId"  # IAM needs MFA from such sessions
