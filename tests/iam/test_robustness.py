"""Every input has an answer: the crashes and hangs fuzzing found in `xacct explain --request`
and in policies, each with its minimal input; and the linear-time glob against a reference."""

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.fuzz.policies import run_explain
from xacct.iam import Caller, PolicyError, PolicySet, Request, evaluate, parse_policy
from xacct.iam.conditions import key_holds
from xacct.iam.context import RequestContext
from xacct.iam.principals import principal_match
from xacct.iam.request_file import RequestFileError, load_request
from xacct.iam.wildcards import LITERAL_QMARK, LITERAL_STAR, action_matches, arn_matches, glob

A = "111111111111"
USER = f"arn:aws:iam::{A}:user/alice"


def request_file(condition=None, context=None, principal=None, **extra) -> dict:
    """A request that a resource policy decides alone (one account, a grant to the user)."""
    statement = {"Effect": "Allow", "Principal": principal or {"AWS": USER}, "Action": "s3:GetObject",
                 "Resource": "arn:aws:s3:::b/*"}
    if condition is not None:
        statement["Condition"] = condition
    return {"principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": A,
            "resourcePolicy": {"Statement": [statement]}, "context": context or {}, **extra}


def explain(data) -> int:
    return run_explain(data if isinstance(data, bytes) else json.dumps(data).encode())


def refused(data) -> str:
    with pytest.raises(RequestFileError) as caught:
        load_request(json.dumps(data))
    return str(caught.value)


# --- the crashes, one by one -----------------------------------------------------------------------
def test_a_boolean_context_value_compares_as_true():  # AttributeError in _string_equals_ignore_case
    data = request_file({"StringEqualsIgnoreCase": {"aws:SecureTransport": "TRUE"}}, {"aws:SecureTransport": [True]})
    assert explain(data) == 0


def test_a_list_in_a_context_list_is_refused_with_its_key():  # AttributeError in _date, split_arn; TypeError in glob
    for operator in ("DateLessThan", "ArnLike", "StringLike"):
        data = request_file({operator: {"k": "*"}}, {"k": [["2026-01-01"]]})
        assert explain(data) == 2
        assert refused(data).startswith("context: 'k'[0] is a list")


def test_an_object_or_null_in_the_context_is_refused_with_its_key():  # AttributeError in _bool; TypeError in _binary
    assert "context: 'k'[0] is an object" in refused(request_file({"Bool": {"k": "true"}}, {"k": [{}]}))
    assert "context: 'k'[0] is null" in refused(request_file({"BinaryEquals": {"k": "QQ=="}}, {"k": [None]}))
    assert "context: 'k' is null" in refused(request_file(context={"k": None}))


def test_a_number_as_principal_is_refused_with_its_place():  # TypeError in principal_match (float, int)
    for number in (5, 1.5):
        message = refused(request_file(principal={"AWS": number}))
        assert message == ("resourcePolicy: resourcePolicy statement 1: Principal AWS is a number, not a string")
        assert explain(request_file(principal={"AWS": number})) == 2


def test_a_root_principal_that_is_no_arn_names_nobody():  # IndexError in principal_match
    assert principal_match({"AWS": "x:root"}, Caller(USER)) is None
    assert explain(request_file(principal={"AWS": "x:root"})) == 1


def test_a_date_out_of_range_is_no_match():  # OverflowError in _date
    now = {"aws:currenttime": ["2026-01-01T00:00:00Z"]}
    assert key_holds("DateLessThan", "aws:CurrentTime", ["1e20"], now) is False
    assert key_holds("DateGreaterThan", "aws:CurrentTime", ["2026-01-01"], {"aws:currenttime": ["-1e20"]}) is False
    assert key_holds("DateNotEquals", "aws:CurrentTime", ["1e999"], {"aws:currenttime": ["5"]}) is True
    assert explain(request_file({"DateLessThan": {"aws:CurrentTime": "1e20"}})) == 1


def test_binary_of_nothing_is_no_match():  # TypeError in _binary
    assert key_holds("BinaryEquals", "k", ["%%%"], {"k": ["QQ=="]}) is False
    assert key_holds("BinaryEquals", "k", ["QQ=="], {"k": ["\u00e9"]}) is False


def test_deep_nesting_is_an_error_not_a_recursion_error():  # RecursionError in load_request
    assert explain(b"[" * 100_000) == 2
    assert "nested too deeply" in refused_text(b'{"principal": ' + b"[" * 100_000)


