"""Who is calling, and whether a resource-based policy's Principal names them ("AWS JSON policy
elements: Principal", IAM User Guide).

A caller is an IAM user, a role session (assumed role), a federated user, an account root, an
AWS service principal (`ssm.amazonaws.com`), or anonymous (`*`). A statement can name the caller
itself, its role (for a session), its account (which delegates the decision to that account's IAM
policies), or everyone (`*`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

ACCOUNT_ID = re.compile(r"[0-9]{12}")


@dataclass(frozen=True)
class Caller:
    """The derived properties are cached (a frozen dataclass's fields never change): a decision
    asks for them at every statement."""

    arn: str  # the request's principal: an ARN, a service principal, or "*"
    role_arn: str | None = None  # for a role session: the role's ARN (aws:PrincipalArn)

    @cached_property
    def is_service(self) -> bool:
        return not self.arn.startswith("arn:") and self.arn != "*"

    @cached_property
    def is_anonymous(self) -> bool:
        return self.arn == "*"

    @cached_property
    def account(self) -> str | None:
        parts = self.arn.split(":")
        return parts[4] if self.arn.startswith("arn:") and len(parts) > 5 else None

    @cached_property
    def kind(self) -> str:
        if self.is_anonymous:
            return "anonymous"
        if self.is_service:
            return "service"
        resource = self.arn.split(":", 5)[5] if self.arn.count(":") >= 5 else ""
        if resource == "root":
            return "root"
        if resource.startswith("assumed-role/"):
            return "session"
        if resource.startswith("federated-user/"):
            return "federated"
        return resource.split("/", 1)[0]  # "user" or "role"

    @cached_property
    def principal_arn(self) -> str:
        """aws:PrincipalArn: the role for a session, the caller itself otherwise."""
        if self.kind == "session":
            if self.role_arn:
                return self.role_arn
            partition, account = self.arn.split(":")[1], self.account
            role = self.arn.split(":", 5)[5].split("/")[1]
            return f"arn:{partition}:iam::{account}:role/{role}"
        return self.arn

    @cached_property
    def is_service_linked_role(self) -> bool:
        return "/aws-service-role/" in self.principal_arn


def _values(value) -> list[str]:
    """A Principal entry's names: a string or a list; anything else (refused by parse_policy
    already) names nobody."""
    if isinstance(value, str):
        return [value]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def account_named(value: str) -> str | None:
    """The account an AWS principal of `123456789012` or `arn:...:root` names, else None."""
    if ACCOUNT_ID.fullmatch(value):
        return value
    parts = value.split(":")
    if len(parts) == 6 and parts[0] == "arn" and parts[5] == "root":
        return parts[4]
    return None  # a name that is no account: compared with the caller's ARN as it is


class PrincipalMatcher:
    """A Principal element read once: its AWS names in order (the first that names the caller
    says how), its services and federated providers as sets."""

    __slots__ = ("everyone", "aws", "services", "federated")

    def __init__(self, principal) -> None:
        self.everyone = principal == "*"
        entries = principal if isinstance(principal, dict) else {}
        aws = []
        for name in _values(entries.get("AWS")):
            account = account_named(name)
            aws.append(("everyone", name) if name == "*" else ("account", account) if account else ("arn", name))
        self.aws = tuple(aws)
        self.services = frozenset(_values(entries.get("Service")))
        self.federated = frozenset(_values(entries.get("Federated")))

    def match(self, caller: Caller) -> str | None:
        if self.everyone:
            return "everyone"
        if caller.is_service:
            return "caller" if caller.arn in self.services else None
        for kind, value in self.aws:
            if kind == "everyone":
                return "everyone"
            if caller.is_anonymous:
                continue
            if kind == "account":
                if value == caller.account:
                    return "caller" if caller.kind == "root" else "account"
                continue
            if value == caller.arn or value == caller.principal_arn:
                return "caller"
        if caller.kind == "federated" and caller.arn in self.federated:
            return "caller"
        return None


def principal_match(principal, caller: Caller) -> str | None:
    """How `principal` (a statement's Principal element) names `caller`: "everyone", "caller"
    (its own ARN, or its role for a session), "account" (its account), or None."""
    return PrincipalMatcher(principal).match(caller)
