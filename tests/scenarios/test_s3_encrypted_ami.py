"""S3 of SCENARIOS.md through the CLI: account A's AMI, encrypted with A's customer managed key,
launched in account B by hand and by an Auto Scaling group.

1. The key policy does not mention B: the instance ends terminated with AWS's state reason, and
   the explanation (the sandbox's Decision, and `xacct ami share --plan-only`) names the key policy.
2. The seed's key policy statements: the launch works (and xacct sees them as enough).
3. The Auto Scaling group fails, its activity says AWS's text; the explanation is the grant for
   AWSServiceRoleForAutoScaling, as the seed's create-grant command made from B.
4. After that grant the group reaches its desired capacity.
5. `xacct ami share IMAGE --to B --for-autoscaling` plans all of it, changes nothing when refused at
   the prompt, applies with --yes, and then has nothing to do; the group launches.

Each `xacct` invocation runs in this process (click's CliRunner) on the process-wide sandbox; the
world is the bundled one with its accounts renamed, so that each test's accounts are its own."""

import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from tests.served import served_world
from xacct.cli import cli
from xacct.sandbox.world import build_world, load_world

WORLD = Path(__file__).parents[2] / "src" / "xacct" / "examples" / "worlds" / "s3-encrypted-ami.yaml"
REGION = "us-east-1"
CLIENT_ERROR = "Client.InternalError: Client error on launch"
V = "2012-10-17"


def slr(account):
    return f"arn:aws:iam::{account}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"


