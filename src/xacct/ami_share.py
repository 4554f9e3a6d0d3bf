"""Share an AMI with other accounts so that they can launch it, themselves and through Auto
Scaling: read what is in place, plan only what is missing, show each change as the AWS CLI
command that makes it, and make the changes in order.

What it takes ("Share an AMI with specific AWS accounts", Amazon EC2 User Guide):
- the AMI's launch permission for the account (ModifyImageAttribute). The snapshots need no share
  for launches; only an account that copies the AMI needs createVolumePermission on each of them
  ("Copy an AMI", cross-account copying), hence `for_copy`;
- for encrypted snapshots, a customer managed key whose key policy lets the account use it ("Allow
  external account ... use of the customer managed key" and "Allow attachment of persistent
  resources in external account ...", "Allowing users in other accounts to use a KMS key", AWS
  KMS Developer Guide). An AMI encrypted with the AWS managed key aws/ebs cannot be shared at all;
- for Auto Scaling in the account (`for_autoscaling`): Auto Scaling launches as the account's
  service-linked role AWSServiceRoleForAutoScaling, whose policies cannot be edited and do not
  cover another account's key; the account itself creates a grant on the key for that role
  ("Required AWS KMS key policy for use with encrypted volumes", Amazon EC2 Auto Scaling User
  Guide, example 2). Without it the group's launches fail with
  `Client.InternalError: Client error on launch`.

Regions: an AMI ID names an image in one Region. IMAGE is looked up in `region`; in each other
Region of `regions`, the image shared is the owner's image there with the same name (an AMI name
is unique per account and Region, "The name must be unique for AMIs in the Region for this
account", EC2 API Reference; `aws ec2 copy-image --name` keeps it). A Region without one is a
blocking problem whose fix is the copy-image command.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Callable

from .credentials import Credentials

CLIENT_ERROR = "Client.InternalError: Client error on launch"  # what AWS says of such launches
SLR_NAME = "AWSServiceRoleForAutoScaling"
AUTOSCALING = "autoscaling.amazonaws.com"
# The operations of the seed's (and the Auto Scaling guide's) create-grant command
GRANT_OPERATIONS = ("Decrypt", "GenerateDataKeyWithoutPlaintext", "ReEncryptFrom", "ReEncryptTo", "CreateGrant")
USE_ACTIONS = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey")
# each IAM action the statement above stands for, to ask the key policy about
USE_CHECKED = ("kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey",
               "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey")


@dataclass
class Action:
    """One change, made in `account` (with that account's credentials) in `region`."""

    account: str
    region: str
    resource: str
    description: str
    command: str  # the AWS CLI command that makes the same change
    why: str
    apply: Callable[[], str] = field(repr=False)  # makes the change; returns what it made


@dataclass
class Problem:
    """Something a plan cannot fix: sharing would not work until it is dealt with."""

    account: str
    region: str
    resource: str
    message: str
    fix: str


@dataclass
class Plan:
    image_id: str
    region: str
    owner: str
    accounts: list[str]
    images: dict[str, str] = field(default_factory=dict)  # Region -> the image shared there
    actions: list[Action] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def nothing_to_do(self) -> bool:
        return not self.actions and not self.problems


@dataclass
class Outcome:
    action: Action
    ok: bool
    detail: str


class PlanError(Exception):
    """The plan cannot be made: an unknown image, state that cannot be read."""


def _where(account: str, region: str, resource: str) -> str:
    return f"account {account} {region} {resource}"


def _aws_error(exc: Exception) -> str:
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{exc.operation_name}: {error.get('Code')}: {error.get('Message')}"
    return " ".join(str(exc).split()) or type(exc).__name__


def _read(where: str, call: Callable, **params):
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        return call(**params)
    except (ClientError, BotoCoreError) as exc:
        raise PlanError(f"{where}: {_aws_error(exc)}") from None


def error_code(exc: Exception) -> str | None:
    response = getattr(exc, "response", None)
    return response.get("Error", {}).get("Code") if isinstance(response, dict) else None


# -- the key policy -----------------------------------------------------------------------------
def use_statement(account: str, partition: str = "aws") -> dict:
    return {"Sid": f"Allow external account {account} use of the customer managed key", "Effect": "Allow",
            "Principal": {"AWS": [f"arn:{partition}:iam::{account}:root"]}, "Action": list(USE_ACTIONS),
            "Resource": "*"}


def grant_statement(account: str, partition: str = "aws", *, for_autoscaling: bool) -> dict:
    """kms:CreateGrant for the account. Limited by kms:GrantIsForAWSResource to grants AWS services
    make on its behalf (EC2 for a launch) unless the account must create the Auto Scaling grant
    itself, which that condition would refuse (the Auto Scaling guide's statement has none)."""
    statement = {"Sid": f"Allow attachment of persistent resources in external account {account}",
                 "Effect": "Allow", "Principal": {"AWS": [f"arn:{partition}:iam::{account}:root"]},
                 "Action": ["kms:CreateGrant"], "Resource": "*"}
    if not for_autoscaling:
        statement["Condition"] = {"Bool": {"kms:GrantIsForAWSResource": "true"}}
    return statement


def key_policy_allows(policy: dict, key_arn: str, account: str, action: str, context: dict | None = None) -> bool:
    """Whether the key policy lets principals of `account` do `action` on the key (given their own
    IAM policies allow it), by AWS's evaluation logic: any statement that says so counts, however
    it is written, and a Deny wins."""
    from .iam import Caller, PolicySet, Request, evaluate, parse_policy

    partition = key_arn.split(":")[1]
    anything = parse_policy({"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*",
                                                                     "Resource": "*"}]}, "the account's IAM policies")
    request = Request(Caller(f"arn:{partition}:iam::{account}:root"), action, key_arn, key_arn.split(":")[4],
                      dict(context or {}))
    decision = evaluate(request, PolicySet(identity=[anything], resource=parse_policy(policy, "key policy"),
                                           resource_kind="kms"))
    return decision.allowed


