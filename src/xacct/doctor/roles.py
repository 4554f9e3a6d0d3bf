"""The roles of a run: the administration role SSM assumes in the starting account, the
execution role it assumes in each target ("Setting up management account permissions for
multi-Region and multi-account automation", Systems Manager User Guide), the assume role of a
run in one account, and the caller's right to pass it (iam:PassRole)."""

from __future__ import annotations

from typing import Iterator

from ..iam import Caller, PolicySet, Request, evaluate
from .checkup import Checkup, split_arn
from .findings import Finding
from .fixes import permission_fix
from .judge import compact, session_of, trusts, trust_naming
from .reader import Unreadable

ADMINISTRATION_ROLE = "AWS-SystemsManager-AutomationAdministrationRole"
SSM = "ssm.amazonaws.com"


def _ssm_context(checkup: Checkup, account: str, region: str) -> dict:
    # what SSM sends when it assumes a role for an execution in `account` ("Cross-service confused
    # deputy prevention"); the execution ID is not known yet, so any ID stands for it
    return {"aws:SourceAccount": [account],
            "aws:SourceArn": [f"arn:{checkup.partition}:ssm:{region}:{account}:automation-execution/"
                              "00000000-0000-0000-0000-000000000000"]}


def _trust_fix(role_name: str, account: str, statement: dict, finding_id: str, cause: str, layer: str,
               checkup: Checkup, trust) -> Finding:
    document = dict(trust.document) if trust is not None else {"Version": "2012-10-17", "Statement": []}
    current = document.get("Statement", [])
    document["Statement"] = (current if isinstance(current, list) else [current]) + [statement]
    reader = checkup.reader

    def apply() -> None:
        reader.client("iam", account).update_assume_role_policy(RoleName=role_name, PolicyDocument=compact(document))

    return Finding(finding_id, "error", account, None, cause,
                   f"aws iam update-assume-role-policy --role-name {role_name} --policy-document "
                   f"'{compact(document)}'", statement=statement, layer=layer, apply=apply)


def caller_may_pass(checkup: Checkup, role_arn: str, acting: str | None = None,
                    region: str | None = None) -> Iterator[Finding]:
    """iam:PassRole: SSM checks that whoever starts the execution may pass its role to SSM, in
    the Region the execution starts in (its aws:RequestedRegion)."""
    acting = acting or checkup.acting_arn
    account, kind, name = split_arn(acting)
    if kind not in ("user", "role"):
        return
    identity, boundaries = checkup.reader.identity_policies(account, kind, name)
    request = Request(Caller(acting, checkup.role_arn_of(account, name) if kind == "role" else None),
                      "iam:PassRole", role_arn, role_arn.split(":")[4],
                      {"iam:PassedToService": [SSM], "aws:RequestedRegion": [region or checkup.region],
                       **checkup.reader.org_keys(account, role_arn.split(":")[4])})
    policies = PolicySet(identity=identity, boundaries=boundaries, scps=checkup.reader.scps(account))
    decision = evaluate(request, policies)
    if decision.allowed:
        return
    statement = {"Effect": "Allow", "Action": "iam:PassRole", "Resource": role_arn,
                 "Condition": {"StringEquals": {"iam:PassedToService": SSM}}}
    cause = (f"{acting} starts the run and must be allowed iam:PassRole on {role_arn} (to {SSM}); "
             f"{_why(decision)}")
    finding = _permission_finding(checkup, "D206", cause, request, policies, account, kind, name, statement,
                                  "xacct-pass-automation-role", decision)
    finding.region = region
    yield finding


