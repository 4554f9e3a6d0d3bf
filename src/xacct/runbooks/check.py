"""`xacct runbooks check`: every catalogued Automation runbook validated and tried without
running, in the sandbox, as StartAutomationExecution would start it:

- validation: the findings of `xacct validate` (errors stop SSM from creating the document);
- parameters: the required ones no value is given for, else SSM's check of the values given
  and the defaults (types, allowed values and patterns);
- assume role: the runbook's assumeRole, taken by SSM through STS as the service (iam:PassRole
  and the role's trust), or "caller" when the runbook runs with the caller's rights;
- first step: each call of the first step authorized for whoever the run acts as."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .entry import Entry

REFERENCE = re.compile(r"\{\{\s*([\w.:-]+)\s*\}\}")
OK = "ok"


@dataclass
class Checked:
    name: str
    version: str
    source: str
    validation: str
    parameters: str
    assume_role: str
    first_step: str

    @property
    def passed(self) -> bool:
        """Nothing that would stop the run: a value still to give ("needs ...") is no failure."""
        return (self.validation == OK and (self.parameters == OK or self.parameters.startswith("needs "))
                and not self.assume_role.startswith("refused") and not self.first_step.startswith("denied"))

    def as_json(self) -> dict:
        return {"Name": self.name, "DocumentVersion": self.version, "Source": self.source,
                "Validation": self.validation, "Parameters": self.parameters, "AssumeRole": self.assume_role,
                "FirstStep": self.first_step, "Passed": self.passed}


def check_entry(entry: Entry, cloud, caller, region: str, given: dict[str, list[str]]) -> Checked:
    from ..document.validate import validate_text

    findings = validate_text(entry.text, entry.path or f"{entry.name}.{entry.fmt.lower()}")
    errors = [f for f in findings if f.severity == "error"]
    validation = OK if not errors else f"{len(errors)} error(s): {', '.join(sorted({f.id for f in errors}))}"
    document = entry.document
    if document is None:
        return Checked(entry.name, entry.version, entry.source, validation, "-", "-", "-")
    mine = {k: v for k, v in given.items() if k in document.parameters}
    parameters = _parameters(document, mine)
    role, credentials = _assume_role(document, mine, cloud, caller, region)
    return Checked(entry.name, entry.version, entry.source, validation, parameters, role,
                   _first_step(document, mine, cloud, credentials or caller, region))


def _parameters(document, given) -> str:
    missing = [n for n, p in document.parameters.items() if not p.has_default and n not in given]
    if missing:
        return "needs " + ", ".join(missing)
    from ..engine.errors import ExecutionRejected
    from ..engine.parameters import resolve_parameters

    try:
        resolve_parameters(document, given)
    except ExecutionRejected as exc:
        return " ".join(str(exc).split())
    return OK


def _value(document, given, name: str) -> str | None:
    if name in given:
        return ",".join(given[name])
    parameter = document.parameters.get(name)
    if parameter is not None and parameter.has_default and isinstance(parameter.default, str):
        return parameter.default
    return None


def _assume_role(document, given, cloud, caller, region):
    """(what the check found, the role's credentials when it was assumed)."""
    raw = document.assume_role
    if not isinstance(raw, str) or not raw.strip():
        return "caller", None
    unknown: list[str] = []

    def fill(match: re.Match) -> str:
        value = _value(document, given, match.group(1))
        if value is None:
            unknown.append(match.group(1))
            return ""
        return value

    role = REFERENCE.sub(fill, raw).strip()
    if unknown:
        return "needs " + ", ".join(unknown), None
    if not role:
        return "caller", None
    try:
        credentials = cloud.assume_role_as_service("ssm", role, "xacct-runbooks-check", caller, region)
    except Exception as exc:  # the gate's AccessRefused, or botocore's ClientError
        code = getattr(exc, "code", None) or getattr(exc, "response", {}).get("Error", {}).get("Code", "")
        return f"refused: {code or type(exc).__name__}", None
    return f"ok: {role.rsplit('/', 1)[-1]}", credentials


def _first_step(document, given, cloud, credentials, region: str) -> str:
    from ..doctor.calls import parameter_values, runbook_calls

    if not document.steps:
        return "none"
    first = document.steps[0].name
    account = credentials.account or getattr(cloud, "account", "")
    calls = [c for c in runbook_calls(document, parameter_values(document, given), region=region, account=account)
             if c.step == first]
    if not calls:
        return "none"
    gate = getattr(cloud, "gate", None) if getattr(cloud, "enforce", False) else None
    denied: list[str] = []
    for call in calls:
        resource = call.authorization.resource if call.known_resource else "*"
        if gate is None:
            continue
        try:
            gate.authorize(credentials.access_key_id, call.authorization.action, resource, {})
        except Exception as exc:
            if getattr(exc, "code", None) is None:
                raise
            denied.append(call.authorization.action)
    if denied:
        return "denied: " + ", ".join(sorted(set(denied)))
    return "ok: " + ", ".join(sorted({c.authorization.action for c in calls}))