def missing_statements(policy: dict, key_arn: str, account: str, for_autoscaling: bool) -> list[dict]:
    partition, region = key_arn.split(":")[1], key_arn.split(":")[3]
    missing = []
    # EC2 uses the key on the launcher's behalf: its requests carry kms:ViaService and
    # aws:ViaAWSService, which key policies often require (the sandbox's gate sends the same)
    via_ec2 = {"kms:ViaService": [f"ec2.{region}.amazonaws.com"], "aws:ViaAWSService": ["true"],
               "kms:CallerAccount": [account]}
    if not all(key_policy_allows(policy, key_arn, account, action, via_ec2) for action in USE_CHECKED):
        missing.append(use_statement(account, partition))
    # EC2 creates a grant for the launcher (kms:GrantIsForAWSResource true); for Auto Scaling the
    # account creates one itself, directly (no such key in its request)
    context = ({"kms:CallerAccount": [account], "aws:ViaAWSService": ["false"]} if for_autoscaling
               else {**via_ec2, "kms:GrantIsForAWSResource": ["true"]})
    if not key_policy_allows(policy, key_arn, account, "kms:CreateGrant", context):
        missing.append(grant_statement(account, partition, for_autoscaling=for_autoscaling))
    return missing


def merge_statements(policy: dict, statements: list[dict]) -> dict:
    """The policy with `statements` added; one with the Sid of an existing statement replaces it
    (xacct's own statement from an earlier share, widened for Auto Scaling)."""
    merged = json.loads(json.dumps(policy))
    existing = merged.get("Statement")
    existing = [existing] if isinstance(existing, dict) else list(existing or [])
    for statement in statements:
        same = [i for i, s in enumerate(existing) if isinstance(s, dict) and s.get("Sid") == statement["Sid"]]
        if same:
            existing[same[0]] = statement
        else:
            existing.append(statement)
    merged["Statement"] = existing
    merged.setdefault("Version", "2012-10-17")
    return merged


