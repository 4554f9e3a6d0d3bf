"""`xacct run`: start a runbook and follow it to its end."""

from __future__ import annotations

import json
import os
import re
import sys
import threading

import click

from .run_reporting import reporting_options, start_reporting
from .refusals import exit_2_on_refusal
from .runbook_folders import runbooks_option, use_runbooks
from .run_targets import control_from, run_targets, target_options, unit_ids
from .run_delegate import endpoint_url_option


TAG_KEY_LIMIT, TAG_VALUE_LIMIT, TAGS_LIMIT = 128, 256, 1000  # SSM's Tag shape (botocore's model)


def parse_tags(items: tuple[str, ...]) -> list[dict]:
    """--tags Key=K,Value=V (the AWS CLI shorthand) or K=V, repeated: StartAutomationExecution's
    Tags, checked against the lengths SSM's model gives a tag's key and value."""
    tags: list[dict] = []
    for item in items:
        if item.startswith("Key="):
            key_part, sep, value_part = item.partition(",Value=")
            key, value = key_part[len("Key="):], value_part if sep else None
        else:
            key, sep, value = item.partition("=")
            value = value if sep else None
        if not key or value is None:
            raise click.BadParameter(f"{item!r} is not Key=K,Value=V (or K=V)", param_hint="--tags")
        if len(key) > TAG_KEY_LIMIT or len(value) > TAG_VALUE_LIMIT:
            raise click.BadParameter(f"{key[:40]!r}: a tag key has at most {TAG_KEY_LIMIT} characters and a value "
                                     f"at most {TAG_VALUE_LIMIT}", param_hint="--tags")
        tags.append({"Key": key, "Value": value})
    if len(tags) > TAGS_LIMIT:
        raise click.BadParameter(f"at most {TAGS_LIMIT} tags", param_hint="--tags")
    return tags


def parse_parameters(items: tuple[str, ...]) -> dict[str, list[str]]:
    """-p Name=Value, repeated for several values; Name=a,b also gives two values (as the AWS
    CLI shorthand does) unless the value is JSON."""
    given: dict[str, list[str]] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{item!r} is not Name=Value", param_hint="-p")
        values = [value] if value.lstrip().startswith(("{", "[")) or "," not in value else value.split(",")
        given.setdefault(name, []).extend(values)
    return given


def make_cloud(aws: bool, profile: str | None, region: str | None, endpoint_url: str | None = None):
    if aws or profile or endpoint_url:
        from ..cloud import AwsCloud

        return AwsCloud(profile, region, endpoint_url)
    from ..sandbox.embedded import SandboxCloud

    return SandboxCloud(region or "us-east-1")


@click.command()
@click.argument("runbook")
@click.option("-p", "--parameter", "parameters", multiple=True, metavar="NAME=VALUE",
              help="A runbook parameter; repeat for more, or for more values of a StringList.")
@click.option("--aws", is_flag=True, help="Run against real AWS with your credentials instead of the sandbox.")
@click.option("--profile", help="The AWS profile to use (implies --aws).")
@click.option("--region", help="The Region to run in.")
@click.option("--auto-approve", is_flag=True, help="Approve aws:approve steps and resume aws:pause steps at once.")
@click.option("--world", "world_path", type=click.Path(dir_okay=False),
              help="Build this world file into the sandbox first (accounts, roles, documents, resources).")
@click.option("--as", "as_who", metavar="ARN|ACCOUNT",
              help="In the sandbox: start the run as this world user (ARN) or as an account's administrator "
                   "(default: the world's management account).")
@click.option("--accounts", help="Run in these accounts (comma-separated) instead of the caller's: a run across "
                                 "target locations, as SSM's TargetLocations.")
@click.option("--regions", help="With --accounts: the Regions to run in (comma-separated; default --region).")
@click.option("--execution-role-name", default="AWS-SystemsManager-AutomationExecutionRole", show_default=True,
              help="With --accounts: the role assumed in each target account.")
@click.option("--max-concurrency", help="How many targets run at once (N or N%): target locations with --accounts "
                                        "or --ou (default 1), else resources with --targets (default 10).")