def _permission_finding(checkup: Checkup, finding_id: str, cause: str, request: Request, policies: PolicySet,
                        account: str, kind: str, name: str, statement: dict, policy_name: str, decision) -> Finding:
    """A permission the principal lacks, fixed at the layer that lacks it (fixes.py); an explicit
    deny is named, to be removed or narrowed."""
    if decision.decision == "explicitDeny":
        return Finding(finding_id, "error", account, None, cause,
                       f"remove or narrow {decision.statements[0].ref}", statement, decision.layer)
    made = permission_fix(checkup.reader, request, policies, account=account, kind=kind, name=name,
                          statement=statement, policy_name=policy_name)
    return Finding(finding_id, "error", account, None, cause, made.text, statement=statement, layer=made.layer,
                   apply=made.apply)


def _why(decision) -> str:
    if decision.decision == "explicitDeny":
        return f"{decision.statements[0].ref} denies it"
    layer = decision.missing or decision.layer
    words = {"identity": "no identity-based policy allows it", "boundary": "the permissions boundary does not "
             "allow it", "trust": "the trust policy does not allow it"}
    return words.get(layer, f"{layer} does not allow it")


def service_may_assume(checkup: Checkup, role_arn: str, finding_id: str, what: str,
                       region: str | None = None) -> Iterator[Finding]:
    account, _, name = split_arn(role_arn)
    context = _ssm_context(checkup, account if region else checkup.account, region or checkup.region)
    role = checkup.reader.role(account, name)
    if role is None:
        yield _missing_role(checkup, role_arn, "D201" if finding_id == "D202" else "D207", what)
        return
    trust = checkup.reader.trust_policy(account, name)
    decision = trusts(trust, Caller(SSM), role_arn, context)
    if decision.allowed:
        yield from _rcp_stops_service(checkup, role_arn, trust, context, what)
        return
    statement = {"Effect": "Allow", "Principal": {"Service": SSM}, "Action": "sts:AssumeRole"}
    if region:  # the execution role in a target: as AWS's template scopes it
        statement["Condition"] = {"StringEquals": {"aws:SourceAccount": account},
                                  "ArnLike": {"aws:SourceArn": f"arn:{checkup.partition}:ssm:*:{account}:"
                                                               "automation-execution/*"}}
    near = "; ".join(str(n) for n in decision.notes)
    cause = (f"the trust policy of {what} {name} does not let Systems Manager ({SSM}) assume it"
             + (f" ({near})" if near else ""))
    yield _trust_fix(name, account, statement, finding_id, cause, "trust", checkup, trust)


def _rcp_stops_service(checkup: Checkup, role_arn: str, trust, context: dict, what: str) -> Iterator[Finding]:
    """D306: an RCP of the role's account that denies Systems Manager assuming the role (RCPs bind
    AWS service principals unless they exempt them, and STS is among their services), although
    the trust policy lets it."""
    account, _, name = split_arn(role_arn)
    rcps = checkup.reader.rcps(account)
    if not rcps:
        return
    request = Request(Caller(SSM), "sts:AssumeRole", role_arn, account,
                      {**context, **checkup.reader.org_keys(None, account)})
    # (the reader gives no RCPs for the management account, which they spare)
    decision = evaluate(request, PolicySet(resource=trust, resource_kind="trust", rcps=rcps))
    if decision.allowed or not decision.layer.startswith("rcp"):
        return
    which = _deciding_rcp(decision)
    yield Finding("D306", "error", account, None,
                  f"{which} denies Systems Manager ({SSM}) assuming {what} {name}, which its trust policy allows; "
                  f"SSM reports this as \"The execution role {role_arn} in the target location is unable to be "
                  "assumed.\"",
                  "exempt AWS service principals in that RCP's Deny, as AWS's RCP examples do: add "
                  "\"BoolIfExists\": {\"aws:PrincipalIsAWSService\": \"false\"} to its Condition", layer="rcp")


def _deciding_rcp(decision) -> str:
    """The RCP statement that denied, or the RCP level that does not allow."""
    return decision.statements[0].ref if decision.statements else (decision.missing or "an RCP level")


