"""Condition operators, from "IAM JSON policy elements: Condition operators" and "Single-valued vs.
multivalued context keys" (IAM User Guide): every operator, negation, a missing key, IfExists,
ForAnyValue / ForAllValues, Null, and policy variables in values."""

import pytest

from xacct.iam.conditions import key_holds

CASES = [
    # operator, key, policy values, request context, holds
    ("StringEquals", "aws:username", ["alice"], {"aws:username": ["alice"]}, True),
    ("StringEquals", "aws:username", ["Alice"], {"aws:username": ["alice"]}, False),
    ("StringEquals", "aws:username", ["bob", "alice"], {"aws:username": ["alice"]}, True),
    ("StringEquals", "aws:username", ["alice"], {}, False),
    ("StringNotEquals", "aws:username", ["alice"], {"aws:username": ["bob"]}, True),
    ("StringNotEquals", "aws:username", ["alice", "bob"], {"aws:username": ["bob"]}, False),
    ("StringNotEquals", "aws:username", ["alice"], {}, True),  # negated operator, absent key: true
    ("StringEqualsIgnoreCase", "aws:username", ["ALICE"], {"aws:username": ["alice"]}, True),
    ("StringNotEqualsIgnoreCase", "aws:username", ["ALICE"], {"aws:username": ["alice"]}, False),
    ("StringLike", "s3:prefix", ["home/*"], {"s3:prefix": ["home/alice/x"]}, True),
    ("StringLike", "s3:prefix", ["home/?"], {"s3:prefix": ["home/ab"]}, False),
    ("StringLike", "s3:prefix", ["home/${aws:username}/*"], {"s3:prefix": ["home/alice/x"], "aws:username": ["alice"]}, True),
    ("StringLike", "s3:prefix", ["home/${aws:username}/*"], {"s3:prefix": ["home/alice/x"]}, False),  # no variable
    ("StringLike", "s3:prefix", ["${aws:username, 'guest'}/*"], {"s3:prefix": ["guest/x"]}, True),  # default
    ("StringLike", "s3:prefix", ["a${*}b"], {"s3:prefix": ["a*b"]}, True),  # escaped star is literal
    ("StringLike", "s3:prefix", ["a${*}b"], {"s3:prefix": ["axb"]}, False),
    ("StringNotLike", "s3:prefix", ["tmp/*"], {"s3:prefix": ["home/x"]}, True),
    ("StringNotLike", "s3:prefix", ["tmp/*"], {}, True),
    ("NumericEquals", "s3:max-keys", ["10"], {"s3:max-keys": ["10"]}, True),
    ("NumericNotEquals", "s3:max-keys", ["10"], {"s3:max-keys": ["10"]}, False),
    ("NumericLessThan", "s3:max-keys", ["10"], {"s3:max-keys": ["9"]}, True),
    ("NumericLessThanEquals", "s3:max-keys", ["10"], {"s3:max-keys": ["10"]}, True),
    ("NumericGreaterThan", "s3:max-keys", ["10"], {"s3:max-keys": ["10"]}, False),
    ("NumericGreaterThanEquals", "s3:max-keys", ["10"], {"s3:max-keys": ["11"]}, True),
    ("NumericLessThan", "s3:max-keys", ["10"], {"s3:max-keys": ["ten"]}, False),
    ("NumericLessThan", "aws:MultiFactorAuthAge", ["3600"], {"aws:multifactorauthage": ["120"]}, True),
    ("DateEquals", "aws:CurrentTime", ["2026-01-01T00:00:00Z"], {"aws:currenttime": ["2026-01-01T00:00:00Z"]}, True),
    ("DateNotEquals", "aws:CurrentTime", ["2026-01-01T00:00:00Z"], {"aws:currenttime": ["2026-01-02T00:00:00Z"]}, True),
    ("DateLessThan", "aws:CurrentTime", ["2026-01-01T00:00:00Z"], {"aws:currenttime": ["2025-12-31T23:59:59Z"]}, True),
    ("DateLessThanEquals", "aws:CurrentTime", ["2026-01-01T00:00:00Z"], {"aws:currenttime": ["2026-01-01T00:00:01Z"]}, False),
    ("DateGreaterThan", "aws:CurrentTime", ["1767225600"], {"aws:currenttime": ["2026-06-01T00:00:00Z"]}, True),  # epoch
    ("DateGreaterThanEquals", "aws:CurrentTime", ["2026-01-01"], {"aws:currenttime": ["2025-01-01T00:00:00Z"]}, False),
    ("Bool", "aws:MultiFactorAuthPresent", ["true"], {"aws:multifactorauthpresent": ["true"]}, True),
    ("Bool", "aws:MultiFactorAuthPresent", ["true"], {}, False),
    ("Bool", "aws:SecureTransport", ["false"], {"aws:securetransport": ["TRUE"]}, False),
    ("BinaryEquals", "key", ["QmluYXJ5"], {"key": ["QmluYXJ5"]}, True),
    ("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], {"aws:sourceip": ["203.0.113.7"]}, True),
    ("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], {"aws:sourceip": ["198.51.100.1"]}, False),
    ("NotIpAddress", "aws:SourceIp", ["203.0.113.0/24"], {"aws:sourceip": ["198.51.100.1"]}, True),
    ("IpAddress", "aws:SourceIp", ["2001:db8::/32"], {"aws:sourceip": ["2001:db8::1"]}, True),
    ("ArnEquals", "aws:SourceArn", ["arn:aws:ssm:*:111111111111:automation-execution/*"],
     {"aws:sourcearn": ["arn:aws:ssm:us-east-1:111111111111:automation-execution/abc"]}, True),
    ("ArnLike", "aws:SourceArn", ["arn:aws:ssm:*:*:automation-execution/*"],
     {"aws:sourcearn": ["arn:aws:ssm:us-east-1:111111111111:document/x"]}, False),
    ("ArnNotEquals", "aws:SourceArn", ["arn:aws:s3:::b"], {"aws:sourcearn": ["arn:aws:s3:::c"]}, True),
    ("ArnNotLike", "aws:SourceArn", ["arn:aws:s3:::b*"], {"aws:sourcearn": ["arn:aws:s3:::bucket"]}, False),
    ("StringEqualsIfExists", "ec2:InstanceType", ["t3.micro"], {}, True),
    ("StringEqualsIfExists", "ec2:InstanceType", ["t3.micro"], {"ec2:instancetype": ["m5.large"]}, False),
    ("NumericLessThanIfExists", "s3:max-keys", ["10"], {}, True),
    ("Null", "aws:TokenIssueTime", ["true"], {}, True),
    ("Null", "aws:TokenIssueTime", ["true"], {"aws:tokenissuetime": ["2026-01-01T00:00:00Z"]}, False),
    ("Null", "aws:TokenIssueTime", ["false"], {"aws:tokenissuetime": ["2026-01-01T00:00:00Z"]}, True),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ["env", "team"], {"aws:tagkeys": ["team", "cost"]}, True),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ["env"], {"aws:tagkeys": ["team"]}, False),
    ("ForAnyValue:StringEquals", "aws:TagKeys", ["env"], {}, False),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["env", "team"], {"aws:tagkeys": ["team", "env"]}, True),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["env"], {"aws:tagkeys": ["env", "cost"]}, False),
    ("ForAllValues:StringEquals", "aws:TagKeys", ["env"], {}, True),  # empty set: true
    ("ForAllValues:StringNotLike", "aws:TagKeys", ["aws:*"], {"aws:tagkeys": ["env", "team"]}, True),
    ("ForAnyValue:StringNotEquals", "aws:TagKeys", ["env"], {"aws:tagkeys": ["env", "team"]}, True),
    ("StringEquals", "aws:PrincipalTag/Team", ["ops"], {"aws:principaltag/team": ["ops"]}, True),
]


@pytest.mark.parametrize("operator, key, wants, context, holds", CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_condition_operator(operator, key, wants, context, holds):
    assert key_holds(operator, key, wants, context) is holds