class Story:
    """One renamed S3 world: A owns the key and the image, B has the user ops."""

    def __init__(self, tmp_path, sandbox, a, b, change=None):
        text = WORLD.read_text().replace("111111111111", a).replace("222222222222", b)
        world = yaml.safe_load(text)
        if change:
            change(world)
        (tmp_path / "world.yaml").write_text(json.dumps(world))
        built = build_world(load_world(str(tmp_path / "world.yaml")), sandbox, REGION)
        self.sandbox, self.a, self.b = sandbox, a, b
        self.ops = built.users[(b, "ops")]
        self.owner = sandbox.operator(a)
        [image] = self.ec2(self.owner).describe_images(Owners=["self"])["Images"]
        self.image = image["ImageId"]
        snapshot = image["BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
        self.key = self.ec2(self.owner).describe_snapshots(SnapshotIds=[snapshot])["Snapshots"][0]["KmsKeyId"]

    def ec2(self, credentials, region=REGION):
        return self.sandbox.client("ec2", region, credentials)

    def kms(self, credentials, region=REGION):
        return self.sandbox.client("kms", region, credentials)

    def xacct(self, *args, answer=None):
        result = CliRunner().invoke(cli, ["ami", "share", *args], input=answer)
        assert result.exception is None or isinstance(result.exception, SystemExit), result.output
        return result

    def share(self, *extra, answer=None):
        return self.xacct(self.image, "--to", self.b, "--owner", self.a, *extra, answer=answer)

    def launch(self):
        """One instance launched in B by ops: (state, state reason message)."""
        ec2 = self.ec2(self.ops)
        instance_id = ec2.run_instances(ImageId=self.image, MinCount=1, MaxCount=1)["Instances"][0]["InstanceId"]
        instance = ec2.describe_instances(InstanceIds=[instance_id])["Reservations"][0]["Instances"][0]
        return instance["State"]["Name"], instance.get("StateReason", {}).get("Message")

    def group(self, name="web", size=2):
        """An Auto Scaling group in B from a launch template with the AMI: (instances, last activity)."""
        ec2 = self.ec2(self.ops)
        template = ec2.create_launch_template(LaunchTemplateName=f"{name}-template", LaunchTemplateData={
            "ImageId": self.image, "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
        subnet = ec2.describe_subnets()["Subnets"][0]["SubnetId"]
        autoscaling = self.sandbox.client("autoscaling", REGION, self.ops)
        autoscaling.create_auto_scaling_group(AutoScalingGroupName=name, MinSize=size, MaxSize=size,
                                              DesiredCapacity=size, VPCZoneIdentifier=subnet,
                                              LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"})
        return self.group_state(name)

    def group_state(self, name="web"):
        autoscaling = self.sandbox.client("autoscaling", REGION, self.ops)
        group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=[name])["AutoScalingGroups"][0]
        activities = autoscaling.describe_scaling_activities(AutoScalingGroupName=name)["Activities"]
        return [i for i in group["Instances"] if i["LifecycleState"] == "InService"], activities[0]

    def policy(self):
        return json.loads(self.kms(self.owner).get_key_policy(KeyId=self.key, PolicyName="default")["Policy"])

    def grants(self):
        return [g for g in self.kms(self.owner).list_grants(KeyId=self.key)["Grants"]
                if g["GranteePrincipal"] == slr(self.b)]

    def launch_permissions(self):
        return self.ec2(self.owner).describe_image_attribute(ImageId=self.image,
                                                             Attribute="launchPermission")["LaunchPermissions"]


def seed_create_grant(story):
    """The seed's command, `aws kms create-grant ...`, run with B's credentials."""
    return story.kms(story.ops).create_grant(
        KeyId=story.key, GranteePrincipal=slr(story.b),
        Operations=["Decrypt", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant"])


def grant_command(story):
    return (f"aws kms create-grant --key-id {story.key} --grantee-principal {slr(story.b)} "
            f"--operations Decrypt GenerateDataKeyWithoutPlaintext ReEncryptFrom ReEncryptTo CreateGrant "
            f"--region {REGION}")


def test_steps_1_to_4_fail_as_aws_says_and_are_explained(tmp_path, sandbox):
    story = Story(tmp_path, sandbox, "730000000001", "730000000002")

    # 1. the key policy does not mention B: AWS accepts RunInstances, the instance never runs
    assert story.launch() == ("terminated", CLIENT_ERROR)
    why = sandbox.explain_denial(story.ops)
    assert why["layer"] == "kms" and why["resource"] == story.key and why["missing"] == "kms"
    plan = story.share("--plan-only")
    assert plan.exit_code == 0, plan.output
    assert f"the key policy of {story.key} does not allow {story.b}" in plan.output
    assert "aws kms put-key-policy" in plan.output and "create-grant" not in plan.output

    # 2. the statements of the seed, written by hand: the launch works, and xacct sees nothing missing
    policy = story.policy()
    policy["Statement"] += [
        {"Sid": "Allow use of the key", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{story.b}:root"},
         "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
         "Resource": "*"},
        {"Sid": "Allow attachment of persistent resources", "Effect": "Allow",
         "Principal": {"AWS": f"arn:aws:iam::{story.b}:root"}, "Action": "kms:CreateGrant", "Resource": "*"}]
    story.kms(story.owner).put_key_policy(KeyId=story.key, PolicyName="default", Policy=json.dumps(policy))
    assert story.launch()[0] == "running"
    assert "nothing to do" in story.share("--plan-only").output

    # 3. the Auto Scaling group: no instance, AWS's opaque text; the explanation is the missing grant
    instances, activity = story.group()
    assert instances == []
    assert activity["StatusCode"] == "Failed" and activity["StatusMessage"] == CLIENT_ERROR
    plan = story.share("--for-autoscaling", "--plan-only")
    assert plan.exit_code == 0, plan.output
    assert plan.output.count("$ aws ") == 1  # the key policy is fine: only the grant is missing
    assert f"[{story.b} {REGION}] Grant AWSServiceRoleForAutoScaling of {story.b}" in plan.output
    assert f"$ {grant_command(story)}\n" in plan.output
    assert "AWSServiceRoleForAutoScaling, which has no grant" in plan.output

    # 4. the grant, made from B: the group reaches its desired capacity
    seed_create_grant(story)
    instances, activity = story.group_state()
    assert len(instances) == 2 and activity["StatusCode"] == "Successful"
    assert "nothing to do" in story.share("--for-autoscaling", "--plan-only").output


def _unshared(world):
    for account in world["accounts"].values():
        for region in (account.get("regions") or {}).values():
            for image in (region.get("images") or {}).values():
                image.pop("sharedWith", None)


def test_step_5_ami_share_plans_all_of_it_asks_then_applies(tmp_path, sandbox):
    story = Story(tmp_path, sandbox, "730000000011", "730000000012", _unshared)
    plan = story.share("--for-autoscaling", "--plan-only")
    assert plan.exit_code == 0, plan.output
    lines = [line.strip() for line in plan.output.splitlines()]
    headers = [line for line in lines if line[:3] in ("1. ", "2. ", "3. ", "4. ")]
    assert [h.split("]")[0] for h in headers] == [f"1. [{story.a} {REGION}", f"2. [{story.a} {REGION}",
                                                  f"3. [{story.b} {REGION}"]
    commands = [line[2:] for line in lines if line.startswith("$ ")]
    assert commands[0] == (f"aws ec2 modify-image-attribute --image-id {story.image} "
                           f"--launch-permission 'Add=[{{UserId={story.b}}}]' --region {REGION}")
    assert commands[1].startswith(f"aws kms put-key-policy --key-id {story.key} --policy-name default --policy '")
    assert commands[2] == grant_command(story)

    # refused at the prompt: nothing changes
    before = story.policy()
    refused = story.share("--for-autoscaling", answer="n\n")
    assert refused.exit_code == 1 and "Make these 3 change(s)? [y/N]" in refused.output
    assert "Nothing changed." in refused.output
    assert story.launch_permissions() == [] and story.policy() == before and story.grants() == []

    applied = story.share("--for-autoscaling", "--yes")
    assert applied.exit_code == 0, applied.output
    assert applied.output.count("  done [") == 3
    assert story.launch_permissions() == [{"UserId": story.b}]
    assert {tuple(g["Operations"]) for g in story.grants()} == {
        ("Decrypt", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant")}
    assert [s["Sid"] for s in story.policy()["Statement"]][1:] == [
        f"Allow external account {story.b} use of the customer managed key",
        f"Allow attachment of persistent resources in external account {story.b}"]
    assert story.launch()[0] == "running"
    instances, _ = story.group()
    assert len(instances) == 2

    again = story.share("--for-autoscaling", "--plan-only")
    assert again.exit_code == 0 and "nothing to do" in again.output


def test_confirming_at_the_prompt_applies(tmp_path, sandbox):
    story = Story(tmp_path, sandbox, "730000000061", "730000000062")
    result = story.share(answer="y\n")
    assert result.exit_code == 0, result.output
    assert "is shared with 730000000062" in result.output
    assert story.launch()[0] == "running"


def test_a_launch_only_share_is_widened_for_autoscaling_without_duplicates(tmp_path, sandbox):
    story = Story(tmp_path, sandbox, "730000000031", "730000000032")
    assert story.share("--yes").exit_code == 0
    assert story.launch()[0] == "running"
    # CreateGrant is allowed only for grants AWS services make for B: B's own grant is refused
    from botocore.exceptions import ClientError

    with pytest.raises(ClientError) as refused:
        seed_create_grant(story)
    assert refused.value.response["Error"]["Code"] == "AccessDeniedException"
    plan = story.share("--for-autoscaling", "--plan-only")
    assert "Add 1 statement(s) for 730000000032" in plan.output and grant_command(story) in plan.output
    assert story.share("--for-autoscaling", "--yes").exit_code == 0
    sids = [s["Sid"] for s in story.policy()["Statement"]]
    assert len(sids) == len(set(sids)) == 3
    assert "Condition" not in story.policy()["Statement"][2]
    instances, _ = story.group()
    assert len(instances) == 2


def test_for_copy_the_snapshots_are_shared_too(tmp_path, sandbox):
    story = Story(tmp_path, sandbox, "730000000081", "730000000082")
    snapshot = story.ec2(story.owner).describe_images(ImageIds=[story.image])["Images"][0][
        "BlockDeviceMappings"][0]["Ebs"]["SnapshotId"]
    plan = story.share("--for-copy", "--plan-only")
    assert (f"$ aws ec2 modify-snapshot-attribute --snapshot-id {snapshot} --attribute createVolumePermission "
            f"--operation-type add --user-ids {story.b} --region {REGION}") in plan.output
    assert story.share("--for-copy", "--yes").exit_code == 0
    permissions = story.ec2(story.owner).describe_snapshot_attribute(SnapshotId=snapshot,
                                                                     Attribute="createVolumePermission")
    assert permissions["CreateVolumePermissions"] == [{"UserId": story.b}]
    assert "nothing to do" in story.share("--for-copy", "--plan-only").output


def test_a_failed_change_stops_the_rest_and_names_where(tmp_path, sandbox):
    from xacct.ami_share import apply_plan, plan_share

    story = Story(tmp_path, sandbox, "730000000091", "730000000092")
    plan = plan_share(sandbox, story.image, REGION, story.owner, [story.b], [REGION], True, sandbox.operator)
    assert [a.account for a in plan.actions] == [story.a, story.b]
    policy = story.policy()  # someone edits the key policy between the plan and its application
    policy["Statement"].append({"Sid": "Audit", "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{story.a}:root"},
                                "Action": "kms:DescribeKey", "Resource": "*"})
    story.kms(story.owner).put_key_policy(KeyId=story.key, PolicyName="default", Policy=json.dumps(policy))
    [outcome] = apply_plan(plan)
    assert not outcome.ok
    assert outcome.detail == (f"account {story.a} {REGION} {story.key}: the key policy changed since the plan was "
                              "made; plan again")
    assert story.policy() == policy and story.grants() == []


def _no_service_linked_role(world):
    for account in world["accounts"].values():
        (account.get("iam") or {}).pop("serviceLinkedRoles", None)


def test_the_service_linked_role_is_created_before_the_grant(tmp_path, sandbox):
    story = Story(tmp_path, sandbox, "730000000021", "730000000022", _no_service_linked_role)
    plan = story.share("--for-autoscaling", "--plan-only")
    commands = [line.strip()[2:] for line in plan.output.splitlines() if line.strip().startswith("$ ")]
    assert commands[1:] == ["aws iam create-service-linked-role --aws-service-name autoscaling.amazonaws.com "
                            f"--region {REGION}", grant_command(story)]
    assert story.share("--for-autoscaling", "--yes").exit_code == 0
    role = sandbox.client("iam", REGION, sandbox.operator(story.b)).get_role(RoleName="AWSServiceRoleForAutoScaling")
    assert role["Role"]["Arn"] == slr(story.b)
    instances, _ = story.group()
    assert len(instances) == 2


def test_an_ami_encrypted_with_the_aws_managed_key_cannot_be_shared(sandbox):
    a, b = "730000000041", "730000000042"
    owner = sandbox.operator(a)
    ebs_key = sandbox.client("kms", REGION, owner).describe_key(KeyId="alias/aws/ebs")["KeyMetadata"]["Arn"]
    image = sandbox.client("ec2", REGION, owner).register_image(
        Name="default-encrypted", RootDeviceName="/dev/xvda", BlockDeviceMappings=[
            {"DeviceName": "/dev/xvda", "Ebs": {"VolumeSize": 8, "Encrypted": True, "KmsKeyId": ebs_key}}])["ImageId"]
    result = CliRunner().invoke(cli, ["ami", "share", image, "--to", b, "--owner", a, "--yes"])
    assert result.exit_code == 1, result.output
    assert f"encrypted with the AWS managed key alias/aws/ebs ({ebs_key})" in result.output
    assert f"aws ec2 copy-image --source-image-id {image} --source-region {REGION}" in result.output
    assert "--encrypted --kms-key-id" in result.output
    launch = sandbox.client("ec2", REGION, owner).describe_image_attribute(ImageId=image, Attribute="launchPermission")
    assert launch["LaunchPermissions"] == []


def _second_region(world):
    account = next(iter(world["accounts"].values()))
    account["regions"]["us-west-2"] = json.loads(json.dumps(account["regions"]["us-east-1"]))


def test_several_regions_share_the_image_of_the_same_name(tmp_path, sandbox):
    story = Story(tmp_path, sandbox, "730000000051", "730000000052", _second_region)
    west = story.ec2(story.owner, "us-west-2").describe_images(Owners=["self"])["Images"][0]["ImageId"]
    plan = story.share("--regions", "us-east-1,us-west-2", "--for-autoscaling", "--plan-only")
    assert f"{story.image} in us-east-1, {west} in us-west-2" in plan.output
    regions = [line.split("]")[0].split()[-1] for line in plan.output.splitlines() if line.startswith("  ") and
               line.strip()[:2] in ("1.", "2.", "3.", "4.")]
    assert regions == ["us-east-1", "us-west-2", "us-east-1", "us-west-2"]  # key policies, then B's grants
    assert story.share("--regions", "us-east-1,us-west-2", "--for-autoscaling", "--yes").exit_code == 0
    again = story.share("--regions", "us-east-1,us-west-2", "--for-autoscaling", "--plan-only")
    assert "nothing to do" in again.output

    missing = story.share("--regions", "us-east-1,eu-west-1", "--plan-only")
    assert missing.exit_code == 1
    assert "has no image named 'web-base-2026-11' in eu-west-1" in missing.output
    assert (f"aws ec2 copy-image --source-image-id {story.image} --source-region us-east-1 --name web-base-2026-11 "
            "--encrypted --kms-key-id <ARN of a customer managed key in eu-west-1> --region eu-west-1"
            ) in missing.output


@pytest.mark.parametrize("args, words", [
    (["ami-xyz", "--to", "730000000002"], "'ami-xyz' is not an AMI ID"),
    (["ami-0123456789abcdef0", "--to", "7300000002"], "7300000002: an account is 12 digits"),
    (["ami-0123456789abcdef0", "--to", "730000000002", "--regions", "useast1"], "useast1: not a Region name"),
    (["ami-0123456789abcdef0", "--to", "730000000002", "--owner", "730000000001"],
     "no image ami-0123456789abcdef0 in us-east-1 visible to account 730000000001"),
], ids=["not-an-ami-id", "not-12-digits", "not-a-region", "unknown-image"])
def test_bad_input_is_refused_with_exit_status_2(sandbox, args, words):
    result = CliRunner().invoke(cli, ["ami", "share", *args])
    assert result.exit_code == 2, result.output
    assert words in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_the_world_image_by_name_in_a_process_of_its_own():
    """`xacct ami share NAME --world W`: the sandbox makes AMI IDs as it builds the world, so the
    world's image is named; the owner is the world account that owns it."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "xacct", "ami", "share", "web-base", "--world", str(WORLD),
                             "--to", "222222222222", "--for-autoscaling", "--yes"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "(owner 111111111111) with 222222222222 for Auto Scaling" in result.stdout
    assert result.stdout.count("  done [") == 2 and "is shared with 222222222222 for Auto Scaling too" in result.stdout


ASG_IN_B = """
import boto3, sys
session = boto3.Session(profile_name=sys.argv[1])
ec2, autoscaling = session.client("ec2"), session.client("autoscaling")
template = ec2.create_launch_template(LaunchTemplateName="web", LaunchTemplateData={
    "ImageId": sys.argv[2], "InstanceType": "t3.micro"})["LaunchTemplate"]["LaunchTemplateId"]
autoscaling.create_auto_scaling_group(AutoScalingGroupName="web", MinSize=2, MaxSize=2, DesiredCapacity=2,
    LaunchTemplate={"LaunchTemplateId": template, "Version": "$Latest"},
    VPCZoneIdentifier=ec2.describe_subnets()["Subnets"][0]["SubnetId"])
group = autoscaling.describe_auto_scaling_groups(AutoScalingGroupNames=["web"])["AutoScalingGroups"][0]
print(len([i for i in group["Instances"] if i["LifecycleState"] == "InService"]))
"""
IMAGE_OF = """
import boto3, sys
print(boto3.Session(profile_name=sys.argv[1]).client("ec2").describe_images(Owners=["self"])["Images"][0]["ImageId"])
"""


def test_in_aws_the_grant_is_made_by_assuming_the_target_role(tmp_path):
    """The --aws path, against `xacct sandbox serve` and its profiles: the owner's profile makes
    the owner's changes, and the grant is made in B by assuming OrganizationAccountAccessRole."""
    import subprocess
    import sys

    a, b = "730000000071", "730000000072"
    world = yaml.safe_load(WORLD.read_text().replace("111111111111", a).replace("222222222222", b))
    _unshared(world)
    admin = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
    world["accounts"][a]["iam"] = {"users": {"admin": {"accessKey": True, "policies": {"admin": admin}}}}
    world["accounts"][b]["iam"]["roles"] = {"OrganizationAccountAccessRole": {"policies": {"admin": admin}, "trust": {
        "Version": V, "Statement": [{"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{a}:root"},
                                     "Action": "sts:AssumeRole"}]}}}
    (tmp_path / "world.yaml").write_text(json.dumps(world))
    with served_world(tmp_path / "world.yaml", tmp_path) as (env, _):
        def run(*args):
            return subprocess.run([sys.executable, *args], env=env, capture_output=True, text=True, timeout=120)

        image = run("-c", IMAGE_OF, "account-a-admin").stdout.strip()
        share = ["-m", "xacct", "ami", "share", image, "--to", b, "--for-autoscaling", "--profile", "account-a-admin"]
        applied = run(*share, "--yes")
        assert applied.returncode == 0, applied.stdout + applied.stderr
        assert f"  done [{b} us-east-1]" in applied.stdout and applied.stdout.count("  done [") == 3
        assert "nothing to do" in run(*share, "--plan-only").stdout
        group = run("-c", ASG_IN_B, "account-b-ops", image)
        assert group.stdout.strip() == "2", group.stderr

        other = run("-m", "xacct", "ami", "share", image, "--to", "730000000073", "--for-autoscaling",
                    "--profile", "account-a-admin", "--target-role-name", "NoSuchRole", "--plan-only")
        assert other.returncode == 2 and "account 730000000073 us-east-1: cannot act there: AssumeRole" in other.stderr
