"""What `xacct doctor` reports: findings with stable IDs, each naming the target it concerns, the
cause, and the fix as a runnable AWS CLI command or a policy statement.

IDs follow the validator's convention (0003): a number range per area, never reused.
D1xx the runbook in the target, D2xx the roles of a run across accounts, D3xx the permissions the
runbook's calls need, D4xx MFA, D5xx AMIs and their KMS keys, D9xx what doctor could not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

CATALOG: dict[str, str] = {
    "D101": "runbook not shared with the target account",
    "D102": "runbook missing in the target Region",
    "D201": "administration role missing",
    "D202": "administration role does not trust Systems Manager",
    "D203": "administration role may not assume the execution role",
    "D204": "execution role missing in the target account",
    "D205": "execution role does not trust the administration role",
    "D206": "caller may not pass the role to Systems Manager",
    "D207": "assume role does not trust Systems Manager",
    "D208": "caller may not assume the role",
    "D301": "a permission the runbook needs is missing",
    "D302": "a permission the runbook needs is denied",
    "D303": "a permission the runbook needs depends on a condition",
    "D304": "a bucket or key policy does not allow a call the runbook makes",
    "D305": "a bucket or key policy denies a call the runbook makes",
    "D306": "a resource control policy does not allow a call the runbook makes",
    "D307": "a queue or topic policy does not allow a call the runbook makes",
    "D308": "a queue or topic policy denies a call the runbook makes",
    "D401": "MFA required by the role's trust policy",
    "D501": "AMI not shared with the target account",
    "D502": "snapshot of the AMI not shared with the target account",
    "D503": "KMS key policy does not allow the target account",
    "D504": "no grant for the Auto Scaling service-linked role",
    "D505": "AMI encrypted with an AWS managed key",
    "D506": "Auto Scaling service-linked role missing",
    "D901": "could not read the target account",
}


@dataclass
class Finding:
    id: str
    severity: str  # "error": the run fails there; "warning": it may; "info": doctor could not tell
    account: str
    region: str | None
    cause: str
    fix: str  # an AWS CLI command, or what to change
    statement: dict | None = None  # the policy statement to add, when the fix is one
    layer: str = ""  # trust, identity, kms, grant, share, launch-permission, mfa, scp, ...
    apply: Callable[[], Any] | None = field(default=None, repr=False, compare=False)
    also_in: list[str] = field(default_factory=list)  # other Regions where the same cause holds

    @property
    def title(self) -> str:
        return CATALOG[self.id]

    @property
    def regions(self) -> list[str]:
        """Every Region the finding concerns; empty for an account-wide one."""
        return ([self.region] if self.region else []) + self.also_in

    @property
    def where(self) -> str:
        return f"{self.account}/{','.join(self.regions)}" if self.region else self.account

    def text(self) -> str:
        lines = [f"{self.where}: {self.id} {self.severity}: {self.title}", f"  cause: {self.cause}",
                 f"  fix:   {self.fix}"]
        if self.statement:
            lines += ["  " + line for line in json.dumps(self.statement, indent=2).splitlines()]
        return "\n".join(lines)

    def as_json(self) -> dict:
        data = {"Id": self.id, "Title": self.title, "Severity": self.severity, "Account": self.account,
                "Region": self.region, "Regions": self.regions, "Layer": self.layer, "Cause": self.cause, "Fix": self.fix,
                "Fixable": self.apply is not None}
        if self.statement:
            data["Statement"] = self.statement
        return data


# What launching another account's encrypted AMI asks of its key (the key policy statements
# `xacct ami share` plans: "Share an AMI with specific AWS accounts", Amazon EC2 User Guide)
AMI_KEY_ACTIONS = ("kms:CreateGrant", "kms:Decrypt", "kms:DescribeKey", "kms:ReEncrypt", "kms:GenerateDataKey")
JUDGED_LAYERS = ("identity", "boundary", "scp")  # the layers doctor's D3xx checks judge


def _account_of(arn: str) -> str:
    parts = arn.split(":")
    return parts[4] if len(parts) > 5 and parts[0] == "arn" else ""


def resource_policy_finding(resource: str, denied: bool) -> str | None:
    """The finding for a resource-based policy that does not allow (or denies) a call on
    `resource`: D304/D305 for a bucket or key policy, D307/D308 for a queue or topic policy; None
    for a resource whose policy doctor does not read."""
    parts = resource.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn" or not parts[5] or parts[5] == "*":
        return None
    if parts[2] in ("s3", "kms"):
        return "D305" if denied else "D304"
    if parts[2] in ("sqs", "sns"):
        return "D308" if denied else "D307"
    return None


def _resource_finding(explanation: dict) -> str | None:
    """The finding for a bucket, key, queue or topic that the call named (doctor reads their
    policies); None for other resources, and for a key the call did not name (kms:Decrypt finds
    it in the ciphertext, which doctor cannot read before the run)."""
    if explanation.get("keyFromCiphertext"):
        return None
    return resource_policy_finding(str(explanation.get("resource") or ""),
                                   explanation.get("decision") == "explicitDeny")


def finding_for(explanation: dict) -> str | None:
    """The doctor finding that foresees the cause of a denial explained after a run, so that a
    failed run and `xacct doctor` name the same cause the same way; None when no doctor check
    judges that cause (a link is made only where the finding's check would have seen it)."""
    if explanation.get("finding") in CATALOG:  # the explanation knew its cause (a missing share, role)
        return explanation["finding"]
    layer = str(explanation.get("layer") or "").split(" ")[0]
    action = str(explanation.get("action") or "")
    principal = str(explanation.get("principal") or "")
    text = f"{explanation.get('fix', '')} {' '.join(explanation.get('nearMisses', []))}"
    if "multifactorauth" in text.lower():
        return "D401"
    if action == "sts:AssumeRole":
        if layer == "trust":  # SSM assuming a run's role, or the administration role its execution role
            return "D207" if principal.endswith(".amazonaws.com") else "D205"
        if layer == "rcp":  # an RCP of the role's account (doctor judges it for SSM's own assuming)
            return "D306"
        return "D203"
    if action == "iam:PassRole":
        return "D206"
    if layer == "kms":
        # D503/D504 judge another account's key behind an AMI the run launches; a key of the
        # caller's own account, or a call that launching does not make, is no check's
        key_account = _account_of(str(explanation.get("resource") or ""))
        if not key_account or key_account == _account_of(principal) or not action.startswith(AMI_KEY_ACTIONS):
            return _resource_finding(explanation)
        return "D504" if "AWSServiceRoleForAutoScaling" in principal else "D503"
    if layer == "resource":
        return _resource_finding(explanation)
    if layer == "rcp":
        return "D306"
    if layer not in JUDGED_LAYERS:
        return None
    if explanation.get("decision") == "explicitDeny":
        return "D302"
    return "D301"


AREAS = {"1": "The runbook in each target", "2": "Roles of the run", "3": "Permissions the runbook's calls need",
         "4": "MFA", "5": "AMIs and their KMS keys", "9": "What doctor could not read"}


def catalog_markdown() -> str:
    """docs/doctor.md (`python -m xacct.doctor.findings > docs/doctor.md`); a test keeps it current."""
    lines = ["# `xacct doctor` findings", "",
             "Generated by `python -m xacct.doctor.findings > docs/doctor.md`; a test keeps it current. IDs are",
             "stable: a retired finding leaves a gap.", ""]
    for area, title in AREAS.items():
        lines += [f"## D{area}xx: {title}", "", "| ID | finding |", "|---|---|"]
        lines += [f"| {fid} | {text} |" for fid, text in CATALOG.items() if fid[1] == area]
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    print(catalog_markdown(), end="")
