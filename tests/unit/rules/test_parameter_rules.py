"""Parameter rules (E1xxx). Sources: "Data elements and parameters" and "Creating input
parameters that populate AWS resources", AWS Systems Manager User Guide."""

import pytest

from .helpers import SLEEP, Case, check, runbook

CASES = [
    Case("E1001", "no-type", runbook(SLEEP, "P: {description: x}"), True),
    Case("E1001", "unknown-type", runbook(SLEEP, "P: {type: Strng}"), True),
    Case("E1001", "cfn-only-type", runbook(SLEEP, "P: {type: 'AWS::EC2::Image::Id'}"), True),
    Case("E1001", "variable-without-type", runbook(SLEEP, extra="variables:\n  v: {default: 1}"), True),
    Case("E1001", "resource-types", runbook(SLEEP, """
        A: {type: 'AWS::EC2::Instance::Id'}
        B: {type: 'List<AWS::S3::Bucket::Name>'}
        C: {type: 'AWS::IAM::Role::Arn'}
        D: {type: MapList}
        """), False),
    Case("W1002", "unknown-attribute", runbook(SLEEP, "P: {type: String, pattern: x}"), True),
    Case("W1002", "known-attributes", runbook(SLEEP, """
        P: {type: String, description: d, default: a, allowedValues: [a], allowedPattern: '^a$',
            displayType: textfield, minChars: 1, maxChars: 3}
        """), False),
    Case("W1003", "bad-regex", runbook(SLEEP, "P: {type: String, allowedPattern: '(['}"), True),
    Case("E1003", "items-on-string", runbook(SLEEP, "P: {type: String, minItems: 1}"), True),
    Case("E1003", "min-over-max", runbook(SLEEP, "P: {type: StringList, minItems: 3, maxItems: 1}"), True),
    Case("E1003", "display-type", runbook(SLEEP, "P: {type: String, displayType: box}"), True),
    Case("E1003", "well-formed", runbook(SLEEP, "P: {type: StringList, minItems: 1, maxItems: 3}"), False),
    Case("W1004", "wrong-type", runbook(SLEEP, "P: {type: Integer, default: ten}"), True),
    Case("W1004", "quoted-boolean", runbook(SLEEP, "P: {type: Boolean, default: 'true'}"), True),
    Case("W1004", "not-allowed", runbook(SLEEP, "P: {type: String, default: c, allowedValues: [a, b]}"), True),
    Case("W1004", "pattern", runbook(SLEEP, "P: {type: String, default: '12', allowedPattern: '^\\d{12}$'}"), True),
    Case("W1004", "resource-pattern", runbook(SLEEP, "P: {type: 'AWS::EC2::Instance::Id', default: vm-1}"), True),
    Case("W1004", "too-many-items", runbook(SLEEP, "P: {type: StringList, default: [a, b], maxItems: 1}"), True),
    Case("W1004", "too-long", runbook(SLEEP, "P: {type: String, default: abcd, maxChars: 3}"), True),
    Case("W1004", "valid", runbook(SLEEP, """
        A: {type: String, default: '111111111111', allowedPattern: '^\\d{12}$'}
        B: {type: StringMap, default: {}}
        C: {type: MapList, default: '[{"a": "b"}]'}
        D: {type: Integer, default: 3, allowedValues: [1, 3]}
        E: {type: String, default: '{{ ssm:/my/param }}', allowedPattern: '^x$'}
        """), False),
    # (a|aa)+$ against 40 a's and a b tries every way to cut the a's (Fibonacci(40)): the check gives up
    Case("W1005", "backtracking", runbook(SLEEP, "P: {type: String, default: '" + "a" * 40 + "b', "
                                                 "allowedPattern: '^(a|aa)+$'}"), True),
    Case("W1005", "quick", runbook(SLEEP, "P: {type: String, default: '" + "a" * 40 + "', "
                                          "allowedPattern: '^(a|aa)+$'}"), False),
    Case("W1003", "java-posix-class", runbook(SLEEP, "P: {type: String, allowedPattern: '^[\\p{Alnum}-_.]+$'}"), False),
    Case("W1003", "java-hyphen-after-class", runbook(SLEEP, "P: {type: String, allowedPattern: '^[\\w-\\/]*$'}"), False),
    Case("W1003", "java-quote", runbook(SLEEP, "P: {type: String, allowedPattern: '^\\Qa.b\\E$'}"), False),
    Case("E1003", "bad-regex-is-no-error", runbook(SLEEP, "P: {type: String, allowedPattern: '(['}"), False),
]


@pytest.mark.parametrize("case", CASES, ids=str)
def test_parameter_rule(case):
    check(case)
