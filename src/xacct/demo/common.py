"""What the chapters of `xacct demo` share: headings, and runs followed on the screen."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import click


def example(name: str) -> str:
    return str(resources.files("xacct") / "examples" / name)


def say(text: str) -> None:
    click.secho(text, bold=True)


def run_followed(runbook: str, cloud, store, parameters: dict) -> tuple[str, dict, object]:
    from ..engine import run, start_runbook
    from ..engine.history import automation_execution
    from ..results.progress import Progress

    execution = start_runbook(runbook, cloud=cloud, store=store, parameters=parameters)
    click.echo(f"  $ xacct run {Path(runbook.partition('#')[0]).name}#{runbook.partition('#')[2]} "
               + " ".join(f"-p {k}={','.join(v)}" for k, v in parameters.items()))
    listener = Progress(execution.id)
    store.listeners.append(listener)
    try:
        status = run(execution)
    finally:
        store.listeners.remove(listener)
    click.secho(f"  Execution {execution.id}: {status}", fg="green" if status == "Success" else "red")
    return status, automation_execution(store, execution.id), execution


def run_across_followed(cloud, store, built, runbook: str, accounts: list[str], region: str) -> tuple[str, dict]:
    from ..engine.documents import by_name
    from ..engine.history import automation_execution
    from ..engine.locations import ADMINISTRATION_ROLE, TargetLocation, run_fanout, start_fanout
    from ..results.fanout_view import FanoutProgress, matrix

    caller = built.users[("111111111111", "ops")]
    admin = f"arn:aws:iam::111111111111:role/{ADMINISTRATION_ROLE}"
    click.echo(f"  $ xacct run {runbook} --accounts {','.join(accounts)} --regions {region} "
               f"-p AutomationAssumeRole={admin}")
    fanout = start_fanout(by_name(runbook, cloud, caller, region), [TargetLocation(accounts, [region])],
                          cloud=cloud, store=store, region=region, given={"AutomationAssumeRole": [admin]},
                          caller=caller)
    listener = FanoutProgress(fanout.parent.id, len(fanout.targets))
    store.listeners.append(listener)
    try:
        status = run_fanout(fanout)
    finally:
        store.listeners.remove(listener)
    result = automation_execution(store, fanout.parent.id)
    click.echo("\n".join("  " + line for line in matrix(result["StepExecutions"]).splitlines()))
    return status, result
