"""A role the caller assumes first (a profile's role_arn, story S4): when its trust policy allows
the caller only with aws:MultiFactorAuthPresent, STS answers a call without MFA with a bare
AccessDenied that does not mention MFA ("Configure MFA-protected API access", IAM User Guide)."""

from __future__ import annotations

from typing import Iterator

from ..iam import Caller, PolicySet, Request, evaluate
from .checkup import Checkup, split_arn
from .findings import Finding

WITH_MFA = {"aws:MultiFactorAuthPresent": ["true"], "aws:MultiFactorAuthAge": ["0"]}


def caller_may_assume(checkup: Checkup) -> Iterator[Finding]:
    role_arn = checkup.role_arn
    caller_arn = checkup.caller.arn or ""
    if not role_arn or not caller_arn:
        return
    account, _, name = split_arn(role_arn)
    caller_account, kind, caller_name = split_arn(caller_arn)
    trust = checkup.reader.trust_policy(account, name)
    if trust is None:
        yield Finding("D208", "error", account, None, f"the role {role_arn} does not exist",
                      "check the profile's role_arn", layer="trust")
        return
    caller = Caller(caller_arn, checkup.role_arn_of(caller_account, caller_name) if kind == "role" else None)
    identity, boundaries = checkup.reader.identity_policies(caller_account, kind, caller_name)
    with_mfa = bool(checkup.mfa_serial)
    if with_mfa and kind == "user" and checkup.mfa_serial not in checkup.reader.mfa_devices(caller_account, caller_name):
        yield Finding("D401", "error", caller_account, None,
                      f"{checkup.mfa_serial} is not an MFA device of {caller_arn}; STS refuses the code with "
                      "\"MultiFactorAuthentication failed with invalid MFA one time pass code.\"",
                      f"aws iam list-mfa-devices --user-name {caller_name}  (use one of its SerialNumber values)",
                      layer="mfa")
        return

    def judge(context: dict):
        request = Request(caller, "sts:AssumeRole", role_arn, account, dict(context))
        return evaluate(request, PolicySet(identity=identity, boundaries=boundaries, resource=trust,
                                           resource_kind="trust"))

    decision = judge(WITH_MFA if with_mfa else {})
    if decision.allowed:
        return
    if not with_mfa and judge(WITH_MFA).allowed:
        devices = checkup.reader.mfa_devices(caller_account, caller_name) if kind == "user" else ()
        serial = devices[0] if devices else f"arn:{checkup.partition}:iam::{caller_account}:mfa/{caller_name}"
        yield Finding("D401", "error", account, None,
                      f"the trust policy of {name} allows {caller_arn} only with MFA "
                      "(aws:MultiFactorAuthPresent); without it STS answers \"User: "
                      f"{caller_arn} is not authorized to perform: sts:AssumeRole on resource: {role_arn}\"",
                      f"aws sts assume-role --role-arn {role_arn} --role-session-name xacct "
                      f"--serial-number {serial} --token-code <code>, or in the profile: mfa_serial = {serial}",
                      layer="mfa")
        return
    layer = decision.missing or decision.layer
    if layer == "trust":
        statement = {"Effect": "Allow", "Principal": {"AWS": caller_arn}, "Action": "sts:AssumeRole"}
        fix = f"add to the trust policy of {name}: {statement}"
    else:
        statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": role_arn}
        fix = f"add to the policies of {caller_arn}: {statement}"
    yield Finding("D208", "error", account if layer == "trust" else caller_account, None,
                  f"{caller_arn} may not assume {role_arn}: decided by the {layer} layer", fix, statement=statement,
                  layer=layer)


def profile_refused(role_arn: str, source_arn: str, devices: tuple[str, ...] | None, refusal: str) -> Finding:
    """In AWS, a profile with role_arn and no mfa_serial that STS refuses: the caller cannot read
    the role's trust policy (it is in the other account), but STS's bare AccessDenied for a user
    with an MFA device is the case of story S4, so say so, with the profile line that fixes it."""
    account = role_arn.split(":")[4]
    caller_account, kind, name = split_arn(source_arn)
    serial = devices[0] if devices else f"arn:aws:iam::{caller_account}:mfa/{name}"
    known = (f"{source_arn} has the MFA device {serial}" if devices else
             f"the MFA devices of {source_arn} could not be listed (iam:ListMFADevices)")
    return Finding("D401", "error" if devices else "warning", account, None,
                   f"STS refused {role_arn} to the profile ({refusal}); the profile has no mfa_serial and {known}. "
                   "A trust policy that requires aws:MultiFactorAuthPresent answers exactly so, without naming MFA",
                   f"add to the profile: mfa_serial = {serial}  (or: aws sts assume-role --role-arn {role_arn} "
                   f"--role-session-name xacct --serial-number {serial} --token-code <code>)", layer="mfa")
