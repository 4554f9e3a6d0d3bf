"""S2: make an AMI of a tagged instance and share it; a StringList passed where a String is needed."""

from __future__ import annotations

from pathlib import Path

import click

from .common import example, run_followed, say


def chapter(cloud, store) -> bool:
    from ..document.validate import validate_file

    say("S2: make an AMI of a tagged instance and share it with another account")
    me = cloud.caller_credentials()
    ec2 = cloud.client("ec2", cloud.default_region, me)
    base = ec2.register_image(Name="demo-base", RootDeviceName="/dev/xvda",
                              BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8}}])["ImageId"]
    instance = ec2.run_instances(ImageId=base, MinCount=1, MaxCount=1, InstanceType="t3.micro", TagSpecifications=[
        {"ResourceType": "instance", "Tags": [{"Key": "Backup", "Value": "Nightly"}]}])["Instances"][0]["InstanceId"]
    click.echo(f"In the sandbox's account 111111111111: instance {instance}, tagged Backup=Nightly.\n")

    broken = example("s2-share-ami-unconverted.yaml")
    click.echo("1. The runbook passes the Output of aws:executeAutomation, a StringList, straight to ImageId.")
    click.echo(f"  $ xacct validate {Path(broken).name}")
    findings = validate_file(broken)
    for finding in findings:
        click.echo("  " + finding.text().replace(str(Path(broken).parent) + "/", ""))
    click.echo("\n2. SSM accepts such a runbook and it fails at that step when it runs; so it does here:")
    parameters = {"InstanceId": [instance], "PartnerAccountId": ["222222222222"]}
    failed, result, _ = run_followed(f"{broken}#ShareAmiRunbook", cloud, store, parameters)

    fixed = example("s2-share-ami.yaml")
    click.echo("\n3. The fix: a script step picks the one AMI ID out of the list.")
    click.echo(f"  $ xacct validate {Path(fixed).name}")
    clean = validate_file(fixed)
    click.secho("  no findings" if not clean else "\n".join(f.text() for f in clean), fg="green" if not clean else None)
    status, result, execution = run_followed(f"{fixed}#ShareAmiRunbook", cloud, store, parameters)
    image = execution.outputs.get("pickImageId", {}).get("ImageId")
    shared = []
    if image:
        shared = ec2.describe_image_attribute(ImageId=image, Attribute="launchPermission")["LaunchPermissions"]
        click.echo(f"  AMI {image} may be launched by: {', '.join(p['UserId'] for p in shared)}")
    return (any(f.id == "E5001" for f in findings) and failed == "Failed" and not clean and status == "Success"
            and {"UserId": "222222222222"} in shared)