@click.option("--max-errors", help="Stop starting targets after more than this many fail (N or N%): target "
                                   "locations with --accounts or --ou (default 0, as SSM), else resources "
                                   "(default no limit).")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--tags", "tags", multiple=True, metavar="Key=K,Value=V",
              help="Tag the execution (StartAutomationExecution's Tags): Key=K,Value=V as the AWS CLI writes it, "
                   "or K=V; repeat for more.")
@click.option("--engine", type=click.Choice(["ssm", "local"]), default=None,
              help="In AWS mode: ssm (the default) starts the run in SSM and follows it; local runs it with "
                   "xacct's own engine on this machine, with your credentials.")
@click.option("--endpoint-url", metavar="URL", callback=endpoint_url_option,
              help="In AWS mode: send every API call here (a served sandbox), as the AWS CLI's --endpoint-url; "
                   "a profile's endpoint_url setting is used without it.")
@click.option("--share", is_flag=True,
              help="In AWS mode with --accounts or --ou: share the runbook with the target accounts first "
                   "(ModifyDocumentPermission; an OU's accounts read from AWS Organizations); never done without it.")
@click.option("--read-role-name", metavar="ROLE",
              help="In AWS mode: the role assumed in each target account to read its executions "
                   "(default: the execution role).")
@click.option("--attach", metavar="ID", help="In AWS mode: follow a run SSM already runs (after an interruption) "
                                             "instead of starting one.")
@click.option("--poll-seconds", type=click.FloatRange(min=0.05), default=2.0, hidden=True,
              help="In AWS mode: the shortest wait between reads of the run (it grows while nothing changes).")
