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

Before any of it, what no policy decides (protected.py): sts:GetCallerIdentity is answered for
everyone, and AWS managed policies and service-linked roles cannot be changed by anyone. SCPs do
not apply to the management account's principals, RCPs not to its resources ("Service control
policies", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps.html;
"Resource control policies", https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html).
A KMS alias has no key policy: an operation on the alias ARN itself is decided by IAM policies
alone ("Controlling access to aliases", https://docs.aws.amazon.com/kms/latest/developerguide/alias-access.html).
An action that takes no resource type is decided on "*" ("Service Authorization Reference").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from . import once
from .actions import takes_resources
from .conditions import compile_condition, failed_test, failed_tests
from .protected import answered_for_everyone, protection
from .context import RequestContext
from .policy import Policy, Statement
from .principals import Caller
from .wildcards import split_arn

ALLOWED, IMPLICIT_DENY, EXPLICIT_DENY = "allowed", "implicitDeny", "explicitDeny"


@dataclass
class Request:
    caller: Caller
    action: str
    resource: str = "*"
    resource_account: str | None = None
    # condition keys, any case, to their values: text, or numbers and booleans, read as text
    context: dict[str, list] = field(default_factory=dict)
    # keys read from elsewhere when a condition first asks for one (the resource's tags): a
    # lowercased key -> its values, or None
    lookup: Callable[[str], list | None] | None = field(default=None, compare=False, repr=False)


@dataclass
class PolicySet:
    identity: list[Policy] = field(default_factory=list)
    resource: Policy | None = None
    boundaries: list[Policy] = field(default_factory=list)
    session: Policy | None = None
    scps: list[list[Policy]] = field(default_factory=list)  # organization levels, root first
    rcps: list[list[Policy]] = field(default_factory=list)
    management_account: str | None = None  # the organization's management account, which SCPs and RCPs spare
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
    reason: str | None = None  # for a decision no policy made (protected.py): why

    @property
    def allowed(self) -> bool:
        return self.decision == ALLOWED


class _Layer:
    __slots__ = ("name", "allows", "denies", "near")

    def __init__(self, name: str) -> None:
        self.name = name
        self.allows: list[tuple[Statement, str | None]] = []  # (statement, how its principal names the caller)
        self.denies: list[Statement] = []
        self.near: list[NearMiss] = []


class _Asked:
    """What every statement is compared with, prepared once per decision."""

    __slots__ = ("action", "resource", "parts", "caller", "context", "once", "for_everyone", "iam")

    def __init__(self, request: Request, once: bool = False) -> None:
        self.once = once
        self.action = action = request.action.lower()  # actions ignore case
        self.for_everyone, takes, self.iam = _facts(action)
        # an action that takes no resource type is decided on "*", whatever resource is named
        self.resource = request.resource if takes or request.resource == "*" else "*"
        self.parts = split_arn(self.resource)
        self.caller = request.caller
        self.context = RequestContext(request.context, request.caller, request.lookup)


@lru_cache(maxsize=4096)
def _facts(action: str) -> tuple[bool, bool, bool]:
    """(answered for everyone, takes resource types, an IAM action) of a lowercased action, looked
    up once per action."""
    return answered_for_everyone(action), takes_resources(action), action.startswith("iam:")


_NOTHING = _Layer("")  # the layer of no policies: shared, and never written to
RESOURCE_LAYERS = {"trust": "trust", "kms": "kms"}  # how the resource-based layer is named, by resource_kind


def _scan(name: str, policies, asked: _Asked, *, with_principal: bool) -> _Layer:
    if not policies:
        return _NOTHING
    layer = _Layer(name)
    action, resource, parts, context = asked.action, asked.resource, asked.parts, asked.context
    for policy in policies:
        for statement in policy.statements_for(action):
            if asked.once:
                if not once.matches_resource(statement, resource, parts, context):
                    continue
                how = once.names(statement, asked.caller) if with_principal else None
                if with_principal and how is None:
                    continue
                tests = compile_condition(statement.condition) if statement.condition else ()
                failed = failed_test(tests, context) if tests else None
            else:
                compiled = statement.compiled
                # (matches_resource and failed_condition, inlined: this loop is the gate's hot path)
                resources = compiled.resources
                if resources is not None and resources.match(resource, parts, context) == compiled.not_resource:
                    continue
                how = None
                if with_principal:
                    how = compiled.names(asked.caller)
                    if how is None:
                        continue
                failed = compiled.failed_condition(context) if statement.condition else None
                tests = compiled.tests
            if failed is not None:
                if statement.effect == "Allow":  # a near miss: every condition key that fails is named
                    for test in failed_tests(tests, failed, context):
                        layer.near.append(NearMiss(statement, name, test.operator, test.key, test.wants,
                                                   context.get(test.lookup)))
                continue
            if statement.effect == "Deny":
                layer.denies.append(statement)
            else:
                layer.allows.append((statement, how))
    return layer


def evaluate(request: Request, policies: PolicySet, *, once: bool = False) -> Decision:
    """The decision on `request`. `once`: the policies are decided this once (`xacct explain`),
    so each statement is matched as it is written rather than compiled for the next time
    (once.py); the decision is the same."""
    asked = _Asked(request, once)
    caller = request.caller
    if asked.for_everyone:
        return Decision(ALLOWED, "unauthorized", reason=f"AWS answers {request.action} for every caller; no "
                                                        "policy can allow or deny it")
    protected = protection(asked.action, asked.resource) if asked.iam else None
    if protected:
        return Decision(EXPLICIT_DENY, "protected", reason=protected)
    resource_kind, resource_policy = policies.resource_kind, policies.resource
    if resource_kind == "kms" and ":alias/" in asked.resource:
        resource_kind, resource_policy = "resource", None  # an alias has no key policy
    resource_name = RESOURCE_LAYERS.get(resource_kind, "resource")
    identity = _scan("identity", policies.identity, asked, with_principal=False)
    resource = _scan(resource_name, (resource_policy,) if resource_policy else (), asked, with_principal=True)
    boundary = _scan("boundary", policies.boundaries, asked, with_principal=False)
    session = _scan("session", (policies.session,) if policies.session else (), asked, with_principal=False)
    org: list[tuple[str, int, _Layer]] = []
    management = policies.management_account
    for name, levels in (("scp", policies.scps), ("rcp", policies.rcps)):
        # SCPs bind the organization's IAM principals, not AWS service principals; neither SCPs nor
        # RCPs bind service-linked roles. RCPs do bind service principals: AWS's RCP examples exempt
        # them with aws:PrincipalIsAWSService where meant ("Resource control policies in AWS KMS",
        # "Resources and entities not restricted by RCPs").
        if caller.is_service_linked_role or (name == "scp" and caller.is_service):
            continue
        if management is not None and management == (
                caller.account if name == "scp" else request.resource_account or caller.account):
            continue  # the management account's principals (SCPs) and resources (RCPs) are spared
        for depth, level in enumerate(levels):
            org.append((name, depth, _scan(name, level, asked, with_principal=False)))
    notes = identity.near + resource.near + boundary.near + session.near
    for _, _, layer in org:
        if layer.near:
            notes += layer.near

    # 1. explicit deny anywhere
    for name, _, layer in org:
        if layer.denies:
            return Decision(EXPLICIT_DENY, name, layer.denies[:1], notes=notes)
    for name, layer in ((resource_name, resource), ("identity", identity), ("boundary", boundary),
                        ("session", session)):
        if layer.denies:
            return Decision(EXPLICIT_DENY, name, layer.denies[:1], notes=notes)

    # 2. RCPs, then SCPs: each level must allow
    if org:
        for kind in ("rcp", "scp"):
            for name, depth, layer in org:
                if name == kind and not layer.allows:
                    return Decision(IMPLICIT_DENY, name, missing=f"{name} level {depth + 1}", notes=notes)

    # 3. resource-based policy and the account boundary
    grants: list[Statement] = []
    delegates: list[Statement] = []
    for statement, how in resource.allows:
        (delegates if how == "account" else grants).append(statement)  # else: "caller" or "everyone"
    if caller.is_service or caller.is_anonymous:
        if grants:
            return Decision(ALLOWED, resource_name, grants, notes=notes)
        return Decision(IMPLICIT_DENY, resource_name, missing=resource_name, notes=notes)
    if request.resource_account is not None and request.resource_account != caller.account:
        # across accounts both sides must allow
        if not (grants or delegates):
            return Decision(IMPLICIT_DENY, resource_name, missing=resource_name, notes=notes)
        return _through_identity(identity, grants + delegates, policies, caller, boundary, session, notes)
    if grants:
        # Within one account a grant allows on its own; naming a role ARN stays under boundary and
        # session policy, naming a user or a session ARN does not ("Policy evaluation for requests
        # within a single account", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic_policy-eval-basics.html;
        # "Permissions boundaries for IAM entities", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_boundaries.html;
        # "Session policies", https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies.html#policies_session).
        unlimited = [s for s in grants if not _names_role_only(s, caller)]
        if unlimited:
            return Decision(ALLOWED, resource_name, unlimited, notes=notes)
        blocked = _limits(policies, caller, boundary, session, notes)
        if blocked:
            return blocked
        return Decision(ALLOWED, resource_name, grants, notes=notes)
    if resource_kind in ("trust", "kms") and not delegates:
        return Decision(IMPLICIT_DENY, resource_name, missing=resource_name, notes=notes)  # must allow explicitly
    return _through_identity(identity, delegates, policies, caller, boundary, session, notes)


def _limits(policies: PolicySet, caller: Caller, boundary: _Layer, session: _Layer, notes) -> Decision | None:
    """The implicit deny of a permissions boundary or a session policy that does not allow."""
    if policies.boundaries and not boundary.allows:
        return Decision(IMPLICIT_DENY, "boundary", missing="boundary", notes=notes)
    if policies.session is not None and caller.kind in ("session", "federated") and not session.allows:
        return Decision(IMPLICIT_DENY, "session", missing="session", notes=notes)
    return None


def _through_identity(identity: _Layer, extra: list[Statement], policies: PolicySet, caller: Caller,
                      boundary: _Layer, session: _Layer, notes) -> Decision:
    if not identity.allows:
        return Decision(IMPLICIT_DENY, "identity", missing="identity", notes=notes)
    return (_limits(policies, caller, boundary, session, notes)
            or Decision(ALLOWED, "identity", [s for s, _ in identity.allows] + extra, notes=notes))


def _names_role_only(statement: Statement, caller: Caller) -> bool:
    """Whether a grant reaches a role session only through the role's ARN (not the session's own
    ARN, nor everyone)."""
    if caller.kind != "session":
        return False
    names = _aws_values(statement.principal)
    return caller.principal_arn in names and caller.arn not in names and "*" not in names \
        and statement.principal != "*"


def _aws_values(principal) -> list[str]:
    if not isinstance(principal, dict):
        return []
    value = principal.get("AWS")
    return value if isinstance(value, list) else [value] if value else []
