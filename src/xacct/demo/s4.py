"""S4: a user of one account switches to a role of another that requires MFA; without it, STS
answers with a bare AccessDenied that never mentions MFA."""

from __future__ import annotations

import click

from .common import example, say

HOGE, FOO = "111111111111", "222222222222"
ROLE = f"arn:aws:iam::{FOO}:role/role-kawahara"
SEED = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # the virtual MFA device of s4-mfa.yaml


def chapter(store) -> bool:
    import pyotp
    from botocore.exceptions import ClientError

    from ..doctor import Checkup, Reader, diagnose
    from ..engine.documents import by_name
    from ..sandbox.embedded import SandboxCloud
    from ..sandbox.world import build_world, load_world

    region = "us-east-1"
    say("S4: switching to a role in another account that requires MFA")
    cloud = SandboxCloud(region)
    built = build_world(load_world(example("worlds/s4-mfa.yaml")), cloud, region, store)
    user = cloud.identity(built.users[(HOGE, "user-kawahara")], region)
    serial = built.mfa_serials[(HOGE, "user-kawahara")]
    click.echo(f"The world of s4-mfa.yaml: user-kawahara in {HOGE} (hoge) with a virtual MFA device; role-kawahara\n"
               f"in {FOO} (foo), whose trust policy allows that user only with MFA.\n")

    click.echo("1. What AWS answers without MFA, and why:")
    click.echo(f"  $ aws sts assume-role --role-arn {ROLE} --role-session-name cli")
    sts = cloud.client("sts", region, user)
    denied = ""
    try:
        sts.assume_role(RoleArn=ROLE, RoleSessionName="cli")
    except ClientError as exc:
        denied = str(exc)
        click.secho(f"  {denied}", fg="red")
    why = cloud.explain_denial(user) or {}
    click.echo(f"  xacct: decided by the {why.get('layer', '?')} layer; fix: {why.get('fix', '?')}")

    click.echo("\n2. xacct doctor finds it before anything runs, from the trust policy:")
    click.echo(f"  $ xacct doctor AWS-EnableS3BucketEncryption --as {user.arn} --role-arn {ROLE}")
    runbook = by_name("AWS-EnableS3BucketEncryption", cloud, user, region)
    findings = diagnose(Checkup(Reader(cloud, user, region), runbook, {"BucketName": ["foo-data"]}, region, user,
                                owned_by_aws=True, role_arn=ROLE))
    mfa = [f for f in findings if f.id == "D401"]
    for finding in mfa:
        click.echo("\n".join("  " + line for line in finding.text().splitlines()))

    click.echo("\n3. The fix: the MFA device and a one-time code.")
    click.echo(f"  $ aws sts assume-role --role-arn {ROLE} --role-session-name cli --serial-number {serial} "
               "--token-code 123456")
    response = sts.assume_role(RoleArn=ROLE, RoleSessionName="cli", SerialNumber=serial,
                               TokenCode=pyotp.TOTP(SEED).now())
    from ..credentials import Credentials

    role = Credentials.from_response(response["Credentials"], response["AssumedRoleUser"]["Arn"])
    listed = cloud.client("s3", region, role).list_objects_v2(Bucket="foo-data")
    click.secho(f"  {role.arn} lists foo-data ({listed.get('KeyCount', 0)} objects)", fg="green")
    click.echo("  In a profile, mfa_serial makes xacct and the AWS CLI ask for the code once per session.\n")
    return bool(mfa) and "AccessDenied" in denied and "MultiFactorAuthPresent" in str(why) and bool(role.arn)
