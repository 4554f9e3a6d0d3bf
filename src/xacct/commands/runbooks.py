"""`xacct runbooks`: AWS's own SSM documents for the sandbox: pulled from AWS (or from another
served sandbox) into the local catalogue, listed with where each comes from, and checked."""

from __future__ import annotations

import json
import sys

import click

from .runbook_folders import runbooks_option, use_runbooks


@click.group()
def runbooks():
    """AWS-owned runbooks for the sandbox: the local catalogue (pulled from AWS), folders given
    with --runbooks or XACCT_RUNBOOKS, and xacct's own seven, served as Owner Amazon.

    \b
    Examples:
      xacct runbooks pull --all --profile ops --region us-east-1
      xacct runbooks list --runbooks ./my-runbooks
      xacct runbooks check
    """


@runbooks.command()
@click.argument("names", nargs=-1)
@click.option("--all", "everything", is_flag=True, help="Every document of the owner (ListDocuments, page by page).")
@click.option("--owner", default="Amazon", show_default=True, help="ListDocuments' Owner filter with --all.")
@click.option("--type", "kind", default="Automation", show_default=True,
              type=click.Choice(["Automation", "Command"]), help="ListDocuments' DocumentType filter with --all.")
@click.option("--profile", help="The AWS profile to read with.")
@click.option("--region", help="The Region to read (default: the profile's); the catalogue keeps each Region apart.")
@click.option("--endpoint-url", help="Read from this endpoint (default: the profile's endpoint_url, else AWS).")
def pull(names, everything, owner, kind, profile, region, endpoint_url):
    """Read AWS-owned documents from SSM into the local catalogue (under $XDG_DATA_HOME/xacct/runbooks,
    by default ~/.local/share/xacct/runbooks), one folder per Region, each version with its metadata.
    NAMES are read at their default version; --all lists the owner's documents of the type.

    Resumable: versions already in the catalogue are not read again, so running the same command
    after an interruption goes on from where it stopped. Throttling is retried with backoff.
    Exit status: 0 when every document was stored, 1 when one failed, 2 when the pull cannot
    start, 130 when interrupted.

    \b
    Examples:
      xacct runbooks pull --all --profile ops --region us-east-1
      xacct runbooks pull AWS-RestartEC2Instance AWSSupport-ResetAccess --profile ops --region eu-west-1
    """
    from botocore.exceptions import BotoCoreError, ClientError

    from ..runbooks import Shelf
    from ..runbooks.pull import described, listed, pull as pull_documents, ssm_client

    if bool(names) == everything:
        raise click.UsageError("name the documents to pull, or give --all (not both)")
    shelf = Shelf()
    try:
        ssm = ssm_client(profile, region, endpoint_url)
        region = ssm.meta.region_name
        if not region:
            raise click.UsageError("no Region: give --region, or a profile with one")
        missing: list[tuple[str, str]] = []
        if everything:
            wanted = listed(ssm, owner, kind)
        else:
            wanted, missing = described(ssm, names)
        click.echo(f"Pulling {len(wanted)} documents from {ssm.meta.endpoint_url} ({region}) into {shelf.root}",
                   err=True)
        with click.progressbar(length=len(wanted), label="Pulling", file=sys.stderr,
                               item_show_func=lambda item: item.name if item else None) as bar:
            done = pull_documents(ssm, shelf, region, wanted, each=lambda item, _: bar.update(1, item))
    except ClientError as exc:
        error = exc.response.get("Error", {})
        click.echo(f"xacct: {error.get('Code')}: {error.get('Message')}", err=True)
        sys.exit(2)
    except BotoCoreError as exc:  # no credentials, an unknown profile, an endpoint that does not answer
        click.echo(f"xacct: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        click.echo(f"\nInterrupted; what was stored stays in {shelf.root}: run the same command again to go on.",
                   err=True)
        sys.exit(130)
    failed = missing + done.failed
    for name, why in failed:
        click.echo(f"xacct: {name}: {why}", err=True)
    click.echo(f"Stored {len(done.stored)}, already there {len(done.already)}, failed {len(failed)} "
               f"({region}, {shelf.root})")
    sys.exit(1 if failed else 0)


