"""SSM document shares made real across accounts ("Sharing SSM documents"): a shared document is
readable from the other account by its ARN, an unshared one "does not exist" there, and the
reader's own IAM policies must still allow ssm:GetDocument."""

import json

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import build_world, load_world

OWNER, READER = "888888888881", "888888888882"
RUNBOOK = 'schemaVersion: "0.3"\nmainSteps:\n  - {name: nap, action: aws:sleep, inputs: {Duration: PT0S}}\n'
V = "2012-10-17"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    folder = tmp_path_factory.mktemp("world")
    (folder / "installapp.yaml").write_text(RUNBOOK)
    reader_policy = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "ssm:GetDocument", "Resource": "*"}]}
    (folder / "world.yaml").write_text(json.dumps({"world": 1, "accounts": {
        OWNER: {"regions": {"us-east-1": {"documents": {
            "SharedApp": {"file": "installapp.yaml", "sharedWith": [READER]},
            "PrivateApp": {"file": "installapp.yaml"}}}}},
        READER: {"iam": {"users": {"reader": {"accessKey": True, "policies": {"read": reader_policy}},
                                   "nobody": {"accessKey": True}}}}}}))
    cloud = SandboxCloud()
    built = build_world(load_world(str(folder / "world.yaml")), cloud)
    return cloud, built


def arn(name):
    return f"arn:aws:ssm:us-east-1:{OWNER}:document/{name}"


def test_shared_document_reads_by_arn(world):
    cloud, built = world
    ssm = cloud.client("ssm", "us-east-1", built.users[(READER, "reader")])
    document = ssm.get_document(Name=arn("SharedApp"))
    assert document["Name"] == "SharedApp" and "aws:sleep" in document["Content"]


def test_unshared_document_does_not_exist_for_others(world):
    cloud, built = world
    ssm = cloud.client("ssm", "us-east-1", built.users[(READER, "reader")])
    with pytest.raises(ClientError) as err:
        ssm.get_document(Name=arn("PrivateApp"))
    assert err.value.response["Error"] == {"Code": "InvalidDocument", "Message": "The specified document does not exist."}


def test_the_readers_own_policies_must_allow(world):
    cloud, built = world
    ssm = cloud.client("ssm", "us-east-1", built.users[(READER, "nobody")])
    with pytest.raises(ClientError) as err:
        ssm.get_document(Name=arn("SharedApp"))
    assert err.value.response["Error"]["Code"] == "AccessDeniedException"
    assert err.value.response["Error"]["Message"].endswith("because no identity-based policy allows the "
                                                           "ssm:GetDocument action")
