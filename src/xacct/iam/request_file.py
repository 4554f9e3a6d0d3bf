"""The request file of `xacct explain --request FILE`: one request and every policy that applies.

    {"principal": "arn:aws:iam::111111111111:user/alice",   # an ARN, a service principal, or "*"
     "action": "s3:GetObject", "resource": "arn:aws:s3:::b/k", "resourceAccount": "222222222222",
     "context": {"aws:MultiFactorAuthPresent": "true"},
     "identityPolicies": [POLICY, ...], "resourcePolicy": POLICY, "permissionsBoundaries": [POLICY],
     "sessionPolicy": POLICY, "scps": [[POLICY, ...], ...], "rcps": [[POLICY, ...], ...]}

A POLICY is a policy document, or {"name": "...", "document": {...}} to give it a name.
"""

from __future__ import annotations

import json
from typing import Any

from .evaluate import PolicySet, Request
from .policy import Policy, PolicyError, parse_policy
from .principals import Caller

KEYS = {"principal", "action", "resource", "resourceAccount", "context", "identityPolicies", "resourcePolicy",
        "permissionsBoundaries", "sessionPolicy", "scps", "rcps", "resourceKind", "principalRoleArn"}


class RequestFileError(ValueError):
    """What is wrong with the file, and where (a key path)."""


def _policy(value: Any, where: str) -> Policy:
    name = where
    if isinstance(value, dict) and "document" in value and "Statement" not in value:
        name, value = str(value.get("name", where)), value["document"]
    try:
        return parse_policy(value, name)
    except PolicyError as exc:
        raise RequestFileError(f"{where}: {exc}") from None


def _list(data: dict, key: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise RequestFileError(f"{key}: a list is expected")
    return value


def load_request(text: str) -> tuple[Request, PolicySet]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise RequestFileError(f"line {exc.lineno}, column {exc.colno}: not valid JSON: {exc.msg}") from None
    if not isinstance(data, dict):
        raise RequestFileError("the file holds one JSON object")
    unknown = sorted(set(data) - KEYS)
    if unknown:
        raise RequestFileError(f"unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    for key in ("principal", "action"):
        if not isinstance(data.get(key), str) or not data[key]:
            raise RequestFileError(f"{key}: a string is required")
    context = data.get("context", {})
    if not isinstance(context, dict) or not all(isinstance(v, (str, list)) for v in context.values()):
        raise RequestFileError("context: a map of condition keys to a string or a list of strings")
    action = data["action"]
    kind = data.get("resourceKind") or ("trust" if action.lower().startswith("sts:assumerole")
                                        else "kms" if action.lower().startswith("kms:") else "resource")
    levels = {}
    for key in ("scps", "rcps"):
        levels[key] = []
        for depth, level in enumerate(_list(data, key)):
            if not isinstance(level, list):
                raise RequestFileError(f"{key}[{depth}]: each organization level is a list of policies")
            levels[key].append([_policy(p, f"{key}[{depth}][{i}]") for i, p in enumerate(level)])
    policies = PolicySet(
        identity=[_policy(p, f"identityPolicies[{i}]") for i, p in enumerate(_list(data, "identityPolicies"))],
        resource=_policy(data["resourcePolicy"], "resourcePolicy") if data.get("resourcePolicy") else None,
        boundaries=[_policy(p, f"permissionsBoundaries[{i}]")
                    for i, p in enumerate(_list(data, "permissionsBoundaries"))],
        session=_policy(data["sessionPolicy"], "sessionPolicy") if data.get("sessionPolicy") else None,
        scps=levels["scps"], rcps=levels["rcps"], resource_kind=kind,
    )
    request = Request(Caller(data["principal"], data.get("principalRoleArn")), action,
                      str(data.get("resource", "*")), data.get("resourceAccount"),
                      {k: v if isinstance(v, list) else [v] for k, v in context.items()})
    return request, policies
