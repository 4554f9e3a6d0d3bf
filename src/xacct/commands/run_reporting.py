"""`xacct run --notify ... --notify-on ... --log-group ... --report ...`: where a run reports besides the
terminal and the store. The options are declared here, in one block, and reach `run` as keyword
arguments; `start_reporting` takes them from there, attaches the listeners, and makes sure what
they queued is sent when the command ends (whatever way it ends)."""

from __future__ import annotations

import dataclasses
import sys

import click

OPTION_NAMES = ("notify", "notify_on", "log_group", "report")


def _destinations(ctx, param, values):
    from ..results.notify import parse_destination

    try:
        return [parse_destination(value, None) for value in values]
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _log_group(ctx, param, value):
    from ..results.step_logs import check_log_group

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
        click.option("--report", "report", metavar="FILE.html", type=click.Path(dir_okay=False),
                     help="When the run ends, write its HTML report here (as `xacct report ID -o FILE.html`)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def start_reporting(ctx: click.Context, store, cloud, region: str, options: dict) -> None:
    """Take this module's options out of `options` (run's keyword arguments) and attach what they
    ask for to `store`; what is queued is sent when the command's context closes."""
    notify, notify_on, log_group, report = (options.pop(name, None) for name in OPTION_NAMES)
    if notify_on not in (None, "failure") and not notify:
        raise click.UsageError("--notify-on goes with --notify")
    if report:
        _report_when_done(ctx, store, report)
    if not notify and not log_group:
        return
    caller = cloud.identity(cloud.caller_credentials(), region)
    listeners = []
    if notify:
        from ..results.notify import Notifier

        destinations = [dataclasses.replace(d, region=d.region or region) for d in notify]
        listeners.append(Notifier(store, cloud, caller, destinations, on=notify_on or "failure"))
    if log_group:
        from ..results.step_logs import StepLogs

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


class _FirstTopLevel:
    """A store listener that notes the first top-level execution this command writes to: the run
    (ExecutionStarted goes through no listener, so the run's next event names it)."""

    def __init__(self, store) -> None:
        self.store, self.execution_id = store, None

    def __call__(self, execution_id, kind, step, data) -> None:
        if self.execution_id is None:
            row = self.store.execution(execution_id)
            if row is not None and row["parent_id"] is None:
                self.execution_id = execution_id


def _report_when_done(ctx: click.Context, store, path: str) -> None:
    """`--report`: the run's HTML report, written from the store when the command ends (a run
    that never started has none)."""
    watch = _FirstTopLevel(store)
    store.listeners.append(watch)

    def write() -> None:
        from ..results.report_html import write_report

        if watch in store.listeners:
            store.listeners.remove(watch)
        if watch.execution_id is None:
            return
        try:
            click.echo(f"Report written to {write_report(store, watch.execution_id, path)}", err=True)
        except OSError as exc:
            click.echo(f"xacct: warning: cannot write the report {path}: {exc.strerror or exc}", err=True)

    ctx.call_on_close(write)
