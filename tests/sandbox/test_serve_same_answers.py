"""The same answers over HTTP as in process, for what the stories use: each call is made with
boto3 against the sandbox's HTTP endpoint (an in-process SandboxServer on the same gate) and in
process, and the answers are compared.

1. RunInstances from a shared AMI encrypted with a key the launcher may not use: terminated, with
   AWS's state reason (the after-call handler judges the launch on both paths).
2. DescribeScalingActivities: the failed launches of an Auto Scaling group (the gate's answer,
   written in the query protocol's XML).
3. The tagging API's GetResources lists a bucket in its own Region only (a handler that changes
   moto's answer, written again in the protocol).
4. ListDocuments with Owner=Amazon lists the AWS-owned runbooks; GetDocument gives them in the
   DocumentFormat asked for.
And the XML answers the served sandbox writes read back the same through botocore's parser."""

import datetime
import json

import boto3
import pytest
import yaml
from botocore.config import Config

from xacct.sandbox.owned import AUTOMATION, COMMAND

A, B = "745000000001", "745000000002"  # accounts of this module only
REGION, WEST = "us-east-1", "us-west-2"
CLIENT_ERROR = "Client.InternalError: Client error on launch"
V = "2012-10-17"


@pytest.fixture(scope="module")
def both(sandbox):
    """(in process, over HTTP): two ways of making a client for the same credentials."""
    endpoint = sandbox.endpoint()

    def in_process(service, credentials, region=REGION):
        return sandbox.client(service, region, credentials)

    def over_http(service, credentials, region=REGION):
        return boto3.client(service, region_name=region, endpoint_url=endpoint,
                            config=Config(retries={"max_attempts": 1}), **credentials.as_client_kwargs())

    return in_process, over_http


