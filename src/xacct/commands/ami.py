"""`xacct ami share`: share an AMI with other accounts so that they can launch it, themselves and
through Auto Scaling (xacct.ami_share plans and applies)."""

from __future__ import annotations

import re
import sys

import click

from .refusals import exit_2_on_refusal
from .shared import ACCOUNT, split_list

IMAGE_ID = re.compile(r"ami-(?:[0-9a-f]{8}|[0-9a-f]{17})")
REGION = re.compile(r"[a-z]{2}(?:-[a-z]+)+-\d+")



@click.group()
def ami():
    """Work with AMIs across accounts.

    \b
    Example:
      xacct ami share ami-0123456789abcdef0 --to 222222222222 --for-autoscaling
    """


@ami.command()
@click.argument("image")
@click.option("--to", "to_accounts", required=True, metavar="ACCOUNT[,ACCOUNT]",
              help="The accounts to share with (12 digits each, comma-separated).")
@click.option("--region", help="The Region of IMAGE (default: your profile's, or us-east-1).")
@click.option("--regions", help="Share in these Regions (comma-separated; default --region): in each, the image "
                                "you own with IMAGE's name.")
@click.option("--for-autoscaling", is_flag=True,
              help="Also let Auto Scaling groups of those accounts launch it: the grant on the key for their "
                   "AWSServiceRoleForAutoScaling, made from each account.")
@click.option("--for-copy", is_flag=True, help="Also let those accounts copy the AMI (createVolumePermission on "
                                               "its snapshots).")
@click.option("--plan-only", is_flag=True, help="Show what is missing and change nothing.")
@click.option("--yes", is_flag=True, help="Apply without asking.")
@click.option("--world", "world_path", type=click.Path(dir_okay=False),
              help="Build this world file into the sandbox first.")
@click.option("--aws", is_flag=True, help="Work in real AWS with your credentials instead of the sandbox.")
@click.option("--profile", help="The AWS profile to use (implies --aws); its account owns IMAGE.")
@click.option("--target-role-name", default="OrganizationAccountAccessRole", show_default=True,
              help="In AWS: the role assumed in each target account to create the grant there.")
@click.option("--owner", "owner_account", metavar="ACCOUNT",
              help="In the sandbox: the account that owns IMAGE (default: the world's account that owns it, "
                   "else the sandbox's own).")
def share(image, to_accounts, region, regions, for_autoscaling, for_copy, plan_only, yes, world_path, aws, profile,
          target_role_name, owner_account):
    """Share IMAGE with other accounts, and everything launching it there needs: the launch
    permission; for encrypted snapshots, the key policy statements that let those accounts use the
    customer managed key; with --for-autoscaling, a grant on the key for each account's
    AWSServiceRoleForAutoScaling (created first when missing), made with that account's
    credentials (in AWS, by assuming --target-role-name there). Only what is missing is planned.

    The plan is shown, each change with its account, Region and AWS CLI command, and applied after
    you confirm. Exit status: 0 when shared (or nothing to do), 1 when the plan is blocked or a
    change fails, 2 for bad input or an image that cannot be found.

    With --world, IMAGE may also name an image of the world file (the sandbox makes AMI IDs as
    it builds the world). An AMI ID names an image in one Region (--region). With --regions, the image shared in each
    other Region is the one you own there with the same name (an AMI name is unique per account
    and Region, and `aws ec2 copy-image --name` keeps it).

    \b
    Examples:
      xacct ami share ami-0123456789abcdef0 --to 222222222222 --for-autoscaling --plan-only
      xacct ami share ami-0123456789abcdef0 --to 222222222222,333333333333 --regions us-east-1,eu-west-1 \\
          --aws --profile images --for-autoscaling
      xacct ami share web-base --world s3-encrypted-ami.yaml --to 222222222222 --for-autoscaling --yes
    """
    from ..ami_share import PlanError, apply_plan, plan_share
    from .run import build_world_or_exit, make_cloud

    accounts = split_list(to_accounts)
    region_list = split_list(regions)
    if not IMAGE_ID.fullmatch(image) and not world_path:
        raise click.BadParameter(f"{image!r} is not an AMI ID (ami- and 8 or 17 hex digits)", param_hint="IMAGE")
    bad = [a for a in accounts if not ACCOUNT.fullmatch(a)]
    if bad or not accounts:
        raise click.BadParameter(f"{', '.join(bad) or repr(to_accounts)}: an account is 12 digits", param_hint="--to")
    bad = [r for r in region_list + ([region] if region else []) if not REGION.fullmatch(r)]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: not a Region name (such as us-east-1)", param_hint="--regions")
    if plan_only and yes:
        raise click.UsageError("--plan-only changes nothing; --yes goes without it")
    if (aws or profile) and (world_path or owner_account):
        raise click.UsageError("--world and --owner are for the sandbox; in AWS your credentials' account owns IMAGE")
    with exit_2_on_refusal():
        try:
            cloud = make_cloud(aws, profile, region)
            sandbox = hasattr(cloud, "operator")
            world_accounts = []
            if world_path:
                build_world_or_exit(world_path, cloud)
                from ..sandbox.world import load_world

                world = load_world(world_path).data
                world_accounts = [str(a) for a in world.get("accounts") or {}]
                if not IMAGE_ID.fullmatch(image):  # the world's AMI IDs are made as it is built
                    image, region = _world_image(cloud, world, image, region)
            region = region or cloud.default_region
            owner = _owner_credentials(cloud, sandbox, image, region, owner_account, world_accounts)

            def target_credentials_for(account: str):
                if sandbox:
                    return cloud.operator(account)
                role = f"arn:aws:iam::{account}:role/{target_role_name}"
                return cloud.identity(cloud.assume_role(role, "xacct-ami-share", owner, region), region)

            plan = plan_share(cloud, image, region, owner, accounts, region_list or [region], for_autoscaling,
                              target_credentials_for, for_copy=for_copy)
        except PlanError as exc:
            click.echo(f"xacct: {exc}", err=True)
            sys.exit(2)
    show_plan(plan, for_autoscaling)
    if plan.problems:
        sys.exit(1)
    if not plan.actions or plan_only:
        sys.exit(0)
    if not yes and not click.confirm(f"Make these {len(plan.actions)} change(s)?", default=False):
        click.echo("Nothing changed.")
        sys.exit(1)
    outcomes = apply_plan(plan, report=_report)
    if all(o.ok for o in outcomes) and len(outcomes) == len(plan.actions):
        click.secho(f"{plan.image_id} is shared with {', '.join(plan.accounts)}"
                    + (" for Auto Scaling too" if for_autoscaling else ""), fg="green", bold=True)
        sys.exit(0)
    done = sum(o.ok for o in outcomes)
    click.secho(f"Stopped after {done} of {len(plan.actions)} change(s); run the same command again to plan "
                "what is left.", fg="red", err=True)
    sys.exit(1)