@target_options  # --targets, --target-parameter-name, --target-maps, --ou, ... (run_targets.py)
@reporting_options  # --notify, --notify-on, --log-group (run_reporting.py)
@runbooks_option()  # --runbooks DIR: AWS-owned documents for the sandbox (runbook_folders.py)
@click.pass_context
def run(ctx, runbook, parameters, aws, profile, region, auto_approve, world_path, as_who, accounts, regions,
        execution_role_name, max_concurrency, max_errors, output, tags, engine, endpoint_url, share, read_role_name,
        attach, poll_seconds, runbooks_dirs, **targeting):
    """Run RUNBOOK (a file, or the name of a runbook in the account or owned by AWS) and follow
    it step by step. Exit status 0 when the execution ends in Success, 1 otherwise, 2 when it
    cannot start (an unknown runbook, bad parameters, errors in the runbook).

    By default the run happens in xacct's embedded sandbox (built from --world when given);
    --aws (or --profile, or --endpoint-url) runs it in AWS: SSM runs it (a runbook file is made a
    document first), xacct follows it, reads every target's steps into its store and explains
    each failure; --engine local runs it with xacct's own engine instead. With --accounts the run is SSM's run across accounts and
    Regions: the administration role (AutomationAssumeRole, or
    AWS-SystemsManager-AutomationAdministrationRole) assumes the execution role in each target,
    where the runbook is read (it must be shared with that account) and runs.

    \b
    Examples:
      xacct run share-ami.yaml -p InstanceId=i-0123456789abcdef0 -p AccountId=222222222222
      xacct run AWS-RestartEC2Instance -p InstanceId=i-1,i-2 --aws --profile ops --region ap-northeast-1
      xacct run InstallApp --world s0.yaml --accounts 222222222222 --regions ap-northeast-1 \\
          -p AutomationAssumeRole=arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole
    """
    from ..cli import open_store
    from ..document.validate import validate_file
    from .automation import start_here
    from ..engine.history import automation_execution
    from ..results.progress import Progress

    given = parse_parameters(parameters)
    tags = parse_tags(tags)
    path = runbook.partition("#")[0]
    aws = aws or bool(profile or endpoint_url)
    delegated = aws and engine != "local"
    if (engine or share or read_role_name or attach) and not aws:
        raise click.UsageError("--engine, --share, --read-role-name and --attach go with --aws, --profile or "
                               "--endpoint-url")
    if engine == "local" and (share or attach or read_role_name):
        raise click.UsageError("--share, --read-role-name and --attach go with --engine ssm")
    if delegated and auto_approve:
        raise click.UsageError("--auto-approve answers xacct's own engine; SSM waits for a signal: "
                               "xacct signal ID --approve (or --engine local)")
    if delegated and as_who:
        raise click.UsageError("--as chooses who starts the run in the sandbox; in AWS, use --profile")
    if not aws:
        use_runbooks(runbooks_dirs)

    if os.path.exists(path):
        from ..document.rules import RULES_BY_ID

        errors = [f for f in validate_file(path) if f.severity == "error"]
        blocking = [f for f in errors if f.id not in RULES_BY_ID or RULES_BY_ID[f.id].blocks_creation]
        for finding in errors:
            click.echo(finding.text(), err=True)
        if blocking:
            click.echo(f"xacct: SSM would refuse to create {runbook}; fix it (xacct validate) before running it",
                       err=True)
            sys.exit(2)
        if errors:
            click.echo("xacct: SSM accepts this runbook, but the errors above make it fail while it runs", err=True)
    store = open_store(ctx)
    if world_path and (aws or profile):
        raise click.UsageError("--world builds the sandbox; it cannot be used with --aws or --profile")
    # resource targets and OUs (run_targets.py)
    across = bool(accounts or targeting.get("ous"))
    control = control_from(targeting, None if across else max_concurrency, None if across else max_errors)
    if not across and (regions or targeting.get("include_child_ous") or targeting.get("exclude_accounts")):
        raise click.UsageError("--regions, --include-child-ous and --exclude-accounts go with --accounts or --ou")
    if not across and not (control.active or control.target_parameter_name) and (max_concurrency or max_errors):
        raise click.UsageError("--max-concurrency and --max-errors go with --accounts, --ou, --targets or "
                               "--target-maps")
    with exit_2_on_refusal():
        if delegated:  # SSM runs it (run_delegate.py)
            sys.exit(run_in_ssm(ctx, store, runbook, given, profile, region, endpoint_url, accounts, regions,
                                execution_role_name, read_role_name, share, control, max_concurrency,
                                max_errors, output, attach, poll_seconds, targeting, tags))
        cloud = make_cloud(aws, profile, region, endpoint_url) if endpoint_url else make_cloud(aws, profile, region)
        built = build_world_or_exit(world_path, cloud, store) if world_path else None
        if built is not None:
            for key, option in (("ous", "--ou"), ("exclude_accounts", "--exclude-accounts")):
                targeting[key] = unit_ids(targeting.get(key), built.units, option)
        act_as_or_exit(cloud, built, as_who)
        # notifications and step logs, flushed when the command ends (run_reporting.py)
        start_reporting(ctx, store, cloud, region or cloud.default_region, targeting)
        if across:
            from .run_across import run_across

            sys.exit(run_across(runbook, cloud=cloud, store=store, region=region or cloud.default_region,
                                given=given, accounts=accounts, regions=regions,
                                execution_role_name=execution_role_name, max_concurrency=max_concurrency,
                                max_errors=max_errors, auto_approve=auto_approve, output=output,
                                ous=targeting.get("ous"), include_child_ous=targeting.get("include_child_ous"),
                                exclude_accounts=targeting.get("exclude_accounts"), control=control,
                                targets_max_concurrency=targeting.get("targets_max_concurrency"),
                                targets_max_errors=targeting.get("targets_max_errors"), tags=tags))
        if control.active or control.target_parameter_name:
            sys.exit(run_targets(runbook, cloud=cloud, store=store, region=region or cloud.default_region,
                                 given=given, control=control, auto_approve=auto_approve, output=output,
                                 tags=tags))
        started = start_here(runbook, {"Parameters": given, **({"Tags": tags} if tags else {})}, cloud=cloud,
                             store=store,
                             region=region or cloud.default_region, auto_approve=auto_approve)
    execution = started.execution
    if output == "text":
        click.echo(f"Execution {execution.id} of {execution.name} in {execution.account or '?'} {execution.region}")
        store.listeners.append(Progress(execution.id))
    final = follow(started.run, execution.cancel)
    result = automation_execution(store, execution.id)
    if output == "json":
        click.echo(json.dumps({"AutomationExecution": result}, indent=2))
    else:
        color = "green" if final == "Success" else "red"
        click.secho(f"Execution {execution.id}: {final}", fg=color, bold=True)
        for name, values in result.get("Outputs", {}).items():
            click.echo(f"  {name} = {', '.join(values)}")
        if result.get("FailureMessage"):
            click.echo(f"  {result['FailureMessage']}")
    sys.exit(0 if final == "Success" else 1)


