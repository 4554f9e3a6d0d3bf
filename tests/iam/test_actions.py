"""API operations to IAM actions and resources ("Actions, resources, and condition keys for
Amazon S3 / Amazon EC2 / AWS KMS / AWS STS / AWS Systems Manager", Service Authorization Reference)."""

import pytest

from xacct.iam.actions import authorizations

A = "111111111111"
CASES = [
    ("s3", "PutBucketEncryption", {"Bucket": "logs"}, [("s3:PutEncryptionConfiguration", "arn:aws:s3:::logs")]),
    ("s3", "ListBuckets", {}, [("s3:ListAllMyBuckets", "*")]),
    ("s3", "ListObjectsV2", {"Bucket": "logs"}, [("s3:ListBucket", "arn:aws:s3:::logs")]),
    ("s3", "GetObject", {"Bucket": "logs", "Key": "a/b.txt"}, [("s3:GetObject", "arn:aws:s3:::logs/a/b.txt")]),
    ("ec2", "DescribeInstances", {}, [("ec2:DescribeInstances", "*")]),
    ("ec2", "StopInstances", {"InstanceIds": ["i-1", "i-2"]},
     [("ec2:StopInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-1"),
      ("ec2:StopInstances", f"arn:aws:ec2:us-east-1:{A}:instance/i-2")]),
    ("ec2", "ModifyImageAttribute", {"ImageId": "ami-1"},
     [("ec2:ModifyImageAttribute", "arn:aws:ec2:us-east-1::image/ami-1")]),
    ("sts", "AssumeRole", {"RoleArn": "arn:aws:iam::222222222222:role/x", "RoleSessionName": "s"},
     [("sts:AssumeRole", "arn:aws:iam::222222222222:role/x")]),
    ("kms", "Decrypt", {"KeyId": "arn:aws:kms:us-east-1:222222222222:key/k"},
     [("kms:Decrypt", "arn:aws:kms:us-east-1:222222222222:key/k")]),
    ("ssm", "GetDocument", {"Name": "InstallApp"},
     [("ssm:GetDocument", f"arn:aws:ssm:us-east-1:{A}:document/InstallApp")]),
    ("lambda", "Invoke", {"FunctionName": "f"}, [("lambda:InvokeFunction", f"arn:aws:lambda:us-east-1:{A}:function:f")]),
    ("stepfunctions", "StartExecution", {"stateMachineArn": f"arn:aws:states:us-east-1:{A}:stateMachine:m"},
     [("states:StartExecution", f"arn:aws:states:us-east-1:{A}:stateMachine:m")]),
    ("sts", "GetCallerIdentity", {}, []),
]


@pytest.mark.parametrize("service, operation, params, expected", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_operation_to_action_and_resource(service, operation, params, expected):
    found = authorizations(service, operation, params, region="us-east-1", account=A)
    assert [(a.action, a.resource) for a in found] == expected