def test_a_number_of_5000_digits_is_read_and_compared():  # ValueError: exceeds the limit (4300 digits)
    digits = "9" * 5000
    text = json.dumps(request_file({"NumericGreaterThan": {"s3:max-keys": "1"}})).replace(
        '"context": {}', '"context": {"s3:max-keys": ' + digits + "}")
    assert explain(text.encode()) == 1  # a number beyond a double's range matches nothing
    request, _ = load_request(text)
    # kept as the file gives it, and read as its text when a condition asks
    assert RequestContext(request.context, request.caller).get("s3:max-keys") == [digits]


def test_a_file_that_is_not_utf8_names_the_byte():  # UnicodeDecodeError in commands/explain.py
    assert explain(b'{"principal": "\xff"}') == 2
    assert refused_text(b'{"principal": "\xff"}') == "not UTF-8: byte 0xff at offset 15 (invalid start byte)"


def test_a_file_over_the_limit_is_refused():
    assert "larger than 1 MiB" in refused_text(b" " * (1024 * 1024 + 1))


def refused_text(data: bytes) -> str:
    with pytest.raises(RequestFileError) as caught:
        load_request(data)
    return str(caught.value)


# --- backtracking wildcards are decided ----------------------------------------------------------
BACKTRACKING = "*a" * 30 + "b"


def test_a_backtracking_pattern_is_decided():
    assert glob(BACKTRACKING, "a" * 5000) is False
    assert glob(BACKTRACKING, "a" * 5000 + "b") is True
    assert action_matches("s3:" + BACKTRACKING, "s3:" + "A" * 5000) is False
    assert arn_matches("arn:aws:s3:::" + BACKTRACKING, "arn:aws:s3:::" + "a" * 5000) is False
    assert key_holds("StringLike", "k", [BACKTRACKING], {"k": ["a" * 5000]}) is False


def test_a_backtracking_pattern_is_decided_by_evaluate_and_by_explain():
    policy = parse_policy({"Statement": [{"Effect": "Allow", "Action": "s3:" + BACKTRACKING,
                                          "Resource": "arn:aws:s3:::" + BACKTRACKING,
                                          "Condition": {"StringLike": {"k": BACKTRACKING}}}]}, "p")
    long_a = "a" * 5000
    request = Request(Caller(USER), "s3:" + long_a + "b", "arn:aws:s3:::" + long_a + "b", A, {"k": [long_a]})
    decision = evaluate(request, PolicySet(identity=[policy]))
    assert decision.decision == "implicitDeny" and decision.notes[0].operator == "StringLike"
    data = {"principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::" + long_a,
            "identityPolicies": [{"Statement": [{"Effect": "Allow", "Action": "s3:*",
                                                 "Resource": "arn:aws:s3:::" + BACKTRACKING}]}]}
    assert explain(data) == 1


# --- wrong types in a policy: refused as IAM refuses them, or evaluated as IAM does --------------
@pytest.mark.parametrize("statement, message", [
    ({"Effect": "Allow", "Action": ["s3:GetObject", ["s3:PutObject"]], "Resource": "*"},
     "p statement 1: Action[1] is a list; actions and resources are strings"),
    ({"Effect": "Allow", "NotAction": [], "Resource": "*"}, "p statement 1: NotAction is an empty list"),
    ({"Effect": "Allow", "Action": "*", "Resource": None}, "p statement 1: Resource is null"),
    ({"Effect": "Allow", "Principal": 5, "Action": "*"}, "p statement 1: Principal is \"*\" or a map"),
    ({"Effect": "Allow", "Principal": {"AWS": [["x"]]}, "Action": "*"}, "p statement 1: Principal AWS[0] is a list"),
    ({"Effect": "Allow", "Principal": {"Someone": "x"}, "Action": "*"}, "p statement 1: Principal names 'Someone'"),
    ({"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"k": {"a": 1}}}},
     "p statement 1: Condition 'StringEquals' 'k' is an object; condition values are strings"),
    ({"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": {"k": [None]}}},
     "p statement 1: Condition 'StringEquals' 'k'[0] is null"),
    ({"Effect": "Allow", "Action": "*", "Condition": {"StringEquals": ["k"]}},
     "p statement 1: Condition 'StringEquals' maps keys to values, not a list"),
    ({"Effect": "Allow", "Action": "*", "Condition": None}, "p statement 1: Condition maps operators"),
    ({"Effect": True, "Action": "*"}, "p statement 1: Effect must be Allow or Deny, not a boolean"),
    ({"Effect": "Allow", "Sid": 7, "Action": "*"}, "p statement 1: Sid is a string, not a number"),
])
def test_wrong_types_in_a_policy_are_refused_with_their_place(statement, message):
    with pytest.raises(PolicyError) as caught:
        parse_policy({"Statement": [statement]}, "p")
    assert str(caught.value).startswith(message), str(caught.value)


def test_condition_values_that_are_booleans_or_numbers_compare_as_their_text():
    assert explain(request_file({"Bool": {"aws:SecureTransport": True}})) == 0
    assert explain(request_file({"Bool": {"aws:SecureTransport": False}})) == 1
    assert explain(request_file({"NumericLessThan": {"s3:max-keys": 10}}, {"s3:max-keys": 5})) == 0
    assert explain(request_file({"StringEquals": {"s3:max-keys": [5, 6]}}, {"s3:max-keys": "5"})) == 0
    policy = parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Condition": {"Bool": {"k": True}}}]}, "p")
    assert policy.statements[0].condition == {"Bool": {"k": ["true"]}}


def test_request_file_keys_of_the_wrong_type_are_named():
    assert refused(request_file(resource=["x"])) == "resource: a string is expected, not a list"
    assert refused(request_file(resourceAccount=111111111111)) == "resourceAccount: a string is expected, not a number"
    assert refused(request_file(resourceKind=["kms"])) == "resourceKind: a string is expected, not a list"
    assert refused(request_file(resourceKind="bucket")).startswith("resourceKind: one of resource, trust, kms")
    assert refused(request_file(resourcePolicy={})) == "resourcePolicy: resourcePolicy: the policy has no Statement"
    assert refused(request_file(context=[1])) == "context: a map of condition keys to values is expected, not a list"


def test_a_lone_surrogate_is_shown_escaped():
    data = json.dumps(request_file()).replace("s3:GetObject", "s3:GetObject\\ud800", 1).encode()  # the request's
    assert explain(data) == 2  # an action IAM does not have, named in the refusal


# --- the linear-time glob agrees with a regular expression on small inputs ------------------------
def reference(pattern: str, value: str, ignore_case: bool = False) -> bool:
    """IAM's wildcards as a backtracking regular expression (fine for small inputs)."""
    parts = []
    for token in re.split("(\x00STAR\x00|\x00QMARK\x00)", pattern):
        if token in (LITERAL_STAR, LITERAL_QMARK):
            parts.append(re.escape("*" if token == LITERAL_STAR else "?"))
        else:
            parts.extend(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in token)
    flags = re.DOTALL | (re.IGNORECASE if ignore_case else 0)
    return re.fullmatch("".join(parts), value, flags) is not None


TABLE = [
    ("*", "", True), ("", "", True), ("", "a", False), ("?", "", False), ("?", "a", True), ("a*", "a", True),
    ("*a", "ba", True), ("*a", "ab", False), ("a*b*c", "abc", True), ("a*b*c", "acb", False),
    ("a*b?c", "abxc", True), ("a*b?c", "abc", False), ("*ab*ab*", "abab", True), ("*ab*ab*", "aba", False),
    ("a?b*", "a\nb", True), ("**", "x", True), ("*?*", "", False), ("a" + LITERAL_STAR, "a*", True),
    ("a" + LITERAL_STAR, "ab", False), (LITERAL_QMARK + "*", "?x", True), (LITERAL_QMARK, "x", False),
]


@pytest.mark.parametrize("pattern, value, expected", TABLE)
def test_glob_table(pattern, value, expected):
    assert glob(pattern, value) is expected
    assert reference(pattern, value) is expected


PATTERN_PIECES = st.sampled_from(["a", "b", "A", "*", "?", "ab", LITERAL_STAR, LITERAL_QMARK])


@settings(max_examples=500, deadline=None)
@given(pattern=st.lists(PATTERN_PIECES, max_size=8).map("".join),
       value=st.text(alphabet="abAB*?", max_size=10), ignore_case=st.booleans())
def test_glob_agrees_with_the_reference(pattern, value, ignore_case):
    assert glob(pattern, value, ignore_case=ignore_case) == reference(pattern, value, ignore_case)


def test_a_policy_name_longer_than_iam_allows_is_refused():
    data = {**request_file(), "identityPolicies": [{"name": "n" * 129, "document": {"Statement": []}}]}
    assert refused(data) == "identityPolicies[0].name: at most 128 characters, IAM's limit for a policy name"
