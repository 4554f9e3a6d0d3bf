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

ACCOUNT_ID = re.compile(r"^\d{12}$")


@dataclass(frozen=True)
class Caller:
    arn: str  # the request's principal: an ARN, a service principal, or "*"
    role_arn: str | None = None  # for a role session: the role's ARN (aws:PrincipalArn)

    @property
    def is_service(self) -> bool:
        return not self.arn.startswith("arn:") and self.arn != "*"

    @property
    def is_anonymous(self) -> bool:
        return self.arn == "*"

    @property
    def account(self) -> str | None:
        parts = self.arn.split(":")
        return parts[4] if self.arn.startswith("arn:") and len(parts) > 5 else None

    @property
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

    @property
    def principal_arn(self) -> str:
        """aws:PrincipalArn: the role for a session, the caller itself otherwise."""
        if self.kind == "session":
            if self.role_arn:
                return self.role_arn
            partition, account = self.arn.split(":")[1], self.account
            role = self.arn.split(":", 5)[5].split("/")[1]
            return f"arn:{partition}:iam::{account}:role/{role}"
        return self.arn

    @property
    def is_service_linked_role(self) -> bool:
        return "/aws-service-role/" in self.principal_arn


def _values(value) -> list[str]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def principal_match(principal, caller: Caller) -> str | None:
    """How `principal` (a statement's Principal element) names `caller`: "everyone", "caller"
    (its own ARN, or its role for a session), "account" (its account), or None."""
    if principal == "*":
        return "everyone"
    if not isinstance(principal, dict):
        return None
    if caller.is_service:
        return "caller" if caller.arn in _values(principal.get("Service")) else None
    for value in _values(principal.get("AWS")):
        if value == "*":
            return "everyone"
        if caller.is_anonymous:
            continue
        if ACCOUNT_ID.match(value) or value.endswith(":root"):
            account = value if ACCOUNT_ID.match(value) else value.split(":")[4]
            if account == caller.account:
                return "caller" if caller.kind == "root" else "account"
            continue
        if value in (caller.arn, caller.principal_arn):
            return "caller"
    federated = _values(principal.get("Federated"))
    if federated and caller.kind == "federated" and caller.arn in federated:
        return "caller"
    return None
