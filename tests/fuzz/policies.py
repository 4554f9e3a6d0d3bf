"""Hypothesis strategies for `xacct explain --request FILE`: structure-aware mutants of realistic
request files, and `run_explain`, which runs the command in process and fails on any exception.

The seeds are requests as the IAM tests and bench/evaluate.py write them: identity policies,
bucket, key and trust policies, boundaries, session policies, SCP and RCP levels, contexts. A
mutant replaces, drops or adds nodes anywhere: wrong JSON types, numbers too large for Python's
int -> str, nesting deeper than Python's json recursion, wildcards shaped to make a backtracking
matcher hang, lone surrogates; then, sometimes, its bytes are broken (not UTF-8, cut short).

    from tests.fuzz.policies import REQUEST_FILES, run_explain
"""

from __future__ import annotations

import copy
import json
import os
import tempfile
import traceback

from click.testing import CliRunner
from hypothesis import strategies as st

from xacct.cli import cli

from .trees import paths, value_at

A, B = "111111111111", "222222222222"
USER = f"arn:aws:iam::{A}:user/alice"
SESSION = f"arn:aws:sts::{A}:assumed-role/AutomationExecution/e1"
ROLE_B = f"arn:aws:iam::{B}:role/role-kawahara"
KEY = f"arn:aws:kms:us-east-1:{A}:key/1234abcd"


def _allow(action, resource="*", **extra):
    return {"Effect": "Allow", "Action": action, "Resource": resource, **extra}


def _deny(action, resource="*", **extra):
    return {"Effect": "Deny", "Action": action, "Resource": resource, **extra}


FULL = {"name": "FullAWSAccess", "document": {"Version": "2012-10-17", "Statement": [_allow("*")]}}
EXECUTION_ROLE = {"name": "ExecutionRolePolicy", "document": {"Version": "2012-10-17", "Statement": [
    _allow([f"ec2:{verb}{noun}" for verb in ("Describe", "Create") for noun in ("Instances", "Images")]),
    _allow(["s3:Get*", "s3:List*", "s3:PutEncryptionConfiguration"], ["arn:aws:s3:::logs-*", "arn:aws:s3:::logs-*/*"]),
    _allow("iam:PassRole", f"arn:aws:iam::{A}:role/Automation*",
           Condition={"StringEquals": {"iam:PassedToService": "ssm.amazonaws.com"}}),
    {"Sid": "NoDeletes", **_deny("s3:DeleteBucket")},
]}}

