"""AWS's policy evaluation logic for one request ("Policy evaluation logic", "How AWS
enforcement code logic evaluates requests to allow or deny access", "Cross-account policy
evaluation logic", IAM User Guide):

1. an explicit Deny in any applicable policy decides (SCP, RCP, resource, identity, boundary,
   session);
2. RCPs, then SCPs: every level of the organization (root, each OU, the account) must allow;
   service-linked roles are exempt from both;
3. resource-based policy: within one account it can allow on its own (a grant to a user or a role
   session ARN ignores the identity policies; a grant to a role ARN is still limited by boundary and
   session policy). Role trust policies and KMS key policies must allow explicitly even within one
   account; a Principal naming the account root delegates to that account's IAM policies.
   Across accounts both sides must allow;
4. identity-based policies, 5. permissions boundaries, 6. session policies must allow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone

from .conditions import condition_holds
from .policy import Policy, Statement
from .principals import Caller, principal_match
from .variables import Unresolved, substitute
from .wildcards import action_matches, arn_matches

ALLOWED, IMPLICIT_DENY, EXPLICIT_DENY = "allowed", "implicitDeny", "explicitDeny"


@dataclass
class Request:
    caller: Caller
    action: str
    resource: str = "*"
    resource_account: str | None = None
    context: dict[str, list[str]] = field(default_factory=dict)  # condition keys, any case


@dataclass
class PolicySet:
    identity: list[Policy] = field(default_factory=list)
    resource: Policy | None = None
    boundaries: list[Policy] = field(default_factory=list)
    session: Policy | None = None
    scps: list[list[Policy]] = field(default_factory=list)  # organization levels, root first
    rcps: list[list[Policy]] = field(default_factory=list)
    # "trust" (a role trust policy) and "kms" (a key policy) must allow explicitly in one account
    resource_kind: str = "resource"


@dataclass(frozen=True)
class NearMiss:
    """A statement that would have allowed the request but for one condition key."""

    statement: Statement
    layer: str
    operator: str
    key: str
    wants: list
    have: list | None

    def __str__(self) -> str:
        have = self.have if self.have else "absent"
        return (f"{self.statement.ref} would allow it, but its condition {self.operator} {self.key} "
                f"{self.wants} does not hold (request: {have})")


@dataclass
class Decision:
    decision: str
    layer: str  # the layer that decided: scp, rcp, resource, trust, kms, identity, boundary, session
    statements: list[Statement] = field(default_factory=list)  # the Deny that decided, or the Allows
    missing: str | None = None  # for an implicit deny: the layer whose Allow is missing
    notes: list[NearMiss] = field(default_factory=list)  # statements that failed only a condition

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED


def _context(request: Request) -> dict[str, list[str]]:
    """Request context with keys lowercased, and the global keys xacct can know filled in."""
    context = {k.lower(): (list(v) if isinstance(v, (list, tuple)) else [str(v)]) for k, v in request.context.items()}
    caller = request.caller
    defaults = {"aws:currenttime": [datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")],
                "aws:epochtime": [str(int(datetime.now(timezone.utc).timestamp()))],
                "aws:securetransport": ["true"]}
    if not caller.is_service and not caller.is_anonymous:
        defaults["aws:principalarn"] = [caller.principal_arn]
        if caller.account:
            defaults["aws:principalaccount"] = [caller.account]
        if caller.kind == "user":
            defaults["aws:username"] = [caller.arn.rsplit("/", 1)[-1]]
        defaults["aws:principaltype"] = [{"user": "User", "session": "AssumedRole", "root": "Account",
                                          "federated": "FederatedUser", "role": "AssumedRole"}.get(caller.kind, "")]
    if caller.is_service:
        defaults["aws:principalservicename"] = [caller.arn]
    for key, value in defaults.items():
        context.setdefault(key, value)
    return context


def _resource_matches(statement: Statement, resource: str, context) -> bool:
    def one(pattern: str) -> bool:
        try:
            return arn_matches(substitute(pattern, context, for_pattern=True), resource)
        except Unresolved:
            return False

    if statement.resources:
        return any(one(p) for p in statement.resources)
    if statement.not_resources:
        return not any(one(p) for p in statement.not_resources)
    return True  # trust policies carry no Resource


def _action_matches(statement: Statement, action: str) -> bool:
    if statement.actions:
        return any(action_matches(p, action) for p in statement.actions)
    return not any(action_matches(p, action) for p in statement.not_actions)


@dataclass
class _Layer:
    name: str
    allows: list[tuple[Statement, str | None]] = field(default_factory=list)  # (statement, principal match)
    denies: list[Statement] = field(default_factory=list)
    near: list[NearMiss] = field(default_factory=list)


def _scan(name: str, policies: list[Policy], request: Request, context, *, with_principal: bool) -> _Layer:
    layer = _Layer(name)
    for policy in policies:
        for statement in policy.statements:
            if not _action_matches(statement, request.action):
                continue
            if not _resource_matches(statement, request.resource, context):
                continue
            how = None
            if with_principal:
                if statement.principal is not None:
                    how = principal_match(statement.principal, request.caller)
                    if how is None:
                        continue
                elif statement.not_principal is not None:
                    if principal_match(statement.not_principal, request.caller) is not None:
                        continue
                    how = "everyone"
                else:
                    continue  # a resource-based statement without a principal names nobody
            holds, failed = condition_holds(statement.condition, context)
            if not holds:
                if statement.effect == "Allow":
                    layer.near.append(NearMiss(statement, name, *failed))
                continue
            if statement.effect == "Deny":
                layer.denies.append(statement)
            else:
                layer.allows.append((statement, how))
    return layer


def evaluate(request: Request, policies: PolicySet) -> Decision:
    context = _context(request)
    caller = request.caller
    same_account = request.resource_account is None or request.resource_account == caller.account
    exempt = caller.is_service_linked_role or caller.is_service  # SCPs and RCPs do not apply

    resource_name = {"trust": "trust", "kms": "kms"}.get(policies.resource_kind, "resource")
    layers: dict[str, _Layer] = {
        "identity": _scan("identity", policies.identity, request, context, with_principal=False),
        resource_name: _scan(resource_name, [policies.resource] if policies.resource else [], request, context,
                             with_principal=True),
        "boundary": _scan("boundary", policies.boundaries, request, context, with_principal=False),
        "session": _scan("session", [policies.session] if policies.session else [], request, context,
                         with_principal=False),
    }
    org: list[tuple[str, int, _Layer]] = []
    if not exempt:
        for name, levels in (("scp", policies.scps), ("rcp", policies.rcps)):
            for depth, level in enumerate(levels):
                org.append((name, depth, _scan(name, level, request, context, with_principal=False)))
    notes = [n for layer in layers.values() for n in layer.near] + [n for _, _, layer in org for n in layer.near]

    # 1. explicit deny anywhere
    for name, _, layer in org:
        if layer.denies:
            return Decision(EXPLICIT_DENY, name, layer.denies[:1], notes=notes)
    for name in ("scp", "rcp", resource_name, "identity", "boundary", "session"):
        layer = layers.get(name)
        if layer and layer.denies:
            return Decision(EXPLICIT_DENY, name, layer.denies[:1], notes=notes)

    # 2. RCPs, then SCPs: each level must allow
    for kind in ("rcp", "scp"):
        for name, depth, layer in org:
            if name == kind and not layer.allows:
                return Decision(IMPLICIT_DENY, name, missing=f"{name} level {depth + 1}", notes=notes)

    resource = layers[resource_name]
    identity, boundary, session = layers["identity"], layers["boundary"], layers["session"]
    grants = [(s, how) for s, how in resource.allows if how in ("caller", "everyone")]
    delegates = [(s, how) for s, how in resource.allows if how == "account"]
    boundary_ok = not policies.boundaries or bool(boundary.allows)
    session_ok = policies.session is None or caller.kind not in ("session", "federated") or bool(session.allows)

    def limits() -> Decision | None:
        if not boundary_ok:
            return Decision(IMPLICIT_DENY, "boundary", missing="boundary", notes=notes)
        if not session_ok:
            return Decision(IMPLICIT_DENY, "session", missing="session", notes=notes)
        return None

    def through_identity(extra: list[Statement]) -> Decision:
        if not identity.allows:
            return Decision(IMPLICIT_DENY, "identity", missing="identity", notes=notes)
        return limits() or Decision(ALLOWED, "identity", [s for s, _ in identity.allows] + extra, notes=notes)

    # 3. resource-based policy and the account boundary
    explicit_needed = policies.resource_kind in ("trust", "kms")
    if not same_account or caller.is_service or caller.is_anonymous:
        if caller.is_service or caller.is_anonymous:
            if grants:
                return Decision(ALLOWED, resource_name, [s for s, _ in grants], notes=notes)
            return Decision(IMPLICIT_DENY, resource_name, missing=resource_name, notes=notes)
        if not (grants or delegates):
            return Decision(IMPLICIT_DENY, resource_name, missing=resource_name, notes=notes)
        return through_identity([s for s, _ in grants + delegates])
    if grants:
        # Within one account a grant allows on its own; naming a role ARN stays under boundary and
        # session policy, naming a user or a session ARN does not.
        via_role = caller.kind == "session" and any(
            request.caller.principal_arn in _aws_values(s.principal) for s, _ in grants)
        if via_role:
            blocked = limits()
            if blocked:
                return blocked
        return Decision(ALLOWED, resource_name, [s for s, _ in grants], notes=notes)
    if explicit_needed and not delegates:
        return Decision(IMPLICIT_DENY, resource_name, missing=resource_name, notes=notes)
    return through_identity([s for s, _ in delegates])


def _aws_values(principal) -> list[str]:
    if not isinstance(principal, dict):
        return []
    value = principal.get("AWS")
    return value if isinstance(value, list) else [value] if value else []
