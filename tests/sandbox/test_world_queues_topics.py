"""World files declare SQS queues and SNS topics with their policies (issue 11, defect 10): the
builder makes them in their account and Region, the gate judges calls on them by those policies,
and bad input is a finding at its place (a name SQS or SNS does not take, a policy that names a
role the world lacks)."""

import json
import textwrap

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud
from xacct.sandbox.world import WorldError, build_world, load_world

OWNER, OTHER = "672000000001", "672000000002"
WORLD = f"""\
world: 1
accounts:
  '{OWNER}':
    regions:
      ap-northeast-1:
        queues:
          intake:
            policy:
              Version: '2012-10-17'
              Statement:
              - {{Effect: Allow, Principal: {{AWS: 'arn:aws:iam::{OTHER}:role/feeder'}}, Action: 'sqs:SendMessage',
                 Resource: 'arn:aws:sqs:ap-northeast-1:{OWNER}:intake'}}
          plain.fifo: {{}}
        topics:
          pager:
            policy:
              Version: '2012-10-17'
              Statement:
              - {{Effect: Allow, Principal: {{AWS: 'arn:aws:iam::{OTHER}:role/feeder'}}, Action: 'sns:Publish',
                 Resource: 'arn:aws:sns:ap-northeast-1:{OWNER}:pager'}}
  '{OTHER}':
    iam:
      roles:
        feeder:
          trust:
            Version: '2012-10-17'
            Statement: [{{Effect: Allow, Principal: {{AWS: 'arn:aws:iam::{OTHER}:root'}}, Action: 'sts:AssumeRole'}}]
          policies:
            Feed:
              Version: '2012-10-17'
              Statement: [{{Effect: Allow, Action: ['sqs:SendMessage', 'sns:Publish'], Resource: '*'}}]
"""


def _write(tmp_path, text: str) -> str:
    path = tmp_path / "world.yaml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def test_queues_and_topics_are_built_with_their_policies_and_the_gate_judges_them(tmp_path):
    cloud = SandboxCloud("ap-northeast-1")
    build_world(load_world(_write(tmp_path, WORLD)), cloud, "ap-northeast-1")
    owner = cloud.operator(OWNER)
    attributes = cloud.client("sqs", "ap-northeast-1", owner).get_queue_attributes(
        QueueUrl=f"https://sqs.ap-northeast-1.amazonaws.com/{OWNER}/intake", AttributeNames=["Policy"])["Attributes"]
    assert json.loads(attributes["Policy"])["Statement"][0]["Action"] == "sqs:SendMessage"
    urls = cloud.client("sqs", "ap-northeast-1", owner).list_queues()["QueueUrls"]
    assert any(u.endswith("/plain.fifo") for u in urls)
    feeder = cloud.assume_role(f"arn:aws:iam::{OTHER}:role/feeder", "feed", cloud.operator(OTHER), "ap-northeast-1")
    sqs = cloud.client("sqs", "ap-northeast-1", feeder)
    assert sqs.send_message(QueueUrl=f"https://sqs.ap-northeast-1.amazonaws.com/{OWNER}/intake",
                            MessageBody="x")["MessageId"]
    sns = cloud.client("sns", "ap-northeast-1", feeder)
    assert sns.publish(TopicArn=f"arn:aws:sns:ap-northeast-1:{OWNER}:pager", Message="x")["MessageId"]
    with pytest.raises(ClientError) as err:  # the queue without a policy: across accounts, denied
        sqs.send_message(QueueUrl=f"https://sqs.ap-northeast-1.amazonaws.com/{OWNER}/plain.fifo",
                         MessageBody="x", MessageGroupId="g")
    assert err.value.response["Error"]["Code"] == "AccessDenied"


@pytest.mark.parametrize("kind, name", [("queues", "in take"), ("queues", "q" * 81), ("topics", "pager!"),
                                        ("topics", "t" * 257)])
def test_a_queue_or_topic_name_aws_does_not_take_is_a_finding(tmp_path, kind, name):
    text = json.dumps({"world": 1, "accounts": {OWNER: {"regions": {"us-east-1": {kind: {name: {}}}}}}})
    with pytest.raises(WorldError) as err:
        load_world(_write(tmp_path, text))
    assert {f.id for f in err.value.findings} == {"E7012"}, [f.text() for f in err.value.findings]


@pytest.mark.parametrize("kind, refusal", [
    ("queues", "InvalidAttributeValue: Invalid value for the parameter Policy."),
    ("topics", "InvalidParameter: Invalid parameter: Policy Error: PrincipalNotFound")])
def test_a_policy_that_names_a_role_the_world_lacks_is_refused_at_its_place(tmp_path, kind, refusal):
    prefix = "sqs" if kind == "queues" else "sns"
    text = WORLD.replace(f"role/feeder'}}, Action: '{prefix}", f"role/nobody'}}, Action: '{prefix}")
    assert text != WORLD
    with pytest.raises(WorldError) as err:
        load_world(_write(tmp_path, text))
    messages = [f.text() for f in err.value.findings]
    assert any(refusal in m and "no role nobody" in m for m in messages), messages
