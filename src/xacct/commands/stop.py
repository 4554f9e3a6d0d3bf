"""`xacct stop`: cancel a running execution, from any terminal."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("execution_id")
@click.pass_context
def stop(ctx, execution_id):
    """Cancel a running execution: its current step is cancelled, its onCancel path runs, and it
    ends Cancelled (StopAutomationExecution). The process running it picks the request up.

    \b
    Example:
      xacct stop 3f2c
    """
    from ..cli import open_store
    from ..engine.history import automation_execution
    from ..engine.status import TERMINAL

    store = open_store(ctx)
    row = store.find_execution(execution_id)
    if row is None:
        click.echo(f"xacct: AutomationExecutionNotFoundException: Execution {execution_id} does not exist.", err=True)
        sys.exit(1)
    status = automation_execution(store, row["execution_id"])["AutomationExecutionStatus"]
    if status in TERMINAL:
        click.echo(f"xacct: InvalidAutomationStatusUpdateException: Execution {row['execution_id']} is already "
                   f"{status}.", err=True)
        sys.exit(1)
    store.send_signal(row["execution_id"], "Cancel", {})
