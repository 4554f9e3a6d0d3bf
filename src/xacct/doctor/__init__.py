"""`xacct doctor`: before a run, the causes of failure it can foresee, each a Finding with a
stable ID, the target it concerns, the cause, and the fix (findings.py lists them all).

    findings = diagnose(Checkup(reader, runbook, given, region, caller, targets=[(account, region)]))
"""

from __future__ import annotations

from .checkup import Checkup
from .findings import CATALOG, Finding
from .reader import Reader, Unreadable

__all__ = ["CATALOG", "Checkup", "Finding", "Reader", "Unreadable", "diagnose"]


def diagnose(checkup: Checkup) -> list[Finding]:
    """Every finding, in the order a run would meet them; the same cause found for several
    targets (a policy of the administration role, say) is reported once, with every Region
    where it holds (a Region's SCP condition can make it hold in one and not another)."""
    from . import images, mfa, permissions, roles, sharing

    findings: list[Finding] = []
    findings += mfa.caller_may_assume(checkup)
    if checkup.across:
        findings += roles.administration(checkup)
        for account in dict.fromkeys(account for account, _ in checkup.targets):
            findings += roles.execution_role(checkup, account)
        for account, region in checkup.targets:
            findings += roles.execution_role_passes(checkup, account, region)
        for account, region in checkup.targets:
            findings += sharing.shared_with(checkup, account, region)
    else:
        findings += roles.assume_role(checkup)
    unreadable = {f.account for f in findings if f.id == "D901"}
    places = checkup.targets or [(checkup.account, checkup.region)]
    for account, region in places:
        if account not in unreadable:
            findings += permissions.needed(checkup, account, region)
            findings += images.launchable(checkup, account, region)
    unique: dict[tuple, Finding] = {}
    for finding in findings:
        first = unique.setdefault((finding.id, finding.account, finding.fix), finding)
        if first is not finding and finding.region and finding.region not in first.regions:
            first.also_in.append(finding.region)
    return list(unique.values())
