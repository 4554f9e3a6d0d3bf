"""The `xacct` command: a thin layer over the library. Each command's docstring is its help.

Imports of the library happen inside the commands, so `xacct --help` loads neither botocore
nor moto and starts in a fraction of a second.
"""

from __future__ import annotations

import json
import sys

import click

from . import __version__

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="xacct")
@click.option("--store", "store_path", type=click.Path(dir_okay=False), envvar="XACCT_STORE",
              help="The executions database (default: ~/.local/share/xacct/executions.db).")
@click.pass_context
def cli(ctx: click.Context, store_path: str | None) -> None:
    """Run AWS Systems Manager Automation runbooks across accounts and Regions, and know why
    they fail before AWS tells you.

    \b
    Examples:
      xacct demo                       the five stories, on the embedded sandbox
      xacct validate runbooks/         check every runbook below a folder
      xacct run AWS-CreateImage -p InstanceId=i-0123456789abcdef0
      xacct executions show 3f2c       a run, step by step
    """
    ctx.obj = {"store_path": store_path}


def open_store(ctx: click.Context):
    from .store import Store

    try:
        return Store(ctx.obj.get("store_path") if ctx.obj else None)
    except Exception as exc:  # a path that is not a database, a folder we cannot write
        raise click.ClickException(f"cannot open the store: {exc}") from None


def _runbooks_option(command):
    from .commands.runbook_folders import runbooks_option

    return runbooks_option(from_environment=False, help_text=(
        "Also check the SSM documents of this folder, as the sandbox reads them (--runbooks of xacct run); "
        "repeat for more."))(command)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Findings as lines, or as a JSON array.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Processes that validate files side by side [default: the cores this process may use].")
@_runbooks_option
def validate(paths: tuple[str, ...], output: str, jobs: int | None, runbooks_dirs: tuple[str, ...]) -> None:
    """Check Automation runbooks (YAML, JSON, or CloudFormation templates holding
    AWS::SSM::Document resources) without running them.

    Each finding is `path:line:column: ID severity: message`. Exit status: 0 when there is no
    error, 1 when there is one, 2 when a path cannot be read.

    \b
    Examples:
      xacct validate share-ami.yaml
      xacct validate --output json templates/ runbooks/
      xacct validate -j 1 runbooks/                one process, one file after another
      xacct validate --runbooks ./aws-runbooks     the documents the sandbox would serve from a folder
    """
    from .document.validate import available_cores, expand_paths, validate_files

    if not paths and not runbooks_dirs:
        raise click.UsageError("Missing argument 'PATHS...' (or --runbooks DIR).")
    findings = []
    unreadable = False
    for result in validate_files(expand_paths(paths), jobs or available_cores()):
        findings.extend(result.findings)
        if result.unreadable is not None:
            click.echo(f"xacct: cannot read {result.unreadable}", err=True)
            unreadable = True
    if runbooks_dirs:  # the documents the sandbox would serve from these folders, each as its file
        from .commands.runbook_folders import use_runbooks
        from .document.validate import validate_text

        registry = use_runbooks(runbooks_dirs, pulled=False)
        for entry in registry.entries():
            if entry.path is not None:
                findings.extend(validate_text(entry.text, entry.path))
        for path, why in registry.skipped:
            click.echo(f"xacct: {path}: skipped: {why}", err=True)
    if output == "json":
        click.echo(json.dumps([f.as_json() for f in findings], indent=2, allow_nan=False))
    else:
        for finding in findings:
            click.echo(finding.text())
    if unreadable:
        sys.exit(2)
    sys.exit(1 if any(f.severity == "error" for f in findings) else 0)


@cli.command()
def demo() -> None:
    """Tell the five stories S0 to S4 on the embedded sandbox, with worlds bundled with xacct:
    each failure as AWS shows it, xacct's explanation, the fix, and the success. S0: a runbook not
    shared with the target account; S1: a permission whose IAM name is not the API's, across 2
    accounts x 2 Regions, with a failure notification; S2: a StringList where a String is needed;
    S3: an encrypted AMI for an Auto Scaling group in another account; S4: a role that requires MFA.

    \b
    Example:
      xacct demo
    """
    from .demo import run_demo

    sys.exit(run_demo())


from .commands import ami, doctor, executions, explain, report, run, runbooks, sandbox, signal, stop  # noqa: E402  (commands register on `cli`)

cli.add_command(run.run)
cli.add_command(executions.executions)
cli.add_command(stop.stop)
cli.add_command(signal.signal)
cli.add_command(explain.explain)
cli.add_command(sandbox.sandbox)
cli.add_command(doctor.doctor)
cli.add_command(ami.ami)
cli.add_command(report.report)
cli.add_command(runbooks.runbooks)


def main() -> None:
    cli(prog_name="xacct")
