"""The fix for a permission that a principal lacks, at the layer that lacks it.

An implicit deny has one cause per layer: no identity-based policy allows the action, the
permissions boundary does not, or an SCP level does not ("Policy evaluation logic", IAM User
Guide: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
An inline policy cannot widen a boundary, so each layer gets its own change: an inline policy for
the identity layer; a new default version of the boundary's customer managed policy; for an SCP
allow-list, the policy at the OU that lacks the action, named by its path. The layers are fixed in
turn, on a copy of the policies, until the request would be allowed, so that one finding's fix is
the whole fix.

AWS managed policies cannot be changed by anyone ("AWS managed policies", IAM User Guide:
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html#aws-managed-policies),
so a boundary that is one gets a fix that says so and replaces it with a customer managed copy.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Callable

from ..iam import PolicySet, Request, evaluate, parse_policy
from .judge import compact, policy_json, with_statement

MAX_VERSIONS = 5  # a managed policy keeps at most five versions (IAM quotas)


@dataclass
class Fix:
    text: str
    apply: Callable[[], None] | None
    layer: str  # identity, boundary, scp: the first layer changed


def aws_managed(arn: str) -> bool:
    return ":iam::aws:policy/" in arn


def permission_fix(reader, request: Request, policies: PolicySet, *, account: str, kind: str, name: str,
                   statement: dict, policy_name: str, judged_as: dict | None = None, found=None,
                   principal_arn: str = "") -> Fix:
    """The changes that would let `request` through `policies`, layer by layer. `kind`/`name`
    are the principal's (role or user) in `account`; `statement` is the Allow to add;
    `judged_as`, the same Allow as the request is judged (Resource "*" when doctor cannot know
    the resource before the run); `found`, the resource's own policy (resource_policies.Found),
    changed for the principal `principal_arn` when it is the layer that lacks the Allow."""
    texts: list[str] = []
    applies: list[Callable[[], None]] = []
    first = ""
    can_apply = True
    fixed: set[str] = set()
    added = parse_policy(policy_json(judged_as or statement), "(the fix)")
    for _ in range(4):  # identity, boundary, and the SCP levels: each fixed once at most
        decision = evaluate(request, policies)
        if decision.allowed or decision.decision != "implicitDeny":
            break
        layer = decision.missing or decision.layer
        if layer in fixed:
            break  # the change would not be enough (a resource doctor cannot name): say what it knows
        fixed.add(layer)
        if layer.startswith("scp"):
            text = scp_fix(reader, account, int(layer.rsplit(" ", 1)[-1]) - 1, statement)
            texts.append(text)
            can_apply = False  # an SCP binds every account below it: changed by its owner, not doctor
            levels = [list(level) for level in policies.scps]
            levels[int(layer.rsplit(" ", 1)[-1]) - 1].append(added)
            policies = replace(policies, scps=levels)
        elif layer == "boundary":
            text, apply = boundary_fix(reader, account, kind, name, statement)
            texts.append(text)
            if apply is None:
                can_apply = False
            else:
                applies.append(apply)
            policies = replace(policies, boundaries=[*policies.boundaries, added])
        elif layer in ("resource", "kms") and found is not None:
            from .resource_policies import grant_statement

            grant = grant_statement(found, principal_arn, statement["Action"])
            text, apply = found.add(grant)
            texts.append(text)
            applies.append(apply)
            policies = replace(policies, resource=found.with_statement(grant))
        elif layer.startswith("rcp"):
            texts.append(f"allow {statement['Action']} in the RCPs above {request.resource_account} "
                         f"(organization {layer}), from the management account")
            can_apply = False
            levels = [list(level) for level in policies.rcps]
            levels[int(layer.rsplit(" ", 1)[-1]) - 1].append(parse_policy(
                {"Statement": [{**(judged_as or statement), "Principal": "*"}]}, "(the fix)"))
            policies = replace(policies, rcps=levels)
        elif layer == "identity" and kind in ("role", "user"):
            text, apply = identity_fix(reader, account, kind, name, statement, policy_name)
            texts.append(text)
            applies.append(apply)
            policies = replace(policies, identity=[*policies.identity, added])
        else:
            break
        first = first or layer.split(" ")[0]
    if not texts:
        principal = f"{kind} {name}"
        return Fix(f"add to the policies of {principal}: {policy_json(statement)}", None, "identity")

    def apply_all() -> None:
        for apply in applies:
            apply()
        reader.read.cache_clear()

    return Fix(" && ".join(texts), apply_all if can_apply and applies else None, first)


def identity_fix(reader, account: str, kind: str, name: str, statement: dict,
                 policy_name: str) -> tuple[str, Callable[[], None]]:
    verb, entity = {"role": ("put-role-policy --role-name", "RoleName"),
                    "user": ("put-user-policy --user-name", "UserName")}[kind]
    document = policy_json(statement)

    def apply() -> None:
        iam = reader.client("iam", account)
        put = iam.put_role_policy if kind == "role" else iam.put_user_policy
        put(**{entity: name, "PolicyName": policy_name, "PolicyDocument": document})

    return f"aws iam {verb} {name} --policy-name {policy_name} --policy-document '{document}'", apply


def boundary_fix(reader, account: str, kind: str, name: str, statement: dict) -> tuple[str, Callable[[], None] | None]:
    """A new default version of the boundary's policy with `statement` added; for an AWS managed
    boundary, which cannot change, a customer managed copy set as the boundary instead."""
    arn = reader.boundary_arn(account, kind, name)
    if arn is None:
        return f"the permissions boundary of {kind} {name} does not allow it", None
    document = with_statement(reader.managed_document(account, arn), statement)
    content = compact(document)
    if aws_managed(arn):
        copy = re.sub(r"[^A-Za-z0-9+=,.@_-]", "-", f"{name}-boundary")[:128]
        copy_arn = f"arn:{arn.split(':')[1]}:iam::{account}:policy/{copy}"
        return (f"the permissions boundary of {kind} {name} is the AWS managed policy {arn}, which cannot be "
                f"changed: aws iam create-policy --policy-name {copy} --policy-document '{content}' && "
                f"aws iam put-{kind}-permissions-boundary --{kind}-name {name} --permissions-boundary {copy_arn}"), None

    def apply() -> None:
        iam = reader.client("iam", account)
        versions = iam.list_policy_versions(PolicyArn=arn)["Versions"]
        if len(versions) >= MAX_VERSIONS:  # LimitExceeded otherwise: the oldest non-default goes
            oldest = min((v for v in versions if not v["IsDefaultVersion"]), key=lambda v: v["CreateDate"])
            iam.delete_policy_version(PolicyArn=arn, VersionId=oldest["VersionId"])
        iam.create_policy_version(PolicyArn=arn, PolicyDocument=content, SetAsDefault=True)

    return f"aws iam create-policy-version --policy-arn {arn} --policy-document '{content}' --set-as-default", apply


def scp_fix(reader, account: str, index: int, statement: dict) -> str:
    """The SCP at the level that lacks the action, by the OU's path and the policy's name."""
    levels = reader.scp_levels(account)
    if index >= len(levels):
        return f"allow {statement['Action']} in the SCPs above {account}"
    level = levels[index]
    # the allow-list: the first policy attached there that allows anything at all
    chosen = next((p for p in level.policies if any(s.get("Effect") == "Allow" for s in _statements(p.document))),
                  level.policies[0])
    content = compact(with_statement(chosen.document, statement))
    return (f"allow {statement['Action']} in SCP {chosen.name} attached to {level.where}, from the "
            f"management account: aws organizations update-policy --policy-id {chosen.id} --content '{content}'")


def scp_attachment(reader, account: str, policy_name: str) -> str | None:
    """Where the SCP named `policy_name` is attached above `account` (Root/Prod (ou-...))."""
    for level in reader.scp_levels(account):
        if any(p.name == policy_name for p in level.policies):
            return level.where
    return None


def _statements(document: dict) -> list[dict]:
    found = document.get("Statement", [])
    return [s for s in (found if isinstance(found, list) else [found]) if isinstance(s, dict)]
