"""S3: an AMI encrypted with account A's key, launched in account B by hand and by Auto Scaling."""

from __future__ import annotations

import click

from .common import example, say

A, B = "111111111111", "222222222222"


def chapter(store) -> bool:
    from ..ami_share import apply_plan, plan_share
    from ..commands.ami import show_plan
    from ..sandbox.embedded import SandboxCloud
    from ..sandbox.world import build_world, load_world

    region = "us-east-1"
    say("S3: an encrypted AMI for an Auto Scaling group in another account")
    cloud = SandboxCloud(region)
    built = build_world(load_world(example("worlds/s3-encrypted-ami.yaml")), cloud, region, store)
    ops, owner = built.users[(B, "ops")], cloud.operator(A)
    # by the world's name for it: other chapters make images in the same account
    [image] = cloud.client("ec2", region, owner).describe_images(
        Owners=["self"], Filters=[{"Name": "name", "Values": ["web-base-2026-11"]}])["Images"]
    image_id = image["ImageId"]
    click.echo(f"The world of s3-encrypted-ami.yaml: {image_id} ({image['Name']}) in {A}, its snapshot encrypted\n"
               f"with A's customer managed key and shared with {B}, whose user ops may use that key.\n")

    ec2 = cloud.client("ec2", region, ops)
    click.echo(f"1. ops launches an instance in {B} from it; EC2 accepts the call, the instance never runs:")
    first = _launch(ec2, image_id)
    why = cloud.explain_denial(ops) or {}
    click.echo("  xacct: EC2 uses A's key on behalf of ops (kms:CreateGrant, kms:Decrypt), and the key said no:")
    click.echo(f"    {why.get('message')}")
    if why.get("layer") == "kms":
        click.echo(f"    decided by the key policy of {why['resource']}: no statement of it allows {B}")

    click.echo(f"\n2. An Auto Scaling group in {B} with a launch template of the AMI:")
    autoscaling = cloud.client("autoscaling", region, ops)
    template = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={
        "ImageId": image_id, "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
    click.echo("  $ aws autoscaling create-auto-scaling-group --auto-scaling-group-name web --desired-capacity 2 ...")
    autoscaling.create_auto_scaling_group(AutoScalingGroupName="web", MinSize=2, MaxSize=2, DesiredCapacity=2,
                                          LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
                                          VPCZoneIdentifier=ec2.describe_subnets()["Subnets"][0]["SubnetId"])
    failed = _group(autoscaling)

    click.echo("\n3. xacct plans what both need, explains each change, and makes them (here without asking):")
    click.echo(f"  $ xacct ami share {image_id} --to {B} --for-autoscaling")
    plan = plan_share(cloud, image_id, region, owner, [B], [region], True, cloud.operator)
    show_plan(plan, True)
    outcomes = apply_plan(plan, report=lambda o: click.secho(
        f"  {'done' if o.ok else 'failed'} [{o.action.account} {o.action.region}] {o.detail}",
        fg="green" if o.ok else "red"))

    click.echo("\n4. Auto Scaling tries again, and ops launches again:")
    succeeded = _group(autoscaling)
    second = _launch(ec2, image_id)
    again = plan_share(cloud, image_id, region, owner, [B], [region], True, cloud.operator)
    click.echo(f"  $ xacct ami share {image_id} --to {B} --for-autoscaling --plan-only")
    show_plan(again, True)
    click.echo()
    return (first[0] == "terminated" and why.get("layer") == "kms" and failed == (0, "Failed")
            and bool(outcomes) and all(o.ok for o in outcomes) and succeeded == (2, "Successful")
            and second[0] == "running" and again.nothing_to_do)


def _launch(ec2, image_id: str) -> tuple[str, str | None]:
    click.echo(f"  $ aws ec2 run-instances --image-id {image_id} --count 1")
    instance_id = ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
    instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
    state, reason = instance["State"]["Name"], instance.get("StateReason", {}).get("Message")
    click.secho(f"  {instance_id}: {state}" + (f", state reason: {reason}" if reason and state != "running" else ""),
                fg="green" if state == "running" else "red")
    return state, reason


def _group(autoscaling) -> tuple[int, str]:
    group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
    activity = autoscaling.describe_scaling_activities(AutoScalingGroupName="web")["Activities"][0]
    running = len([i for i in group["Instances"] if i["LifecycleState"] == "InService"])
    message = f", {activity['StatusMessage']}" if activity.get("StatusMessage") else ""
    click.secho(f"  group web: {running} of {group['DesiredCapacity']} instances in service; last scaling activity: "
                f"{activity['StatusCode']}{message}",
                fg="green" if running == group["DesiredCapacity"] else "red")
    return running, activity["StatusCode"]
