"""`xacct doctor`: find before a run what would make it fail, and fix it."""

from __future__ import annotations

import json
import re
import sys

import click

from .refusals import exit_2_on_refusal
from .run import parse_parameters
from .runbook_folders import runbooks_option, use_runbooks
from .run_targets import parse_target

IMAGE_ID = re.compile(r"ami-[0-9a-f]{8,17}")


@click.command()
@click.argument("runbook")
@click.option("-p", "--parameter", "parameters", multiple=True, metavar="NAME=VALUE",
              help="A runbook parameter, as for xacct run (known values make the checks exact).")
@click.option("--accounts", help="The target accounts of a run across accounts (comma-separated).")
@click.option("--regions", help="With --accounts: the target Regions (comma-separated; default --region).")
@click.option("--ou", "units", help="Target the accounts of these organizational units (comma-separated OU IDs).")
@click.option("--include-child-ous", is_flag=True, help="With --ou: the accounts of the OUs below them too.")
@click.option("--exclude-accounts", help="With --accounts/--ou: accounts or OUs to leave out (comma-separated).")
@click.option("--targets", "targets", multiple=True, metavar="Key=K,Values=V",
              help="As for xacct run: the resources each child runs on (their lookup is judged too).")
@click.option("--target-parameter-name", help="As for xacct run: the parameter each resource fills.")
@click.option("--execution-role-name", default="AWS-SystemsManager-AutomationExecutionRole", show_default=True)
@click.option("--region", help="The Region the run starts in.")
@click.option("--world", "world_path", type=click.Path(dir_okay=False), help="Check this world, in the sandbox.")
@click.option("--aws", is_flag=True, help="Check real AWS with your credentials instead of the sandbox.")
@click.option("--profile", help="The AWS profile to use (implies --aws).")
@click.option("--read-role-name", default="OrganizationAccountAccessRole", show_default=True,
              help="In AWS: the role assumed in other accounts to read their IAM, SSM, EC2 and KMS state.")
@click.option("--as", "as_arn", metavar="ARN|ACCOUNT",
              help="In the sandbox: the world user (ARN) or account (its administrator) who starts the run.")
@click.option("--role-arn", help="A role the caller assumes first (as a profile's role_arn).")
@click.option("--mfa-serial", help="The MFA device the caller signs in with for --role-arn.")
@click.option("--apply", "apply_fixes", is_flag=True, help="Make the fixes, after showing them and asking.")
@click.option("--yes", is_flag=True, help="With --apply: do not ask.")
@click.option("--output", type=click.Choice(["text", "json"]), default="text", show_default=True)
@runbooks_option()
def doctor(runbook, parameters, accounts, regions, units, targets, target_parameter_name, include_child_ous, exclude_accounts, execution_role_name, region, world_path, aws, profile,
           read_role_name, as_arn, role_arn, mfa_serial, apply_fixes, yes, output, runbooks_dirs):
    """Find what would make RUNBOOK fail before it runs: a runbook not shared with a target
    account, execution or administration roles missing or not trusting each other, permissions
    the runbook's API calls need (by their IAM names), MFA a role's trust policy requires, and
    AMIs whose KMS keys or launch permissions a target lacks. Each finding has a stable ID, the
    account/Region it concerns, the cause, and the fix as an AWS CLI command or a policy statement.

    Exit status: 0 when nothing would fail, 1 when a finding is an error, 2 when the check cannot
    start.

    \b
    Examples:
      xacct doctor InstallApp --world s0.yaml --accounts 222222222222 --regions ap-northeast-1
      xacct doctor AWS-EnableS3BucketEncryption --aws --profile ops --accounts 222222222222,333333333333 \\
          --regions us-east-1,ap-northeast-1 -p BucketName=logs
      xacct doctor InstallApp --world s0.yaml --accounts 222222222222 --apply --yes
    """
    from ..doctor import Checkup, Reader, diagnose
    from ..engine.documents import find_runbook
    from .run import build_world_or_exit, make_cloud
    from .shared import ACCOUNT, split_list

    if world_path and (aws or profile):
        raise click.UsageError("--world builds the sandbox; it cannot be used with --aws or --profile")
    if (regions or exclude_accounts) and not (accounts or units):
        raise click.UsageError("--regions and --exclude-accounts go with --accounts or --ou")
    if yes and not apply_fixes:
        raise click.UsageError("--yes goes with --apply")
    given = parse_parameters(parameters)
    if not (aws or profile):
        use_runbooks(runbooks_dirs)
    targets_accounts = split_list(accounts)
    bad = [a for a in targets_accounts if not ACCOUNT.fullmatch(a)]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: an account is 12 digits", param_hint="--accounts")
    with exit_2_on_refusal():
        cloud = make_cloud(aws, profile, region)
        region = region or cloud.default_region
        built = build_world_or_exit(world_path, cloud) if world_path else None
        refused = _profile_refused(cloud, region)
        if refused is not None:
            _show([refused], output)
            sys.exit(1)
        caller = _caller(cloud, built, as_arn, region)
        found = find_runbook(runbook, cloud, caller, region)
        if built is not None:
            from .run_targets import unit_ids

            units = unit_ids(units, built.units, "--ou")
            exclude_accounts = unit_ids(exclude_accounts, built.units, "--exclude-accounts")
        reader = Reader(cloud, caller, region, read_role_name)
        if units or exclude_accounts:
            targets_accounts = _expand(reader, targets_accounts + split_list(units), include_child_ous,
                                       split_list(exclude_accounts))
        checkup = Checkup(reader, found, given, region, caller,
                          targets=[(a, r) for a in targets_accounts for r in (split_list(regions) or [region])],
                          execution_role_name=execution_role_name,
                          owned_by_aws=cloud.owned_document(found.name) is not None,
                          role_arn=role_arn, mfa_serial=mfa_serial,
                          images=sorted({v for values in given.values() for v in values if IMAGE_ID.fullmatch(v)}),
                          target_keys=[parse_target(t)["Key"] for t in targets],
                          target_parameter=target_parameter_name)
        findings = diagnose(checkup)
    _show(findings, output)
    if apply_fixes and findings:
        findings = _apply(findings, checkup, yes, output)
    sys.exit(1 if any(f.severity == "error" for f in findings) else 0)


