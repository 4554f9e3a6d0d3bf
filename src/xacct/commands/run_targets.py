"""`xacct run --targets ...`: resource targets and rate control (StartAutomationExecution's
Targets, TargetParameterName, TargetMaps, MaxConcurrency, MaxErrors), and the options that give
target locations by organizational unit. The options are declared here, in one block, and reach
`run` as keyword arguments."""

from __future__ import annotations

import json
import re

import click

from .shared import split_list

TARGET_KEY = re.compile(r"^(tag:.+|tag-key|ResourceGroup|ParameterValues)$")


def target_options(command):
    """The options of this module, applied to `xacct run` as one decorator."""
    options = [
        click.option("--targets", "targets", multiple=True, metavar="Key=K,Values=V1,V2",
                     help="Run on each resource these resolve to, one child execution per resource: "
                          "Key=tag:App,Values=web (the AWS CLI shorthand) or tag:App=web; keys tag:KEY, tag-key, "
                          "ResourceGroup, ParameterValues. Needs --target-parameter-name."),
        click.option("--target-parameter-name", help="The runbook parameter each resolved resource fills."),
        click.option("--target-maps", "target_maps", multiple=True, metavar="JSON|file://PATH|K=V,...",
                     help="One child execution per map of parameter values: a JSON list of maps, a file:// "
                          "path to one, or Name=Value,Name=Value (repeat for more maps)."),
        click.option("--targets-max-concurrency", help="With --accounts/--ou and --targets: resources run at once "
                                                       "in each account x Region (TargetsMaxConcurrency)."),
        click.option("--targets-max-errors", help="With --accounts/--ou and --targets: errors allowed in each "
                                                  "account x Region (TargetsMaxErrors)."),
        click.option("--ou", "ous", help="Run in the accounts of these organizational units (comma-separated "
                                         "ou-... IDs), listed with the administration role."),
        click.option("--include-child-ous", is_flag=True, help="With --ou: the accounts of the OUs below them too."),
        click.option("--exclude-accounts", help="With --accounts or --ou: leave out these accounts or OUs "
                                                "(comma-separated)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command



def parse_target(text: str) -> dict:
    """One --targets value as a Target: Key=tag:App,Values=web,api (AWS CLI shorthand), the short
    form tag:App=web,api, or JSON ({"Key": ..., "Values": [...]})."""
    text = text.strip()
    if text.startswith("{"):
        try:
            target = json.loads(text)
        except ValueError:
            raise click.BadParameter(f"{text!r} is not valid JSON", param_hint="--targets") from None
        if not isinstance(target, dict) or not isinstance(target.get("Key"), str) or not isinstance(
                target.get("Values", []), list):
            raise click.BadParameter(f"{text!r}: a target is {{\"Key\": \"...\", \"Values\": [...]}}",
                                     param_hint="--targets")
        key, values = target["Key"], [str(v) for v in target.get("Values", [])]
    elif text.startswith("Key="):
        key_part, sep, values_part = text[len("Key="):].partition(",Values=")
        if not sep or not key_part:
            raise click.BadParameter(f"{text!r} is not Key=KEY,Values=V1,V2", param_hint="--targets")
        key, values = key_part, split_list(values_part)
    else:
        key, sep, values_part = text.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{text!r} is neither Key=KEY,Values=V1,V2 nor KEY=V1,V2 (tag:App=web)",
                                     param_hint="--targets")
        values = split_list(values_part)
    if not TARGET_KEY.match(key):
        raise click.BadParameter(f"{key!r} is not a target key: use tag:KEY, tag-key, ResourceGroup or "
                                 "ParameterValues", param_hint="--targets")
    if not values and key != "tag-key" and not key.startswith("tag:"):
        raise click.BadParameter(f"{text!r} gives no values", param_hint="--targets")
    return {"Key": key, "Values": values}


# A bound on a --target-maps file: StartAutomationExecution takes at most 300 maps (botocore's
# ssm model), far less than this; a path that is a device or a pipe is not read to its end.
TARGET_MAPS_FILE_CHARS = 1_000_000


def parse_target_maps(items: tuple[str, ...]) -> list[dict]:
    maps: list[dict] = []
    for item in items:
        text = item.strip()
        if text.startswith("file://"):
            try:
                with open(text[len("file://"):], encoding="utf-8") as handle:
                    text = handle.read(TARGET_MAPS_FILE_CHARS + 1).strip()
                if len(text) > TARGET_MAPS_FILE_CHARS:
                    raise click.BadParameter(f"{item[len('file://'):]} is over {TARGET_MAPS_FILE_CHARS:,} characters",
                                             param_hint="--target-maps")
            except UnicodeDecodeError:
                raise click.BadParameter(f"{item[len('file://'):]} is not UTF-8 text",
                                         param_hint="--target-maps") from None
            except OSError as exc:
                raise click.BadParameter(f"cannot read {item[len('file://'):]}: {exc.strerror or exc}",
                                         param_hint="--target-maps") from None
        if text.startswith(("[", "{")):
            try:
                loaded = json.loads(text)
            except ValueError:
                raise click.BadParameter(f"{item!r} is not valid JSON", param_hint="--target-maps") from None
            entries = loaded if isinstance(loaded, list) else [loaded]
        else:
            entries = [_pairs(text, item)]
        for entry in entries:
            if not isinstance(entry, dict) or not entry:
                raise click.BadParameter(f"{item!r}: each target map is an object of parameter names and values",
                                         param_hint="--target-maps")
            maps.append({str(k): [str(x) for x in (v if isinstance(v, list) else [v])] for k, v in entry.items()})
    return maps


def _pairs(text: str, item: str) -> dict:
    entry: dict[str, list[str]] = {}
    for pair in split_list(text):
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"{item!r} is not Name=Value,Name=Value", param_hint="--target-maps")
        entry.setdefault(name.strip(), []).append(value.strip())
    return entry


