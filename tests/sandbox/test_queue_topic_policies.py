"""SQS queue policies and SNS topic policies in the gate (issue 11, defect 10): a call is authorized
on the queue's or topic's ARN, and its policy is judged as AWS judges a resource-based policy:
within one account the identity policy or the queue/topic policy may allow, across accounts both
must ("Cross-account policy evaluation logic", IAM User Guide). Denials are worded and coded as
each service answers them (SQS AccessDenied, SNS AuthorizationError)."""

import json

import pytest
from botocore.exceptions import ClientError

from xacct.sandbox.embedded import SandboxCloud

OWNER, FRIEND, STRANGER = "671000000001", "671000000002", "671000000003"
V = "2012-10-17"
REGION = "eu-west-1"


def _role(cloud, account: str, name: str, statements: list):
    iam = cloud.client("iam", "us-east-1", cloud.operator(account))
    iam.create_role(RoleName=name, AssumeRolePolicyDocument=json.dumps({"Version": V, "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{account}:root"}, "Action": "sts:AssumeRole"}]}))
    if statements:
        iam.put_role_policy(RoleName=name, PolicyName="p", PolicyDocument=json.dumps(
            {"Version": V, "Statement": statements}))
    return cloud.assume_role(f"arn:aws:iam::{account}:role/{name}", "run", cloud.operator(account), REGION)


@pytest.fixture(scope="module")
def world():
    cloud = SandboxCloud(REGION)
    owner = cloud.operator(OWNER)
    sqs = cloud.client("sqs", REGION, owner)
    queue_arn = f"arn:aws:sqs:{REGION}:{OWNER}:orders"
    url = sqs.create_queue(QueueName="orders", Attributes={"Policy": json.dumps({"Version": V, "Statement": [
        {"Sid": "FriendSends", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{FRIEND}:root"},
         "Action": "sqs:SendMessage", "Resource": queue_arn},
        {"Sid": "LocalReads", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{OWNER}:role/queue-reader"},
         "Action": "sqs:GetQueueAttributes", "Resource": queue_arn}]})})["QueueUrl"]
    sns = cloud.client("sns", REGION, owner)
    topic = sns.create_topic(Name="alerts")["TopicArn"]
    sns.set_topic_attributes(TopicArn=topic, AttributeName="Policy", AttributeValue=json.dumps(
        {"Version": V, "Statement": [{"Sid": "FriendPublishes", "Effect": "Allow",
                                      "Principal": {"AWS": f"arn:aws:iam::{FRIEND}:root"},
                                      "Action": "sns:Publish", "Resource": topic}]}))
    send_and_publish = [{"Effect": "Allow", "Action": ["sqs:SendMessage", "sns:Publish"], "Resource": "*"}]
    return {
        "cloud": cloud, "url": url, "topic": topic, "queue_arn": queue_arn,
        "friend": _role(cloud, FRIEND, "sender", send_and_publish),
        "stranger": _role(cloud, STRANGER, "sender", send_and_publish),
        "reader": _role(cloud, OWNER, "queue-reader", []),
        "local": _role(cloud, OWNER, "no-grants", []),
    }


def test_another_account_sends_when_both_its_identity_policy_and_the_queue_policy_allow(world):
    cloud = world["cloud"]
    sent = cloud.client("sqs", REGION, world["friend"]).send_message(QueueUrl=world["url"], MessageBody="hi")
    assert sent["MessageId"]
    # the message is in the owner's queue (the call was carried there)
    received = cloud.client("sqs", REGION, cloud.operator(OWNER)).receive_message(QueueUrl=world["url"])
    assert [m["Body"] for m in received["Messages"]] == ["hi"]


def test_another_account_the_queue_policy_does_not_name_is_denied_as_sqs_words_it(world):
    cloud = world["cloud"]
    with pytest.raises(ClientError) as err:
        cloud.client("sqs", REGION, world["stranger"]).send_message(QueueUrl=world["url"], MessageBody="hi")
    error = err.value.response["Error"]
    assert error["Code"] == "AccessDenied"
    assert error["Message"] == (
        f"User: arn:aws:sts::{STRANGER}:assumed-role/sender/run is not authorized to perform: sqs:sendmessage on "
        f"resource: {world['queue_arn']} because no resource-based policy allows the sqs:sendmessage action")
    explained = cloud.explain_denial(world["stranger"])
    assert explained["layer"] == "resource" and explained["resource"] == world["queue_arn"]