@runbooks.command(name="list")
@runbooks_option()
@click.option("--region", help="Only what the sandbox serves in this Region.")
@click.option("--skipped", is_flag=True, help="Also the files that were read as no document, and why.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
def list_(runbooks_dirs, region, skipped, output):
    """Every AWS-owned document the sandbox knows: name, version, type, where it comes from (a
    --runbooks folder, the pulled catalogue and its Region, or xacct), and whether it is served or
    shadowed by another source of the same name (a folder wins over the catalogue, the catalogue
    over xacct's own).

    \b
    Examples:
      xacct runbooks list
      XACCT_RUNBOOKS=./my-runbooks xacct runbooks list --region us-east-1
    """
    registry = use_runbooks(runbooks_dirs)
    rows = []
    for entry in sorted(registry.entries(), key=lambda e: (e.name, e.region or "", e.source, e.version)):
        if region and entry.region not in (None, region):
            continue
        served = entry in registry.versions(entry.name, entry.region or region)
        rows.append({"Name": entry.name, "DocumentVersion": entry.version, "DocumentType": entry.kind,
                     "Source": entry.source, "Region": entry.region or "all", "Served": served})
    if output == "json":
        click.echo(json.dumps({"Documents": rows, "Skipped": [{"Path": p, "Reason": r} for p, r in registry.skipped]},
                              indent=2))
        return
    _table(["NAME", "VERSION", "TYPE", "SOURCE", "REGION", "SERVED"],
           [[r["Name"], r["DocumentVersion"], r["DocumentType"], r["Source"], r["Region"],
             "yes" if r["Served"] else "shadowed"] for r in rows])
    if skipped:
        for path, why in registry.skipped:
            click.echo(f"skipped {path}: {why}")
    elif registry.skipped:
        click.echo(f"({len(registry.skipped)} files are not documents: --skipped lists them)")


@runbooks.command()
@click.argument("names", nargs=-1)
@runbooks_option()
@click.option("-p", "--parameter", "parameters", multiple=True, metavar="NAME=VALUE",
              help="A parameter value for every runbook that has the parameter; repeat for more.")
@click.option("--world", "world_path", type=click.Path(dir_okay=False), help="Check in this world, in the sandbox.")
@click.option("--as", "as_who", metavar="ARN|ACCOUNT", help="Start as this world user or account administrator.")
@click.option("--region", help="The Region the runs would start in.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def check(ctx, names, runbooks_dirs, parameters, world_path, as_who, region, output):
    """Validate and try without running every served Automation runbook (or NAMES), in the
    sandbox: findings, parameters, the assume role, and the authorization of the first step's
    calls; one row each. Exit status 0 when every row passes, 1 otherwise, 2 for an unknown name.

    \b
    Examples:
      xacct runbooks check
      xacct runbooks check Example-RestartThing -p InstanceId=i-0123456789abcdef0 --world my.yaml
    """
    from ..runbooks.check import check_entry
    from ..sandbox.embedded import SandboxCloud
    from .refusals import exit_2_on_refusal
    from .run import act_as_or_exit, build_world_or_exit, parse_parameters

    given = parse_parameters(parameters)
    registry = use_runbooks(runbooks_dirs)
    with exit_2_on_refusal():
        cloud = SandboxCloud(region or "us-east-1")
        built = build_world_or_exit(world_path, cloud) if world_path else None
        act_as_or_exit(cloud, built, as_who)
        region = cloud.default_region
        unknown = [n for n in names if registry.find(n, region) is None]
        if unknown:
            click.echo(f"xacct: no AWS-owned runbook named {', '.join(unknown)} in {region}", err=True)
            sys.exit(2)
        chosen = [registry.find(n, region) for n in (names or registry.names(region))]
        caller = cloud.identity(cloud.caller_credentials(), region)
        rows = [check_entry(e, cloud, caller, region, given) for e in chosen if e.kind == "Automation"]
    if output == "json":
        click.echo(json.dumps([r.as_json() for r in rows], indent=2))
    else:
        _table(["NAME", "VERSION", "SOURCE", "VALIDATION", "PARAMETERS", "ASSUME ROLE", "FIRST STEP"],
               [[r.name, r.version, r.source, r.validation, r.parameters, r.assume_role, r.first_step] for r in rows])
        click.echo(f"{sum(r.passed for r in rows)} of {len(rows)} runbooks pass")
    sys.exit(0 if all(r.passed for r in rows) else 1)


def _table(headers: list[str], rows: list[list[str]]) -> None:
    widths = [max([len(h)] + [len(str(r[i])) for r in rows]) for i, h in enumerate(headers)]
    for row in [headers] + rows:
        click.echo("  ".join(str(v).ljust(w) for v, w in zip(row, widths)).rstrip())
