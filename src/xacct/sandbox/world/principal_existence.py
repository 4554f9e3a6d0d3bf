"""Principals a world's policies name that the world does not have. IAM resolves a role or user
ARN in a trust policy when the policy is saved, and refuses one that does not exist with
MalformedPolicyDocument "Invalid principal in policy" ("IAM JSON policy elements: Principal",
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html:
"If the principal ... is deleted ... you can't save a policy that references the ARN"); S3 and
KMS refuse the same in bucket and key policies. In a world every account's roles and users are
written down, so a name that is not there, in an account of the world, is an error at its place.
Accounts outside the world are not judged: the world does not say what they hold."""

from __future__ import annotations

import json
from typing import Any, Iterator

Path = tuple
# what each service answers when a policy names a principal that does not exist
REFUSALS = {"roles": "MalformedPolicyDocument: Invalid principal in policy",
            "buckets": "MalformedPolicy: Invalid principal in policy",
            # SQS refuses the Policy attribute as a whole; SNS names the principal it cannot find
            "queues": "InvalidAttributeValue: Invalid value for the parameter Policy.",
            "topics": "InvalidParameter: Invalid parameter: Policy Error: PrincipalNotFound",
            "kmsKeys": "MalformedPolicyDocumentException: Policy contains a statement with one or more invalid "
                       "principals."}


def _names(account_spec: dict) -> dict[str, set[str]]:
    iam = (account_spec or {}).get("iam") or {}
    return {"role": set((iam.get("roles") or {}).keys()), "user": set((iam.get("users") or {}).keys())}


def _policies(data: dict) -> Iterator[tuple[Path, Any]]:
    """Each policy of the world that names principals, with its path."""
    for account, spec in (data.get("accounts") or {}).items():
        if not isinstance(spec, dict):
            continue
        for name, role in (((spec.get("iam") or {}).get("roles")) or {}).items():
            if isinstance(role, dict) and role.get("trust") is not None:
                yield ("accounts", account, "iam", "roles", name, "trust"), role["trust"]
        for region, resources in (spec.get("regions") or {}).items():
            for kind in ("buckets", "kmsKeys", "queues", "topics"):
                for name, item in ((resources or {}).get(kind) or {}).items():
                    if isinstance(item, dict) and item.get("policy") is not None:
                        yield ("accounts", account, "regions", region, kind, name, "policy"), item["policy"]


def _principal_values(document: dict) -> Iterator[tuple[Path, str]]:
    raw = document.get("Statement")
    statements = [(("Statement", i), s) for i, s in enumerate(raw)] if isinstance(raw, list) else [(("Statement",), raw)]
    for where, statement in statements:
        if not isinstance(statement, dict):
            continue
        for element in ("Principal", "NotPrincipal"):
            value = statement.get(element)
            if not isinstance(value, dict):
                continue
            names = value.get("AWS")
            if isinstance(names, str):
                yield where + (element, "AWS"), names
            elif isinstance(names, list):
                for i, name in enumerate(names):
                    if isinstance(name, str):
                        yield where + (element, "AWS", i), name


def _missing(arn: str, worlds: dict[str, dict[str, set[str]]]) -> str | None:
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[2] != "iam" or parts[4] not in worlds:
        return None
    kind, _, rest = parts[5].partition("/")
    if kind not in ("role", "user") or not rest:
        return None
    name = rest.rsplit("/", 1)[-1]
    known = worlds[parts[4]][kind]
    # a service-linked role (AWSServiceRoleFor...) is made by AWS when its service needs it
    if name in known or (kind == "role" and name.startswith("AWSServiceRoleFor")):
        return None
    return f"no {kind} {name} in account {parts[4]} of this world"


def unknown_principals(data: dict) -> list[tuple[Path, str, bool]]:
    """(path, message, inside) of each principal that names a role or user the world lacks;
    `inside` is False when the policy is a JSON string (its parts have no place of their own)."""
    worlds = {str(account): _names(spec) for account, spec in (data.get("accounts") or {}).items()
              if isinstance(spec, dict) or spec is None}
    found = []
    for path, policy in _policies(data):
        document, inside = policy, True
        if isinstance(policy, str):
            try:
                document, inside = json.loads(policy), False
            except ValueError:
                continue
        if not isinstance(document, dict):
            continue
        refusal = REFUSALS[path[-3]]  # roles, buckets, kmsKeys, queues or topics
        for where, arn in _principal_values(document):
            why = _missing(arn, worlds)
            if why:
                found.append((path + where if inside else path, f"{refusal} ({arn}: {why})", inside))
    return found
