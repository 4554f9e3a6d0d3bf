"""A Decision in words: AWS's own AccessDenied wording, which statement decided, the near misses,
and the change that would allow the request ("Troubleshoot access denied error messages", IAM User
Guide, gives AWS's wording of each reason)."""

from __future__ import annotations

import json

from .evaluate import ALLOWED, EXPLICIT_DENY, Decision, Request

LAYER_WORDS = {
    "identity": "an identity-based policy",
    "resource": "a resource-based policy",
    "trust": "the role's trust policy",
    "kms": "the key policy",
    "scp": "a service control policy",
    "rcp": "a resource control policy",
    "boundary": "a permissions boundary",
    "session": "a session policy",
    "protected": "AWS's protection of its own entities (no policy can change it)",
    "unauthorized": "no policy (AWS answers it for every caller)",
}
AWS_NAMES = {  # how AWS's messages name each layer
    "identity": "identity-based policy", "resource": "resource-based policy", "trust": "resource-based policy",
    "kms": "resource-based policy", "scp": "service control policy", "rcp": "resource control policy",
    "boundary": "permissions boundary", "session": "session policy", "protected": "policy",
}


def aws_reason(decision: Decision, action: str) -> str:
    """The `because ...` / `with an explicit deny in ...` end of AWS's AccessDenied message. STS
    says no more than "is not authorized" when a trust policy refuses AssumeRole (story S4)."""
    layer = decision.layer.split(" ")[0]
    if layer in ("trust", "protected"):  # (no policy refused a protected entity: AWS names none)
        return ""
    name = AWS_NAMES.get(layer, "policy")
    if decision.decision == EXPLICIT_DENY:
        return f"with an explicit deny in a {name}"
    return f"because no {name} allows the {action} action"


def denied_message(request: Request, decision: Decision) -> str:
    if decision.layer == "protected" and ":role/" in request.resource:
        return decision.reason  # IAM answers UnmodifiableEntity with this text, not AccessDenied
    who = "User" if not request.caller.is_service else "Service"
    reason = aws_reason(decision, request.action)
    # an action decided on "*" (one without resource types, such as s3:ListAllMyBuckets or
    # ec2:DescribeInstances) is named without a resource, as AWS's messages name it
    where = "" if request.resource == "*" else f" on resource: {request.resource}"
    return (f"{who}: {request.caller.arn} is not authorized to perform: {request.action}{where}"
            + (f" {reason}" if reason else ""))


# What a caller does to meet a condition it missed, by condition key.
CONDITION_FIXES = {
    "aws:multifactorauthpresent": "sign in with MFA: `aws sts assume-role ... --serial-number <MFA device ARN> "
                                  "--token-code <code>`, or `mfa_serial` in the profile",
    "aws:multifactorauthage": "sign in with MFA again (a fresh --token-code) so the MFA is recent enough",
    "sts:externalid": "pass the external ID the trust policy expects: `--external-id <value>`",
    "aws:sourceaccount": "the request must come from a service acting for the account the condition names",
    "aws:sourcearn": "the request must come from a service acting for the resource the condition names",
}


# An organization's levels as an explanation names them: "scp"/"rcp" -> (where each level is
# attached, the names of its policies), root first, as the gate knows them
Levels = dict[str, list[tuple[str, list[str]]]]
ORG_NAMES = {"scp": "SCP", "rcp": "RCP"}
FULL_ACCESS = ("FullAWSAccess", "RCPFullAWSAccess")  # AWS's own, attached everywhere


def organization_level(decision: Decision, levels: Levels | None) -> dict | None:
    """Where the SCP or RCP that decided is attached ({"where": "Root/Prod", "policies": [...]}),
    for an implicit deny at a level ("scp level 2") or an explicit deny by one of its policies;
    None for other layers, or when the levels are not known."""
    layer = decision.missing or decision.layer
    kind = layer[:3]
    if kind not in ORG_NAMES or not levels or kind not in levels:
        return None
    if decision.decision == EXPLICIT_DENY and decision.statements:
        policy = decision.statements[0].policy
        for where, names in levels[kind]:
            if policy in names:
                return {"kind": ORG_NAMES[kind], "where": where, "policies": names, "policy": policy}
        return None
    try:
        where, names = levels[kind][int(layer.rsplit(" ", 1)[-1]) - 1]
    except (ValueError, IndexError):
        return None
    # the allow-list that lacks the action: the first policy there that is not AWS's own
    chosen = next((n for n in names if n not in FULL_ACCESS), names[0] if names else "")
    return {"kind": ORG_NAMES[kind], "where": where, "policies": names, "policy": chosen}