# -- planning -----------------------------------------------------------------------------------
class _Planner:
    def __init__(self, cloud, plan: Plan, owner_credentials: Credentials, for_autoscaling: bool, for_copy: bool,
                 target_credentials_for: Callable[[str], Credentials] | None):
        self.cloud, self.plan, self.owner_credentials = cloud, plan, owner_credentials
        self.for_autoscaling, self.for_copy = for_autoscaling, for_copy
        self.target_credentials_for = target_credentials_for
        self._targets: dict[str, Credentials] = {}
        self.keys: list[tuple[str, str]] = []  # (Region, key ARN) of the customer managed keys to grant
        self.seen_keys: set[str] = set()
        self.owner_actions: list[Action] = []

    def client(self, service: str, region: str, credentials: Credentials | None = None):
        return self.cloud.client(service, region, credentials or self.owner_credentials)

    def target(self, account: str, region: str) -> Credentials:
        if account not in self._targets:
            if self.target_credentials_for is None:
                raise PlanError(f"account {account}: no way to act there (the grant for {SLR_NAME} is made with "
                                "that account's credentials)")
            try:
                self._targets[account] = self.target_credentials_for(account)
            except Exception as exc:  # AssumeRole refused, no such role: say which account
                raise PlanError(f"account {account} {region}: cannot act there: {_aws_error(exc)}") from None
        return self._targets[account]

    # each Region's image
    def region(self, region: str, image: dict) -> None:
        image_id = image["ImageId"]
        self.plan.images[region] = image_id
        self.launch_permission(region, image_id)
        for snapshot in _snapshots(self.cloud, self.owner_credentials, region, image):
            if self.for_copy:
                self.volume_permission(region, snapshot["SnapshotId"])
            if snapshot.get("Encrypted") and snapshot.get("KmsKeyId"):
                self.key(region, image, snapshot["SnapshotId"], snapshot["KmsKeyId"])

    def not_permitted(self, permissions: list[dict]) -> list[str]:
        """The plan's accounts a launch or createVolume permission list does not name (none when
        it is public: the group all)."""
        if any(p.get("Group") == "all" for p in permissions):
            return []
        have = {p.get("UserId") for p in permissions}
        return [a for a in self.plan.accounts if a not in have]

    def launch_permission(self, region: str, image_id: str) -> None:
        ec2 = self.client("ec2", region)
        found = _read(_where(self.plan.owner, region, image_id), ec2.describe_image_attribute, ImageId=image_id,
                      Attribute="launchPermission")["LaunchPermissions"]
        missing = self.not_permitted(found)
        if not missing:
            return
        shorthand = "Add=[" + ",".join(f"{{UserId={a}}}" for a in missing) + "]"

        def add() -> str:
            ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": a} for a in missing]})
            return "launch permission added"

        self.owner_actions.append(Action(
            self.plan.owner, region, image_id,
            f"Give {', '.join(missing)} the launch permission of {image_id}",
            f"aws ec2 modify-image-attribute --image-id {image_id} --launch-permission {shlex.quote(shorthand)} "
            f"--region {region}",
            f"{image_id} is not shared with {', '.join(missing)}: there it \"does not exist\" "
            f"(InvalidAMIID.NotFound)", add))

    def volume_permission(self, region: str, snapshot_id: str) -> None:
        ec2 = self.client("ec2", region)
        found = _read(_where(self.plan.owner, region, snapshot_id), ec2.describe_snapshot_attribute,
                      SnapshotId=snapshot_id, Attribute="createVolumePermission")["CreateVolumePermissions"]
        missing = self.not_permitted(found)
        if not missing:
            return

        def add() -> str:
            ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission",
                                          OperationType="add", UserIds=missing)
            return "createVolumePermission added"

        self.owner_actions.append(Action(
            self.plan.owner, region, snapshot_id,
            f"Let {', '.join(missing)} read snapshot {snapshot_id} (createVolumePermission), to copy the AMI",
            f"aws ec2 modify-snapshot-attribute --snapshot-id {snapshot_id} --attribute createVolumePermission "
            f"--operation-type add --user-ids {' '.join(missing)} --region {region}",
            "CopyImage of a shared AMI needs read access to the snapshots behind it", add))

    def key(self, region: str, image: dict, snapshot_id: str, key_id: str) -> None:
        plan, owner = self.plan, self.plan.owner
        if key_id in self.seen_keys:
            return  # several snapshots under one key
        self.seen_keys.add(key_id)
        key_account = key_id.split(":")[4] if key_id.startswith("arn:") else owner
        if key_account != owner:  # DescribeSnapshots names the key by ARN
            statements = [s for a in plan.accounts for s in (use_statement(a), grant_statement(
                a, for_autoscaling=self.for_autoscaling))]
            plan.problems.append(Problem(
                key_account, region, key_id,
                f"snapshot {snapshot_id} of {image['ImageId']} is encrypted with {key_id}, a key of account "
                f"{key_account}: only that account can change its key policy",
                f"account {key_account} adds to the key policy: {json.dumps(statements)}"))
            return
        kms = self.client("kms", region)
        where = _where(owner, region, key_id)
        metadata = _read(where, kms.describe_key, KeyId=key_id)["KeyMetadata"]
        key_arn = metadata["Arn"]
        aliases = _read(where, kms.list_aliases, KeyId=key_arn).get("Aliases", [])
        if metadata.get("KeyManager") == "AWS" or any(a["AliasName"].startswith("alias/aws/") for a in aliases):
            name = next((a["AliasName"] for a in aliases if a["AliasName"].startswith("alias/aws/")),
                        "an AWS managed key")
            plan.problems.append(Problem(
                owner, region, key_arn,
                f"snapshot {snapshot_id} of {image['ImageId']} is encrypted with the AWS managed key {name} "
                f"({key_arn}); AMIs encrypted with an AWS managed key cannot be shared with other accounts",
                f"copy the AMI, re-encrypting it with a customer managed key, and share the copy: "
                f"aws ec2 copy-image --source-image-id {image['ImageId']} --source-region {region} "
                f"--name {shlex.quote(image.get('Name', 'copy') + '-cmk')} --encrypted "
                f"--kms-key-id <ARN of a customer managed key> --region {region}"))
            return
        if metadata.get("KeyState") != "Enabled":
            plan.problems.append(Problem(owner, region, key_arn, f"{key_arn} is {metadata.get('KeyState')}: no "
                                                                 "account can launch the AMI",
                                         f"aws kms enable-key --key-id {key_arn} --region {region}"
                                         if metadata.get("KeyState") == "Disabled" else "use an enabled key"))
            return
        self.keys.append((region, key_arn))
        self.key_policy(region, key_arn, image["ImageId"])

    def key_policy(self, region: str, key_arn: str, image_id: str) -> None:
        kms = self.client("kms", region)
        where = _where(self.plan.owner, region, key_arn)
        text = _read(where, kms.get_key_policy, KeyId=key_arn, PolicyName="default")["Policy"]
        policy = json.loads(text)
        missing = [s for a in self.plan.accounts for s in missing_statements(policy, key_arn, a, self.for_autoscaling)]
        if not missing:
            return
        merged = merge_statements(policy, missing)
        accounts = sorted({s["Principal"]["AWS"][0].split(":")[4] for s in missing})

        def apply() -> str:
            now = json.loads(kms.get_key_policy(KeyId=key_arn, PolicyName="default")["Policy"])
            if now != policy:
                raise RuntimeError("the key policy changed since the plan was made; plan again")
            kms.put_key_policy(KeyId=key_arn, PolicyName="default", Policy=json.dumps(merged))
            return f"{len(missing)} statement(s) added"

        self.owner_actions.append(Action(
            self.plan.owner, region, key_arn,
            f"Add {len(missing)} statement(s) for {', '.join(accounts)} to the key policy of {key_arn}: "
            + ", ".join(f"\"{s['Sid']}\"" for s in missing),
            f"aws kms put-key-policy --key-id {key_arn} --policy-name default "
            f"--policy {shlex.quote(json.dumps(merged, separators=(',', ':')))} --region {region}",
            f"the key policy of {key_arn} does not allow {', '.join(accounts)} to use the key that encrypts "
            f"{image_id}: instances launched there end terminated with `{CLIENT_ERROR}`",
            apply))

    # Auto Scaling: made in each target account, after every key policy allows it
    def autoscaling(self) -> list[Action]:
        actions: list[Action] = []
        if not self.for_autoscaling or not self.keys:
            return actions
        for account in self.plan.accounts:
            # the owner can see the grants on its keys; the target account is needed only to make one
            missing = [(region, key_arn) for region, key_arn in self.keys if not self.granted(account, region, key_arn)]
            if not missing:
                continue
            region = missing[0][0]
            credentials = self.target(account, region)
            actions += self.service_linked_role(account, region, credentials)
            actions += [self.grant(account, key_region, key_arn, credentials) for key_region, key_arn in missing]
        return actions

    def service_linked_role(self, account: str, region: str, credentials: Credentials) -> list[Action]:
        iam = self.client("iam", region, credentials)
        try:
            iam.get_role(RoleName=SLR_NAME)
            return []
        except Exception as exc:
            if error_code(exc) != "NoSuchEntity":
                raise PlanError(f"{_where(account, 'global', SLR_NAME)}: {_aws_error(exc)}") from None
        return [Action(
            account, region, _slr_arn(account),
            f"Create the service-linked role {SLR_NAME} in {account}",
            f"aws iam create-service-linked-role --aws-service-name {AUTOSCALING} --region {region}",
            f"{account} has no {SLR_NAME} yet, and a grant names an existing principal",
            lambda: iam.create_service_linked_role(AWSServiceName=AUTOSCALING)["Role"]["Arn"])]

    def granted(self, account: str, region: str, key_arn: str) -> bool:
        """Whether grants on the key already give the account's AWSServiceRoleForAutoScaling every
        operation of the seed's grant (grants with constraints do not count: EBS sends none)."""
        role = _slr_arn(account, key_arn.split(":")[1])
        kms = self.client("kms", region)  # ListGrants is the owner's: the key policy statements for
        held: set[str] = set()             # other accounts do not include it
        params = {"KeyId": key_arn, "GranteePrincipal": role}
        while True:
            page = _read(_where(self.plan.owner, region, key_arn), kms.list_grants, **params)
            for grant in page.get("Grants", []):
                if grant.get("GranteePrincipal") == role and not grant.get("Constraints"):
                    held.update(grant.get("Operations", []))
            if not page.get("Truncated"):
                return set(GRANT_OPERATIONS) <= held
            params["Marker"] = page["NextMarker"]

    def grant(self, account: str, region: str, key_arn: str, credentials: Credentials) -> Action:
        role = _slr_arn(account, key_arn.split(":")[1])
        kms = self.client("kms", region, credentials)
        return Action(
            account, region, key_arn,
            f"Grant {SLR_NAME} of {account} the use of {key_arn} (made with {account}'s credentials)",
            f"aws kms create-grant --key-id {key_arn} --grantee-principal {role} "
            f"--operations {' '.join(GRANT_OPERATIONS)} --region {region}",
            f"Auto Scaling launches in {account} as {SLR_NAME}, which has no grant on {key_arn}; its policies "
            f"cannot be edited, so the group's launches fail with `{CLIENT_ERROR}`",
            lambda: "grant " + kms.create_grant(KeyId=key_arn, GranteePrincipal=role,
                                                Operations=list(GRANT_OPERATIONS))["GrantId"])


