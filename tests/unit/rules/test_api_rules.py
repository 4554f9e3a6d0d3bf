"""Rules for steps that call AWS APIs (E6xxx), checked against botocore's service models.
Source: "aws:executeAwsApi – Call and run AWS API operations", AWS Systems Manager User Guide."""

import pytest

from .helpers import Case, api_step, check, runbook

CASES = [
    Case("W6001", "unknown-service", runbook(api_step("a", "ec3", "DescribeInstances")), True),
    Case("W6001", "upper-case", runbook(api_step("a", "EC2", "DescribeInstances")), False),
    Case("W6001", "known", runbook(api_step("a", "securityhub", "GetFindings")), False),
    Case("W6002", "unknown-operation", runbook(api_step("a", "ec2", "DescribeInstance")), True),
    Case("W6002", "pascal", runbook(api_step("a", "ec2", "ModifyImageAttribute", "ImageId: ami-1")), False),
    Case("W6002", "snake", runbook(api_step("a", "ec2", "modify_image_attribute", "ImageId: ami-1")), False),
    Case("W6002", "camel", runbook(api_step("a", "ec2", "modifyImageAttribute", "ImageId: ami-1")), False),
    Case("W6002", "kebab", runbook(api_step("a", "ec2", "modify-image-attribute", "ImageId: ami-1")), False),
    Case("W6002", "wait-action", runbook(api_step("a", "rds", "DescribeDBInstance", action="aws:waitForAwsResourceProperty")
                                         + "    PropertySelector: $.x\n    DesiredValues: [a]\n"), True),
    Case("W6003", "unknown-parameter", runbook(api_step("a", "ec2", "StopInstances", "InstanceId: [i-1]")), True),
    Case("W6003", "missing-required", runbook(api_step("a", "s3", "PutBucketEncryption", "Bucket: b")), True),
    Case("W6003", "camel-case-service", runbook(api_step(
        "a", "logs", "PutRetentionPolicy", "logGroupName: g\nretentionInDays: 30")), False),
    Case("W6003", "assert-with-selector", runbook(api_step(
        "a", "ec2", "DescribeInstances", "InstanceIds: [i-1]\nPropertySelector: $.x\nDesiredValues: [a]",
        action="aws:assertAwsResourceProperty")), False),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_api_rule(case):
    check(case)
