"""Session policies in the sandbox: what AssumeRole's `Policy` and `PolicyArns` pass limits the
session to what both the role's identity policies and the session policies allow; they grant
nothing of their own; a Deny in one denies; a same-account resource-based policy that names the
session's ARN is not limited by them, one that names the role's ARN is ("Session policies", IAM
User Guide, https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).
Checked in process and over HTTP, where the AWS CLI's `--policy` and `--policy-arns` reach it."""

import json
import subprocess

import pytest
from botocore.exceptions import ClientError

from tests.served import served_world
from xacct.credentials import Credentials
from xacct.sandbox.embedded import SandboxCloud

HOME, OTHER = "683400000011", "683400000012"
REGION = "ap-southeast-2"
V = "2012-10-17"
BUCKET = "ledger-683400000011"


def _doc(*statements) -> str:
    return json.dumps({"Version": V, "Statement": list(statements)})


def _allow(actions, resource="*"):
    return {"Effect": "Allow", "Action": actions, "Resource": resource}


@pytest.fixture(scope="module")
def sandbox():
    cloud = SandboxCloud(REGION)
    operator = cloud.operator(HOME)
    iam = cloud.client("iam", "us-east-1", operator)
    iam.create_role(RoleName="clerk", AssumeRolePolicyDocument=_doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{HOME}:root"}, "Action": "sts:AssumeRole"}))
    # the role may read and write the bucket and assume the auditor role; nothing about SQS
    iam.put_role_policy(RoleName="clerk", PolicyName="work", PolicyDocument=_doc(
        _allow(["s3:GetObject", "s3:PutObject", "s3:ListBucket"]), _allow("sts:AssumeRole")))
    iam.create_role(RoleName="auditor", AssumeRolePolicyDocument=_doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{HOME}:root"}, "Action": "sts:AssumeRole"}))
    iam.put_role_policy(RoleName="auditor", PolicyName="read", PolicyDocument=_doc(_allow("s3:GetObject")))
    reads = iam.create_policy(PolicyName="reads-only", PolicyDocument=_doc(_allow(["s3:GetObject", "s3:ListBucket"])))
    s3 = cloud.client("s3", REGION, operator)
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_object(Bucket=BUCKET, Key="day-1", Body=b"opening balance")
    return {"cloud": cloud, "operator": operator, "reads": reads["Policy"]["Arn"]}


def _session(sandbox, name="s1", role="clerk", caller=None, **session):
    cloud = sandbox["cloud"]
    answer = cloud.client("sts", REGION, caller or sandbox["operator"]).assume_role(
        RoleArn=f"arn:aws:iam::{HOME}:role/{role}", RoleSessionName=name, **session)
    c = answer["Credentials"]
    return Credentials(c["AccessKeyId"], c["SecretAccessKey"], c["SessionToken"], answer["AssumedRoleUser"]["Arn"])


def _s3(sandbox, credentials):
    return sandbox["cloud"].client("s3", REGION, credentials)


def _denied(call) -> dict:
    with pytest.raises(ClientError) as err:
        call()
    return err.value.response["Error"]


def test_without_session_policies_the_role_decides(sandbox):
    s3 = _s3(sandbox, _session(sandbox, "plain"))
    s3.put_object(Bucket=BUCKET, Key="day-2", Body=b"x")
    assert s3.get_object(Bucket=BUCKET, Key="day-1")["Body"].read() == b"opening balance"


def test_an_inline_session_policy_limits_the_session_to_what_both_allow(sandbox):
    session = _session(sandbox, "reader", Policy=_doc(_allow("s3:GetObject", f"arn:aws:s3:::{BUCKET}/*")))
    s3 = _s3(sandbox, session)
    assert s3.get_object(Bucket=BUCKET, Key="day-1")["Body"].read() == b"opening balance"
    error = _denied(lambda: s3.put_object(Bucket=BUCKET, Key="day-3", Body=b"x"))
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:sts::{HOME}:assumed-role/clerk/reader is not authorized to perform: s3:PutObject on "
        f"resource: arn:aws:s3:::{BUCKET}/day-3 because no session policy allows the s3:PutObject action")
    explained = sandbox["cloud"].explain_denial(session)
    assert explained["layer"] == "session"


def test_a_session_policy_grants_nothing_the_role_does_not(sandbox):
    session = _session(sandbox, "wider", Policy=_doc(_allow(["s3:*", "sqs:*"])))
    sqs = sandbox["cloud"].client("sqs", REGION, session)
    error = _denied(lambda: sqs.create_queue(QueueName="not-the-clerks"))
    assert "because no identity-based policy allows the sqs:createqueue action" in error["Message"]
    _s3(sandbox, session).put_object(Bucket=BUCKET, Key="day-4", Body=b"x")  # the role allows it


def test_an_explicit_deny_in_a_session_policy_denies(sandbox):
    session = _session(sandbox, "fenced", Policy=_doc(
        _allow("s3:*"), {"Effect": "Deny", "Action": "s3:GetObject", "Resource": f"arn:aws:s3:::{BUCKET}/day-1"}))
    error = _denied(lambda: _s3(sandbox, session).get_object(Bucket=BUCKET, Key="day-1"))
    assert "with an explicit deny in a session policy" in error["Message"]


def test_managed_session_policies_of_the_account_and_of_aws(sandbox):
    own = _s3(sandbox, _session(sandbox, "managed", PolicyArns=[{"arn": sandbox["reads"]}]))
    assert own.list_objects_v2(Bucket=BUCKET)["KeyCount"] >= 1
    assert _denied(lambda: own.put_object(Bucket=BUCKET, Key="m", Body=b"x"))["Code"] == "AccessDenied"
    aws = _s3(sandbox, _session(sandbox, "aws-managed",
                                PolicyArns=[{"arn": "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"}]))
    assert aws.get_object(Bucket=BUCKET, Key="day-1")["Body"].read() == b"opening balance"
    assert _denied(lambda: aws.put_object(Bucket=BUCKET, Key="m", Body=b"x"))["Code"] == "AccessDenied"


def test_inline_and_managed_session_policies_allow_together(sandbox):
    s3 = _s3(sandbox, _session(sandbox, "both", PolicyArns=[{"arn": sandbox["reads"]}],
                               Policy=_doc(_allow("s3:PutObject", f"arn:aws:s3:::{BUCKET}/inbox/*"))))
    s3.put_object(Bucket=BUCKET, Key="inbox/1", Body=b"x")
    s3.get_object(Bucket=BUCKET, Key="day-1")
    assert _denied(lambda: s3.put_object(Bucket=BUCKET, Key="elsewhere", Body=b"x"))["Code"] == "AccessDenied"


def test_a_managed_session_policy_of_another_account_brings_nothing(sandbox):
    foreign = f"arn:aws:iam::{OTHER}:policy/reads-only"
    s3 = _s3(sandbox, _session(sandbox, "foreign", PolicyArns=[{"arn": foreign}]))
    assert _denied(lambda: s3.get_object(Bucket=BUCKET, Key="day-1"))["Code"] == "AccessDenied"


def test_a_bucket_policy_naming_the_session_is_not_limited_but_one_naming_the_role_is(sandbox):
    cloud, operator = sandbox["cloud"], sandbox["operator"]
    limited = {"Policy": _doc(_allow("s3:GetObject"))}
    cloud.client("s3", REGION, operator).put_bucket_policy(Bucket=BUCKET, Policy=_doc(
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:sts::{HOME}:assumed-role/clerk/named"},
         "Action": "s3:DeleteObject", "Resource": f"arn:aws:s3:::{BUCKET}/*"},
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{HOME}:role/clerk"},
         "Action": "s3:GetObjectTagging", "Resource": f"arn:aws:s3:::{BUCKET}/*"}))
    try:
        named = _s3(sandbox, _session(sandbox, "named", **limited))
        named.delete_object(Bucket=BUCKET, Key="day-4")  # granted to the session: no limit applies
        error = _denied(lambda: named.get_object_tagging(Bucket=BUCKET, Key="day-1"))
        assert "because no session policy allows the s3:GetObjectTagging action" in error["Message"]
    finally:
        cloud.client("s3", REGION, operator).delete_bucket_policy(Bucket=BUCKET)


