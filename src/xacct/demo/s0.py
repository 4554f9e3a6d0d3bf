"""S0: a custom runbook run from the management account in a member account, not shared."""

from __future__ import annotations

import click

from .common import example, run_across_followed, say


def chapter(store) -> bool:
    from ..sandbox.embedded import SandboxCloud
    from ..sandbox.world import build_world, load_world

    region, member = "ap-northeast-1", "222222222222"
    say("S0: a custom runbook run from the management account in a member account")
    cloud = SandboxCloud(region)
    built = build_world(load_world(example("worlds/s0-unshared-runbook.yaml")), cloud, region, store)
    click.echo("The world of s0-unshared-runbook.yaml: the administration role in 111111111111, the execution role\n"
               "in 222222222222, and InstallApp, a runbook owned by 111111111111 and shared with no one.\n")
    click.echo("1. Run it in 222222222222; AWS blames the execution role, xacct names the real cause:")
    failed, _ = run_across_followed(cloud, store, built, "InstallApp", [member], region)
    click.echo("\n   The same cause, found by xacct doctor before any run:")
    click.echo(f"  $ xacct doctor InstallApp --accounts {member} --regions {region}")
    found = _doctor(cloud, built, member, region)
    for finding in found:
        click.echo("\n".join("  " + line for line in finding.text().splitlines()))
    click.echo("\n2. The fix xacct gives: share the runbook with the member account in that Region.")
    click.echo(f"  $ aws ssm modify-document-permission --name InstallApp --permission-type Share "
               f"--account-ids-to-add {member} --region {region}")
    owner = cloud.client("ssm", region, built.users[("111111111111", "ops")])
    owner.modify_document_permission(Name="InstallApp", PermissionType="Share", AccountIdsToAdd=[member])
    click.echo("\n3. The same run again:")
    status, _ = run_across_followed(cloud, store, built, "InstallApp", [member], region)
    ec2 = cloud.client("ec2", region, cloud.operator(member))
    tagged = [t["Value"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
              for t in i.get("Tags", []) if t["Key"] == "AppInstalled"]
    click.echo(f"  in {member}: {len(tagged)} instance(s) now tagged AppInstalled\n")
    return failed == "Failed" and [f.id for f in found] == ["D101"] and status == "Success" and bool(tagged)


def _doctor(cloud, built, member: str, region: str):
    from ..doctor import Checkup, Reader, diagnose
    from ..engine.documents import by_name

    caller = cloud.identity(built.users[("111111111111", "ops")], region)
    admin = "arn:aws:iam::111111111111:role/AWS-SystemsManager-AutomationAdministrationRole"
    return diagnose(Checkup(Reader(cloud, caller, region), by_name("InstallApp", cloud, caller, region),
                            {"AutomationAssumeRole": [admin]}, region, caller, targets=[(member, region)]))
