"""`xacct demo`: the stories S0 to S4, told on what ships with xacct. The validation chapter is
the part that exists so far; each later part of xacct adds its chapter here."""

from __future__ import annotations

from importlib import resources

import click


def _example(name: str) -> str:
    return str(resources.files("xacct") / "examples" / name)


def _chapter_s2() -> bool:
    from .document.validate import validate_file

    click.secho("S2: make an AMI and share it (a CloudFormation template with a runbook)", bold=True)
    broken = _example("s2-share-ami-unconverted.yaml")
    click.echo("The runbook passes the Output of aws:executeAutomation (a StringList) straight to ImageId:")
    click.echo(f"  $ xacct validate {broken}")
    findings = validate_file(broken)
    for finding in findings:
        click.echo("  " + finding.text())
    click.echo("\nWith a step that picks the first item of that list, the runbook is clean:")
    fixed = _example("s2-share-ami.yaml")
    click.echo(f"  $ xacct validate {fixed}")
    clean = validate_file(fixed)
    for finding in clean:
        click.echo("  " + finding.text())
    if not clean:
        click.secho("  no findings", fg="green")
    return any(f.id == "E5001" for f in findings) and not clean


def run_demo() -> int:
    click.secho("xacct demo: validation chapter (running runbooks and the sandbox come next)\n", bold=True)
    ok = _chapter_s2()
    click.echo()
    click.secho("demo finished" if ok else "demo did not go as expected", fg="green" if ok else "red")
    return 0 if ok else 1
