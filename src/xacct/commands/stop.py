"""`xacct stop`: cancel a running execution, from any terminal."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("execution_id")
@click.option("--type", "kind", type=click.Choice(["Cancel", "Complete"]), default="Cancel", show_default=True,
              help="Complete ends an execution run step by step (Mode Interactive).")
@click.pass_context
def stop(ctx, execution_id, kind):
    """Cancel a running execution: its current step is cancelled, its onCancel path runs, and it
    ends Cancelled (StopAutomationExecution). The process running it picks the request up.

    \b
    Example:
      xacct stop 3f2c
    """
    from ..cli import open_store
    from ..ssm import Context, SsmError, stop as stop_execution

    try:
        stop_execution.handle({"AutomationExecutionId": execution_id, "Type": kind}, Context(open_store(ctx)),
                             prefix=True)
    except SsmError as error:
        click.echo(f"xacct: {error.code}: {error.message}", err=True)
        sys.exit(1)
