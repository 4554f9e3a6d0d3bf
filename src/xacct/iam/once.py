"""Matching a statement as it is written, for a decision made once.

The sandbox gate decides the same policies again and again, so it compiles a statement the first
time a request reaches it (matchers.py) and pays nothing more afterwards. `xacct explain` makes
one decision: there, building matchers costs more than the matching itself (a set, a tuple of
prefixes and a Glob per pattern, for a pattern compared once), so each pattern is compared where
it stands, with the same wildcard semantics (wildcards.match_once). Which statements an action
reaches is found this way for both, since a policy remembers the answer per action.
"""

from __future__ import annotations

from .matchers import variable_arn_matches
from .principals import Caller, account_named
from .wildcards import arn_match_once, match_once


def covers(statement, action: str) -> bool:
    """Whether the statement is about `action` (lowercased): its Action matches, or its
    NotAction does not. Actions ignore case."""
    actions = statement.actions
    return _any_action(actions or statement.not_actions, action) == bool(actions)


def covers_element(item: dict, action: str, seen: dict[str, bool] | None = None) -> bool:
    """`covers` for a statement still in its JSON object, checked (policy._plain). `seen`
    remembers what a single pattern gave, for a policy that repeats one over its statements."""
    value = item.get("Action")
    negated = value is None
    if negated:
        value = item["NotAction"]
    if type(value) is str:
        hit = None if seen is None else seen.get(value)
        if hit is None:
            hit = _any_action((value,), action)
            if seen is not None:
                seen[value] = hit
    else:
        hit = _any_action(value, action)
    return hit != negated


def _any_action(patterns, action: str) -> bool:
    for pattern in patterns:
        if "*" in pattern or "?" in pattern:
            if pattern == "*" or match_once(pattern, action, ignore_case=True):
                return True
        elif pattern.lower() == action:
            return True
    return False


def matches_resource(statement, resource: str, parts: list[str] | None, context) -> bool:
    """Whether the statement's Resource names `resource` (NotResource: does not); a statement
    without either (a trust policy's) names any. `parts`: split_arn(resource)."""
    patterns = statement.resources or statement.not_resources
    if not patterns:
        return True
    return _any_resource(patterns, resource, parts, context) != bool(statement.not_resources)


def _any_resource(patterns, resource: str, parts, context) -> bool:
    for pattern in patterns:
        if pattern == resource or pattern == "*":
            return True
        if "${" in pattern:
            if variable_arn_matches(pattern, resource, parts, context):
                return True
        elif "*" in pattern or "?" in pattern:
            # an ARN pattern compares segment by segment with an ARN, so that a wildcard in the
            # Region does not reach into the account
            if arn_match_once(pattern, resource, parts):
                return True
    return False


def names(statement, caller: Caller) -> str | None:
    """How a resource-based statement names the caller ("everyone", "caller", "account"), or
    None (principals.PrincipalMatcher, without building it)."""
    if statement.principal is not None:
        return _named(statement.principal, caller)
    if statement.not_principal is not None:
        return None if _named(statement.not_principal, caller) is not None else "everyone"
    return None  # a resource-based statement without a principal names nobody


def _named(principal, caller: Caller) -> str | None:
    if principal == "*":
        return "everyone"
    if caller.is_service:
        return "caller" if caller.arn in _texts(principal.get("Service")) else None
    anonymous, own = caller.is_anonymous, caller.account
    for name in _texts(principal.get("AWS")):
        if name == "*":
            return "everyone"
        if anonymous:
            continue
        # a name that holds the caller's account may name it (an account ID or its root); any
        # other account's name names nobody here, and is no ARN of the caller either
        if own is not None and own in name and account_named(name) == own:
            return "caller" if caller.kind == "root" else "account"
        if name == caller.arn or name == caller.principal_arn:
            return "caller"
    if caller.kind == "federated" and caller.arn in _texts(principal.get("Federated")):
        return "caller"
    return None


def _texts(value) -> list:
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []
