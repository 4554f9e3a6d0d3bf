"""Doctor and run on one world, in process: the world is built once into the session's sandbox,
`xacct doctor`'s checks judge every target, and the run across the same targets says what
happened in each. Both answers are by target (account, Region), so a test can compare them with
each other and with what AWS's evaluation logic says."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from xacct.doctor import Checkup, Reader, diagnose
from xacct.doctor.findings import finding_for
from xacct.engine.documents import by_name
from xacct.engine.history import automation_execution
from xacct.engine.locations import TargetLocation, run_fanout, start_fanout
from xacct.sandbox.world import build_world, load_world

ADMIN = "AWS-SystemsManager-AutomationAdministrationRole"


@dataclass
class Outcome:
    """What the run did in one target."""

    status: str
    failure: str | None = None
    explanation: dict | None = None
    parent_id: str = ""  # the run's parent execution, for `xacct executions show`

    @property
    def foreseen_by(self) -> str | None:
        return finding_for(self.explanation) if self.explanation else None


@dataclass
class Checked:
    findings: list = field(default_factory=list)
    outcomes: dict[tuple[str, str], Outcome] = field(default_factory=dict)

    def errors_at(self, account: str, region: str) -> list:
        """Doctor's error findings about a target (an account-wide finding counts for each Region;
        one about the starting account counts for every target)."""
        return [f for f in self.findings if f.severity == "error" and f.account == account
                and (f.region is None or region in f.regions)]


def build(sandbox, path: Path, region: str):
    return build_world(load_world(str(path)), sandbox, region)


def caller_of(sandbox, built, starter: str, region: str):
    caller = (built.users.get((starter, "ops")) if built else None) or sandbox.operator(starter)
    return sandbox.identity(caller, region)


def doctor(sandbox, built, runbook: str, starter: str, targets: list[tuple[str, str]], given: dict,
           region: str) -> list:
    caller = caller_of(sandbox, built, starter, region)
    found = by_name(runbook, sandbox, caller, region)
    checkup = Checkup(Reader(sandbox, caller, region), found, given, region, caller, targets=targets,
                      owned_by_aws=sandbox.owned_document(runbook) is not None)
    return diagnose(checkup)


def run(sandbox, store, built, runbook: str, starter: str, locations: list[TargetLocation], given: dict,
        region: str) -> dict[tuple[str, str], Outcome]:
    caller = caller_of(sandbox, built, starter, region)
    fanout = start_fanout(by_name(runbook, sandbox, caller, region), locations, cloud=sandbox, store=store,
                          region=region, given=given, caller=caller,
                          owned_by_aws=sandbox.owned_document(runbook) is not None)
    run_fanout(fanout)
    parent = automation_execution(store, fanout.parent.id)
    outcomes = {}
    for step in parent["StepExecutions"]:
        where = step.get("xacct:TargetLocation")
        if where:
            outcomes[(where["Account"], where["Region"])] = Outcome(
                step["StepStatus"], step.get("FailureMessage"), step.get("xacct:Explanation"), fanout.parent.id)
    return outcomes


def check(sandbox, store, path: Path, runbook: str, starter: str, targets: list[tuple[str, str]],
          region: str, given: dict | None = None, locations: list[TargetLocation] | None = None) -> Checked:
    """Build the world, run doctor on the targets, then run the runbook there (one location per
    account x Region set unless `locations` says otherwise, all at once, no failure stopping it)."""
    built = build(sandbox, path, region)
    given = {"AutomationAssumeRole": [f"arn:aws:iam::{starter}:role/{ADMIN}"], **(given or {})}
    findings = doctor(sandbox, built, runbook, starter, targets, given, region)
    if locations is None:
        accounts = list(dict.fromkeys(a for a, _ in targets))
        regions = list(dict.fromkeys(r for _, r in targets))
        locations = [TargetLocation(accounts, regions, max_concurrency="100%", max_errors="100%")]
    outcomes = run(sandbox, store, built, runbook, starter, locations, given, region)
    return Checked(findings, outcomes)