SEEDS: list[dict] = [
    {  # story S4: a trust policy that wants MFA, across accounts
        "principal": USER, "action": "sts:AssumeRole", "resource": ROLE_B, "resourceAccount": B,
        "identityPolicies": [{"name": "AllowAssume", "document": {"Statement": [_allow("sts:AssumeRole")]}}],
        "resourcePolicy": {"Statement": [{"Sid": "WithMfa", "Effect": "Allow", "Principal": {"AWS": USER},
                                          "Action": "sts:AssumeRole",
                                          "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"},
                                                        "NumericLessThan": {"aws:MultiFactorAuthAge": 3600}}}]},
        "context": {"aws:MultiFactorAuthPresent": True, "aws:MultiFactorAuthAge": "120"},
    },
    {  # bench/evaluate.py: an execution role, a bucket policy, a boundary and two SCP levels
        "principal": SESSION, "action": "s3:GetObject", "resource": "arn:aws:s3:::logs-a/2026/11/x.gz",
        "resourceAccount": A, "identityPolicies": [EXECUTION_ROLE],
        "resourcePolicy": {"Statement": [
            {"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::logs-a/*",
             "Condition": {"Bool": {"aws:SecureTransport": False}}},
            {"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{A}:root", A]}, "Action": "s3:*",
             "Resource": "arn:aws:s3:::logs-a/*"}]},
        "permissionsBoundaries": [{"Statement": [_allow(["ec2:*", "s3:*", "iam:PassRole"])]}],
        "scps": [[FULL], [FULL, {"name": "Guard", "document": {"Statement": [
            _deny("organizations:LeaveOrganization")]}}]],
    },
    {  # a key policy delegating to the account, an RCP, a session policy
        "principal": SESSION, "action": "kms:Decrypt", "resource": KEY, "resourceKind": "kms",
        "principalRoleArn": f"arn:aws:iam::{A}:role/AutomationExecution",
        "identityPolicies": [{"Statement": [_allow(["kms:Decrypt", "kms:DescribeKey"], KEY)]}],
        "resourcePolicy": {"Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{A}:root"},
                                          "Action": "kms:*", "Resource": "*"},
                                         {"Effect": "Deny", "NotPrincipal": {"AWS": [USER]}, "Action": "kms:Delete*",
                                          "Resource": "*"}]},
        "sessionPolicy": {"Statement": [_allow("kms:*")]},
        "rcps": [[{"Statement": [_allow("*")]}]],
        "context": {"kms:ViaService": "ssm.us-east-1.amazonaws.com", "aws:SourceIp": "203.0.113.7"},
    },
    {  # every family of condition operator, and policy variables
        "principal": USER, "action": "s3:ListBucket", "resource": "arn:aws:s3:::home",
        "identityPolicies": [{"Statement": [
            _allow("s3:ListBucket", "arn:aws:s3:::home", Condition={
                "StringLike": {"s3:prefix": ["home/${aws:username}/*", "${aws:username, 'guest'}?"]},
                "StringNotEqualsIgnoreCase": {"aws:PrincipalTag/team": ["RED", "blue"]},
                "NumericLessThanEquals": {"s3:max-keys": [10, "100"]},
                "DateGreaterThan": {"aws:CurrentTime": ["2020-01-01T00:00:00Z", 1577836800]},
                "DateLessThanIfExists": {"aws:TokenIssueTime": "2999-01-01"},
                "IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "2001:db8::/32"]},
                "ArnLike": {"aws:PrincipalArn": "arn:aws:iam::*:user/*"},
                "ForAllValues:StringEquals": {"aws:TagKeys": ["env", "team"]},
                "ForAnyValue:StringLike": {"aws:CalledVia": "*.amazonaws.com"},
                "BinaryEquals": {"aws:SomeBinary": "QmluYXJ5"},
                "Null": {"aws:TokenIssueTime": True}}),
            _deny("s3:*", "arn:aws:s3:::home/${aws:username}-private/*")]}],
        "context": {"s3:prefix": "home/alice/x", "s3:max-keys": 5, "aws:SourceIp": "203.0.113.7",
                    "aws:TagKeys": ["env", "team"], "aws:CalledVia": ["ssm.amazonaws.com"],
                    "aws:SomeBinary": "QmluYXJ5", "aws:PrincipalTag/team": "ops"},
    },
    {  # a service principal assuming a role, with the confused-deputy keys
        "principal": "ssm.amazonaws.com", "action": "sts:AssumeRole",
        "resource": f"arn:aws:iam::{A}:role/AutomationExecution", "resourceAccount": A,
        "resourcePolicy": {"Statement": [{"Effect": "Allow", "Principal": {"Service": ["ssm.amazonaws.com"]},
                                          "Action": "sts:AssumeRole",
                                          "Condition": {"StringEquals": {"aws:SourceAccount": A},
                                                        "ArnLike": {"aws:SourceArn":
                                                                    "arn:aws:ssm:*:*:automation-execution/*"}}}]},
        "context": {"aws:SourceAccount": A, "aws:SourceArn": f"arn:aws:ssm:us-east-1:{A}:automation-execution/e1"},
    },
]

# Placeholders for what json.dumps cannot write: swapped for raw JSON text after dumping.
HUGE_NUMBER, DEEP_LIST = "\x00huge-number\x00", "\x00deep-list\x00"
RAW = {json.dumps(HUGE_NUMBER): "9" * 5000, json.dumps(DEEP_LIST): "[" * 3000 + "]" * 3000}

BACKTRACKING = st.sampled_from([
    "*a" * 30 + "b", "*a*a*a*a*a*a*a*a*a*a*a*a*c", "a?" * 200 + "c", "*" + "a?" * 50 + "c*",
    "arn:aws:s3:::" + "*a" * 25 + "b", "arn:*a*a*a*a*a*a*a*a:*a*a*a*a*a*a*b:*:*:*", "s3:*a*a*a*a*a*a*a*a*a*a*b",
])
LONG_VALUES = st.builds(lambda n, tail: "a" * n + tail, st.integers(1000, 20_000), st.sampled_from(["", "b", "c", "?"]))
SCALARS = (st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False)
           | st.text(max_size=12) | st.sampled_from(["*", "?", "${aws:username}", "${*}", "${", "\ud800", "arn:",
                                                    "x:root", "1e999", "-1e20", "99999999999999999999", "0x10",
                                                    "Allow", "Deny", "AWS", "true", ""]))
