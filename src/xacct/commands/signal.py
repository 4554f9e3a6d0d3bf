"""`xacct signal`: answer an execution that is Waiting (aws:approve, aws:pause)."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("execution_id")
@click.option("--approve", "kind", flag_value="Approve", help="Approve an aws:approve step.")
@click.option("--reject", "kind", flag_value="Reject", help="Reject an aws:approve step.")
@click.option("--resume", "kind", flag_value="Resume", help="Resume an aws:pause step.")
@click.option("--comment", default="", help="A comment recorded with the decision.")
@click.option("--as", "approver", help="Who decides (an IAM user name or ARN); default: the sandbox operator.")
@click.pass_context
def signal(ctx, execution_id, kind, comment, approver):
    """Send a signal to a Waiting execution (SendAutomationSignal).

    \b
    Examples:
      xacct signal 3f2c --approve --comment "checked the AMI"
      xacct signal 3f2c --resume
    """
    from ..cli import open_store
    from ..ssm import Context, SsmError, signal as send_signal

    if kind is None:
        raise click.UsageError("say --approve, --reject or --resume")
    params = {"AutomationExecutionId": execution_id, "SignalType": kind,
              **({"Payload": {"Comment": [comment]}} if comment else {})}
    try:
        send_signal.handle(params, Context(open_store(ctx)), prefix=True, approver=approver)
    except SsmError as error:
        click.echo(f"xacct: {error.code}: {error.message}", err=True)
        sys.exit(1)
