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
from .calls import Call, parameter_values, runbook_calls, target_resolution_calls
from .checkup import Checkup, split_arn
from .findings import Finding
from .judge import policy_json, relaxed, session_of
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
    for call in calls:
        authorization = call.authorization
        key = (authorization.action, authorization.resource)
        if key in seen:
            continue
        seen.add(key)
        known = call.known_resource
        resource = authorization.resource if known else "*"
        policies = PolicySet(identity=identity if known else relaxed(identity),
                             boundaries=boundaries if known else relaxed(boundaries),
                             scps=scps if known else [relaxed(level) for level in scps])
        request = Request(caller, authorization.action, resource, owner)
        decision = evaluate(request, policies)
        if not decision.allowed:
            yield _finding(checkup, call, decision, principal, owner, kind, name, region, known)


def _finding(checkup: Checkup, call: Call, decision, principal: str, account: str, kind: str, name: str,
             region: str, known: bool) -> Finding:
    action = call.authorization.action
    resource = call.authorization.resource if known else _resource_pattern(call.authorization.resource)
    renamed = action.split(":", 1)[1] != call.operation
    api = f"{call.service} {call.operation}" + (f", which IAM authorizes as {action}" if renamed else "")
    statement = {"Effect": "Allow", "Action": action, "Resource": resource}
    policy_name = "xacct-" + re.sub(r"[^A-Za-z0-9+=,.@_-]", "-", action.replace(":", "-"))
    if decision.decision == "explicitDeny":
        finding_id, severity = "D302", "error"
        why = f"{decision.statements[0].ref} denies {action}"
        fix = f"remove or narrow {decision.statements[0].ref}"
    elif decision.notes:
        finding_id, severity = "D303", "warning"
        why = "; ".join(str(n) for n in decision.notes)
        fix = f"make sure the condition holds when the step runs, or allow {action} without it"
    else:
        finding_id, severity = "D301", "error"
        layer = decision.missing or decision.layer
        why = {"identity": f"no identity-based policy allows the {action} action",
               "boundary": f"the permissions boundary does not allow the {action} action"}.get(
            layer, f"no {layer} allows the {action} action")
        fix = None
    where = "resource unknown until the run" if not known else f"on {resource}"
    cause = f"step {call.step} calls {api} ({where}) as {principal}; {why}"
    apply = None
    if fix is None:
        reader = checkup.reader
        verb = {"role": "put-role-policy --role-name", "user": "put-user-policy --user-name"}.get(kind)
        fix = (f"aws iam {verb} {name} --policy-name {policy_name} --policy-document '{policy_json(statement)}'"
               if verb else f"add to the policies of {principal}: {policy_json(statement)}")
        if decision.layer.startswith("scp") or (decision.missing or "").startswith("scp"):
            fix = f"allow {action} in the SCPs above {account} (organization level {decision.missing})"
        elif kind in ("role", "user"):
            def apply() -> None:
                iam = reader.client("iam", account)
                document = policy_json(statement)
                if kind == "role":
                    iam.put_role_policy(RoleName=name, PolicyName=policy_name, PolicyDocument=document)
                else:
                    iam.put_user_policy(UserName=name, PolicyName=policy_name, PolicyDocument=document)
                reader.read.cache_clear()
    return Finding(finding_id, severity, account, region, cause, fix, statement=statement, layer="identity",
                   apply=apply)


def _resource_pattern(resource: str) -> str:
    """An ARN with unknown parts, as a policy Resource: each `{{ }}` becomes `*`."""
    if resource == "*":
        return "*"
    return re.sub(r"\{\{[^}]*\}\}", "*", resource)