def test_a_chained_role_is_reached_only_if_the_session_policy_allows_assuming_it(sandbox):
    fenced = _session(sandbox, "chain-fenced", Policy=_doc(_allow("s3:GetObject")))
    error = _denied(lambda: _session(sandbox, "next", role="auditor", caller=fenced))
    assert "because no session policy allows the sts:AssumeRole action" in error["Message"]
    free = _session(sandbox, "chain-free", Policy=_doc(_allow(["s3:GetObject", "sts:AssumeRole"])))
    auditor = _session(sandbox, "next", role="auditor", caller=free)  # a new session: its own limits
    assert _s3(sandbox, auditor).get_object(Bucket=BUCKET, Key="day-1")["Body"].read() == b"opening balance"


@pytest.mark.parametrize("policy, message", [
    ("{not json", "The policy is not in the valid JSON format."),
    (json.dumps({"Version": V, "Statement": [{"Effect": "Allow", "Action": "s3:GetObject"}]}),
     "Syntax errors in policy."),
    (json.dumps({"Version": V, "Statement": [{"Effect": "Maybe", "Action": "*", "Resource": "*"}]}),
     "Syntax errors in policy."),
    ("[" * 100_000 + "]" * 100_000, "The policy is not in the valid JSON format."),
    (json.dumps([{"Version": V}]), "Syntax errors in policy."),
])
def test_a_malformed_session_policy_is_refused_as_sts_refuses_it(sandbox, policy, message):
    error = _denied(lambda: _session(sandbox, "bad", Policy=policy))
    assert (error["Code"], error["Message"]) == ("MalformedPolicyDocument", message)


