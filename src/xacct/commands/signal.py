"""`xacct signal`: answer an execution that is Waiting (aws:approve, aws:pause), or run and stop
the steps of an Interactive one (StartStep, StopStep)."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("execution_id")
@click.option("--approve", "kind", flag_value="Approve", help="Approve an aws:approve step.")
@click.option("--reject", "kind", flag_value="Reject", help="Reject an aws:approve step.")
@click.option("--resume", "kind", flag_value="Resume", help="Resume an aws:pause step.")
@click.option("--start-step", metavar="STEP", help="Run a step of an Interactive execution (StartStep).")
@click.option("--stop-step", metavar="STEP_EXECUTION_ID",
              help="Stop the running step of an Interactive execution (StopStep).")
@click.option("--comment", default="", help="A comment recorded with the decision.")
@click.option("--as", "approver", help="Who decides (an IAM user name or ARN); default: the sandbox operator.")
@click.pass_context
def signal(ctx, execution_id, kind, start_step, stop_step, comment, approver):
    """Send a signal to a Waiting execution (SendAutomationSignal).

    \b
    Examples:
      xacct signal 3f2c --approve --comment "checked the AMI"
      xacct signal 3f2c --resume
      xacct signal 3f2c --start-step stopInstances
    """
    from ..cli import open_store
    from ..ssm import Context, SsmError, signal as send_signal

    asked = [(k, payload) for k, payload, given in (
        (kind, {"Comment": [comment]} if comment else None, kind),
        ("StartStep", {"StepName": [start_step]}, start_step),
        ("StopStep", {"StepExecutionId": [stop_step]}, stop_step)) if given]
    if len(asked) != 1:
        raise click.UsageError("say one of --approve, --reject, --resume, --start-step or --stop-step")
    kind, payload = asked[0]
    params = {"AutomationExecutionId": execution_id, "SignalType": kind, **({"Payload": payload} if payload else {})}
    try:
        send_signal.handle(params, Context(open_store(ctx)), prefix=True, approver=approver)
    except SsmError as error:
        click.echo(f"xacct: {error.code}: {error.message}", err=True)
        sys.exit(1)
