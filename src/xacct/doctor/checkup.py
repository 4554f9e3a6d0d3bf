"""What one doctor run looks at: the runbook, its parameters, the caller, the targets, the roles."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..credentials import Credentials
from ..engine.documents import Runbook
from .reader import Reader


@dataclass
class Checkup:
    reader: Reader
    runbook: Runbook
    given: dict[str, list[str]]
    region: str
    caller: Credentials  # with its ARN
    targets: list[tuple[str, str]] = field(default_factory=list)  # (account, Region); empty: this account
    execution_role_name: str = "AWS-SystemsManager-AutomationExecutionRole"
    owned_by_aws: bool = False
    role_arn: str | None = None  # a role the caller assumes first (a profile's role_arn)
    mfa_serial: str | None = None  # the MFA device the caller would use for it
    images: list[str] = field(default_factory=list)  # AMI IDs the run launches (from -p or the steps)
    target_keys: list[str] = field(default_factory=list)  # the Keys of --targets (tag:App, ResourceGroup)
    target_parameter: str | None = None  # --target-parameter-name: filled per resource, unknown before

    @property
    def partition(self) -> str:
        return self.reader.cloud.partition

    @property
    def account(self) -> str:
        return self.caller.account or ""

    @property
    def across(self) -> bool:
        return bool(self.targets)

    @property
    def assume_role(self) -> str | None:
        """AutomationAssumeRole as given (the administration role of a run across accounts), with
        the system variables written in it filled as SSM fills them where the run starts
        (`arn:aws:iam::{{global:ACCOUNT_ID}}:role/...`, as AWS's walkthroughs write it)."""
        value: Any = self.given.get("AutomationAssumeRole")
        if not value:
            return None
        return system_values_in(str(value[0]), self.account, self.region, self.partition)

    @property
    def acting_arn(self) -> str:
        """Who starts the run: a session of --role-arn when the caller assumes one first."""
        if self.role_arn:
            account, _, name = split_arn(self.role_arn)
            return f"arn:{self.partition}:sts::{account}:assumed-role/{name}/xacct"
        return self.caller.arn or ""

    def role_arn_of(self, account: str, name: str) -> str:
        return f"arn:{self.partition}:iam::{account}:role/{name}"


def system_values_in(text: str, account: str, region: str, partition: str) -> str:
    """`text` with the system variables known before a run filled in; other references as written."""
    from ..document.references import REFERENCE

    known = {"global:ACCOUNT_ID": account, "global:REGION": region, "global:AWS_PARTITION": partition}
    return REFERENCE.sub(lambda m: known.get(m.group(1).strip(), m.group(0)), text)


def split_arn(arn: str) -> tuple[str, str, str]:
    """(account, kind, name) of arn:aws:iam::A:role/path/N, arn:aws:iam::A:user/N, or a session
    arn:aws:sts::A:assumed-role/N/S (whose policies are the role's)."""
    parts = arn.split(":", 5)
    account, resource = parts[4], parts[5]
    kind, _, rest = resource.partition("/")
    if kind == "assumed-role":
        return account, "role", rest.split("/")[0]
    return account, kind, rest.rsplit("/", 1)[-1]