def fix_for(request: Request, decision: Decision, levels: Levels | None = None) -> str | None:
    """The change that would allow the request, as a policy statement (or what to remove). An SCP
    or RCP is named with where it is attached (Root/Prod/Web) when `levels` says so."""
    if decision.decision == ALLOWED:
        return None
    missing = decision.missing or decision.layer
    near = [n for n in decision.notes if n.layer == missing]
    if decision.decision != EXPLICIT_DENY and near:
        # every condition key the nearest statement fails, each with what would meet it
        misses = [n for n in near if n.statement is near[0].statement]
        wants = " and ".join(f"{m.operator} {m.key} {m.wants}" for m in misses)
        advice = "; ".join(CONDITION_FIXES.get(m.key.lower(), f"make the request satisfy {m.operator} {m.key} "
                                                                f"{m.wants}") for m in misses)
        return f"{misses[0].statement.ref} allows it when {wants}: {advice}"
    if decision.layer == "protected":
        return f"none: {decision.reason}"
    place = organization_level(decision, levels)
    if decision.decision == EXPLICIT_DENY:
        attached = f" (attached to {place['where']})" if place else ""
        return f"remove or narrow {decision.statements[0].ref}{attached}, which denies {request.action}"
    statement = {"Effect": "Allow", "Action": request.action, "Resource": request.resource}
    if place:
        return f"allow {request.action} in {place['kind']} {place['policy']} attached to {place['where']}: " \
               f"{json.dumps(statement)}"
    layer = decision.missing or decision.layer
    if layer in ("resource", "trust", "kms"):
        statement = {"Effect": "Allow", "Principal": {"AWS": request.caller.principal_arn}
                     if not request.caller.is_service else {"Service": request.caller.arn},
                     "Action": request.action}
        if layer == "resource":
            statement["Resource"] = request.resource
        where = LAYER_WORDS[layer]
    elif layer.startswith(("scp", "rcp")):
        where = f"the {LAYER_WORDS[layer[:3]][2:]} at organization {layer[4:]}"
    else:
        where = LAYER_WORDS.get(layer, layer)
    return f"add to {where}: {json.dumps(statement)}"


def explain(request: Request, decision: Decision, levels: Levels | None = None) -> dict:
    result = {
        "decision": decision.decision,
        "layer": decision.layer,
        "principal": request.caller.arn,
        "action": request.action,
        "resource": request.resource,
        "statements": [{"policy": s.policy, "sid": s.sid, "position": s.index + 1, "effect": s.effect}
                       for s in decision.statements],
    }
    if decision.missing:
        result["missing"] = decision.missing
    if decision.reason:
        result["reason"] = decision.reason
    if not decision.allowed:
        result["message"] = denied_message(request, decision)
        result["fix"] = fix_for(request, decision, levels)
        place = organization_level(decision, levels)
        if place:
            result["organizationLevel"] = place
    if decision.notes:
        result["nearMisses"] = [str(n) for n in decision.notes]
    return result


def render_text(request: Request, decision: Decision) -> str:
    lines = [f"Decision: {decision.decision} (decided by {LAYER_WORDS.get(decision.layer.split(' ')[0], decision.layer)})"]
    if decision.reason:
        lines.append(f"  {decision.reason}")
    elif decision.allowed:
        for statement in decision.statements:
            lines.append(f"  allowed by {statement.ref}")
    elif decision.decision == EXPLICIT_DENY:
        lines.append(f"  denied by {decision.statements[0].ref}")
    else:
        lines.append(f"  no statement of {LAYER_WORDS.get((decision.missing or decision.layer)[:3], decision.layer)} "
                     f"allows {request.action} on {request.resource}"
                     if decision.layer not in ("identity", "boundary", "session", "resource", "trust", "kms")
                     else f"  no statement of {LAYER_WORDS[decision.layer]} allows {request.action} on "
                          f"{request.resource}")
    if not decision.allowed:
        lines.append(f"AWS says: {denied_message(request, decision)}")
    for note in decision.notes:
        lines.append(f"  near miss: {note}")
    fix = fix_for(request, decision)
    if fix:
        lines.append(f"Fix: {fix}")
    return "\n".join(lines)
