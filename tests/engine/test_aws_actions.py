"""Actions that act on AWS resources, run in the sandbox, and the AWS-owned runbooks."""

import json
import uuid

import pytest

from .helpers import run_text, step


@pytest.fixture
def ec2(sandbox):
    return sandbox.client("ec2", "us-east-1", sandbox.caller_credentials())


@pytest.fixture
def image_id(ec2):
    return ec2.register_image(Name=f"base-{uuid.uuid4().hex[:8]}", RootDeviceName="/dev/xvda",
                              BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]


@pytest.fixture
def instance_id(ec2, image_id):
    reservation = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1, InstanceType="t3.micro",
                                    TagSpecifications=[{"ResourceType": "instance",
                                                        "Tags": [{"Key": "MyDocument", "Value": "Group1"}]}])
    return reservation["Instances"][0]["InstanceId"]


def test_create_tags_and_change_state(sandbox, store, ec2, instance_id):
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: tag
        action: aws:createTags
        inputs: {{ResourceIds: [{instance_id}], Tags: [{{Key: Stage, Value: test}}]}}
      - name: stop
        action: aws:changeInstanceState
        inputs: {{InstanceIds: [{instance_id}], DesiredState: stopped}}
      - name: assertStopped
        action: aws:assertAwsResourceProperty
        inputs:
          Service: ec2
          Api: DescribeInstances
          InstanceIds: [{instance_id}]
          PropertySelector: $.Reservations[0].Instances[0].State.Name
          DesiredValues: [stopped]
      - name: start
        action: aws:changeInstanceState
        inputs: {{InstanceIds: [{instance_id}], DesiredState: running}}
      - name: waitRunning
        action: aws:waitForAwsResourceProperty
        timeoutSeconds: 10
        inputs:
          Service: ec2
          Api: DescribeInstances
          InstanceIds: [{instance_id}]
          PropertySelector: $..State.Name
          DesiredValues: [running]
    """
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [instance_id]}])["Tags"]
    assert {"Key": "Stage", "Value": "test"} in [{"Key": t["Key"], "Value": t["Value"]} for t in tags]


def test_assert_fails_when_the_property_differs(sandbox, store, instance_id):
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: assertStopped
        action: aws:assertAwsResourceProperty
        inputs:
          Service: ec2
          Api: DescribeInstances
          InstanceIds: [{instance_id}]
          PropertySelector: $.Reservations[0].Instances[0].State.Name
          DesiredValues: [stopped]
    """
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Failed"
    assert "'running'" in step(result, "assertStopped")["FailureMessage"]


def test_run_instances_create_and_delete_image(sandbox, store, ec2, image_id):
    text = f"""
    schemaVersion: "0.3"
    outputs: [launch.InstanceIds, image.ImageId]
    mainSteps:
      - name: launch
        action: aws:runInstances
        inputs: {{ImageId: {image_id}, InstanceType: t3.micro, MinInstanceCount: 1, MaxInstanceCount: 1}}
      - name: image
        action: aws:createImage
        inputs: {{InstanceId: "{{{{ launch.InstanceIds }}}}", ImageName: "img-{{{{ automation:EXECUTION_ID }}}}"}}
      - name: drop
        action: aws:deleteImage
        inputs: {{ImageId: "{{{{ image.ImageId }}}}"}}
    """
    # launch.InstanceIds is a StringList of one item; aws:createImage, a built-in action, takes it as
    # its item, as AWS's own AMI-update runbooks rely on
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    assert json.loads(step(result, "image")["Inputs"]["InstanceId"]) == execution.outputs["launch"]["InstanceIds"][0]
    # the same list given to an API call fails botocore's type check
    api_call = text.replace("        action: aws:createImage\n        inputs: {InstanceId",
                            "        action: aws:executeAwsApi\n        inputs: {Service: ec2, Api: CreateImage, "
                            "Name: n, InstanceId").replace(', ImageName: "img-{{ automation:EXECUTION_ID }}"}', "}")
    assert "aws:executeAwsApi" in api_call
    status, result, _ = run_text(api_call, sandbox, store)
    assert status == "Failed" and "Invalid type for parameter InstanceId" in step(result, "image")["FailureMessage"]
    fixed = text.replace('InstanceId: "{{ launch.InstanceIds }}"', "InstanceId: '{{ pick.First }}'").replace(
        "      - name: image\n", "      - name: pick\n        action: aws:executeScript\n        inputs: "
        "{Runtime: python3.11, Handler: h, InputPayload: {ids: '{{ launch.InstanceIds }}'}, "
        "Script: 'def h(e, c): return {\"First\": e[\"ids\"][0]}'}\n        outputs: [{Name: First, "
        "Selector: $.Payload.First, Type: String}]\n      - name: image\n")
    status, result, execution = run_text(fixed, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    new_image = execution.outputs["image"]["ImageId"]
    assert execution.outputs["image"]["ImageState"] == "available"
    assert ec2.describe_images(Filters=[{"Name": "image-id", "Values": [new_image]}])["Images"] == []


@pytest.mark.parametrize("runbook", ["AWS-StopEC2Instance", "AWS-StartEC2Instance", "AWS-RestartEC2Instance"])
def test_owned_instance_runbooks(runbook, sandbox, store, ec2, instance_id):
    from xacct.engine import run, start_runbook

    execution = start_runbook(runbook, cloud=sandbox, store=store, parameters={"InstanceId": [instance_id]})
    assert run(execution) == "Success"
    state = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]["State"]["Name"]
    assert state == ("stopped" if runbook == "AWS-StopEC2Instance" else "running")


