"""The permissions the runbook's calls need, judged against the policies of the principal that
will make them: the execution role in each target, the assume role, or the caller. IAM names an
action after the API in most cases, but not all (PutBucketEncryption is authorized as
s3:PutEncryptionConfiguration, story S1), so each call is mapped to its IAM action first
("Actions, resources, and condition keys", Service Authorization Reference).

Identity policies, permissions boundaries and SCPs are judged; resource policies are not read
here (a bucket policy could still allow what identity policies do not).
"""

from __future__ import annotations

import re
from typing import Iterator

from ..iam import Caller, PolicySet, Request, evaluate
from ..iam.rcp_services import rcp_applies
from .calls import Call, parameter_values, runbook_calls, target_resolution_calls
from .checkup import Checkup, split_arn
from .findings import Finding, resource_policy_finding
from . import resource_policies
from .fixes import permission_fix, scp_attachment
from .judge import relaxed, session_of
from .reader import Unreadable


def principal_for(checkup: Checkup, account: str) -> str:
    """Who makes the runbook's calls: the execution role in a target account, else the assume
    role, else the caller."""
    if checkup.across:
        return checkup.role_arn_of(account, checkup.execution_role_name)
    return checkup.assume_role or checkup.role_arn or checkup.caller.arn or ""


def needed(checkup: Checkup, account: str, region: str) -> Iterator[Finding]:
    principal = principal_for(checkup, account)
    if not principal:
        return
    owner, kind, name = split_arn(principal)
    try:
        if kind == "role" and checkup.reader.role(owner, name) is None:
            return  # a missing role is its own finding
        identity, boundaries = checkup.reader.identity_policies(owner, kind, name)
    except Unreadable:
        return  # D901 says so once
    scps = checkup.reader.scps(owner)
    values = parameter_values(checkup.runbook.document, checkup.given)
    if checkup.across and "AutomationAssumeRole" in values:
        values["AutomationAssumeRole"] = principal
    values.pop(checkup.target_parameter or "", None)  # each resource's own value
    caller = session_of(principal) if kind == "role" else Caller(principal)
    seen: set[tuple[str, str]] = set()
    calls = target_resolution_calls(checkup.target_keys, region=region, account=owner, partition=checkup.partition)
    calls += runbook_calls(checkup.runbook.document, values, region=region, account=owner,
                           partition=checkup.partition)
    # where a bucket the runbook names may live: the principal's account, the starter's, the
    # targets', then (only when none of these owns it) the organization's
    nearby = list(dict.fromkeys([owner, checkup.account] + [a for a, _ in checkup.targets]))

    def accounts():
        yield from nearby
        yield from (a for a in checkup.reader.organization_accounts() if a not in nearby)

    for call in calls:
        authorization = call.authorization
        key = (authorization.action, authorization.resource)
        if key in seen:
            continue
        seen.add(key)
        known = call.known_resource
        resource = authorization.resource if known else "*"
        found = resource_policies.find(checkup.reader, resource, accounts()) if known else None
        resource_account = found.owner if found else owner
        policies = PolicySet(identity=identity if known else relaxed(identity),
                             boundaries=boundaries if known else relaxed(boundaries),
                             scps=scps if known else [relaxed(level) for level in scps],
                             resource=found.policy if found else None,
                             resource_kind=found.kind if found else "resource",
                             rcps=checkup.reader.rcps(resource_account)
                             if found and rcp_applies(authorization.action) else [])
        context = {"aws:RequestedRegion": [region], **checkup.reader.org_keys(owner, resource_account)}
        request = Request(caller, authorization.action, found.resource if found else resource, resource_account,
                          context)
        decision = evaluate(request, policies)
        if not decision.allowed:
            yield _finding(checkup, call, decision, principal, owner, kind, name, region, known, request, policies,
                           found)


def _finding(checkup: Checkup, call: Call, decision, principal: str, account: str, kind: str, name: str,
             region: str, known: bool, request: Request, policies: PolicySet, found=None) -> Finding:
    action = call.authorization.action
    resource = call.authorization.resource if known else _resource_pattern(call.authorization.resource)
    renamed = action.split(":", 1)[1] != call.operation
    api = f"{call.service} {call.operation}" + (f", which IAM authorizes as {action}" if renamed else "")
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    policy_name = "xacct-" + re.sub(r"[^A-Za-z0-9+=,.@_-]", "-", action.replace(":", "-"))
    apply = None
    layer = decision.layer.split(" ")[0]
    if decision.decision == "explicitDeny":
        finding_id, severity = {"rcp": "D306"}.get(layer, "D302"), "error"
        if layer in ("resource", "kms"):
            finding_id = resource_policy_finding(request.resource, True) or "D305"
        why = f"{decision.statements[0].ref} denies {action}"
        fix = f"remove or narrow {decision.statements[0].ref}"
        if decision.layer == "scp":
            policy = decision.statements[0].ref.split(" statement ")[0].removeprefix("SCP ")
            where = scp_attachment(checkup.reader, account, policy)
            fix += f" (attached to {where})" if where else ""
    elif _near_misses(decision):
        # a statement of the layer whose Allow is missing would allow but for a condition (a near
        # miss in another layer, such as the AWS:SourceOwner of SNS's default topic policy, which
        # only services meet, decides nothing)
        finding_id, severity = "D303", "warning"
        why = "; ".join(str(n) for n in _near_misses(decision))
        fix = f"make sure the condition holds when the step runs, or allow {action} without it"
    else:
        missing = decision.missing or decision.layer
        finding_id = {"rcp": "D306"}.get(missing.split(" ")[0], "D301")
        if missing in ("resource", "kms"):
            finding_id = resource_policy_finding(request.resource, False) or "D304"
        severity = "error"
        why = {"identity": f"no identity-based policy allows the {action} action",
               "boundary": f"the permissions boundary does not allow the {action} action",
               "resource": f"the {found.label if found else 'resource-based policy'} does not allow it",
               "kms": f"the {found.label if found else 'key policy'} does not allow it (a key policy must allow "
                      "its principals, or delegate to the account's IAM policies)"}.get(
            missing, f"no {missing} allows the {action} action")
        if missing.startswith("scp"):
            level = checkup.reader.scp_levels(account)
            index = int(missing.rsplit(" ", 1)[-1]) - 1
            if index < len(level):
                why = f"no SCP attached to {level[index].where} allows the {action} action"
        made = permission_fix(checkup.reader, request, policies, account=account, kind=kind, name=name,
                              statement=statement, policy_name=policy_name,
                              judged_as=None if known else {**statement, "Resource": "*"}, found=found,
                              principal_arn=checkup.role_arn_of(account, name) if kind == "role" else principal)
        fix, apply, layer = made.text, made.apply, made.layer
    where = "resource unknown until the run" if not known else f"on {resource}"
    cause = f"step {call.step} calls {api} ({where}) as {principal}; {why}"
    return Finding(finding_id, severity, account, region, cause, fix, statement=statement, layer=layer,
                   apply=apply)


def _near_misses(decision) -> list:
    """The near misses of the layer that decided (or whose Allow is missing)."""
    layer = (decision.missing or decision.layer).split(" ")[0]
    return [n for n in decision.notes if n.layer == layer]


def _resource_pattern(resource: str) -> str:
    """An ARN with unknown parts, as a policy Resource: each `{{ }}` becomes `*`."""
    if resource == "*":
        return "*"
    return re.sub(r"\{\{[^}]*\}\}", "*", resource)
