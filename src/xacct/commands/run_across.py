"""`xacct run --accounts ...`: a run across target locations, followed to its end."""

from __future__ import annotations

import click

from .shared import ACCOUNT, OU, split_list


def run_across(runbook: str, *, cloud, store, region: str, given: dict, accounts: str | None, regions: str | None,
               execution_role_name: str, max_concurrency: str | None, max_errors: str | None,
               auto_approve: bool, output: str, ous: str | None = None, include_child_ous: bool = False,
               exclude_accounts: str | None = None, control=None, targets_max_concurrency: str | None = None,
               targets_max_errors: str | None = None, tags: list[dict] | None = None) -> int:
    """Start and follow the run; the exit status: 0 when every target succeeded, 1 otherwise,
    2 when the run cannot start."""
    from ..engine.locations import TargetLocation
    from ..results.fanout_view import FanoutProgress, matrix, report
    from .automation import start_here
    from .run import follow

    account_list = split_list(accounts)
    bad = [a for a in account_list if not ACCOUNT.fullmatch(a)]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: an account is 12 digits", param_hint="--accounts")
    unit_list = split_list(ous)
    bad = [u for u in unit_list if not OU.fullmatch(u)]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: an organizational unit ID is ou-xxxx-xxxxxxxx",
                                 param_hint="--ou")
    excluded = split_list(exclude_accounts)
    bad = [e for e in excluded if not (ACCOUNT.fullmatch(e) or OU.fullmatch(e))]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: neither an account (12 digits) nor an OU (ou-...)",
                                 param_hint="--exclude-accounts")
    location = TargetLocation(account_list + unit_list, split_list(regions) or [region], execution_role_name,
                              max_concurrency, max_errors, include_child_ous, excluded, None,
                              targets_max_concurrency, targets_max_errors)
    params = {"Parameters": given, "TargetLocations": [location.as_ssm()], **(control.as_ssm() if control else {}),
              **({"Tags": tags} if tags else {})}
    started = start_here(runbook, params, cloud=cloud, store=store, region=region, auto_approve=auto_approve)
    fanout, found, caller = started.detail, started.runbook, started.execution.caller
    total = len(fanout.targets)
    if output == "text":
        where = _count(len(account_list), "account") + (f" and the accounts of {', '.join(unit_list)}" if unit_list else "")
        click.echo(f"Execution {fanout.parent.id} of {found.name} from {caller.account or '?'} {region}: "
                   f"target locations: {where} x {_count(len(location.regions), 'Region')}")
        store.listeners.append(FanoutProgress(fanout.parent.id, total))
    final = follow(started.run, fanout.parent.cancel)
    report(store, fanout.parent.id, final, output, matrix)
    return 0 if final == "Success" else 1


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")