def _missing_role(checkup: Checkup, role_arn: str, finding_id: str, what: str) -> Finding:
    account, _, name = split_arn(role_arn)
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"Service": SSM}, "Action": "sts:AssumeRole"}]}
    reader = checkup.reader

    def apply() -> None:
        reader.client("iam", account).create_role(RoleName=name, AssumeRolePolicyDocument=compact(trust))
        reader.read.cache_clear()

    return Finding(finding_id, "error", account, None, f"the {what} {name} does not exist in {account}",
                   f"aws iam create-role --role-name {name} --assume-role-policy-document '{compact(trust)}'",
                   layer="trust", apply=apply)


def administration(checkup: Checkup) -> Iterator[Finding]:
    """The administration role: it exists, SSM may assume it, and the caller may pass it."""
    admin = checkup.assume_role or checkup.role_arn_of(checkup.account, ADMINISTRATION_ROLE)
    yield from service_may_assume(checkup, admin, "D202", "administration role")
    yield from caller_may_pass(checkup, admin)


def assume_role(checkup: Checkup) -> Iterator[Finding]:
    """A run in one account with AutomationAssumeRole: SSM assumes that role."""
    if checkup.assume_role:
        account = split_arn(checkup.assume_role)[0] if checkup.assume_role.count(":") >= 5 else ""
        try:
            yield from service_may_assume(checkup, checkup.assume_role, "D207", "assume role")
        except Unreadable as exc:  # a role in an account the caller cannot read (or no account at all)
            where = account or "the role's account"
            yield Finding("D901", "info", account, None, str(exc),
                          f"pass --read-role-name ROLE, a role in {where} that the caller may assume and that may "
                          "read IAM there", layer="read")
            return
        yield from caller_may_pass(checkup, checkup.assume_role)


def execution_role(checkup: Checkup, account: str) -> Iterator[Finding]:
    """In one target account: the execution role exists, trusts the administration role, and the
    administration role's policies allow assuming it."""
    admin = checkup.assume_role or checkup.role_arn_of(checkup.account, ADMINISTRATION_ROLE)
    name = checkup.execution_role_name
    target = checkup.role_arn_of(account, name)
    try:
        role = checkup.reader.role(account, name)
    except Unreadable as exc:
        yield Finding("D901", "info", account, None, str(exc), f"pass --read-role-name ROLE, a role in {account} "
                      "that the caller may assume and that may read IAM and SSM there", layer="read")
        return
    if role is None:
        yield _create_execution_role(checkup, account, admin)
        return
    admin_account, _, admin_name = split_arn(admin)
    trust = checkup.reader.trust_policy(account, name)
    by_trust = trusts(trust, session_of(admin), target)
    if not by_trust.allowed:
        statement = {"Effect": "Allow", "Principal": {"AWS": admin}, "Action": "sts:AssumeRole"}
        yield _trust_fix(name, account, statement, "D205",
                         f"the trust policy of the execution role {name} in {account} does not name the "
                         f"administration role {admin}; SSM reports this as \"The execution role {target} in the "
                         "target location is unable to be assumed.\"", "trust", checkup, trust)
    if checkup.reader.role(admin_account, admin_name) is None:
        return  # reported by administration()
    identity, boundaries = checkup.reader.identity_policies(admin_account, "role", admin_name)
    request = Request(session_of(admin), "sts:AssumeRole", target, account,
                      checkup.reader.org_keys(admin_account, account))
    policies = PolicySet(identity=identity, boundaries=boundaries, resource=trust_naming(admin),
                         resource_kind="trust", scps=checkup.reader.scps(admin_account),
                         rcps=checkup.reader.rcps(account))  # the execution role's account's RCPs
    decision = evaluate(request, policies)
    if not decision.allowed and decision.layer.startswith("rcp"):
        which = _deciding_rcp(decision)
        yield Finding("D306", "error", account, None,
                      f"{which} denies the administration role {admin_name} assuming {target}; SSM reports this as "
                      f"\"The execution role {target} in the target location is unable to be assumed.\"",
                      f"let principals of the organization through {which.split(' statement ')[0]} "
                      "(aws:PrincipalOrgID), or narrow its Deny", layer="rcp")
    elif not decision.allowed:
        statement = {"Effect": "Allow", "Action": "sts:AssumeRole",
                     "Resource": f"arn:{checkup.partition}:iam::*:role/{name}"}
        yield _permission_finding(
            checkup, "D203", f"the administration role {admin_name} may not assume {target}: {_why(decision)}; SSM "
            f"reports this as \"The execution role {target} in the target location is unable to be assumed.\"",
            request, policies, admin_account, "role", admin_name, statement, "xacct-assume-execution-roles", decision)
    if "AutomationAssumeRole" in checkup.runbook.document.parameters:
        # the runbook runs in the target with the execution role as its AutomationAssumeRole: SSM
        # assumes it there
        yield from service_may_assume(checkup, target, "D207", "execution role", region=checkup.region)