def test_batch_calls_are_authorized_as_their_single_action(world):
    cloud = world["cloud"]
    with pytest.raises(ClientError) as err:
        cloud.client("sqs", REGION, world["stranger"]).send_message_batch(
            QueueUrl=world["url"], Entries=[{"Id": "1", "MessageBody": "x"}])
    assert "sqs:sendmessage" in err.value.response["Error"]["Message"]
    ok = cloud.client("sqs", REGION, world["friend"]).send_message_batch(
        QueueUrl=world["url"], Entries=[{"Id": "1", "MessageBody": "x"}])
    assert [e["Id"] for e in ok["Successful"]] == ["1"]


def test_within_one_account_the_queue_policy_allows_on_its_own(world):
    cloud = world["cloud"]
    reader = cloud.client("sqs", REGION, world["reader"])  # no identity policy at all
    assert "QueueArn" in reader.get_queue_attributes(QueueUrl=world["url"], AttributeNames=["QueueArn"])["Attributes"]
    with pytest.raises(ClientError) as err:
        cloud.client("sqs", REGION, world["local"]).get_queue_attributes(QueueUrl=world["url"])
    assert err.value.response["Error"]["Code"] == "AccessDenied"
    assert "because no identity-based policy allows the sqs:getqueueattributes action" in \
        err.value.response["Error"]["Message"]


def test_topic_policy_across_accounts_and_snss_own_error(world):
    cloud = world["cloud"]
    published = cloud.client("sns", REGION, world["friend"]).publish(TopicArn=world["topic"], Message="m")
    assert published["MessageId"]
    with pytest.raises(ClientError) as err:
        cloud.client("sns", REGION, world["stranger"]).publish(TopicArn=world["topic"], Message="m")
    error = err.value.response["Error"]
    assert error["Code"] == "AuthorizationError"
    assert error["Message"] == (
        f"User: arn:aws:sts::{STRANGER}:assumed-role/sender/run is not authorized to perform: SNS:Publish on "
        f"resource: {world['topic']} because no resource-based policy allows the SNS:Publish action")
    assert err.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_the_owners_principal_without_identity_policy_is_denied_by_identity(world):
    """The owner's principals need an identity policy or a statement that names them."""
    cloud = world["cloud"]
    with pytest.raises(ClientError) as err:
        cloud.client("sns", REGION, world["local"]).publish(TopicArn=world["topic"], Message="m")
    assert "because no identity-based policy allows the SNS:Publish action" in err.value.response["Error"]["Message"]


def test_listing_is_authorized_on_star(world):
    cloud = world["cloud"]
    with pytest.raises(ClientError) as err:
        cloud.client("sqs", REGION, world["local"]).list_queues()
    assert "is not authorized to perform: sqs:listqueues because" in err.value.response["Error"]["Message"]


def test_over_http_the_answers_are_the_same(world):
    """The served sandbox (SQS's JSON protocol, SNS's query protocol) answers as in process."""
    import boto3
    from botocore.config import Config

    cloud = world["cloud"]
    endpoint = cloud.endpoint()

    def over_http(service, credentials):
        return boto3.client(service, region_name=REGION, endpoint_url=endpoint,
                            config=Config(retries={"max_attempts": 1}), **credentials.as_client_kwargs())

    assert over_http("sqs", world["friend"]).send_message(QueueUrl=world["url"], MessageBody="web")["MessageId"]
    with pytest.raises(ClientError) as err:
        over_http("sqs", world["stranger"]).send_message(QueueUrl=world["url"], MessageBody="web")
    assert err.value.response["Error"]["Code"] == "AccessDenied"
    assert "is not authorized to perform: sqs:sendmessage on resource: " + world["queue_arn"] in \
        err.value.response["Error"]["Message"]
    with pytest.raises(ClientError) as err:
        over_http("sns", world["stranger"]).publish(TopicArn=world["topic"], Message="m")
    assert err.value.response["Error"]["Code"] == "AuthorizationError"
    assert "SNS:Publish" in err.value.response["Error"]["Message"]
