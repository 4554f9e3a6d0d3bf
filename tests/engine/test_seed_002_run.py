"""S2 in one account: the seed 002 runbook (from its CloudFormation template) makes an AMI of the
tagged instance, converts the StringList output, and shares the AMI with the other account."""

import json
from pathlib import Path

from xacct.engine import run, start_runbook

TEMPLATE = Path(__file__).parents[1] / "fixtures" / "seed002-template.yaml"
# The seed's inline policy, and the EC2 reads of the AmazonSSMAutomationRole managed policy it attaches.
ROLE_POLICY = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Resource": "*", "Action": [
        "ec2:CreateImage", "ec2:DescribeInstances", "ec2:ModifyImageAttribute", "iam:PassRole", "ec2:Describe*"]}]}
TRUST_SSM = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Principal": {"Service": "ssm.amazonaws.com"}, "Action": "sts:AssumeRole"}]}


def test_ami_is_made_from_the_tagged_instance_and_shared(sandbox, store):
    me = sandbox.caller_credentials()
    ec2 = sandbox.client("ec2", "us-east-1", me)
    iam = sandbox.client("iam", "us-east-1", me)
    base = ec2.register_image(Name="al2-seed002", RootDeviceName="/dev/xvda",
                              BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
    instance = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1, InstanceType="t3.nano", TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "MyDocument", "Value": "Group1"}]}])["Instances"][0]["InstanceId"]
    role = iam.create_role(RoleName="CreateAndShareAmiRunbookRole",
                           AssumeRolePolicyDocument=json.dumps(TRUST_SSM))["Role"]["Arn"]
    iam.put_role_policy(RoleName="CreateAndShareAmiRunbookRole", PolicyName="CopyAndShareAmiWithAnotherAccountPolicy",
                        PolicyDocument=json.dumps(ROLE_POLICY))
    tagged = ec2.describe_instances(Filters=[{"Name": "tag:MyDocument", "Values": ["Group1"]}])
    target = [i["InstanceId"] for r in tagged["Reservations"] for i in r["Instances"] if i["InstanceId"] == instance]

    execution = start_runbook(f"{TEMPLATE}#CreateAndShareAmiRunbook", cloud=sandbox, store=store, parameters={
        "InstanceId": target, "AccountId": ["222222222222"], "AutomationAssumeRole": [role]})
    assert execution.name == "CreateAndShareAmiRunbook"  # the Name property is a !Sub, so the logical ID
    assert run(execution) == "Success"

    ami = execution.outputs["convertStringListToString"]["Ami"]
    assert execution.outputs["createImage"]["Output"] == [ami]
    image = ec2.describe_images(ImageIds=[ami])["Images"][0]
    assert image["Name"].startswith(f"{instance}_")  # the name AWS-CreateImage gives
    permissions = ec2.describe_image_attribute(ImageId=ami, Attribute="launchPermission")["LaunchPermissions"]
    assert {"UserId": "222222222222"} in permissions
    assert execution.credentials.arn.startswith("arn:aws:sts::111111111111:assumed-role/CreateAndShareAmiRunbookRole/")
