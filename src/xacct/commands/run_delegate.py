"""`xacct run` in AWS mode: SSM runs the runbook (delegate/), xacct follows it, gathers every step
of every target, and explains each failure. Also `xacct run --attach ID` and `xacct executions
follow ID`: following again a run that SSM kept running."""

from __future__ import annotations

import os

import click

from .shared import ACCOUNT, split_list


# TargetLocation.Accounts takes at most 50 items (API_TargetLocation); more accounts are more
# entries of TargetLocations, which takes 100
# https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_TargetLocation.html
ACCOUNTS_PER_LOCATION = 50


def endpoint_url_option(ctx, param, value):
    """--endpoint-url as botocore takes it: http(s)://host[:port][/path]; else a usage error that
    says so (botocore's own is a bare ValueError deep in client creation)."""
    from urllib.parse import urlsplit

    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise click.BadParameter(f"{value!r} is not a URL such as http://127.0.0.1:4566 or https://ssm.example.com")
    return value


def count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")



def delegate_run(runbook: str, *, cloud, store, region: str, given: dict, accounts: str | None,
                 regions: str | None, ous: str | None, include_child_ous: bool, exclude_accounts: str | None,
                 execution_role_name: str, read_role_name: str | None, share: bool, control,
                 max_concurrency: str | None, max_errors: str | None, targets_max_concurrency: str | None,
                 targets_max_errors: str | None, output: str, poll: float, tags: list[dict] | None = None) -> int:
    """Start the run in SSM and follow it; the exit status (0 Success, 1 otherwise)."""
    from ..delegate.runbook import publish, share as share_with
    from ..delegate.start import Request, start
    from ..engine.locations import TargetLocation

    caller = cloud.identity(cloud.caller_credentials(), region)
    ssm = cloud.client("ssm", region, caller)
    account_list, unit_list = split_list(accounts), split_list(ous)
    bad = [a for a in account_list if not ACCOUNT.fullmatch(a)]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: an account is 12 digits", param_hint="--accounts")
    if share and not (account_list or unit_list):
        raise click.UsageError("--share goes with --accounts or --ou (the accounts to share the runbook with)")
    # SSM shares a document with accounts, never with an OU: with --ou the accounts to share with
    # are read from AWS Organizations, as SSM reads them when it expands the OU for the run
    sharing_with = (_accounts_of_units(cloud, caller, account_list, unit_list, include_child_ous,
                                       split_list(exclude_accounts)) if share and unit_list else account_list)
    others = [a for a in sharing_with if a != caller.account]
    path = runbook.partition("#")[0]
    name, version, own = runbook, None, not runbook.startswith(("AWS-", "AWSSupport-", "AWSConfigRemediation-",
                                                                "arn:"))
    # documents are regional: a runbook file is made a document in every Region it runs in, and
    # shared there (doctor's D102: "runbook missing in the target Region")
    homes = list(dict.fromkeys([region] + (split_list(regions) if account_list or unit_list else [])))
    if os.path.exists(path):
        from ..engine.documents import from_file

        name = from_file(runbook).name
        for home in homes:
            published = publish(runbook, name, cloud.client("ssm", home, caller))
            version = published.version if home == region else version
            if output == "text":
                said = {"created": "created", "updated": "updated to a new default version",
                        "unchanged": "unchanged"}[published.change]
                click.echo(f"Runbook {name} (version {published.version}) {said} from {path} in {caller.account} "
                           f"{home}")
    if share and others:
        for home in homes:
            share_with(name, others, cloud.client("ssm", home, caller))
        if output == "text":
            click.echo(f"Shared {name} with {', '.join(others)} in {', '.join(homes)}")
    elif others and own and output == "text":
        click.echo(f"Note: {name} is not shared by xacct with {', '.join(others)}; SSM runs it there only if it "
                   "is shared already (--share shares it)")
    locations = []
    entries = account_list + unit_list
    for start_at in range(0, len(entries), ACCOUNTS_PER_LOCATION):
        location = TargetLocation(entries[start_at:start_at + ACCOUNTS_PER_LOCATION], split_list(regions) or [region],
                                  execution_role_name, max_concurrency, max_errors, include_child_ous,
                                  split_list(exclude_accounts), None, targets_max_concurrency, targets_max_errors)
        locations.append(location.as_ssm())
    request = Request(name, given, version, locations, control.as_ssm() if control else {}, tags or [])
    execution_id = start(ssm, request)
    # doctor looks at the document SSM runs (shared? in the Region?), not at the file
    where = _where(cloud, caller, region, name, read_role_name or execution_role_name, execution_role_name)
    known = sharing_with if share and unit_list else account_list  # the OUs' accounts, when read to share
    total = len(known) * len(split_list(regions) or [region]) if locations else 0
    if output == "text":
        targets = (f": target locations: {count(len(account_list), 'account')}"
                   f"{' and the accounts of ' + ', '.join(unit_list) if unit_list else ''} x "
                   f"{count(len(split_list(regions) or [region]), 'Region')}") if locations else ""
        click.echo(f"Execution {execution_id} of {name} from {caller.account} {region}, run by SSM{targets}")
    return follow_and_report(execution_id, cloud=cloud, store=store, caller=caller, region=region, where=where,
                             output=output, poll=poll, given=given, across=bool(locations), total=total)


