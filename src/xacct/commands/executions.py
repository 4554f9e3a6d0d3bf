"""`xacct executions`: what ran, and how each step of it went."""

from __future__ import annotations

import json
import sys

import click


@click.group()
def executions():
    """List recorded executions, or show one step by step.

    \b
    Examples:
      xacct executions list --status Failed
      xacct executions show 3f2c --output json
    """


@executions.command("list")
@click.option("--status", help="Only executions with this AutomationExecutionStatus.")
@click.option("--limit", type=int, default=50, show_default=True)
@click.option("--all", "include_children", is_flag=True, help="Include child executions.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def list_executions(ctx, status, limit, include_children, output):
    """List executions, newest first.

    \b
    Example:
      xacct executions list --status Failed --limit 10
    """
    from ..cli import open_store
    from ..engine.history import automation_execution

    store = open_store(ctx)
    rows = store.executions(top_level=not include_children, status=None, limit=limit * 4 if status else limit)
    shown = []
    for row in rows:
        summary = automation_execution(store, row["execution_id"])
        if status and summary["AutomationExecutionStatus"] != status:
            continue
        shown.append(summary)
        if len(shown) >= limit:
            break
    if output == "json":
        keys = ("AutomationExecutionId", "DocumentName", "AutomationExecutionStatus", "ExecutionStartTime",
                "ExecutionEndTime", "ExecutedBy", "ParentAutomationExecutionId")
        meta = [{k: s[k] for k in keys if k in s} for s in shown]
        click.echo(json.dumps({"AutomationExecutionMetadataList": meta}, indent=2))
        return
    for s in shown:
        click.echo(f"{s['AutomationExecutionId']}  {s['AutomationExecutionStatus']:<10}  "
                   f"{s['ExecutionStartTime'][:19]}  {s['DocumentName']}")


@executions.command("show")
@click.argument("execution_id")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def show(ctx, execution_id, output):
    """Show one execution (by ID or an unambiguous prefix) with every step, its inputs, outputs,
    timing and failure, and the executions it started. With --output json, the shape of
    `aws ssm get-automation-execution`.

    \b
    Example:
      xacct executions show 3f2c
    """
    from ..cli import open_store
    from ..engine.history import automation_execution

    store = open_store(ctx)
    row = store.find_execution(execution_id)
    if row is None:
        click.echo(f"xacct: AutomationExecutionNotFoundException: Execution {execution_id} does not exist.", err=True)
        sys.exit(1)
    result = automation_execution(store, row["execution_id"])
    if output == "json":
        click.echo(json.dumps({"AutomationExecution": result}, indent=2))
        return
    _show_text(store, result, 0)


def _show_text(store, result, depth):
    from ..engine.history import automation_execution

    pad = "  " * depth
    click.secho(f"{pad}{result['AutomationExecutionId']}  {result['DocumentName']}  "
                f"{result['AutomationExecutionStatus']}", bold=True)
    click.echo(f"{pad}  started {result['ExecutionStartTime']}  by {result.get('ExecutedBy')}")
    for name, values in result.get("Parameters", {}).items():
        click.echo(f"{pad}  parameter {name} = {', '.join(values)}")
    for step in result["StepExecutions"]:
        click.echo(f"{pad}  - {step['StepName']} ({step.get('Action')}): {step['StepStatus']}")
        for name, value in step.get("Inputs", {}).items():
            click.echo(f"{pad}      input {name} = {value[:200]}")
        for name, values in step.get("Outputs", {}).items():
            click.echo(f"{pad}      output {name} = {', '.join(values)[:200]}")
        if step.get("FailureMessage"):
            click.echo(f"{pad}      failure: {step['FailureMessage']}")
        explanation = step.get("xacct:Explanation")
        if explanation:
            click.echo(f"{pad}      why: {explanation['decision']} by the {explanation['layer']} layer"
                       + (f" ({explanation['statements'][0]['policy']})" if explanation.get("statements") else ""))
            if explanation.get("cause"):
                click.echo(f"{pad}      cause: {explanation['cause']}")
            if explanation.get("fix"):
                click.echo(f"{pad}      fix: {explanation['fix']}")
        for log in step.get("xacct:Logs", []):
            for line in log["text"].rstrip().splitlines():
                click.echo(f"{pad}      {log['stream']}: {line}")
        child = step.get("xacct:ChildExecutionId")
        if child:
            _show_text(store, automation_execution(store, child), depth + 3)
    for name, values in result.get("Outputs", {}).items():
        click.echo(f"{pad}  output {name} = {', '.join(values)}")
    if result.get("FailureMessage"):
        click.echo(f"{pad}  failure: {result['FailureMessage']}")