def run_in_ssm(ctx, store, runbook, given, profile, region, endpoint_url, accounts, regions, execution_role_name,
               read_role_name, share, control, max_concurrency, max_errors, output, attach, poll_seconds,
               targeting, tags) -> int:
    """AWS mode: start the run in SSM (or attach to one) and follow it; its exit status."""
    from ..cloud import AwsCloud
    from .run_delegate import attach as attach_to, delegate_run

    cloud = AwsCloud(profile, region, endpoint_url)
    # --notify, --log-group and --report listen to the store, where the delegated run is recorded
    start_reporting(ctx, store, cloud, region or cloud.default_region, targeting)
    if attach:  # the Region it was started in, as recorded, unless --region says otherwise
        return attach_to(attach, cloud=cloud, store=store, region=region, read_role_name=read_role_name,
                         output=output, poll=poll_seconds)
    region = region or cloud.default_region
    return delegate_run(runbook, cloud=cloud, store=store, region=region, given=given, accounts=accounts,
                        regions=regions, ous=targeting.get("ous"), include_child_ous=targeting.get("include_child_ous"),
                        exclude_accounts=targeting.get("exclude_accounts"), execution_role_name=execution_role_name,
                        read_role_name=read_role_name, share=share, control=control,
                        max_concurrency=max_concurrency, max_errors=max_errors,
                        targets_max_concurrency=targeting.get("targets_max_concurrency"),
                        targets_max_errors=targeting.get("targets_max_errors"), output=output, poll=poll_seconds,
                        tags=tags)


def act_as_or_exit(cloud, built, who: str | None) -> None:
    """`--as`: start as a world user (by ARN) or as the operator of an account (by ID). Without it
    a world whose accounts do not include the sandbox's default one starts in the world's
    organization management account, else in its first account."""
    if not hasattr(cloud, "act_as"):
        if who:
            raise click.UsageError("--as chooses who starts the run in the sandbox; in AWS, use --profile")
        return
    if who is None and built is not None and built.accounts and cloud.account not in built.accounts:
        who = built.management or built.accounts[0]
    if not who:
        return
    if re.fullmatch(r"\d{12}", who):
        cloud.act_as(cloud.identity(cloud.operator(who), cloud.default_region))
        return
    for credentials in (built.users.values() if built else ()):
        if credentials.arn == who:
            cloud.act_as(credentials)
            return
    raise click.BadParameter(f"{who} is neither an account ID nor a user of the world", param_hint="--as")


def build_world_or_exit(world_path, cloud, store=None):
    """Build a world file into the sandbox; bad files get their findings and exit status 2."""
    from ..document.loader import UnreadableInput
    from ..sandbox.world import WorldError, build_world, load_world

    try:
        return build_world(load_world(world_path), cloud, cloud.default_region, store)
    except UnreadableInput as exc:
        click.echo(f"xacct: cannot read {exc}", err=True)
        sys.exit(2)
    except WorldError as exc:
        for finding in exc.findings:
            click.echo(finding.text(), err=True)
        sys.exit(2)
    except OSError as exc:
        click.echo(f"xacct: cannot read {world_path}: {exc.strerror or exc}", err=True)
        sys.exit(2)


def follow(work, cancel) -> str:
    """Run `work` in a worker thread so that Ctrl-C sets `cancel` (onCancel paths run, targets
    not started stay so) instead of killing the run; a second Ctrl-C leaves at once."""
    box: dict = {}
    done = threading.Event()

    def target():
        try:
            box["status"] = work()
        finally:
            done.set()

    threading.Thread(target=target, name="xacct-run", daemon=True).start()
    try:
        while not done.wait(0.2):
            pass
    except KeyboardInterrupt:
        click.echo("\nCancelling (Ctrl-C again to leave at once)...", err=True)
        cancel.set()
        while not done.wait(0.2):  # a second Ctrl-C raises out of here and ends the process
            pass
    return box.get("status", "Cancelled")