def _accounts_of_units(cloud, caller, accounts: list[str], units: list[str], include_child_ous: bool,
                       exclude: list[str]) -> list[str]:
    """The accounts of --accounts and of the OUs of --ou (and their child OUs with
    --include-child-ous), less --exclude-accounts, read with the caller's credentials; a refusal
    is the caller's to fix, said with AWS's text."""
    from botocore.exceptions import BotoCoreError, ClientError

    from ..engine.org_units import expand

    try:
        return expand(accounts + units, include_children=include_child_ous, exclude=exclude, cloud=cloud,
                      credentials=caller)
    except ClientError as error:
        details = error.response.get("Error", {})
        raise click.ClickException(
            f"--share: cannot read the accounts of {', '.join(units)} from AWS Organizations "
            f"({details.get('Code', 'error')}: {details.get('Message', '')}); the caller needs "
            "organizations:ListAccountsForParent (and ListOrganizationalUnitsForParent with --include-child-ous) "
            "in the management account or a delegated administrator, or name the accounts with --accounts") from None
    except BotoCoreError as error:
        raise click.ClickException(f"--share: cannot read the accounts of {', '.join(units)}: {error}") from None


def _where(cloud, caller, region: str, runbook: str | None, read_role_name: str, execution_role_name: str) -> dict:
    """Where the run is, as recorded with it (no credentials): what following it again needs."""
    where = {"Account": caller.account, "Region": region, "ReadRoleName": read_role_name,
             "ExecutionRoleName": execution_role_name}
    for key, value in (("Profile", getattr(cloud, "profile", None)),
                       ("EndpointUrl", getattr(cloud, "endpoint_url", None)), ("Runbook", runbook)):
        if value:
            where[key] = value
    return where


def follow_and_report(execution_id: str, *, cloud, store, caller, region: str, where: dict, output: str,
                      poll: float, given: dict | None = None, across: bool | None = None, total: int = 0) -> int:
    """Follow to the end with the live view, then the matrix (or the steps) and the exit status."""
    from ..delegate.follow import Following, follow
    from ..doctor import Reader
    from ..results.fanout_view import FanoutProgress, matrix, report
    from ..results.progress import Progress
    from ..results.step_logs import StepLogs

    reader = Reader(cloud, caller, region, where["ReadRoleName"])
    for listener in store.listeners:  # --log-group: each target's log is written in its account, as its reader
        if isinstance(listener, StepLogs):
            listener.credentials_for = reader.credentials
    following = Following(cloud, store, caller, execution_id, region, where, where["ReadRoleName"],
                          where.get("ExecutionRoleName", "AWS-SystemsManager-AutomationExecutionRole"),
                          where.get("Runbook"), given or {}, interval=(poll, max(poll, 20.0)),
                          say=(lambda line: click.echo(line)) if output == "text" else (lambda line: None),
                          reader=reader)
    if output == "text":
        view = FanoutProgress(execution_id, total) if across is not False else Progress(execution_id)
        store.listeners.append(view)
    try:
        final = follow(following)
    except KeyboardInterrupt:
        click.echo(f"\nStopped following; SSM goes on running {execution_id}.\n"
                   f"  follow it again: xacct executions follow {execution_id}\n"
                   f"  stop it:         xacct stop {execution_id}", err=True)
        return 130
    if output == "text":
        calls = following.calls
        click.echo(f"  API calls to follow and gather: {calls.total}"
                   + (f" ({calls.throttled} throttled and retried)" if calls.throttled else "")
                   + f"; at most {calls.peak_rate()} SSM calls in a second to one account and Region "
                     f"(budget {calls.rate:g}), {calls.peak_overall()} to all")
    def table(steps):  # the account x Region matrix of a run across target locations, else its steps
        return matrix(steps) if any(s.get("xacct:TargetLocation") for s in steps) else steps_table(steps)

    report(store, execution_id, final, output, table)
    return 0 if final == "Success" else 1


def steps_table(steps: list[dict]) -> str:
    """The steps of a run in one account and Region, one line each."""
    width = max([len(s["StepName"]) for s in steps] + [4])
    return "\n".join(["step".ljust(width + 2) + "status"] +
                     [s["StepName"].ljust(width + 2) + s["StepStatus"] for s in steps])


def attach(execution_id: str, *, cloud, store, region: str | None, read_role_name: str | None, output: str,
           poll: float) -> int:
    """Follow again a run SSM executes (its ID, or the start of one recorded in the store)."""
    from ..delegate.record import where as recorded_where

    row = store.find_execution(execution_id)
    if row is not None:
        execution_id = row["execution_id"]
    known = recorded_where(store, execution_id) if row is not None else None
    region = region or (known or {}).get("Region") or cloud.default_region
    caller = cloud.identity(cloud.caller_credentials(), region)
    where = {**(known or {}), "Account": caller.account, "Region": region}
    where["ReadRoleName"] = read_role_name or where.get("ReadRoleName") or "AWS-SystemsManager-AutomationExecutionRole"
    where.setdefault("ExecutionRoleName", "AWS-SystemsManager-AutomationExecutionRole")
    if output == "text":
        click.echo(f"Following {execution_id} in {caller.account} {region}")
    return follow_and_report(execution_id, cloud=cloud, store=store, caller=caller, region=region, where=where,
                             output=output, poll=poll, across=None)


def cloud_for(store, execution_id: str | None, aws: bool, profile: str | None, region: str | None,
              endpoint_url: str | None):
    """The AwsCloud to reach a delegated execution: the options given, else what was recorded
    with it (its profile and endpoint); None when it is neither (an execution of the sandbox)."""
    from ..cloud import AwsCloud
    from ..delegate.record import where as recorded_where

    known = None
    if execution_id is not None:
        row = store.find_execution(execution_id)
        known = recorded_where(store, row["execution_id"]) if row is not None else None
    if not (aws or profile or endpoint_url or known):
        return None
    known = known or {}
    return AwsCloud(profile or known.get("Profile"), region or known.get("Region"),
                    endpoint_url or known.get("EndpointUrl"))

