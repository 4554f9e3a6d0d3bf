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

    @property
    def title(self) -> str:
        return CATALOG[self.id]

    @property
    def where(self) -> str:
        return f"{self.account}/{self.region}" if self.region else self.account

    def text(self) -> str:
        lines = [f"{self.where}: {self.id} {self.severity}: {self.title}", f"  cause: {self.cause}",
                 f"  fix:   {self.fix}"]
        if self.statement:
            lines += ["  " + line for line in json.dumps(self.statement, indent=2).splitlines()]
        return "\n".join(lines)

    def as_json(self) -> dict:
        data = {"Id": self.id, "Title": self.title, "Severity": self.severity, "Account": self.account,
                "Region": self.region, "Layer": self.layer, "Cause": self.cause, "Fix": self.fix,
                "Fixable": self.apply is not None}
        if self.statement:
            data["Statement"] = self.statement
        return data
