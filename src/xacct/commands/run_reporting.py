"""`xacct run --notify ... --notify-on ... --log-group ...`: where a run reports besides the
terminal and the store. The options are declared here, in one block, and reach `run` as keyword
arguments; `start_reporting` takes them from there, attaches the listeners, and makes sure what
they queued is sent when the command ends (whatever way it ends)."""

from __future__ import annotations

import dataclasses
import sys

import click

OPTION_NAMES = ("notify", "notify_on", "log_group")


def _destinations(ctx, param, values):
    from ..notify import parse_destination

    try:
        return [parse_destination(value, None) for value in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _log_group(ctx, param, value):
    from ..step_logs import check_log_group

    if value is None:
        return None
    try:
        return check_log_group(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def reporting_options(command):
    """The options of this module, applied to `xacct run` as one decorator."""
    options = [
        click.option("--notify", "notify", multiple=True, metavar="URL|TOPIC_ARN|BUS", callback=_destinations,
                     help="Send notifications, as EventBridge events of SSM's shape, to an http(s) webhook (POST), "
                          "an SNS topic ARN (Publish) or an EventBridge bus ARN or name (PutEvents, source "
                          "xacct), with your credentials; repeat for more."),
        click.option("--notify-on", type=click.Choice(["failure", "status"]), default="failure", show_default=True,
                     help="Notify on failures only (failed, timed-out or cancelled steps, targets and "
                          "executions), or on every status change."),
        click.option("--log-group", metavar="NAME", callback=_log_group,
                     help="Also write each execution's step log to this CloudWatch Logs group: a stream named by "
                          "execution ID, in the execution's own account and Region, with its credentials."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def start_reporting(ctx: click.Context, store, cloud, region: str, options: dict) -> None:
    """Take this module's options out of `options` (run's keyword arguments) and attach what they
    ask for to `store`; what is queued is sent when the command's context closes."""
    notify, notify_on, log_group = (options.pop(name, None) for name in OPTION_NAMES)
    if notify_on not in (None, "failure") and not notify:
        raise click.UsageError("--notify-on goes with --notify")
    if not notify and not log_group:
        return
    caller = cloud.identity(cloud.caller_credentials(), region)
    listeners = []
    if notify:
        from ..notify import Notifier

        destinations = [dataclasses.replace(d, region=d.region or region) for d in notify]
        listeners.append(Notifier(store, cloud, caller, destinations, on=notify_on or "failure"))
    if log_group:
        from ..step_logs import StepLogs

        listeners.append(StepLogs(store, cloud, log_group, caller))
    store.listeners.extend(listeners)

    def finish() -> None:
        # a second Ctrl-C means "leave at once": do not wait long for the senders then
        leaving = isinstance(sys.exc_info()[1], KeyboardInterrupt)
        for listener in listeners:
            if not listener.close(1.0 if leaving else 15.0):
                click.echo("xacct: warning: some notifications or log writes were still pending when xacct "
                           "stopped waiting for them", err=True)
            if listener in store.listeners:
                store.listeners.remove(listener)

    ctx.call_on_close(finish)
