"""`xacct stop`: cancel a running execution, from any terminal."""

from __future__ import annotations

import sys

import click

from .run_delegate import endpoint_url_option


@click.command()
@click.argument("execution_id")
@click.option("--type", "kind", type=click.Choice(["Cancel", "Complete"]), default="Cancel", show_default=True,
              help="Complete ends an execution run step by step (Mode Interactive).")
@click.option("--aws", is_flag=True, help="Stop it in AWS (StopAutomationExecution); default for runs SSM executes.")
@click.option("--profile", help="The AWS profile (default: the one the run was started with).")
@click.option("--region", help="Its Region (default: the one it runs in).")
@click.option("--endpoint-url", metavar="URL", callback=endpoint_url_option, help="Send the call here (a served sandbox).")
@click.pass_context
def stop(ctx, execution_id, kind, aws, profile, region, endpoint_url):
    """Cancel a running execution: its current step is cancelled, its onCancel path runs, and it
    ends Cancelled (StopAutomationExecution). The process running it picks the request up.

    \b
    Example:
      xacct stop 3f2c
    """
    from ..cli import open_store
    from ..ssm import Context, SsmError, stop as stop_execution
    from .refusals import exit_2_on_refusal
    from .run_delegate import cloud_for

    store = open_store(ctx)
    with exit_2_on_refusal():
        cloud = cloud_for(store, execution_id, aws, profile, region, endpoint_url)
    if cloud is not None:  # SSM runs it: SSM stops it
        from ..delegate.signals import ssm_for

        sys.exit(in_ssm(lambda: _stop_in_ssm(ssm_for(cloud, store, execution_id, region), kind)))
    try:
        stop_execution.handle({"AutomationExecutionId": execution_id, "Type": kind}, Context(store),
                             prefix=True)
    except SsmError as error:
        click.echo(f"xacct: {error.code}: {error.message}", err=True)
        sys.exit(1)


def _stop_in_ssm(found, kind: str) -> None:
    ssm, execution_id = found
    ssm.stop_automation_execution(AutomationExecutionId=execution_id, Type=kind)
    click.echo(f"Asked SSM to stop {execution_id} ({kind})")


def in_ssm(work) -> int:
    """SSM's refusal as one line with its code, exit status 1 (as for the sandbox's executions)."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        work()
    except ClientError as error:
        click.echo(f"xacct: {error.response['Error']['Code']}: {error.response['Error'].get('Message', '')}",
                   err=True)
        return 1
    except BotoCoreError as error:
        click.echo(f"xacct: {error}", err=True)
        return 1
    return 0
