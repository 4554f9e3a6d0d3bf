"""The request file of `xacct explain --request FILE`: one request and every policy that applies.

    {"principal": "arn:aws:iam::111111111111:user/alice",   # an ARN, a service principal, or "*"
     "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "222222222222",
     "context": {"aws:MultiFactorAuthPresent": "true"},
     "identityPolicies": [POLICY, ...], "resourcePolicy": POLICY, "permissionsBoundaries": [POLICY],
     "sessionPolicy": POLICY, "scps": [[POLICY, ...], ...], "rcps": [[POLICY, ...], ...],
     "managementAccount": "999999999999"}   # SCPs spare its principals, RCPs its resources

A POLICY is a policy document, or {"name": "...", "document": {...}} to give it a name. A context
value is a string, a number or a boolean (compared as "5", "true"), or a list of them; the
request keeps them as given, and a condition reads them as text.

Every key is checked for its type, so that a file gives either a decision or a RequestFileError
that names the key; the JSON itself is read by json_text (size, encoding, depth, huge numbers),
and the matching a decision would take is counted first (budget.py).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .action_names import unknown_action
from .budget import MAX_WORK, POLICY_UNITS, work
from .evaluate import PolicySet, Request
from .json_text import JsonTextError, loads
from .policy import Policy, PolicyError, parse_policy, shown
from .principals import Caller
from .scalars import as_text, kind

KEYS = {"principal", "action", "resource", "resourceAccount", "context", "identityPolicies", "resourcePolicy",
        "permissionsBoundaries", "sessionPolicy", "scps", "rcps", "resourceKind", "principalRoleArn",
        "managementAccount"}
RESOURCE_KINDS = ("resource", "trust", "kms")
MAX_NAME = 128  # "IAM and AWS STS quotas": policy names


class RequestFileError(ValueError):
    """What is wrong with the file, and where (a key path)."""


# The largest policy each place accepts, in characters without white space, as AWS counts them:
# "IAM and AWS STS quotas" (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html):
# a role's inline policies 10,240 in all (the largest identity policy), a managed policy (so a
# permissions boundary) 6,144, a trust policy 2,048 (4,096 once raised), a session policy 2,048;
# SCPs and RCPs 5,120 (Organizations quotas); a bucket policy 20 KB (S3), a key policy 32 KB (KMS).
# A file holding a larger one describes a request AWS never decides.
LARGEST = {"identity": 10_240, "boundary": 6_144, "session": 2_048, "organization": 5_120,
           "trust": 4_096, "resource": 20_480, "kms": 32_768}
PLACE_NAMES = {"identity": "an identity policy", "boundary": "a permissions boundary", "session": "a session policy",
               "organization": "an SCP or RCP", "trust": "a trust policy", "resource": "a resource-based policy",
               "kms": "a key policy"}


def _size(document: Any) -> int:
    """A policy's size as AWS counts it: its JSON without white space (the C encoder, then C-level
    counts, so a 1 MiB policy costs milliseconds)."""
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False, default=str)
    return len(text) - sum(text.count(space) for space in " \t\n\r")


def _policy(value: Any, where: str, *, identity: bool = False, place: str) -> Policy:
    name = where
    if isinstance(value, dict) and "document" in value and "Statement" not in value:
        name, value = value.get("name", where), value["document"]
        if not isinstance(name, str):
            raise RequestFileError(f"{where}.name: a string is expected, not {kind(name)}")
        if len(name) > MAX_NAME:
            raise RequestFileError(f"{where}.name: at most {MAX_NAME} characters, IAM's limit for a policy name")
    size, largest = _size(value), LARGEST[place]
    if size > largest:
        raise RequestFileError(f"{where}: {size:,} characters (without white space); AWS accepts at most "
                               f"{largest:,} in {PLACE_NAMES[place]}")
    try:
        return parse_policy(value, name, identity=identity)
    except PolicyError as exc:
        raise RequestFileError(f"{where}: {exc}") from None


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise RequestFileError(f"{key}: a list is expected, not {kind(value)}")
    return value


def _text(data: dict, key: str, *, required: bool = False) -> str | None:
    value = data.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value):
        raise RequestFileError(f"{key}: a string is required" if required else
                               f"{key}: a string is expected, not {kind(value)}")
    return value


_SCALARS = {str, int, float, bool, Decimal}  # what JSON gives for a string, a number or a boolean


def _context(value: Any) -> dict[str, list]:
    """Condition keys to their values, as the file gives them: RequestContext reads a key's values
    as text when a condition asks, so that a key of 500,000 numbers no statement reads costs no
    more than its check, a C-level look at the types."""
    if not isinstance(value, dict):
        raise RequestFileError(f"context: a map of condition keys to values is expected, not {kind(value)}")
    context = {}
    for key, values in value.items():
        items = values if isinstance(values, list) else [values]
        if not set(map(type, items)) <= _SCALARS:
            for position, item in enumerate(items):
                if as_text(item) is None:
                    at = f"[{position}]" if isinstance(values, list) else ""
                    raise RequestFileError(f"context: {shown(key)}{at} is {kind(item)}; a context value is a "
                                           "string, a number, a boolean, or a list of them")
        context[key] = items
    return context


def _levels(data: dict, key: str) -> list[list[Policy]]:
    """SCPs or RCPs: levels of the organization, root first, each a list of policies."""
    levels = []
    for depth, level in enumerate(_list(data, key)):
        if not isinstance(level, list):
            raise RequestFileError(f"{key}[{depth}]: each organization level is a list of policies")
        levels.append([_policy(p, f"{key}[{depth}][{i}]", place="organization") for i, p in enumerate(level)])
    return levels


def _count_policies(data: dict) -> None:
    """Refuse a file of more policies than a decision may read (POLICY_UNITS each), before
    reading any: 20,000 policies of one statement fit in 1 MiB, and reading them takes longer
    than deciding on what they say."""
    counts = {key: len(data[key]) for key in ("identityPolicies", "permissionsBoundaries")
              if isinstance(data.get(key), list)}
    for key in ("scps", "rcps"):
        if isinstance(data.get(key), list):
            counts[key] = sum(len(level) for level in data[key] if isinstance(level, list))
    total = sum(counts.values()) + 2
    if total * POLICY_UNITS > MAX_WORK:
        most = max(counts, key=counts.__getitem__)
        raise RequestFileError(f"{most}: {counts[most]:,} policies; a request may bring at most "
                               f"{MAX_WORK // POLICY_UNITS - 2:,} in all, more than IAM applies to any one request")


def load_request(source: str | bytes) -> tuple[Request, PolicySet]:
    """The request and its policies from the file's bytes (or text); RequestFileError otherwise."""
    try:
        data = loads(source)
    except JsonTextError as exc:
        raise RequestFileError(str(exc)) from None
    if not isinstance(data, dict):
        raise RequestFileError(f"the file holds one JSON object, not {kind(data)}")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise RequestFileError(f"unknown key {shown(unknown[0])} (known: {', '.join(sorted(KEYS))})")
    _count_policies(data)
    principal, action = _text(data, "principal", required=True), _text(data, "action", required=True)
    unknown = unknown_action(action)
    if unknown:
        raise RequestFileError(f"action: {unknown}")
    resource = _text(data, "resource")
    kind_given = _text(data, "resourceKind")
    if kind_given and kind_given not in RESOURCE_KINDS:
        raise RequestFileError(f"resourceKind: one of {', '.join(RESOURCE_KINDS)}, not {shown(kind_given)}")
    resource_kind = kind_given or ("trust" if action.lower().startswith("sts:assumerole")
                                   else "kms" if action.lower().startswith("kms:") else "resource")
    context = _context(data.get("context", {}))
    policies = PolicySet(
        identity=[_policy(p, f"identityPolicies[{i}]", identity=True, place="identity")
                  for i, p in enumerate(_list(data, "identityPolicies"))],
        resource=_policy(data["resourcePolicy"], "resourcePolicy", place=resource_kind)
        if data.get("resourcePolicy") is not None else None,
        boundaries=[_policy(p, f"permissionsBoundaries[{i}]", identity=True, place="boundary")
                    for i, p in enumerate(_list(data, "permissionsBoundaries"))],
        session=_policy(data["sessionPolicy"], "sessionPolicy", identity=True, place="session")
        if data.get("sessionPolicy") is not None else None,
        scps=_levels(data, "scps"), rcps=_levels(data, "rcps"), resource_kind=resource_kind,
        management_account=_text(data, "managementAccount"),
    )
    request = Request(Caller(principal, _text(data, "principalRoleArn")), action,
                      "*" if resource is None else resource, _text(data, "resourceAccount"), context)
    units, heaviest = work(request, policies)
    if units > MAX_WORK:
        raise RequestFileError(f"{heaviest}: the request needs about {units:,} units of matching (comparisons of "
                               f"policy values with request values, characters scanned, statements read), more "
                               f"than the {MAX_WORK:,} a decision may take; this policy needs the most")
    return request, policies
