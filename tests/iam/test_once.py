"""One decision without compiling (`xacct explain`): patterns matched as written agree with the
compiled matchers, statements are made only when an action reaches them, and the budget refuses
the request files whose reading or matching would be slow, before doing it."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.iam.test_robustness import PATTERN_PIECES, reference
from xacct.iam import Caller, PolicySet, Request, evaluate, parse_policy
from xacct.iam.conditions import compile_key_test
from xacct.iam.request_file import RequestFileError, load_request
from xacct.iam.wildcards import ArnPattern, arn_match_once, match_once, split_arn

A = "111111111111"
USER = f"arn:aws:iam::{A}:user/alice"


@settings(max_examples=500, deadline=None)
@given(pattern=st.lists(PATTERN_PIECES, max_size=8).map("".join),
       value=st.text(alphabet="abAB*?", max_size=10), ignore_case=st.booleans())
def test_a_pattern_matched_once_agrees_with_the_reference(pattern, value, ignore_case):
    folded = value.lower() if ignore_case else value  # match_once takes the value folded already
    assert match_once(pattern, folded, ignore_case) == reference(pattern, value, ignore_case)


ARN_PIECES = st.sampled_from(["arn", "aws", "s3", "us-east-1", A, "*", "?", ":", "b", "/", "x"])


@settings(max_examples=500, deadline=None)
@given(pattern=st.lists(ARN_PIECES, max_size=12).map("".join), arn=st.lists(ARN_PIECES, max_size=12).map("".join))
def test_an_arn_pattern_matched_once_agrees_with_the_compiled_one(pattern, arn):
    assert arn_match_once(pattern, arn, split_arn(arn)) == ArnPattern(pattern).match(arn)


def test_a_like_condition_gives_the_same_answer_as_written_and_compiled():
    test = compile_key_test("StringLike", "k", ["a*", "*b?", "c"] + [f"x{i}*" for i in range(100)])
    for have in ("ab", "xbz", "c", "x7y", "zzz", "a", "bb") * 2:  # the first test matches as written, later ones compiled
        assert test.holds({"k": [have]}) == reference_like(have)


def reference_like(have: str) -> bool:
    return any(reference(p, have) for p in ["a*", "*b?", "c"] + [f"x{i}*" for i in range(100)])


def test_statements_are_made_when_the_action_reaches_them():
    policy = parse_policy({"Statement": [{"Effect": "Allow", "Action": f"s3:Op{i}", "Resource": "*"}
                                         for i in range(1000)]}, "p")
    reached = policy.statements_for("s3:op7")
    assert [s.index for s in reached] == [7]
    assert policy.statements[7] is reached[0]  # one Statement, whichever way it was asked for
    assert len(policy.statements) == 1000 and policy.statements[999].actions == ("s3:Op999",)
    assert policy == parse_policy(policy.document, "p")


def request_file(statements, **extra) -> bytes:
    data = {"principal": USER, "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k",
            "identityPolicies": [{"Statement": statements}], **extra}
    return json.dumps(data).encode()


def refusal(data: bytes) -> str:
    with pytest.raises(RequestFileError) as caught:
        load_request(data)
    return str(caught.value)


def test_a_question_mark_segment_between_stars_is_counted_and_refused():
    # each place of the value may compare every piece: 4,000 pieces (a pattern within IAM's size
    # limit for a policy) x 500,000 places of a long request value
    data = request_file([{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::*" + "a?" * 4_000 + "c*"}],
                        resource="arn:aws:s3:::" + "a" * 500_000 + "c")
    assert refusal(data).startswith("identityPolicies[0]: the request needs about")


def test_a_pattern_of_many_stars_within_the_size_limit_is_decided():
    """A star-separated pattern is matched piece by piece, left to right, in one pass of the value:
    the most stars a policy of IAM's size can hold decide on a 300,000-character value."""
    data = request_file([{"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::" + "*a" * 4_000 + "*"}],
                        resource="arn:aws:s3:::" + "a" * 300_000)
    request, policies = load_request(data)
    assert evaluate(request, policies, once=True).allowed


def test_a_statement_the_action_does_not_reach_costs_nothing_to_match():
    heavy = {"Effect": "Allow", "Action": "ec2:RunInstances",
             "Resource": "arn:aws:s3:::*" + "a?" * 4_000 + "c*"}
    request, policies = load_request(request_file([heavy, {"Effect": "Allow", "Action": "s3:*", "Resource": "*"}],
                                                  resource="arn:aws:s3:::" + "a" * 200_000))
    assert evaluate(request, policies, once=True).allowed


def test_a_policy_larger_than_aws_accepts_is_refused_with_the_limit():
    """IAM's quotas: a role's inline policies 10,240 characters in all, white space not counted."""
    statement = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/" + "k" * 10_300}
    assert refusal(request_file([statement])).startswith(
        "identityPolicies[0]: 10,3") and "AWS accepts at most 10,240 in an identity policy" in refusal(
        request_file([statement]))
    spaced = {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*", "Sid": "a" + " " * 20_000}
    request, policies = load_request(request_file([spaced]))  # white space is not counted
    assert evaluate(request, policies, once=True).allowed


def test_too_many_policies_are_refused_before_they_are_read():
    data = json.dumps({"principal": USER, "action": "s3:GetObject",
                       "identityPolicies": [{"Statement": {"Effect": "Allow", "Action": "*"}}] * 20_000}).encode()
    assert refusal(data).startswith("identityPolicies: 20,000 policies; a request may bring at most")


def test_a_context_key_of_many_numbers_is_kept_and_read_when_a_condition_asks():
    numbers = list(range(60_000))
    statement = {"Effect": "Allow", "Action": "s3:*", "Resource": "*",
                 "Condition": {"ForAnyValue:StringEquals": {"n": "59999"}}}
    request, policies = load_request(request_file([statement], context={"n": numbers, "unread": numbers}))
    assert evaluate(request, policies, once=True).allowed


@pytest.mark.parametrize("once", [True, False])
def test_both_ways_decide_alike_on_a_resource_policy(once):
    resource = parse_policy({"Statement": [
        {"Effect": "Allow", "Principal": {"AWS": [f"arn:aws:iam::{A}:user/u{i}" for i in range(100)] + [USER]},
         "Action": "s3:Get*", "Resource": "arn:aws:s3:::b/*"},
        {"Effect": "Deny", "NotPrincipal": {"AWS": A}, "Action": "s3:*", "Resource": "arn:aws:s3:*:*:b/secret*"}]},
        "bucket")
    allowed = evaluate(Request(Caller(USER), "s3:GetObject", "arn:aws:s3:::b/k", A), PolicySet(resource=resource),
                       once=once)
    assert (allowed.decision, allowed.layer) == ("allowed", "resource")
    other = Caller("arn:aws:iam::222222222222:user/bob")
    denied = evaluate(Request(other, "s3:GetObject", "arn:aws:s3:::b/secret1", A), PolicySet(resource=resource),
                      once=once)
    assert (denied.decision, denied.statements[0].index) == ("explicitDeny", 1)
