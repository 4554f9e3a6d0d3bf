"""The calls an aws:executeScript script makes, read from its source (issue 11, defect 10), and
judged by doctor as the execution role's."""

import textwrap

import pytest

from xacct.doctor.calls import runbook_calls
from xacct.doctor.script_calls import script_calls
from xacct.document.loader import load_text
from xacct.document.model import build_document

CASES = [
    ("import boto3\nec2 = boto3.client('ec2')\nec2.describe_instances(InstanceIds=['i-1'])",
     [("ec2", "describe_instances", {"InstanceIds": ["i-1"]})]),
    ("import boto3\nboto3.client('s3').list_buckets()", [("s3", "list_buckets", {})]),
    ("import boto3\ns = boto3.Session()\nsqs = s.client(service_name='sqs', region_name='eu-north-1')\n"
     "def handler(events, context):\n    return sqs.send_message(QueueUrl=events['Url'], MessageBody='x')",
     [("sqs", "send_message", {"QueueUrl": "{{ QueueUrl }}", "MessageBody": "x"})]),
    ("import boto3\ns3 = boto3.client('s3')\np = s3.get_paginator('list_objects_v2')\n"
     "for page in p.paginate(Bucket='logs'):\n    pass", [("s3", "list_objects_v2", {"Bucket": "logs"})]),
    ("import boto3\nkms = boto3.client('kms')\nkms.meta.region_name\nkms.close()", []),
    ("def handler(e, c):\n    return {'n': len(e)}", []),
    ("this is not python", []),
]


@pytest.mark.parametrize("source, expected", CASES)
def test_client_calls_are_read_from_the_source(source, expected):
    assert list(script_calls(source)) == expected


def test_doctor_judges_a_script_call_as_the_iam_action_it_needs():
    text = textwrap.dedent('''\
        schemaVersion: '0.3'
        mainSteps:
        - name: tidy
          action: aws:executeScript
          inputs:
            Runtime: python3.11
            Handler: handler
            Script: |-
              import boto3
              def handler(events, context):
                  s3 = boto3.client('s3')
                  s3.put_bucket_encryption(Bucket='archive-645', ServerSideEncryptionConfiguration={})
                  boto3.client('ec2').describe_instances()
        ''')
    [source] = load_text("tidy.yaml", text).documents
    calls = runbook_calls(build_document(source), {}, region="ap-southeast-2", account="645000000001")
    assert [(c.step, c.authorization.action, c.authorization.resource) for c in calls] == [
        ("tidy", "s3:PutEncryptionConfiguration", "arn:aws:s3:::archive-645"),
        ("tidy", "ec2:DescribeInstances", "*")]