def _expand(reader, entries, include_children, exclude):
    """OUs into their accounts, as a run lists them (engine/org_units.py), read as doctor reads
    the caller's account."""
    from ..engine.org_units import expand

    return expand(entries, include_children=include_children, exclude=exclude, cloud=reader.cloud,
                  credentials=reader.credentials(reader.caller.account or ""))


def _profile_refused(cloud, region):
    """In AWS with a profile that assumes a role without mfa_serial: if STS refuses, the finding
    that says why it likely does (doctor/mfa.py); None when the profile works or is not such."""
    session = getattr(cloud, "_boto", None)
    if session is None or hasattr(cloud, "operator"):
        return None
    config = session._session.get_scoped_config()
    if not config.get("role_arn") or config.get("mfa_serial") or not config.get("source_profile"):
        return None
    from botocore.exceptions import ClientError

    try:
        cloud.caller_credentials()
        return None
    except ClientError as exc:
        if exc.response["Error"]["Code"] != "AccessDenied":
            raise
        refusal = " ".join(str(exc).split())
    import boto3

    from ..credentials import Credentials
    from ..doctor.mfa import profile_refused

    source = boto3.Session(profile_name=config["source_profile"], region_name=region)
    frozen = source.get_credentials().get_frozen_credentials()
    credentials = Credentials(frozen.access_key, frozen.secret_key, frozen.token)
    arn = cloud.client("sts", region, credentials).get_caller_identity()["Arn"]
    devices = None
    if ":user/" in arn:
        try:
            listed = cloud.client("iam", region, credentials).list_mfa_devices(UserName=arn.rsplit("/", 1)[-1])
            devices = tuple(d["SerialNumber"] for d in listed["MFADevices"])
        except ClientError:
            devices = None
    return profile_refused(config["role_arn"], arn, devices, refusal)


def _caller(cloud, built, as_arn, region):
    from .run import act_as_or_exit

    if as_arn and built is None:
        raise click.UsageError("--as names a world user or account: use it with --world")
    act_as_or_exit(cloud, built, as_arn)
    return cloud.identity(cloud.caller_credentials(), region)


def _show(findings, output) -> None:
    if output == "json":
        click.echo(json.dumps([f.as_json() for f in findings], indent=2))
        return
    if not findings:
        click.secho("No findings: nothing doctor can foresee would make this run fail.", fg="green")
        return
    for finding in findings:
        color = {"error": "red", "warning": "yellow"}.get(finding.severity)
        head, _, rest = finding.text().partition("\n")
        click.secho(head, fg=color, bold=True)
        click.echo(rest)
    errors = sum(f.severity == "error" for f in findings)
    click.echo(f"{len(findings)} finding(s), {errors} error(s); {sum(f.apply is not None for f in findings)} "
               "can be fixed with --apply")


def _apply(findings, checkup, yes, output):
    from ..doctor import diagnose

    fixable = [f for f in findings if f.apply is not None]
    if not fixable:
        click.echo("None of these can be fixed by doctor; the fixes above say what to do.")
        return findings
    click.echo("\nDoctor will make these changes, in this order:")
    for number, finding in enumerate(fixable, 1):
        click.echo(f"  {number}. [{finding.where}] {finding.id}: {finding.fix}")
    if not yes and not click.confirm("Make them?", default=False):
        click.echo("Nothing changed.")
        return findings
    for finding in fixable:
        try:
            finding.apply()
        except Exception as exc:
            click.secho(f"  {finding.where} {finding.id}: failed: {' '.join(str(exc).split())}", fg="red", err=True)
            break
        click.secho(f"  {finding.where} {finding.id}: done", fg="green")
    checkup.reader.read.cache_clear()
    remaining = diagnose(checkup)
    click.echo("\nAfter the changes:")
    _show(remaining, output)
    return remaining
