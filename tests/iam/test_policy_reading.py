"""Policies AWS refuses or reads differently than one would guess, and action names IAM does not
have (issue 11, defects 9 and 11)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from xacct.cli import cli
from xacct.iam import ALLOWED, IMPLICIT_DENY, Caller, PolicySet, Request, evaluate, parse_policy
from xacct.iam.action_names import unknown_action
from xacct.iam.request_file import RequestFileError, load_request

A = "634200000001"
USER = f"arn:aws:iam::{A}:user/hinata"


def decide(statements, *, action="s3:GetObject", resource="arn:aws:s3:::hinata/notes.txt", context=None,
           version="2012-10-17"):
    document = {"Statement": statements} if version is None else {"Version": version, "Statement": statements}
    return evaluate(Request(Caller(USER), action, resource, A, context or {}),
                    PolicySet(identity=[parse_policy(document, "p")])).decision


# An empty Action or Resource list names nothing: the statement allows nothing.
@pytest.mark.parametrize("statement", [
    {"Effect": "Allow", "Action": [], "Resource": "*"},
    {"Effect": "Allow", "Action": "*", "Resource": []},
    {"Effect": "Allow", "Action": [], "Resource": []},
])
def test_empty_action_or_resource_lists_match_nothing(statement):
    assert decide([statement]) == IMPLICIT_DENY


def test_an_empty_list_beside_an_allowing_statement_changes_nothing():
    assert decide([{"Effect": "Deny", "Action": [], "Resource": "*"},
                   {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]) == ALLOWED


# With Version 2008-10-17, or no Version, policy variables are literal text.
# https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_version.html
@pytest.mark.parametrize("version,resource,expected", [
    ("2012-10-17", "arn:aws:s3:::hinata/notes.txt", ALLOWED),
    ("2008-10-17", "arn:aws:s3:::hinata/notes.txt", IMPLICIT_DENY),
    (None, "arn:aws:s3:::hinata/notes.txt", IMPLICIT_DENY),
    ("2008-10-17", "arn:aws:s3:::${aws:username}/notes.txt", ALLOWED),  # the text itself matches
    (None, "arn:aws:s3:::${aws:username}/notes.txt", ALLOWED),
])
def test_policy_variables_exist_only_in_version_2012_10_17(version, resource, expected):
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::${aws:username}/*"}
    assert decide([statement], resource=resource, version=version) == expected


def test_a_condition_variable_is_literal_in_the_old_version():
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                 "Condition": {"StringEquals": {"s3:prefix": "${aws:username}"}}}
    assert decide([statement], context={"s3:prefix": "hinata"}) == ALLOWED
    assert decide([statement], context={"s3:prefix": "hinata"}, version="2008-10-17") == IMPLICIT_DENY
    assert decide([statement], context={"s3:prefix": "${aws:username}"}, version="2008-10-17") == ALLOWED


# Numeric conditions read numbers as AWS does: Python's `1_000` is no number.
@pytest.mark.parametrize("wants,have,expected", [
    ("1000", "1000", ALLOWED), ("1000", "1_000", IMPLICIT_DENY), ("1_000", "1000", IMPLICIT_DENY),
    ("1000", " 1e3", ALLOWED), ("1000", "0x3e8", IMPLICIT_DENY), ("1000", "1000.0", ALLOWED),
])
def test_numeric_conditions_accept_only_json_numbers(wants, have, expected):
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",
                 "Condition": {"NumericEquals": {"s3:max-keys": wants}}}
    assert decide([statement], context={"s3:max-keys": have}) == expected


# An identity-based policy statement without Resource is refused as IAM refuses it.
@pytest.mark.parametrize("key", ["identityPolicies", "permissionsBoundaries"])
def test_an_identity_statement_without_resource_is_refused(key):
    data = {"principal": USER, "action": "s3:GetObject", key: [{"Statement": [{"Effect": "Allow", "Action": "*"}]}]}
    with pytest.raises(RequestFileError) as caught:
        load_request(json.dumps(data))
    assert "Missing required field Resource" in str(caught.value) and "MalformedPolicyDocument" in str(caught.value)


def test_a_session_policy_without_resource_is_refused_and_a_trust_policy_needs_none():
    data = {"principal": f"arn:aws:sts::{A}:assumed-role/r/s", "action": "s3:GetObject",
            "sessionPolicy": {"Statement": [{"Effect": "Allow", "Action": "*"}]}}
    with pytest.raises(RequestFileError, match="sessionPolicy statement 1: Missing required field Resource"):
        load_request(json.dumps(data))
    trust = {"principal": USER, "action": "sts:AssumeRole", "resource": f"arn:aws:iam::{A}:role/r",
             "resourcePolicy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": USER},
                                               "Action": "sts:AssumeRole"}]}}
    request, policies = load_request(json.dumps(trust))
    assert evaluate(request, policies).allowed


# Action names IAM does not have are refused, naming the closest one.
@pytest.mark.parametrize("action,closest", [
    ("ec2:DescribeInstance", "ec2:DescribeInstances"),
    ("iam:PassRoles", "iam:PassRole"),
    ("s3:PutBucketEncryption", "s3:PutEncryptionConfiguration"),  # the API's name, not IAM's
    ("s3x:GetObject", "s3:GetObject"),
])
def test_unknown_actions_name_the_closest(action, closest):
    assert closest in unknown_action(action)


@pytest.mark.parametrize("action", ["s3:GetObject", "KMS:decrypt", "sts:AssumeRole", "ssm:StartAutomationExecution"])
def test_known_actions_in_any_case_pass(action):
    assert unknown_action(action) is None


def test_explain_refuses_an_unknown_action_with_exit_2(tmp_path):
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"principal": USER, "action": "ec2:DescribeInstance",
                                "identityPolicies": [{"Statement": [{"Effect": "Allow", "Action": "*",
                                                                     "Resource": "*"}]}]}))
    result = CliRunner().invoke(cli, ["explain", "--request", str(path)])
    assert result.exit_code == 2
    assert "action: IAM has no action ec2:DescribeInstance; the closest IAM action is ec2:DescribeInstances" \
        in result.output
    assert "Traceback" not in result.output