def control_from(targeting: dict, max_concurrency: str | None, max_errors: str | None):
    """The RateControl the options ask for; the rates are the resources' unless the run is across
    target locations (there --max-concurrency/--max-errors pace the locations)."""
    from ..engine.targets import RateControl

    targets = [parse_target(t) for t in targeting.get("targets") or ()]
    maps = parse_target_maps(targeting.get("target_maps") or ())
    return RateControl(targeting.get("target_parameter_name"), targets or None, maps or None,
                       max_concurrency, max_errors)


def run_targets(runbook: str, *, cloud, store, region: str, given: dict, control, auto_approve: bool,
                output: str, tags: list[dict] | None = None) -> int:
    """Start and follow a rate-controlled run; the exit status: 0 when every target succeeded, 1
    otherwise, 2 when the run cannot start."""
    from ..results.fanout_view import FanoutProgress, report, resource_list
    from .automation import start_here
    from .run import follow

    params = {"Parameters": given, **control.as_ssm(), **({"Tags": tags} if tags else {})}
    started = start_here(runbook, params, cloud=cloud, store=store, region=region,
                         auto_approve=auto_approve)
    rated, found, caller = started.detail, started.runbook, started.execution.caller
    parent = rated.parent
    if output == "text":
        what = (f"Targets {_shown(control.targets[0])}" if control.targets
                else f"{len(control.target_maps or [])} target maps")
        click.echo(f"Execution {parent.id} of {found.name} in {caller.account or '?'} {region}: {what}, "
                   f"TargetParameterName {control.target_parameter_name or '-'}")
        store.listeners.append(FanoutProgress(parent.id, 0))
    final = follow(started.run, parent.cancel)
    report(store, parent.id, final, output, resource_list)
    return 0 if final == "Success" else 1


def _shown(target: dict) -> str:
    return f"Key={target['Key']},Values={','.join(target.get('Values') or [])}"


def unit_ids(text: str | None, units: dict[str, str], option: str) -> str | None:
    """In a sandbox world OUs get IDs only when the world is built, so `--ou` and
    `--exclude-accounts` also take a unit's path in the world file ("Workloads/Prod")."""
    if not text:
        return text
    from .shared import ACCOUNT, OU

    resolved = []
    for entry in split_list(text):
        if OU.fullmatch(entry) or ACCOUNT.fullmatch(entry):
            resolved.append(entry)
        elif entry in units:
            resolved.append(units[entry])
        else:
            known = ", ".join(units) or "none"
            raise click.BadParameter(f"{entry} is neither an OU ID, an account, nor a unit of the world "
                                     f"(units: {known})", param_hint=option)
    return ",".join(resolved)