def execution_role_passes(checkup: Checkup, account: str, region: str) -> Iterator[Finding]:
    """In one target location: the execution role, starting the child as its AutomationAssumeRole,
    must be allowed to pass itself there."""
    if "AutomationAssumeRole" not in checkup.runbook.document.parameters:
        return
    target = checkup.role_arn_of(account, checkup.execution_role_name)
    try:
        if checkup.reader.role(account, checkup.execution_role_name) is None:
            return  # D204
    except Unreadable:
        return  # D901
    yield from caller_may_pass(checkup, target, acting=session_of(target).arn, region=region)


def execution_role_template(partition: str, account: str, name: str, admin: str) -> tuple[dict, dict, str]:
    """(trust policy, inline ExecutionPolicy, managed policy ARN) of the execution role as AWS's
    CloudFormation template AWS-SystemsManager-AutomationExecutionRole makes it ("Setting up
    management account permissions for multi-Region and multi-account automation")."""
    trust = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": {"AWS": admin}, "Action": "sts:AssumeRole"},
        {"Effect": "Allow", "Principal": {"Service": SSM}, "Action": "sts:AssumeRole",
         "Condition": {"StringEquals": {"aws:SourceAccount": account},
                       "ArnLike": {"aws:SourceArn": f"arn:{partition}:ssm:*:{account}:automation-execution/*"}}}]}
    policy = {"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Action": ["resource-groups:ListGroupResources", "tag:GetResources",
                                       "ec2:DescribeInstances"], "Resource": "*"},
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": f"arn:{partition}:iam::{account}:role/{name}"}]}
    return trust, policy, f"arn:{partition}:iam::aws:policy/service-role/AmazonSSMAutomationRole"


def _create_execution_role(checkup: Checkup, account: str, admin: str) -> Finding:
    name = checkup.execution_role_name
    target = checkup.role_arn_of(account, name)
    trust, policy, managed = execution_role_template(checkup.partition, account, name, admin)
    reader = checkup.reader

    def create() -> None:
        iam = reader.client("iam", account)
        iam.create_role(RoleName=name, AssumeRolePolicyDocument=compact(trust))
        iam.attach_role_policy(RoleName=name, PolicyArn=managed)
        iam.put_role_policy(RoleName=name, PolicyName="ExecutionPolicy", PolicyDocument=compact(policy))
        reader.read.cache_clear()

    return Finding("D204", "error", account, None,
                   f"the execution role {name} does not exist in {account}; SSM reports this as "
                   f"\"The execution role {target} in the target location is unable to be assumed.\"",
                   f"aws iam create-role --role-name {name} --assume-role-policy-document '{compact(trust)}' && "
                   f"aws iam attach-role-policy --role-name {name} --policy-arn {managed} && "
                   f"aws iam put-role-policy --role-name {name} --policy-name ExecutionPolicy --policy-document "
                   f"'{compact(policy)}'  (or deploy AWS's template AWS-SystemsManager-AutomationExecutionRole)",
                   layer="trust", apply=create)
