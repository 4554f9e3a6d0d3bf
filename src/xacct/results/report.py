"""The data of a report: an execution and every execution below it, as `xacct executions show ID
--output json` gives them, arranged by target (the account x Region matrix, causes, timelines).

A target is one step of the parent that ran somewhere: a target location of a run across accounts,
or a resource of a rate-controlled run. A run with neither is its own single target. Secrets are
masked here, before anything is rendered (masking.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .causes import general
from .masking import Masker

# a cell of the matrix takes the colour of its worst target
SEVERITY = ["Failed", "TimedOut", "Cancelled", "Cancelling", "Rejected", "CompletedWithFailure", "Waiting",
            "PendingApproval", "InProgress", "RunbookInProgress", "Pending", "Scheduled", "Approved",
            "Success", "CompletedWithSuccess"]
RATE_KEYS = ("TargetParameterName", "Targets", "TargetMaps", "MaxConcurrency", "MaxErrors", "TargetLocations")


@dataclass
class Step:
    execution_id: str
    depth: int  # 0 for the target's own execution, 1 for those it started, ...
    name: str
    action: str
    status: str
    start: str | None
    end: str | None
    seconds: float | None
    inputs: dict
    outputs: dict
    failure: str
    explanation: dict | None
    finding: str | None  # the doctor finding that foresees the explanation's cause


@dataclass
class Target:
    name: str  # the parent's step name (account_Region) or the execution ID
    account: str
    region: str
    status: str
    execution_id: str | None  # the target's child execution, when it started one
    failure: str  # AWS's text: the deepest failed step's failure message
    explanation: dict | None
    finding: str | None
    cause_key: str | None
    steps: list[Step] = field(default_factory=list)


@dataclass
class Cause:
    key: str
    text: str  # the cause (or AWS's text) with target-specific parts as placeholders
    aws_text: str
    fix: str
    finding: str | None
    targets: list[Target] = field(default_factory=list)


@dataclass
class Cell:
    account: str
    region: str
    counts: dict[str, int]

    @property
    def status(self) -> str:
        return worst(self.counts)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class Parent:
    execution_id: str
    runbook: str
    version: str
    status: str
    started: str
    ended: str | None
    executed_by: str
    account: str
    region: str
    mode: str
    parameters: dict
    rate_control: dict
    failure: str


@dataclass
class Report:
    parent: Parent
    targets: list[Target]
    accounts: list[str]
    regions: list[str]
    cells: dict[tuple[str, str], Cell]
    causes: list[Cause]

    @property
    def step_names(self) -> list[str]:
        return sorted({s.name for t in self.targets for s in t.steps})

    @property
    def statuses(self) -> list[str]:
        return sorted({t.status for t in self.targets}, key=_severity)


class NotFound(LookupError):
    pass


def worst(counts: dict[str, int]) -> str:
    return min((s for s, n in counts.items() if n), key=_severity, default="Pending")


def _severity(status: str) -> int:
    return SEVERITY.index(status) if status in SEVERITY else len(SEVERITY)


def build_report(store, execution_id: str) -> Report:
    """The report of `execution_id` (or an unambiguous prefix of one)."""
    from ..engine.history import automation_execution, descendants  # in the order `executions show` lists them
    from ..ssm import Context, SsmError
    from ..ssm.get import automation_execution as get_automation_execution

    try:
        top = get_automation_execution(execution_id, Context(store), prefix=True)
    except SsmError as error:
        raise NotFound(f"{error.code}: {error.message}") from None
    top_id = top["AutomationExecutionId"]
    records = {top_id: top}
    rows = {top_id: store.execution(top_id)}
    children: dict[str, list[str]] = {}
    for child_id in descendants(store, top_id):
        records[child_id] = automation_execution(store, child_id)
        rows[child_id] = store.execution(child_id)
        children.setdefault(records[child_id].get("ParentAutomationExecutionId") or top_id, []).append(child_id)

    masker = Masker()
    for record in records.values():
        masker.learn(record.get("Parameters"))
        for step in record["StepExecutions"]:
            masker.learn(step.get("Inputs"))

    parent = _parent(top, rows[top_id], masker)
    targets = _targets(top, records, rows, children, masker)
    accounts = sorted({t.account for t in targets})
    regions = sorted({t.region for t in targets})
    cells: dict[tuple[str, str], Cell] = {}
    for target in targets:
        cell = cells.setdefault((target.account, target.region), Cell(target.account, target.region, {}))
        cell.counts[target.status] = cell.counts.get(target.status, 0) + 1
    return Report(parent, targets, accounts, regions, cells, _causes(targets))


def _parent(top: dict, row, masker: Masker) -> Parent:
    rate = {key: top[key] for key in RATE_KEYS if top.get(key) not in (None, "", [])}
    if "TargetMaps" in rate:
        rate["TargetMaps"] = [masker.values(m) for m in rate["TargetMaps"]]
    return Parent(top["AutomationExecutionId"], top["DocumentName"], top.get("DocumentVersion", ""),
                  top["AutomationExecutionStatus"], top["ExecutionStartTime"], top.get("ExecutionEndTime"),
                  top.get("ExecutedBy") or "", (row["account"] if row else None) or "-",
                  (row["region"] if row else None) or "-", top.get("Mode", ""),
                  masker.values(top.get("Parameters")), rate, masker.text(top.get("FailureMessage")))


def _targets(top, records, rows, children, masker) -> list[Target]:
    top_id = top["AutomationExecutionId"]
    fanned = [s for s in top["StepExecutions"] if s.get("xacct:TargetLocation") or s.get("xacct:ChildExecutionId")]
    if not fanned:  # a run in one place: the execution itself is the one target
        row = rows[top_id]
        steps = _steps(top_id, 0, records, children, masker)
        return [_target(top_id, (row["account"] if row else None) or "-", (row["region"] if row else None) or "-",
                        top["AutomationExecutionStatus"], top_id, top, steps, masker)]
    targets = []
    for step in fanned:
        child_id = step.get("xacct:ChildExecutionId")
        location = step.get("xacct:TargetLocation") or {}
        row = rows.get(child_id) if child_id else None
        account = location.get("Account") or (row["account"] if row else None) or "-"
        region = location.get("Region") or (row["region"] if row else None) or "-"
        steps = _steps(child_id, 0, records, children, masker) if child_id in records else []
        targets.append(_target(step["StepName"], account, region, step["StepStatus"], child_id, step, steps, masker))
    return targets


def _steps(execution_id: str, depth: int, records, children, masker) -> list[Step]:
    """The steps of an execution and of those it started, each started one after its step."""
    found = []
    started_by_steps = set()
    for raw in records[execution_id]["StepExecutions"]:
        found.append(_step(execution_id, depth, raw, masker))
        child = raw.get("xacct:ChildExecutionId")
        if child in records:
            started_by_steps.add(child)
            found += _steps(child, depth + 1, records, children, masker)
    for child in children.get(execution_id, []):
        if child not in started_by_steps:  # started by a step that does not name it
            found += _steps(child, depth + 1, records, children, masker)
    return found


def _step(execution_id: str, depth: int, raw: dict, masker: Masker) -> Step:
    from ..doctor.findings import finding_for

    start, end = raw.get("ExecutionStartTime"), raw.get("ExecutionEndTime")
    seconds = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds() if start and end else None
    explanation = _explanation(raw.get("xacct:Explanation"), masker)
    return Step(execution_id, depth, raw["StepName"], raw.get("Action", ""), raw.get("StepStatus", ""), start, end,
                seconds, masker.values(raw.get("Inputs")), masker.values(raw.get("Outputs")),
                masker.text(raw.get("FailureMessage")), explanation,
                finding_for(raw["xacct:Explanation"]) if raw.get("xacct:Explanation") else None)


def _explanation(explanation: dict | None, masker: Masker) -> dict | None:
    """The keys a reader needs (cause, fix, decision, layer, the statements' policies), scrubbed."""
    if not explanation:
        return None
    kept = {key: masker.text(str(explanation[key])) for key in ("cause", "fix", "decision", "layer", "action",
                                                                  "resource", "message") if explanation.get(key)}
    policies = [s.get("policy") for s in explanation.get("statements") or [] if isinstance(s, dict)]
    if any(policies):
        kept["statements"] = [masker.text(str(p)) for p in policies if p]
    return kept


def _target(name, account, region, status, execution_id, own: dict, steps: list[Step], masker) -> Target:
    """The target's failure is its deepest failed step's (AWS's own text), else its own; its
    explanation is its own (a fanout copies its target's), else that step's."""
    from ..doctor.findings import finding_for

    failed = [s for s in steps if s.failure and s.status not in ("Success",)]
    deepest = max(failed, key=lambda s: s.depth) if failed else None
    failure = (deepest.failure if deepest else "") or masker.text(own.get("FailureMessage"))
    raw = own.get("xacct:Explanation")
    explanation = _explanation(raw, masker) if raw else (deepest.explanation if deepest else None)
    finding = finding_for(raw) if raw else (deepest.finding if deepest else None)
    key = None
    if status not in ("Success", "CompletedWithSuccess") and (failure or explanation):
        key = general((explanation or {}).get("cause") or (explanation or {}).get("message") or failure)
    return Target(name, account, region, status, execution_id, failure, explanation, finding, key, steps)


def _causes(targets: list[Target]) -> list[Cause]:
    causes: dict[str, Cause] = {}
    for target in targets:
        if not target.cause_key:
            continue
        if target.cause_key not in causes:
            why = target.explanation or {}
            causes[target.cause_key] = Cause(target.cause_key, target.cause_key, general(target.failure),
                                             general(why.get("fix")), target.finding)
        causes[target.cause_key].targets.append(target)
    return sorted(causes.values(), key=lambda c: -len(c.targets))