def _slr_arn(account: str, partition: str = "aws") -> str:
    return f"arn:{partition}:iam::{account}:role/aws-service-role/{AUTOSCALING}/{SLR_NAME}"


def _find_image(cloud, credentials: Credentials, region: str, image_id: str) -> dict:
    ec2 = cloud.client("ec2", region, credentials)
    try:
        images = ec2.describe_images(ImageIds=[image_id])["Images"]
    except Exception as exc:
        if error_code(exc) in ("InvalidAMIID.NotFound", "InvalidAMIID.Malformed", "InvalidAMIID.Unavailable"):
            images = []
        else:
            raise PlanError(f"{_where(credentials.account or '?', region, image_id)}: {_aws_error(exc)}") from None
    if not images:
        raise PlanError(f"no image {image_id} in {region} visible to account {credentials.account} "
                        "(an AMI ID names an image in one Region: is this its Region?)")
    return images[0]


def _snapshots(cloud, credentials: Credentials, region: str, image: dict) -> list[dict]:
    """The EBS snapshots behind an image: DescribeSnapshots tells whether each is encrypted and
    with which key (DescribeImages' mappings need not say)."""
    ids = [(m.get("Ebs") or {}).get("SnapshotId") for m in image.get("BlockDeviceMappings") or []]
    ids = [i for i in ids if i]
    if not ids:
        return []
    ec2 = cloud.client("ec2", region, credentials)
    where = _where(credentials.account or "?", region, ", ".join(ids))
    return _read(where, ec2.describe_snapshots, SnapshotIds=ids)["Snapshots"]