WRONG = st.recursive(
    SCALARS | st.just(HUGE_NUMBER) | st.just(DEEP_LIST) | BACKTRACKING | LONG_VALUES,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["AWS", "Service", "Effect", "Action", "Resource", "Condition", "StringLike", "name",
                         "document", "Statement", "x"]), inner, max_size=3),
    max_leaves=8,
)






# Values a policy or a context accepts in place of a string: these get past the checks to the
# matchers (IAM compares a number or a boolean condition value as its text).
STRINGS = BACKTRACKING | LONG_VALUES | st.text(max_size=30) | st.sampled_from(
    ["*", "?*", "arn:aws:s3:::*", "arn:aws:s3:::logs-?/*", "${aws:username}", "home/${aws:username}/${*}", "${?}",
     "s3:Get*", "\ud800", "\U0001f600", "arn:aws:iam::111111111111:root", "x:root", "1e999", "-1e20",
     "2026-13-45T99:99:99Z", "99999999999999999999", "10.0.0.0/33", "::1", "QmluYXJ5=", "%%%", ""])
ACCEPTED_SCALARS = st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.just(
    HUGE_NUMBER)


def _is_text(value) -> bool:
    return isinstance(value, str)


@st.composite
def _mutant(draw) -> dict | list:
    data = copy.deepcopy(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 4))):
        nodes = list(paths(data))
        strings = [path for path in nodes if path and _is_text(value_at(data, path[:-1])[path[-1]])]
        how = draw(st.sampled_from(["string", "string", "string", "scalar", "replace", "drop", "add", "wrap"]))
        if how in ("string", "scalar") and strings:
            path = draw(st.sampled_from(strings))
            value_at(data, path[:-1])[path[-1]] = draw(STRINGS if how == "string" else ACCEPTED_SCALARS)
            continue
        path = draw(st.sampled_from(nodes))
        how = "replace" if how in ("string", "scalar") else how
        if not path:
            if how == "replace":
                data = draw(WRONG)
            continue
        parent = value_at(data, path[:-1])
        if how == "replace":
            parent[path[-1]] = draw(WRONG)
        elif how == "wrap":  # a value inside a list, or a list of lists
            parent[path[-1]] = [parent[path[-1]]]
        elif how == "drop":
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(["Principal", "NotAction", "Condition", "Sid", "document", "context",
                                         "resourceKind", "Version"]))] = draw(WRONG)
        else:
            parent.append(draw(WRONG))
    return data


def _text(data) -> str:
    text = json.dumps(data)
    for placeholder, raw in RAW.items():
        text = text.replace(placeholder, raw)
    return text


@st.composite
def _broken_bytes(draw, data: bytes) -> bytes:
    """Bytes that are not UTF-8, or a file cut short."""
    at = draw(st.integers(0, len(data)))
    how = draw(st.sampled_from(["invalid", "cut", "overlong"]))
    if how == "cut":
        return data[:at]
    insert = b"\xff" if how == "invalid" else b"\xc0\xaf"
    return data[:at] + insert + data[at:]


STRUCTURAL = _mutant().map(_text).map(lambda text: text.encode("utf-8"))
REQUEST_FILES = st.one_of(
    STRUCTURAL,
    STRUCTURAL,  # twice: most examples should reach the evaluator, not the JSON reader
    STRUCTURAL.flatmap(_broken_bytes),
    st.sampled_from(SEEDS).map(_text).map(str.encode),
    st.binary(max_size=200),
)


def run_explain(data: bytes, *extra: str) -> int:
    """`xacct explain --request FILE` on `data`, in process: its exit code. Raises AssertionError,
    with the traceback, when the command ended in an exception rather than an exit."""
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "request.json")
        with open(path, "wb") as handle:
            handle.write(data)
        result = CliRunner().invoke(cli, ["explain", "--request", path, *extra])
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError("xacct explain raised:\n" + "".join(traceback.format_exception(*result.exc_info)))
    assert "Traceback" not in result.output, result.output
    return result.exit_code
