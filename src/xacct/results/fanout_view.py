"""What a run across accounts and Regions, or over resource targets, shows on the terminal: one
line per target as it ends, with the running count of targets done, running and failed, and at the
end a matrix of account by Region, or a list of resource and status."""

from __future__ import annotations

import threading

import click

from ..doctor.findings import finding_for

from ..engine import status as S

SHORT = {S.SUCCESS: "ok", S.FAILED: "FAILED", S.CANCELLED: "not run", S.TIMED_OUT: "TIMED OUT"}
COLORS = {S.SUCCESS: "green", S.FAILED: "red", S.CANCELLED: "yellow", S.TIMED_OUT: "red"}


class FanoutProgress:
    """A store listener for the parent execution's events."""

    def __init__(self, parent_id: str, total: int) -> None:
        self.parent_id, self.total = parent_id, total
        self.running = self.done = self.failed = 0
        self.lock = threading.Lock()

    def __call__(self, execution_id: str, kind: str, step: str | None, data: dict) -> None:
        if execution_id != self.parent_id:
            return
        if kind == "TargetsResolved":  # resources, or accounts of OUs, known once the run starts
            with self.lock:
                self.total += len(data.get("Steps", []))
            return
        if step is None:
            return
        with self.lock:
            if kind == "StepStarted":
                self.running += 1
                return
            if kind != "StepFinished":
                return
            status = data["StepStatus"]
            if status != S.CANCELLED or data.get("ChildExecutionId"):
                self.running -= 1
            self.done += 1
            self.failed += status != S.SUCCESS
            counts = f"[{self.done}/{self.total} done, {self.running} running, {self.failed} failed]"
            click.secho(f"  {counts} {step.replace('_', ' ')}: {status}", fg=COLORS.get(status))
            if data.get("FailureMessage"):
                click.echo(f"      {data['FailureMessage']}")
            explanation = data.get("xacct:Explanation")
            if explanation:
                cause = explanation.get("cause") or explanation.get("message", "")
                said = explanation.get("message")
                if said and said not in (data.get("FailureMessage") or ""):
                    click.echo(f"      AWS: {said}")  # what the failing step was told, below this target
                foreseen = finding_for(explanation)
                click.echo(f"      why{f' ({foreseen})' if foreseen else ''}: {explanation.get('layer')}: {cause}")
                if explanation.get("fix"):
                    click.echo(f"      fix: {explanation['fix']}")


def matrix(steps: list[dict]) -> str:
    """Account x Region table of the targets' statuses."""
    cells: dict[tuple[str, str], str] = {}
    accounts: list[str] = []
    regions: list[str] = []
    for step in steps:
        where = step.get("xacct:TargetLocation")
        if not where:
            continue
        account, region = where["Account"], where["Region"]
        accounts += [account] if account not in accounts else []
        regions += [region] if region not in regions else []
        cells[(account, region)] = SHORT.get(step["StepStatus"], step["StepStatus"])
    width = max([len(r) for r in regions] + [9])
    lines = ["account".ljust(14) + "".join(r.ljust(width + 2) for r in regions)]
    for account in accounts:
        lines.append(account.ljust(14) + "".join(cells.get((account, r), "-").ljust(width + 2) for r in regions))
    return "\n".join(line.rstrip() for line in lines)


def resource_list(steps: list[dict]) -> str:
    """One line per resource target: its value (the step's name) and its status."""
    rows = [(step["StepName"], SHORT.get(step["StepStatus"], step["StepStatus"])) for step in steps]
    width = max([len(name) for name, _ in rows] + [8])
    return "\n".join(["resource".ljust(width + 2) + "status"] + [name.ljust(width + 2) + status for name, status in rows])


def report(store, parent_id: str, final: str, output: str, table) -> None:
    """The end of a run across targets: the SSM shapes as JSON (children under ChildExecutions),
    or `table(steps)` (the account x Region matrix, the resource list), the status, the failure,
    its explanation, and where to see every step."""
    import json

    from ..engine.history import automation_execution

    result = automation_execution(store, parent_id)
    if output == "json":
        children = [automation_execution(store, step["xacct:ChildExecutionId"])
                    for step in result["StepExecutions"] if step.get("xacct:ChildExecutionId")]
        click.echo(json.dumps({"AutomationExecution": result, "ChildExecutions": children}, indent=2))
        return
    click.echo(table(result["StepExecutions"]))
    click.secho(f"Execution {parent_id}: {final}", fg="green" if final == "Success" else "red", bold=True)
    if result.get("FailureMessage"):
        click.echo(f"  {result['FailureMessage']}")
    why = result.get("xacct:Explanation")
    if why:  # the targets could not be resolved (OUs not listed, tags not read)
        click.echo(f"  why: {why.get('layer')}: {why.get('cause') or why.get('message', '')}")
        if why.get("fix"):
            click.echo(f"  fix: {why['fix']}")
    click.echo(f"  every step of every target: xacct executions show {parent_id[:8]}")
