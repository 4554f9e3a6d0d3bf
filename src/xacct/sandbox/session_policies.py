"""Session policies: what AssumeRole's `Policy` (inline) and `PolicyArns` (managed) pass to the
session they make. A session may do only what both the role's identity policies and its session
policies allow; session policies grant nothing themselves, and an explicit Deny in one denies.
The inline policy and the managed ones are the session's policies together, so a statement of any
of them can allow ("Session policies",
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).

Managed session policies must exist in the role's account (or be AWS managed), as STS's AssumeRole
page says; one that is not there brings no statement, so the session can do nothing through it."""

from __future__ import annotations

import json

from ..iam import Policy, PolicyError, parse_policy
from . import managed_policies, policies

# STS's MalformedPolicyDocument texts: JSON it cannot read, and a policy IAM's grammar refuses.
NOT_JSON = "The policy is not in the valid JSON format."
SYNTAX = "Syntax errors in policy."


class MalformedSessionPolicy(ValueError):
    """The inline session policy is not a policy STS accepts; the message is STS's."""


def inline(params: dict) -> tuple[Policy, dict] | None:
    """The inline session policy of an AssumeRole call and its document, checked as STS checks
    it before anything else; None when the call passes none. Raises MalformedSessionPolicy."""
    text = params.get("Policy")
    if text is None or text == "":
        return None
    if not isinstance(text, str):
        raise MalformedSessionPolicy(NOT_JSON)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than Python reads
        raise MalformedSessionPolicy(NOT_JSON) from None
    try:
        return parse_policy(document, "inline session policy", identity=True), document
    except (PolicyError, RecursionError):
        raise MalformedSessionPolicy(SYNTAX) from None


def of_call(params: dict, role_account: str) -> Policy | None:
    """The session's policies (inline and managed together) as one policy, or None when the call
    passed none: a session without session policies is limited by its role alone."""
    arns = [item.get("arn") for item in params.get("PolicyArns") or () if isinstance(item, dict)]
    found = [inline(params)] + [_managed(arn, role_account) for arn in arns if isinstance(arn, str)]
    if found[0] is None and not arns:
        return None
    statements, raw = [], []
    for policy, document in filter(None, found):
        statements += policy.statements
        raw += document["Statement"] if isinstance(document["Statement"], list) else [document["Statement"]]
    names = (["inline session policy"] if found[0] is not None else []) + [
        f"managed session policy {arn.rsplit('/', 1)[-1]}" for arn in arns if isinstance(arn, str)]
    return Policy(", ".join(names), statements, {"Version": "2012-10-17", "Statement": raw})


def _managed(arn: str, role_account: str) -> tuple[Policy, dict] | None:
    if managed_policies.is_aws_managed(arn):
        if not managed_policies.ensure(role_account, arn):
            return None
    elif arn.split(":")[4:5] != [role_account]:
        return None  # "The policies must exist in the same account as the role."
    return policies.managed_policy(role_account, arn, f"managed session policy {arn.rsplit('/', 1)[-1]}")
