"""Why a target failed: AWS's text, its cause and fix, and the doctor finding that foresees it.

SSM says little: "The execution role ... in the target location is unable to be assumed." covers
a runbook not shared with the target account, an execution role that is missing, one whose trust
policy does not name the administration role, and an administration role that may not assume
it. When the text is one of these (or an AccessDenied of a step), doctor's checks run for that
target (doctor.diagnose, through the same read role) and the finding for the target's account
names which it is."""

from __future__ import annotations

import re

ASSUME = "unable to be assumed"
DENIED = re.compile(r"not authorized to perform:?\s+([\w-]+:[\w*]+)|AccessDenied", re.I)
# the findings that can make SSM say ASSUME, most specific first
ASSUME_FINDINGS = ("D101", "D102", "D204", "D205", "D203", "D201", "D202", "D206", "D207")


def calls_for_doctor(text: str) -> bool:
    return ASSUME in text or bool(DENIED.search(text)) or "does not exist" in text


def explanation(text: str, findings: list, account: str, region: str, unexamined: str | None = None) -> dict:
    """The explanation a failed target carries (the shape of the sandbox's, so that the live view
    and `xacct executions show` print it the same way)."""
    found = _pick(text, findings, account)
    result = {"decision": "Deny", "message": text, "layer": "ssm"}
    if unexamined:
        result["doctor"] = f"doctor could not look: {unexamined}"
    if found is not None:
        result.update({"finding": found.id, "layer": found.layer or "doctor", "cause": found.cause, "fix": found.fix})
        if found.statement:
            result["statement"] = found.statement
        return result
    if ASSUME in text:
        result.update({"layer": "trust", "cause": (
            f"SSM could not act in {account} {region} as the execution role: the runbook not shared with "
            f"{account}, the role missing there, or its trust policy not naming the administration role"),
            "fix": f"xacct doctor RUNBOOK --aws --accounts {account} --regions {region}  (says which)"})
    elif DENIED.search(text):
        action = DENIED.search(text).group(1)
        result.update({"layer": "identity", "cause": f"the role the step ran as may not call {action or 'the API'}",
                       "fix": f"allow {action or 'the action'} to the execution role in {account}"})
    else:
        result["cause"] = text
    return result


def _pick(text: str, findings: list, account: str):
    mine = [f for f in findings if f.severity == "error" and f.account in (account, None)]
    central = [f for f in findings if f.severity == "error" and f.account != account]
    if ASSUME in text:
        for wanted in ASSUME_FINDINGS:
            for finding in mine + central:
                if finding.id == wanted:
                    return finding
    match = DENIED.search(text)
    if match and match.group(1):
        for finding in mine:
            if match.group(1) in f"{finding.cause} {finding.fix} {finding.statement or ''}":
                return finding
    return mine[0] if mine else None


class Doctor:
    """doctor's checks for one target at a time, reading each account once per run."""

    def __init__(self, cloud, reader, caller, region: str, runbook_ref: str, given: dict,
                 execution_role_name: str) -> None:
        self.cloud, self.reader, self.caller, self.region = cloud, reader, caller, region
        self.runbook_ref, self.given, self.execution_role_name = runbook_ref, given, execution_role_name
        self._runbook = None

    def findings(self, account: str, region: str) -> tuple[list, str | None]:
        """doctor's findings for the target, and why doctor could not look, if it could not."""
        from ..doctor import Checkup, diagnose
        from ..engine.documents import find_runbook

        try:
            if self._runbook is None:
                self._runbook = find_runbook(self.runbook_ref, self.cloud, self.caller, self.region)
            checkup = Checkup(self.reader, self._runbook, self.given, self.region, self.caller,
                              targets=[(account, region)], execution_role_name=self.execution_role_name,
                              owned_by_aws=self.cloud.owned_document(self._runbook.name) is not None)
            return diagnose(checkup), None
        except Exception as error:  # doctor could not read what it needs: AWS's text stands alone
            return [], " ".join(str(error).split()) or type(error).__name__
