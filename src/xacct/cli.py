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
def cli() -> None:
    """Run AWS Systems Manager Automation runbooks across accounts and Regions, and know why
    they fail before AWS tells you.

    \b
    Examples:
      xacct demo                       the five stories, on the embedded sandbox
      xacct validate runbooks/         check every runbook below a folder
    """


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--output", "output", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Findings as lines, or as a JSON array.")
def validate(paths: tuple[str, ...], output: str) -> None:
    """Check Automation runbooks (YAML, JSON, or CloudFormation templates holding
    AWS::SSM::Document resources) without running them.

    Each finding is `path:line:column: ID severity: message`. Exit status: 0 when there is no
    error, 1 when there is one, 2 when a path cannot be read.

    \b
    Examples:
      xacct validate share-ami.yaml
      xacct validate --output json templates/ runbooks/
    """
    from .document.validate import UnreadableInput, expand_paths, validate_file

    findings = []
    unreadable = False
    for path in expand_paths(paths):
        try:
            findings.extend(validate_file(path))
        except UnreadableInput as exc:
            click.echo(f"xacct: cannot read {exc}", err=True)
            unreadable = True
    if output == "json":
        click.echo(json.dumps([f.as_json() for f in findings], indent=2))
    else:
        for finding in findings:
            click.echo(finding.text())
    if unreadable:
        sys.exit(2)
    sys.exit(1 if any(f.severity == "error" for f in findings) else 0)


@cli.command()
def demo() -> None:
    """Show what xacct does, on files bundled with it.

    For now the demo covers validation (story S2: a StringList output passed where a String is
    needed); the run, sandbox and cross-account chapters join as those parts land.

    \b
    Example:
      xacct demo
    """
    from .demo import run_demo

    sys.exit(run_demo())


def main() -> None:
    cli(prog_name="xacct")