WORLD = f"""world: 1
accounts:
  "{HOME}":
    alias: ledger
    iam:
      users:
        bookkeeper:
          accessKey: true
          policies:
            assume: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: "sts:AssumeRole", Resource: "*"}}]}}
      roles:
        clerk:
          trust: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Principal: {{AWS: "arn:aws:iam::{HOME}:root"}},
                  Action: "sts:AssumeRole"}}]}}
          policies:
            work: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: ["s3:GetObject", "s3:PutObject",
                    "s3:ListBucket"], Resource: "*"}}]}}
    regions:
      {REGION}:
        buckets:
          {BUCKET}: {{}}
"""


def test_over_http_the_aws_cli_session_policy_limits_the_session(tmp_path):
    world = tmp_path / "world.yaml"
    world.write_text(WORLD)
    with served_world(world, tmp_path) as (env, endpoint):
        def aws(*args, profile="ledger-bookkeeper"):
            return subprocess.run(["aws", *args, "--profile", profile, "--region", REGION, "--output", "json"],
                                  env=env, capture_output=True, text=True, timeout=60)

        assumed = aws("sts", "assume-role", "--role-arn", f"arn:aws:iam::{HOME}:role/clerk",
                      "--role-session-name", "cli", "--policy", _doc(_allow("s3:ListBucket")))
        assert assumed.returncode == 0, assumed.stderr
        c = json.loads(assumed.stdout)["Credentials"]
        session_env = {**env, "AWS_ACCESS_KEY_ID": c["AccessKeyId"], "AWS_SECRET_ACCESS_KEY": c["SecretAccessKey"],
                       "AWS_SESSION_TOKEN": c["SessionToken"]}
        def as_session(*args):
            return subprocess.run(["aws", *args, "--endpoint-url", endpoint, "--region", REGION], env=session_env,
                                  capture_output=True, text=True, timeout=60)

        listed = as_session("s3api", "list-objects-v2", "--bucket", BUCKET)
        assert listed.returncode == 0, listed.stderr
        put = as_session("s3api", "put-object", "--bucket", BUCKET, "--key", "k")
        assert put.returncode != 0 and "no session policy allows the s3:PutObject action" in put.stderr
        refused = aws("sts", "assume-role", "--role-arn", f"arn:aws:iam::{HOME}:role/clerk",
                      "--role-session-name", "cli", "--policy", "{oops")
        assert refused.returncode != 0
        assert "MalformedPolicyDocument" in refused.stderr and "The policy is not in the valid JSON format." \
            in refused.stderr


