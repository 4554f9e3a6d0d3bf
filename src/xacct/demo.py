"""`xacct demo`: the stories S0 to S4, told on the embedded sandbox. Each chapter shows the
failure as AWS shows it, xacct's explanation, the fix, and the success. Chapters join as the
parts of xacct they need land; today: S2 (validation, and runs in the sandbox)."""

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


def run_demo() -> int:
    from .sandbox.embedded import SandboxCloud
    from .store import Store

    click.secho("xacct demo, on the embedded sandbox (chapters S0, S1, S3 and S4 come with the "
                "cross-account sandbox)\n", bold=True)
    with tempfile.TemporaryDirectory(prefix="xacct-demo-") as tmp:
        store = Store(Path(tmp) / "demo.db")
        ok = _chapter_s2(SandboxCloud(), store)
        store.close()
    click.echo()
    click.secho("demo finished" if ok else "demo did not go as expected", fg="green" if ok else "red")
    return 0 if ok else 1
