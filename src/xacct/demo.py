"""`xacct demo`: the stories S0 to S4, told on the embedded sandbox. Each chapter shows the
failure as AWS shows it, xacct's explanation, the fix, and the success. Chapters join as the
parts of xacct they need land; today: S0 (runs across accounts) and S2 (validation, and runs in
the sandbox)."""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path

import click


def _example(name: str) -> str:
    return str(resources.files("xacct") / "examples" / name)


def _say(text: str) -> None:
    click.secho(text, bold=True)


def _run(runbook: str, cloud, store, parameters: dict) -> tuple[str, dict, object]:
    from .engine import run, start_runbook
    from .engine.history import automation_execution
    from .progress import Progress

    execution = start_runbook(runbook, cloud=cloud, store=store, parameters=parameters)
    click.echo(f"  $ xacct run {Path(runbook.partition('#')[0]).name}#{runbook.partition('#')[2]} "
               + " ".join(f"-p {k}={','.join(v)}" for k, v in parameters.items()))
    listener = Progress(execution.id)
    store.listeners.append(listener)
    try:
        status = run(execution)
    finally:
        store.listeners.remove(listener)
    click.secho(f"  Execution {execution.id}: {status}", fg="green" if status == "Success" else "red")
    return status, automation_execution(store, execution.id), execution


def _chapter_s2(cloud, store) -> bool:
    from .document.validate import validate_file

    _say("S2: make an AMI of a tagged instance and share it with another account")
    me = cloud.caller_credentials()
    ec2 = cloud.client("ec2", cloud.default_region, me)
    base = ec2.register_image(Name="demo-base", RootDeviceName="/dev/xvda",
                              BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
    instance = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1, InstanceType="t3.micro", TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Backup", "Value": "Nightly"}]}])["Instances"][0]["InstanceId"]
    click.echo(f"In the sandbox's account 111111111111: instance {instance}, tagged Backup=Nightly.\n")

    broken = _example("s2-share-ami-unconverted.yaml")
    click.echo("1. The runbook passes the Output of aws:executeAutomation, a StringList, straight to ImageId.")
    click.echo(f"  $ xacct validate {Path(broken).name}")
    findings = validate_file(broken)
    for finding in findings:
        click.echo("  " + finding.text().replace(str(Path(broken).parent) + "/", ""))
    click.echo("\n2. SSM accepts such a runbook and it fails at that step when it runs; so it does here:")
    parameters = {"InstanceId": [instance], "PartnerAccountId": ["222222222222"]}
    failed, result, _ = _run(f"{broken}#ShareAmiRunbook", cloud, store, parameters)

    fixed = _example("s2-share-ami.yaml")
    click.echo("\n3. The fix: a script step picks the one AMI ID out of the list.")
    click.echo(f"  $ xacct validate {Path(fixed).name}")
    clean = validate_file(fixed)
    click.secho("  no findings" if not clean else "\n".join(f.text() for f in clean), fg="green" if not clean else None)
    status, result, execution = _run(f"{fixed}#ShareAmiRunbook", cloud, store, parameters)
    image = execution.outputs.get("pickImageId", {}).get("ImageId")
    shared = []
    if image:
        shared = ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission")["LaunchPermissions"]
        click.echo(f"  AMI {image} may be launched by: {', '.join(p['UserId'] for p in shared)}")
    return (any(f.id == "E5001" for f in findings) and failed == "Failed" and not clean and status == "Success"
            and {"UserId": "222222222222"} in shared)


def _run_across(cloud, store, built, runbook: str, accounts: list[str], region: str) -> tuple[str, dict]:
    from .engine.documents import by_name
    from .engine.history import automation_execution
    from .engine.locations import ADMINISTRATION_ROLE, TargetLocation, run_fanout, start_fanout
    from .fanout_view import FanoutProgress, matrix

    caller = built.users[("111111111111", "ops")]
    admin = f"arn:aws:iam::111111111111:role/{ADMINISTRATION_ROLE}"
    click.echo(f"  $ xacct run {runbook} --accounts {','.join(accounts)} --regions {region} "
               f"-p AutomationAssumeRole={admin}")
    fanout = start_fanout(by_name(runbook, cloud, caller, region), [TargetLocation(accounts, [region])],
                          cloud=cloud, store=store, region=region, given={"AutomationAssumeRole": [admin]},
                          caller=caller)
    listener = FanoutProgress(fanout.parent.id, len(fanout.targets))
    store.listeners.append(listener)
    try:
        status = run_fanout(fanout)
    finally:
        store.listeners.remove(listener)
    result = automation_execution(store, fanout.parent.id)
    click.echo("\n".join("  " + line for line in matrix(result["StepExecutions"]).splitlines()))
    return status, result


def _chapter_s0(store) -> bool:
    from .sandbox.embedded import SandboxCloud
    from .sandbox.world import build_world, load_world

    region, member = "ap-northeast-1", "222222222222"
    _say("S0: a custom runbook run from the management account in a member account")
    cloud = SandboxCloud(region)
    built = build_world(load_world(_example("worlds/s0-unshared-runbook.yaml")), cloud, region, store)
    click.echo("The world of s0-unshared-runbook.yaml: the administration role in 111111111111, the execution role\n"
               "in 222222222222, and InstallApp, a runbook owned by 111111111111 and shared with no one.\n")
    click.echo("1. Run it in 222222222222; AWS blames the execution role, xacct names the real cause:")
    failed, _ = _run_across(cloud, store, built, "InstallApp", [member], region)
    click.echo("\n2. The fix xacct gives: share the runbook with the member account in that Region.")
    click.echo(f"  $ aws ssm modify-document-permission --name InstallApp --permission-type Share "
               f"--account-ids-to-add {member} --region {region}")
    owner = cloud.client("ssm", region, built.users[("111111111111", "ops")])
    owner.modify_document_permission(Name="InstallApp", PermissionType="Share", AccountIdsToAdd=[member])
    click.echo("\n3. The same run again:")
    status, _ = _run_across(cloud, store, built, "InstallApp", [member], region)
    ec2 = cloud.client("ec2", region, cloud.operator(member))
    tagged = [t["Value"] for r in ec2.describe_instances()["Reservations"] for i in r["Instances"]
              for t in i.get("Tags", []) if t["Key"] == "AppInstalled"]
    click.echo(f"  in {member}: {len(tagged)} instance(s) now tagged AppInstalled\n")
    return failed == "Failed" and status == "Success" and bool(tagged)


def run_demo() -> int:
    from .sandbox.embedded import SandboxCloud
    from .store import Store

    click.secho("xacct demo, on the embedded sandbox (chapters S1, S3 and S4 are still to come)\n", bold=True)
    with tempfile.TemporaryDirectory(prefix="xacct-demo-") as tmp:
        store = Store(Path(tmp) / "demo.db")
        ok = _chapter_s0(store)
        ok = _chapter_s2(SandboxCloud(), store) and ok
        store.close()
    click.echo()
    click.secho("demo finished" if ok else "demo did not go as expected", fg="green" if ok else "red")
    return 0 if ok else 1