# Each in-process `explain --world` builds its world into this process's sandbox, so each one
# gets an account of its own.
EXPLAINED = iter(range(683400000030, 683400000099))
EXPLAIN_WORLD = """world: 1
accounts:
  "{account}":
    iam:
      roles:
        archivist:
          trust: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Principal: {{AWS: "arn:aws:iam::{account}:root"}},
                  Action: "sts:AssumeRole"}}]}}
          policies:
            store: {{Version: "2012-10-17", Statement: [{{Effect: Allow, Action: ["s3:GetObject", "s3:PutObject"],
                     Resource: "*"}}]}}
      users:
        reader:
          accessKey: true
"""


def _explain(tmp_path, principal, *args):
    """`xacct explain --world` on a world of a new account; `principal` is "role" or "user"."""
    from click.testing import CliRunner

    from xacct.cli import cli

    account = next(EXPLAINED)
    world = tmp_path / f"explained-{account}.yaml"
    world.write_text(EXPLAIN_WORLD.format(account=account))
    arn = f"arn:aws:iam::{account}:" + ("role/archivist" if principal == "role" else "user/reader")
    return CliRunner().invoke(cli, ["explain", "--world", str(world), "--principal", arn, *args])


def test_explain_world_with_a_session_policy_says_the_session_policy_decided(tmp_path):
    policy = tmp_path / "read-only.json"
    policy.write_text(_doc(_allow("s3:GetObject")))
    put = ["--action", "s3:PutObject", "--resource", "arn:aws:s3:::vault/k"]
    assert _explain(tmp_path, "role", *put).exit_code == 0  # the role alone may
    limited = _explain(tmp_path, "role", *put, "--session-policy", str(policy), "--output", "json")
    assert limited.exit_code == 1, limited.output
    answer = json.loads(limited.output)
    assert answer["layer"] == "session"
    assert answer["message"].endswith("because no session policy allows the s3:PutObject action")
    get = ["--action", "s3:GetObject", "--resource", "arn:aws:s3:::vault/k"]
    assert _explain(tmp_path, "role", *get, "--session-policy", str(policy)).exit_code == 0


def test_explain_world_refuses_a_session_policy_it_cannot_take(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    refused = _explain(tmp_path, "role", "--action", "s3:GetObject", "--session-policy", str(bad))
    assert refused.exit_code == 2
    assert "MalformedPolicyDocument: The policy is not in the valid JSON format." in refused.output
    large = tmp_path / "large.json"
    large.write_text(_doc(*[_allow(f"s3:GetObject{'x' * 40}{i}") for i in range(60)]))
    assert "at most 2048 characters" in _explain(tmp_path, "role", "--action", "s3:GetObject",
                                                 "--session-policy", str(large)).output
    user = _explain(tmp_path, "user", "--action", "s3:GetObject", "--session-policy", str(bad))
    assert user.exit_code == 2 and "session policies limit role sessions" in user.output
    missing = _explain(tmp_path, "role", "--action", "s3:GetObject", "--session-policy", str(tmp_path / "no.json"))
    assert missing.exit_code == 2 and "cannot read" in missing.output and "Traceback" not in missing.output