def test_owned_create_snapshot_and_enable_encryption(sandbox, store, ec2):
    from xacct.engine import run, start_runbook

    volume = ec2.create_volume(AvailabilityZone="us-east-1a", Size=1)["VolumeId"]
    execution = start_runbook("AWS-CreateSnapshot", cloud=sandbox, store=store, parameters={"VolumeId": [volume]})
    assert run(execution) == "Success"
    assert execution.outputs["createSnapshot"]["Payload"].startswith("snap-")

    s3 = sandbox.client("s3", "us-east-1", sandbox.caller_credentials())
    bucket = f"enc-{uuid.uuid4().hex[:10]}"
    s3.create_bucket(Bucket=bucket)
    execution = start_runbook("AWS-EnableS3BucketEncryption", cloud=sandbox, store=store,
                              parameters={"BucketName": [bucket]})
    assert run(execution) == "Success"
    rules = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]["Rules"]
    assert rules[0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256"


def test_execute_automation_runs_a_child(sandbox, store, instance_id):
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: makeImage
        action: aws:executeAutomation
        inputs:
          DocumentName: AWS-CreateImage
          RuntimeParameters: {{InstanceId: ["{instance_id}"]}}
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    outputs = execution.outputs["makeImage"]
    assert outputs["Output"][0].startswith("ami-") and outputs["Status"] == "Success"
    child = store.execution(outputs["ExecutionId"])
    assert child["parent_id"] == execution.id and child["document_name"] == "AWS-CreateImage"
    assert step(result, "makeImage")["xacct:ChildExecutionId"] == outputs["ExecutionId"]


def test_failed_child_fails_the_parent_step_with_ssm_text(sandbox, store):
    text = """
    schemaVersion: "0.3"
    mainSteps:
      - name: makeImage
        action: aws:executeAutomation
        inputs:
          DocumentName: AWS-CreateImage
          RuntimeParameters: {InstanceId: [i-00000000000000000]}
    """
    status, result, _ = run_text(text, sandbox, store)
    assert status == "Failed"
    message = step(result, "makeImage")["FailureMessage"]
    assert message.startswith("Step fails when it is Execution complete: verified. Failed to run automation with "
                              "executionId: ")
    assert "{Status=[Failed], Output=[No output available yet because the step is not successfully executed]" in message


def test_run_command_records_the_invocation(sandbox, store, instance_id):
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: rc
        action: aws:runCommand
        inputs:
          DocumentName: AWS-RunShellScript
          InstanceIds: [{instance_id}]
          Parameters: {{commands: [echo hello]}}
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    outputs = execution.outputs["rc"]
    assert outputs["Status"] == "Success" and json.loads(outputs["OutputPayload"])["CommandId"] == outputs["CommandId"]


def test_create_and_delete_stack(sandbox, store):
    name = f"stack-{uuid.uuid4().hex[:8]}"
    template = json.dumps({"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}})
    text = f"""
    schemaVersion: "0.3"
    mainSteps:
      - name: make
        action: aws:createStack
        inputs: {{StackName: {name}, TemplateBody: '{template}'}}
      - name: drop
        action: aws:deleteStack
        inputs: {{StackName: {name}}}
    """
    status, result, execution = run_text(text, sandbox, store)
    assert status == "Success", result.get("FailureMessage")
    assert execution.outputs["make"]["StackStatus"] == "CREATE_COMPLETE"