def _same_name(cloud, credentials: Credentials, region: str, name: str) -> dict | None:
    ec2 = cloud.client("ec2", region, credentials)
    images = _read(_where(credentials.account or "?", region, f"image named {name}"), ec2.describe_images,
                   Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])["Images"]
    return images[0] if images else None


def plan_share(cloud, image_id: str, region: str, owner_credentials: Credentials, to_accounts: list[str],
               regions: list[str] | None = None, for_autoscaling: bool = False,
               target_credentials_for: Callable[[str], Credentials] | None = None, *, for_copy: bool = False) -> Plan:
    """What sharing `image_id` (in `region`, owned by the account of `owner_credentials`) with
    `to_accounts` in each of `regions` still needs, in the order to do it. `target_credentials_for`
    gives credentials in a target account (for the Auto Scaling grant, made there). Raises
    PlanError when the image is unknown or the state cannot be read."""
    owner = owner_credentials.account
    if owner is None:
        owner_credentials = cloud.identity(owner_credentials, region)
        owner = owner_credentials.account
    accounts = [a for a in dict.fromkeys(to_accounts) if a != owner]  # the owner needs no share
    plan = Plan(image_id, region, owner, accounts)
    first = _find_image(cloud, owner_credentials, region, image_id)
    if first.get("OwnerId") != owner:
        raise PlanError(f"{image_id} in {region} is owned by account {first.get('OwnerId')}, not {owner}: only "
                        "the owner of an AMI can share it")
    planner = _Planner(cloud, plan, owner_credentials, for_autoscaling, for_copy, target_credentials_for)
    if not accounts:
        return plan
    for each in dict.fromkeys(regions or [region]):
        image = first if each == region else _same_name(cloud, owner_credentials, each, first.get("Name", ""))
        if image is None:
            encrypted = any(s.get("Encrypted") for s in _snapshots(cloud, owner_credentials, region, first))
            plan.problems.append(Problem(
                owner, each, first.get("Name", image_id),
                f"account {owner} has no image named {first.get('Name')!r} in {each} (an AMI is a Regional resource)",
                f"aws ec2 copy-image --source-image-id {image_id} --source-region {region} "
                f"--name {shlex.quote(first.get('Name', image_id))} "
                + ("--encrypted --kms-key-id <ARN of a customer managed key in " + each + "> " if encrypted else "")
                + f"--region {each}"))
            continue
        planner.region(each, image)
    plan.actions = planner.owner_actions + planner.autoscaling()
    return plan


def apply_plan(plan: Plan, report: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Make the plan's changes in order, each reported as it ends; the first failure stops it,
    its Outcome naming the account, Region and resource. A plan with problems is not applied."""
    outcomes: list[Outcome] = []
    if plan.problems:
        return outcomes
    for action in plan.actions:
        try:
            detail, ok = action.apply(), True
        except Exception as exc:  # AWS's refusal, a changed key policy: reported, never raised
            detail, ok = f"{_where(action.account, action.region, action.resource)}: {_aws_error(exc)}", False
        outcome = Outcome(action, ok, detail)
        outcomes.append(outcome)
        if report:
            report(outcome)
        if not ok:
            break
    return outcomes