def _world_image(cloud, world: dict, name: str, region: str | None) -> tuple[str, str]:
    """The AMI ID and Region of the world's image called `name` (its key under images, or its
    AMI name), as the world was just built."""
    for account, spec in (world.get("accounts") or {}).items():
        for where, resources in ((spec or {}).get("regions") or {}).items():
            for key, image in ((resources or {}).get("images") or {}).items():
                ami_name = (image or {}).get("name", key)
                if name in (key, ami_name) and region in (None, where):
                    ec2 = cloud.client("ec2", where, cloud.operator(str(account)))
                    found = ec2.describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [ami_name]}])
                    return found["Images"][0]["ImageId"], where
    raise click.BadParameter(f"{name!r} is neither an AMI ID nor an image of the world", param_hint="IMAGE")


def _owner_credentials(cloud, sandbox: bool, image: str, region: str, owner_account: str | None,
                       world_accounts: list[str]):
    """The owner's credentials: in AWS, yours; in the sandbox, the operator of the owning account."""
    if not sandbox:
        return cloud.identity(cloud.caller_credentials(), region)
    if owner_account:
        if not ACCOUNT.fullmatch(owner_account):
            raise click.BadParameter(f"{owner_account!r}: an account is 12 digits", param_hint="--owner")
        return cloud.operator(owner_account)
    for account in world_accounts:  # the world account that owns IMAGE, asked as AWS would answer it
        credentials = cloud.operator(account)
        try:
            images = cloud.client("ec2", region, credentials).describe_images(ImageIds=[image])["Images"]
        except Exception:
            continue
        if images and images[0].get("OwnerId") == account:
            return credentials
    return cloud.caller_credentials()


def show_plan(plan, for_autoscaling: bool = False) -> None:
    """The plan as the command prints it (and the demo shows it)."""
    purpose = " for Auto Scaling" if for_autoscaling else ""
    regions = ", ".join(f"{image} in {region}" for region, image in plan.images.items()) or plan.image_id
    click.echo(f"Sharing {regions} (owner {plan.owner}) with {', '.join(plan.accounts) or 'no other account'}"
               f"{purpose}:")
    for problem in plan.problems:
        click.secho(f"  blocked [{problem.account} {problem.region}] {problem.message}", fg="red", bold=True)
        click.echo(f"    fix: {problem.fix}")
    if plan.problems:
        click.echo("Nothing can be applied until the problems above are fixed.")
        return
    if not plan.actions:
        click.secho("  nothing to do: everything needed is in place", fg="green")
        return
    for number, action in enumerate(plan.actions, 1):
        click.secho(f"  {number}. [{action.account} {action.region}] {action.description}", bold=True)
        click.echo(f"     why: {action.why}")
        click.echo(f"     $ {action.command}")


def _report(outcome) -> None:
    action = outcome.action
    if outcome.ok:
        click.secho(f"  done [{action.account} {action.region}] {action.resource}: {outcome.detail}", fg="green")
    else:
        click.secho(f"  failed {outcome.detail}", fg="red", err=True)
