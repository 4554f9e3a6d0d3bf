"""`xacct report`: an execution across accounts and Regions as one self-contained HTML page."""

from __future__ import annotations

import sys

import click


@click.command()
@click.argument("execution_id", metavar="ID")
@click.option("-o", "--output", "path", type=click.Path(dir_okay=False, writable=True), metavar="FILE.html",
              help="Where to write the page (default: xacct-report-ID.html in the current folder).")
@click.pass_context
def report(ctx, execution_id, path):
    """Write the report of execution ID (or an unambiguous prefix): the account x Region matrix,
    failures grouped by cause with their fix, each target's steps as a timeline, and the run's
    parameters (secrets masked), with filters and search that work offline. The page is a view of
    the store: the same data as `xacct executions show ID --output json`.

    \b
    Example:
      xacct report 3f2c -o run.html
    """
    from ..cli import open_store
    from ..results.report import NotFound
    from ..results.report_html import write_report

    store = open_store(ctx)
    if path is None:
        row = store.find_execution(execution_id)
        path = f"xacct-report-{row['execution_id'] if row else execution_id}.html"
    try:
        written = write_report(store, execution_id, path)
    except NotFound as error:
        click.echo(f"xacct: {error}", err=True)
        sys.exit(1)
    except OSError as error:
        click.echo(f"xacct: cannot write {path}: {error.strerror or error}", err=True)
        sys.exit(1)
    click.echo(f"Report written to {written}")
