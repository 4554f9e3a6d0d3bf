"""`xacct executions`: what ran, and how each step of it went."""

from __future__ import annotations

import json
import sys

import click

from .run_delegate import endpoint_url_option



@click.group()
def executions():
    """List recorded executions, or show one step by step.

    \b
    Examples:
      xacct executions list --status Failed
      xacct executions show 3f2c --output json
      xacct executions follow 3f2c     a run SSM executes, followed again to its end
    """


# AutomationExecutionStatus of botocore's ssm model, as `--status` takes it
STATUSES = ("Pending", "InProgress", "Waiting", "Success", "TimedOut", "Cancelling", "Cancelled", "Failed",
            "PendingApproval", "Approved", "Rejected", "Scheduled", "RunbookInProgress",
            "PendingChangeCalendarOverride", "ChangeCalendarOverrideApproved", "ChangeCalendarOverrideRejected",
            "CompletedWithSuccess", "CompletedWithFailure", "Exited")
SCAN_LIMIT = 10000  # rows read when filters may skip many (a row is small; the fold is per shown row)


@executions.command("list")
@click.option("--status", type=click.Choice(STATUSES), help="Only executions with this AutomationExecutionStatus.")
@click.option("--account", help="Only executions that ran in this account (children in target accounts included).")
@click.option("--region", help="Only executions that ran in this Region (children included).")
@click.option("--parent", "parent", metavar="ID", help="Only the child executions of this one (ID or prefix).")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option("--all", "include_children", is_flag=True, help="Include child executions.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def list_executions(ctx, status, account, region, parent, limit, include_children, output):
    """List executions, newest first. --account, --region and --parent look at child executions
    too (a run across accounts has its targets' executions as children).

    \b
    Examples:
      xacct executions list --status Failed --limit 10
      xacct executions list --account 222222222222 --region ap-northeast-1 --status Failed
      xacct executions list --parent 3f2c
    """
    from ..cli import open_store
    from ..engine.history import automation_execution

    store = open_store(ctx)
    parent_id = None
    if parent:
        row = store.find_execution(parent)
        if row is None:
            click.echo(f"xacct: AutomationExecutionNotFoundException: Execution {parent} does not exist.", err=True)
            sys.exit(1)
        parent_id = row["execution_id"]
    filtered = bool(status or account or region)
    include_children = include_children or bool(account or region or parent_id)
    rows = store.executions(parent_id=parent_id, top_level=not include_children,
                            limit=SCAN_LIMIT if filtered else limit)
    shown = []
    for row in rows:
        if (account and row["account"] != account) or (region and row["region"] != region):
            continue
        summary = automation_execution(store, row["execution_id"])
        if status and summary["AutomationExecutionStatus"] != status:
            continue
        shown.append((row, summary))
        if len(shown) >= limit:
            break
    if output == "json":
        keys = ("AutomationExecutionId", "DocumentName", "DocumentVersion", "AutomationExecutionStatus",
                "ExecutionStartTime", "ExecutionEndTime", "ExecutedBy", "FailureMessage", "Mode",
                "ParentAutomationExecutionId", "CurrentStepName", "CurrentAction")
        meta = [{**{k: s[k] for k in keys if k in s}, "xacct:Account": row["account"], "xacct:Region": row["region"]}
                for row, s in shown]
        click.echo(json.dumps({"AutomationExecutionMetadataList": meta}, indent=2))
        return
    for row, s in shown:
        where = f"{row['account'] or '-'} {row['region'] or '-'}"
        click.echo(f"{s['AutomationExecutionId']}  {s['AutomationExecutionStatus']:<10}  "
                   f"{s['ExecutionStartTime'][:19]}  {where:<28}  {s['DocumentName']}")


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
    from ..engine.history import automation_execution, descendants
    from ..ssm import Context, SsmError
    from ..ssm.get import automation_execution as get_automation_execution

    store = open_store(ctx)
    try:  # GetAutomationExecution's record, with xacct's own keys (explanations, logs)
        result = get_automation_execution(execution_id, Context(store), prefix=True)
    except SsmError as error:
        click.echo(f"xacct: {error.code}: {error.message}", err=True)
        sys.exit(1)
    row = store.execution(result["AutomationExecutionId"])
    if output == "json":
        # GetAutomationExecution's shape for each; the children (targets' executions, and theirs)
        # under their own key, each naming its parent in ParentAutomationExecutionId
        children = [automation_execution(store, child) for child in descendants(store, row["execution_id"])]
        click.echo(json.dumps({"AutomationExecution": _with_warnings(store, result),
                               "ChildExecutions": [_with_warnings(store, c) for c in children]}, indent=2))
        return
    _show_text(store, result, 0)


def _warnings(store, execution_id: str) -> list[dict]:
    """What xacct's own reporting could not do for this execution (notifications, step logs)."""
    return [event["data"] for event in store.events(execution_id) if event["type"] == "Warning"]


def _with_warnings(store, result: dict) -> dict:
    warnings = _warnings(store, result["AutomationExecutionId"])
    return {**result, "xacct:Warnings": warnings} if warnings else result


def _show_text(store, result, depth):
    from ..doctor.findings import CATALOG, finding_for  # here: it would load the engine at start-up

    from ..engine.history import automation_execution

    pad = "  " * depth
    click.secho(f"{pad}{result['AutomationExecutionId']}  {result['DocumentName']}  "
                f"{result['AutomationExecutionStatus']}", bold=True)
    row = store.execution(result["AutomationExecutionId"])
    where = f" in {row['account']} {row['region']}" if row is not None and row["account"] else ""
    click.echo(f"{pad}  started {result['ExecutionStartTime']}  by {result.get('ExecutedBy')}{where}")
    if result.get("ExecutionEndTime"):
        click.echo(f"{pad}  ended {result['ExecutionEndTime']}")
    for name, values in result.get("Parameters", {}).items():
        click.echo(f"{pad}  parameter {name} = {', '.join(values)}")
    shown_children = set()
    for step in result["StepExecutions"]:
        click.echo(f"{pad}  - {step['StepName']} ({step.get('Action')}): {step['StepStatus']}{_timing(step)}")
        for name, value in step.get("Inputs", {}).items():
            click.echo(f"{pad}      input {name} = {value[:200]}")
        for name, values in step.get("Outputs", {}).items():
            click.echo(f"{pad}      output {name} = {', '.join(values)[:200]}")
        if step.get("FailureMessage"):
            click.echo(f"{pad}      failure: {step['FailureMessage']}")
        explanation = step.get("xacct:Explanation")
        if explanation and not step.get("xacct:ChildExecutionId"):  # else its child's steps below say it
            click.echo(f"{pad}      why: {explanation.get('decision')} by the {explanation.get('layer')} layer"
                       + (f" ({explanation['statements'][0]['policy']})" if explanation.get("statements") else ""))
            if explanation.get("cause"):
                click.echo(f"{pad}      cause: {explanation['cause']}")
            foreseen = finding_for(explanation)
            if foreseen:
                click.echo(f"{pad}      foreseen by: xacct doctor ({foreseen}: {CATALOG[foreseen]})")
            if explanation.get("fix"):
                click.echo(f"{pad}      fix: {explanation['fix']}")
        for log in step.get("xacct:Logs", []):
            for line in log["text"].rstrip().splitlines():
                click.echo(f"{pad}      {log['stream']}: {line}")
        child = step.get("xacct:ChildExecutionId")
        if child:
            shown_children.add(child)
            _show_text(store, automation_execution(store, child), depth + 3)
    for row in reversed(store.executions(parent_id=result["AutomationExecutionId"], limit=SCAN_LIMIT)):
        if row["execution_id"] not in shown_children:  # started by a step that does not name it
            _show_text(store, automation_execution(store, row["execution_id"]), depth + 1)
    for name, values in result.get("Outputs", {}).items():
        click.echo(f"{pad}  output {name} = {', '.join(values)}")
    if result.get("FailureMessage"):
        click.echo(f"{pad}  failure: {result['FailureMessage']}")
    for unread in result.get("xacct:Unreadable", []):  # a run SSM executes: a member xacct could not read
        click.echo(f"{pad}  not read: {unread['Account']} {unread['Region']}: {unread['Message']}")
    why = result.get("xacct:Explanation")
    if why:
        click.echo(f"{pad}  why: {why.get('cause') or why.get('message', '')}")
        if why.get("fix"):
            click.echo(f"{pad}  fix: {why['fix']}")
    for warning in _warnings(store, result["AutomationExecutionId"]):
        click.echo(f"{pad}  warning: {warning.get('Message')}")
        explanation = warning.get("xacct:Explanation") or {}
        if explanation.get("fix"):
            click.echo(f"{pad}    fix: {explanation['fix']}")


def _timing(step: dict) -> str:
    """", 12:00:01.250 to 12:00:02.500 (1.250s)" of a step that ran (the store keeps UTC)."""
    from datetime import datetime

    start, end = step.get("ExecutionStartTime"), step.get("ExecutionEndTime")
    if not start:
        return ""
    text = f", started {start[11:23]}"
    if end:
        took = (datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds()
        text += f", ended {end[11:23]} ({took:.3f}s)"
    return text


@executions.command("follow")
@click.argument("execution_id")
@click.option("--aws", is_flag=True, help="The execution is in AWS (default: where it was recorded as started).")
@click.option("--profile", help="The AWS profile to read it with (default: the one it was started with).")
@click.option("--region", help="Its Region (default: the one it was started in).")
@click.option("--endpoint-url", metavar="URL", callback=endpoint_url_option, help="Send every API call here (a served sandbox).")
@click.option("--read-role-name", metavar="ROLE", help="The role assumed in each target account to read its "
                                                        "executions (default: as recorded, else the execution role).")
@click.option("--poll-seconds", type=click.FloatRange(min=0.05), default=2.0, hidden=True)
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def follow(ctx, execution_id, aws, profile, region, endpoint_url, read_role_name, poll_seconds, output):
    """Follow a run that SSM executes to its end, again: after the terminal closed, the laptop
    slept or xacct was killed. What happened meanwhile is read and recorded; nothing recorded is
    read twice. The ID is SSM's (or the start of one in the store). Exit status as xacct run's.

    \b
    Example:
      xacct executions follow 3f2c0b8e-...
    """
    from ..cli import open_store
    from .refusals import exit_2_on_refusal
    from .run_delegate import attach, cloud_for

    store = open_store(ctx)
    with exit_2_on_refusal():
        cloud = cloud_for(store, execution_id, aws, profile, region, endpoint_url)
        if cloud is None:
            row = store.find_execution(execution_id)
            what = "ran in the sandbox, which has no one to follow" if row is not None else "is not in the store"
            click.echo(f"xacct: {execution_id} {what}; an execution SSM runs is followed with --aws or --profile",
                       err=True)
            sys.exit(2)
        sys.exit(attach(execution_id, cloud=cloud, store=store, region=region, read_role_name=read_role_name,
                        output=output, poll=poll_seconds))