@pytest.fixture(scope="module")
def story(sandbox, both):
    """A's AMI, registered over HTTP and encrypted with A's key, shared with B, whose key policy
    does not mention B; B has a launcher role allowed everything on EC2 and Auto Scaling."""
    _, over_http = both
    a, b = sandbox.operator(A), sandbox.operator(B)
    key = sandbox.client("kms", REGION, a).create_key(Description="ami")["KeyMetadata"]["Arn"]
    ec2 = over_http("ec2", a)  # RegisterImage's after-call handler remembers the key over HTTP too
    image = ec2.register_image(Name="encrypted-base", RootDeviceName="/dev/xvda", BlockDeviceMappings=[
        {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": True, "KmsKeyId": key}}])["ImageId"]
    ec2.modify_image_attribute(ImageId=image, LaunchPermission={"Add": [{"UserId": B}]})
    sandbox.client("iam", REGION, b).create_service_linked_role(AWSServiceName="autoscaling.amazonaws.com")
    return a, b, image


def _state(ec2, instance_id):
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    return instance["State"]["Name"], instance.get("StateReason", {}).get("Message")


def test_a_launch_the_key_refuses_ends_terminated_on_both_paths(story, both):
    _, b, image = story
    answers = []
    for make in both:
        ec2 = make("ec2", b)
        instance = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        answers.append(_state(ec2, instance))
    assert answers[0] == answers[1] == ("terminated", CLIENT_ERROR)


def test_scaling_activities_are_the_same_on_both_paths(story, both):
    in_process, over_http = both
    _, b, image = story
    ec2 = over_http("ec2", b)
    template = ec2.create_launch_template(LaunchTemplateName="same-answers", LaunchTemplateData={
        "ImageId": image, "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
    subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
    autoscaling = over_http("autoscaling", b)  # the group launches at once, over HTTP as in process
    autoscaling.create_auto_scaling_group(AutoScalingGroupName="same-answers", MinSize=0, MaxSize=2,
                                          DesiredCapacity=2, VPCZoneIdentifier=subnet,
                                          LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"})
    # no more tries, so that both reads see the same activities
    autoscaling.set_desired_capacity(AutoScalingGroupName="same-answers", DesiredCapacity=0)
    answers = [make("autoscaling", b).describe_scaling_activities(AutoScalingGroupName="same-answers")["Activities"]
               for make in (in_process, over_http)]
    assert answers[0] == answers[1]
    assert len(answers[0]) == 2
    assert {(a["StatusCode"], a["StatusMessage"]) for a in answers[0]} == {("Failed", CLIENT_ERROR)}


def test_the_tagging_api_lists_a_bucket_in_its_own_region_on_both_paths(sandbox, both):
    a = sandbox.operator(A)
    s3 = sandbox.client("s3", REGION, a)
    s3.create_bucket(Bucket="same-answers-west", CreateBucketConfiguration={"LocationConstraint": WEST})
    s3.put_bucket_tagging(Bucket="same-answers-west", Tagging={"TagSet": [{"Key": "SameAnswers", "Value": "yes"}]})
    listed = {}
    for path, make in zip(("in process", "over HTTP"), both):
        for region in (REGION, WEST):
            tagging = make("resourcegroupstaggingapi", a, region)
            found = tagging.get_resources(TagFilters=[{"Key": "SameAnswers", "Values": ["yes"]}])
            listed[(path, region)] = [m["ResourceARN"] for m in found["ResourceTagMappingList"]]
    assert listed[("in process", REGION)] == listed[("over HTTP", REGION)] == []
    assert listed[("in process", WEST)] == listed[("over HTTP", WEST)] == ["arn:aws:s3:::same-answers-west"]


def _all_pages(ssm, **args):
    found, token = [], None
    while True:
        page = ssm.list_documents(**args, **({"NextToken": token} if token else {}))
        found += page["DocumentIdentifiers"]
        token = page.get("NextToken")
        if not token:
            return found


def test_list_documents_by_owner_is_the_same_on_both_paths(sandbox, both):
    a, b = sandbox.operator(A), sandbox.operator(B)
    content = json.dumps({"schemaVersion": "0.3", "mainSteps": [
        {"name": "wait", "action": "aws:sleep", "inputs": {"Duration": "PT0S"}}]})
    sandbox.client("ssm", REGION, a).create_document(Name="SameAnswersOwn", Content=content,
                                                     DocumentType="Automation", DocumentFormat="JSON")
    ssm_b = sandbox.client("ssm", REGION, b)
    ssm_b.create_document(Name="SameAnswersShared", Content=content, DocumentType="Automation",
                          DocumentFormat="JSON")
    ssm_b.modify_document_permission(Name="SameAnswersShared", PermissionType="Share", AccountIdsToAdd=[A])
    owned = sorted(AUTOMATION + COMMAND)
    shared = f"arn:aws:ssm:{REGION}:{B}:document/SameAnswersShared"
    for owner, expected in (("Amazon", owned), ("Self", ["SameAnswersOwn"]), ("Private", [shared]),
                            ("All", sorted(owned + ["SameAnswersOwn", shared]))):
        answers = [_all_pages(make("ssm", a), Filters=[{"Key": "Owner", "Values": [owner]}], MaxResults=3)
                   for make in both]
        assert answers[0] == answers[1], owner
        assert [d["Name"] for d in answers[0]] == expected, owner
    amazon = [make("ssm", a).list_documents(Filters=[{"Key": "Owner", "Values": ["Amazon"]}])["DocumentIdentifiers"]
              for make in both]
    assert amazon[0] == amazon[1] and {d["Owner"] for d in amazon[0]} == {"Amazon"}
    assert [d["Name"] for d in _all_pages(both[1]("ssm", a), Filters=[{"Key": "Name", "Values": ["AWS-St"]}])] == [
        "AWS-StartEC2Instance", "AWS-StopEC2Instance"]


def test_a_bad_list_documents_token_is_refused_as_ssm_refuses_it(sandbox, both):
    from botocore.exceptions import ClientError

    for make in both:
        with pytest.raises(ClientError) as refused:
            make("ssm", sandbox.operator(A)).list_documents(NextToken="not-a-token")
        assert refused.value.response["Error"] == {"Code": "InvalidNextToken",
                                                   "Message": "The specified token isn't valid."}


@pytest.mark.parametrize("name", ["AWS-StopEC2Instance", "AWS-RunShellScript"])
def test_an_owned_runbook_comes_in_the_format_asked_for_on_both_paths(sandbox, both, name):
    a = sandbox.operator(A)
    by_format = {}
    for wanted in ("JSON", "YAML"):
        answers = [make("ssm", a).get_document(Name=name, DocumentFormat=wanted) for make in both]
        for answer in answers:
            answer.pop("ResponseMetadata")
        assert answers[0] == answers[1]
        assert answers[0]["DocumentFormat"] == wanted
        by_format[wanted] = answers[0]["Content"]
    assert json.loads(by_format["JSON"]) == yaml.safe_load(by_format["YAML"])
    stored = both[1]("ssm", a).get_document(Name=name)
    assert (stored["DocumentFormat"], stored["Content"]) == ("YAML", by_format["YAML"])
    described = [make("ssm", a).describe_document(Name=name)["Document"] for make in both]
    assert described[0] == described[1] and described[0]["Owner"] == "Amazon"


# -- the XML answers the served sandbox writes read back the same ---------------------------------
NOW = datetime.datetime(2026, 11, 2, 3, 4, 5, 123456, tzinfo=datetime.timezone.utc)


def _sample(shape, now, depth=0):
    """A value for every member of an output shape (down to a depth), with the XML's hard cases:
    nested lists, maps, timestamps, text to escape."""
    kind = shape.type_name
    if depth > 5:
        return None
    if kind == "structure":
        members = {name: _sample(member, now, depth + 1) for name, member in shape.members.items()
                   if member.serialization.get("location") is None and not member.serialization.get("eventstream")}
        return {name: value for name, value in members.items() if value not in (None, {}, [])} or None
    if kind == "list":
        item = _sample(shape.member, now, depth + 1)
        return [item, item] if item is not None else None
    if kind == "map":
        value = _sample(shape.value, now, depth + 1)
        return {"first": value} if value is not None else None
    return {"string": (getattr(shape, "enum", None) or ["text & <markup>"])[0], "integer": 7, "long": 7,
            "float": 1.5, "double": 1.5, "boolean": True, "timestamp": now, "blob": b"bytes"}.get(kind)


def _operations():
    """Every operation of the query services the gate answers (Auto Scaling, STS), and the EC2
    calls the stories make, with a sample answer each."""
    from xacct.aws import models
    from xacct.sandbox.sharing import IMAGE_CALLS

    chosen = [("autoscaling", op) for op in models.service_model("autoscaling").operation_names]
    chosen += [("sts", op) for op in models.service_model("sts").operation_names]
    chosen += [("ec2", op) for op in sorted(IMAGE_CALLS | {"RunInstances", "DescribeInstances", "DescribeSnapshots"})]
    for service, operation in chosen:
        shape = models.service_model(service).operation_model(operation).output_shape
        # EC2 writes its times to the second ("...T03:04:05.000Z"), as EC2 does
        answer = _sample(shape, NOW.replace(microsecond=0) if service == "ec2" else NOW) if shape else None
        if answer:
            yield pytest.param(service, operation, answer, id=f"{service}-{operation}")


@pytest.mark.parametrize("service, operation, answer", list(_operations()))
def test_a_served_xml_answer_reads_back_the_same_through_botocore(service, operation, answer):
    from botocore.awsrequest import HeadersDict
    from botocore.parsers import create_parser

    from xacct.aws import models
    from xacct.sandbox.http_requests import WireCall
    from xacct.sandbox.wire_answers import served

    model = models.service_model(service)
    shape = model.operation_model(operation).output_shape
    status, headers, body = served(WireCall(service, operation, {}, REGION, model.protocol), answer)
    response = {"status_code": int(status.split()[0]), "headers": HeadersDict(headers), "body": body}
    parsed = create_parser(model.protocol).parse(response, shape)
    metadata = parsed.pop("ResponseMetadata")
    assert parsed == answer
    assert metadata["RequestId"] and metadata["RequestId"] != "request-id"  # each answer its own
