"""`xacct signal`: answer an execution that is Waiting (aws:approve, aws:pause), or run and stop
the steps of an Interactive one (StartStep, StopStep)."""

from __future__ import annotations

import sys

import click

from .run_delegate import endpoint_url_option


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
@click.option("--aws", is_flag=True, help="Send it in AWS (SendAutomationSignal); default for runs SSM executes.")
@click.option("--profile", help="The AWS profile (default: the one the run was started with).")
@click.option("--region", help="Its Region (default: the one it runs in).")
@click.option("--endpoint-url", metavar="URL", callback=endpoint_url_option, help="Send the call here (a served sandbox).")
@click.pass_context
def signal(ctx, execution_id, kind, start_step, stop_step, comment, approver, aws, profile, region, endpoint_url):
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
    from .refusals import exit_2_on_refusal
    from .run_delegate import cloud_for
    from .stop import in_ssm

    store = open_store(ctx)
    with exit_2_on_refusal():
        cloud = cloud_for(store, execution_id, aws, profile, region, endpoint_url)
    if cloud is not None:  # SSM runs it: the signal goes to SSM, as the caller (approver is who signs)
        if approver:
            raise click.UsageError("--as chooses the approver in the sandbox; in AWS the caller approves")
        from ..delegate.signals import ssm_for

        def send():
            ssm, full_id = ssm_for(cloud, store, execution_id, region)
            ssm.send_automation_signal(**{**params, "AutomationExecutionId": full_id})
            click.echo(f"Sent {kind} to {full_id}")

        sys.exit(in_ssm(send))
    try:
        send_signal.handle(params, Context(store), prefix=True, approver=approver)
    except SsmError as error:
        click.echo(f"xacct: {error.code}: {error.message}", err=True)
        sys.exit(1)
