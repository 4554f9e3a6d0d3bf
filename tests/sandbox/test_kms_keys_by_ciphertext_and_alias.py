"""KMS keys found as AWS finds them (issue 11, defects 1, 2 and 7's KMS text): a Decrypt that names
no key is judged on the key that made the ciphertext, with its key policy and grants; a call made
through an alias is judged on the key behind it and a denial names the key's ARN; `xacct explain
--world` asks about a key by its alias, or by the ID the world gives it."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from botocore.exceptions import ClientError
from click.testing import CliRunner

from xacct.cli import cli
from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world

OWNER = "635100000001"
REGION = "eu-north-1"
KEY_ID = "5e1f0c2a-7b3d-4c8e-9f10-a1b2c3d4e5f6"
KEY_ARN = f"arn:aws:kms:{REGION}:{OWNER}:key/{KEY_ID}"
ALIAS_ARN = f"arn:aws:kms:{REGION}:{OWNER}:alias/kagami"
WORLD = f"""
world: 1
accounts:
  "{OWNER}":
    alias: kagami-vault
    iam:
      users:
        keeper: {{accessKey: true}}
        worker:
          accessKey: true
          policies:
            every-kms-action:
              Version: "2012-10-17"
              Statement: [{{Effect: Allow, Action: "kms:*", Resource: "*"}}]
        lent: {{accessKey: true}}
    regions:
      {REGION}:
        kmsKeys:
          kagami:
            id: {KEY_ID}
            description: a key whose policy names one user and does not delegate to IAM
            grants:
              - {{grantee: "arn:aws:iam::{OWNER}:user/lent", operations: [Decrypt]}}
            policy:
              Version: "2012-10-17"
              Statement:
                - Sid: KeeperOnly
                  Effect: Allow
                  Principal: {{AWS: "arn:aws:iam::{OWNER}:user/keeper"}}
                  Action: "kms:*"
                  Resource: "*"
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    path = tmp_path_factory.mktemp("kagami") / "kagami.yaml"
    path.write_text(WORLD)
    cloud = SandboxCloud(enforce=True)
    built = build_world(load_world(str(path)), cloud)
    users = {name: built.users[(OWNER, name)] for name in ("keeper", "worker", "lent")}
    blob = cloud.client("kms", REGION, users["keeper"]).encrypt(KeyId="alias/kagami", Plaintext=b"mirror")[
        "CiphertextBlob"]
    return cloud, users, blob, str(path)


def test_the_world_gives_the_key_its_id(world):
    cloud, users, _, _ = world
    described = cloud.client("kms", REGION, users["keeper"]).describe_key(KeyId="alias/kagami")["KeyMetadata"]
    assert described["Arn"] == KEY_ARN


def test_decrypt_without_key_id_is_judged_by_the_key_policy(world):
    cloud, users, blob, _ = world
    assert cloud.client("kms", REGION, users["keeper"]).decrypt(CiphertextBlob=blob)["Plaintext"] == b"mirror"
    with pytest.raises(ClientError) as denied:
        cloud.client("kms", REGION, users["worker"]).decrypt(CiphertextBlob=blob)
    error = denied.value.response["Error"]
    assert error["Code"] == "AccessDeniedException"
    assert error["Message"] == (f"User: arn:aws:iam::{OWNER}:user/worker is not authorized to perform: kms:Decrypt "
                                f"on resource: {KEY_ARN} because no resource-based policy allows the kms:Decrypt action")


def test_decrypt_without_key_id_counts_the_keys_grants(world):
    cloud, users, blob, _ = world
    assert cloud.client("kms", REGION, users["lent"]).decrypt(CiphertextBlob=blob)["Plaintext"] == b"mirror"
    with pytest.raises(ClientError):  # the grant is for Decrypt only
        cloud.client("kms", REGION, users["lent"]).encrypt(KeyId=KEY_ARN, Plaintext=b"x")


def test_a_call_through_an_alias_is_judged_on_the_key_and_named_by_its_arn(world):
    cloud, users, _, _ = world
    with pytest.raises(ClientError) as denied:
        cloud.client("kms", REGION, users["worker"]).describe_key(KeyId="alias/kagami")
    assert f"on resource: {KEY_ARN} " in denied.value.response["Error"]["Message"]
    assert "key/alias" not in denied.value.response["Error"]["Message"]


def test_alias_calls_need_the_key_too(world):
    cloud, users, _, _ = world
    # worker's IAM policy allows kms:CreateAlias on the alias, but the key policy does not let it use the key
    with pytest.raises(ClientError) as denied:
        cloud.client("kms", REGION, users["worker"]).create_alias(AliasName="alias/kagami-2", TargetKeyId=KEY_ID)
    assert f"on resource: {KEY_ARN} " in denied.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as denied:  # keeper may use the key, but no IAM policy allows the alias
        cloud.client("kms", REGION, users["keeper"]).create_alias(AliasName="alias/kagami-3", TargetKeyId=KEY_ID)
    assert f"on resource: arn:aws:kms:{REGION}:{OWNER}:alias/kagami-3 because no identity-based policy" in \
        denied.value.response["Error"]["Message"]


@pytest.mark.parametrize("user,resource,allowed", [
    ("worker", ALIAS_ARN, False),   # the alias has no policy: the key's decides, and it names keeper only
    ("keeper", ALIAS_ARN, True),
    ("worker", KEY_ARN, False),
    ("keeper", KEY_ARN, True),
])
def test_a_question_about_an_alias_is_judged_on_its_key(world, user, resource, allowed):
    cloud, _, _, _ = world
    request, decision = cloud.gate.decide(f"arn:aws:iam::{OWNER}:user/{user}", "kms:Decrypt", resource, {})
    assert (request.resource, decision.layer, decision.allowed) == (KEY_ARN, "kms", allowed)


def test_explain_world_names_a_key_by_alias(world):
    """Each `xacct explain --world` process builds the world into its own sandbox."""
    _, _, _, path = world
    result = subprocess.run([sys.executable, "-m", "xacct", "explain", "--world", path, "--principal",
                             f"arn:aws:iam::{OWNER}:user/worker", "--action", "kms:Decrypt", "--resource", ALIAS_ARN,
                             "--output", "json"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)})
    assert result.returncode == 1, result.stderr
    answer = json.loads(result.stdout)
    assert (answer["resource"], answer["layer"], answer["decision"]) == (KEY_ARN, "kms", "implicitDeny")


def test_explain_world_refuses_an_action_iam_does_not_have(world):
    _, _, _, path = world
    result = CliRunner().invoke(cli, ["explain", "--world", path, "--principal", f"arn:aws:iam::{OWNER}:user/keeper",
                                      "--action", "kms:Decrypts", "--resource", KEY_ARN])
    assert result.exit_code == 2
    assert "the closest IAM action is kms:Decrypt" in result.output


def test_the_same_over_http(world):
    """Over HTTP the ciphertext arrives as base64 text; the key is found from it all the same."""
    import boto3
    from botocore.config import Config

    cloud, users, blob, _ = world

    def over_http(user):
        return boto3.client("kms", region_name=REGION, endpoint_url=cloud.endpoint(),
                            config=Config(retries={"max_attempts": 1}), **users[user].as_client_kwargs())

    assert over_http("keeper").decrypt(CiphertextBlob=blob)["Plaintext"] == b"mirror"
    with pytest.raises(ClientError) as denied:
        over_http("worker").decrypt(CiphertextBlob=blob)
    assert f"on resource: {KEY_ARN} because no resource-based policy" in denied.value.response["Error"]["Message"]
