"""Local IAM judgements on policies doctor has read: the same evaluator the sandbox's gate uses."""

from __future__ import annotations

import json
from dataclasses import replace

from ..iam import Caller, Decision, Policy, PolicySet, Request, evaluate, parse_policy

ALLOW_ALL = parse_policy({"Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]},
                         "(assumed allowed)")


def session_of(role_arn: str, name: str = "xacct-doctor") -> Caller:
    """A session of a role, as the caller of a request."""
    head, _, role = role_arn.partition(":role/")
    return Caller(head.replace(":iam:", ":sts:") + ":assumed-role/" + role.rsplit("/", 1)[-1] + "/" + name,
                  role_arn)


def trusts(trust: Policy | None, caller: Caller, role_arn: str, context: dict | None = None) -> Decision:
    """Whether a role's trust policy alone lets `caller` assume it (the caller's own permissions
    assumed)."""
    request = Request(caller, "sts:AssumeRole", role_arn, role_arn.split(":")[4], context or {})
    identity = [] if caller.is_service else [ALLOW_ALL]
    return evaluate(request, PolicySet(identity=identity, resource=trust, resource_kind="trust"))


def trust_naming(principal_arn: str) -> Policy:
    """A trust policy that names the principal: to judge the principal's own side alone."""
    return parse_policy({"Statement": [{"Effect": "Allow", "Principal": {"AWS": principal_arn},
                                        "Action": "sts:AssumeRole"}]}, "(trust assumed)")


def relaxed(policies: list[Policy]) -> list[Policy]:
    """For a resource unknown before the run: every Allow as if it named any resource, and only
    the Denies of every resource kept. A deny then means no policy allows the action anywhere."""
    out = []
    for policy in policies:
        statements = []
        for statement in policy.statements:
            if statement.effect == "Allow":
                if statement.not_resources:
                    statement = replace(statement, not_resources=(), resources=("*",))
                else:
                    statement = replace(statement, resources=("*",))
            elif statement.resources != ("*",):
                continue
            statements.append(statement)
        out.append(Policy(policy.name, tuple(statements), policy.document))
    return out


def compact(statement: dict) -> str:
    return json.dumps(statement, separators=(",", ":"))


def policy_json(*statements: dict) -> str:
    return compact({"Version": "2012-10-17", "Statement": list(statements)})


def with_statement(document: dict | None, statement: dict) -> dict:
    """A policy document with `statement` added at the end (a new one when there is none)."""
    document = document or {"Version": "2012-10-17", "Statement": []}
    current = document.get("Statement", [])
    return {**document, "Version": document.get("Version", "2012-10-17"),
            "Statement": (current if isinstance(current, list) else [current]) + [statement]}
