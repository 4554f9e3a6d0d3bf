"""Building a world into the sandbox: each account's IAM and resources are made through the
ordinary APIs with an administrator of that account, so moto's state is what AWS's would be.
References that do not resolve (a managed policy that does not exist, a document file that is
missing) are findings at their place in the file."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field

from ...credentials import Credentials
from ...document.findings import Finding
from ...iam import parse_policy
from .load import World, WorldError

V = "2012-10-17"


@dataclass
class Built:
    """What a world produced: credentials of its users, by (account, user name)."""

    users: dict[tuple[str, str], Credentials] = field(default_factory=dict)
    mfa_serials: dict[tuple[str, str], str] = field(default_factory=dict)
    executions: list[str] = field(default_factory=list)  # runs of the templates' associations
    units: dict[str, str] = field(default_factory=dict)  # OU ID of each organization unit, by path (A/B)
    accounts: list[str] = field(default_factory=list)  # the world's accounts, in its order
    management: str | None = None  # the organization's management account, when there is one
    aliases: dict[str, str] = field(default_factory=dict)  # account -> its alias in the world


def _json(document) -> str:
    return json.dumps(document if isinstance(document, dict) else json.loads(document))


class _Builder:
    def __init__(self, world: World, cloud, region: str, store=None):
        self.world, self.cloud, self.region = world, cloud, region
        self.store = store
        self.built = Built()
        self.problems: list[Finding] = []

    def problem(self, path, rule: str, message: str) -> None:
        mark = self.world.positions.of(path)
        self.problems.append(Finding(self.world.path, mark.line, mark.column, rule, "error", message))

    def _policy_arn(self, account: str, name_or_arn: str, path) -> str | None:
        if name_or_arn.startswith("arn:"):
            return name_or_arn
        if name_or_arn in (self.world.data["accounts"][account].get("iam", {}).get("policies") or {}):
            return f"arn:aws:iam::{account}:policy/{name_or_arn}"
        self.problem(path, "E7006", f"no managed policy '{name_or_arn}' in account {account}; give its ARN or "
                                    "define it under iam.policies")
        return None

    def account(self, account: str, spec: dict) -> None:
        admin = self.cloud.operator(account)
        iam = self.cloud.client("iam", "us-east-1", admin)
        section = spec.get("iam") or {}
        base = ("accounts", account, "iam")
        for name, document in (section.get("policies") or {}).items():
            iam.create_policy(PolicyName=name, PolicyDocument=_json(document))
        for name, group in (section.get("groups") or {}).items():
            iam.create_group(GroupName=name, Path=group.get("path", "/"))
            self._attach(iam, account, "group", name, group, base + ("groups", name))
        for name, user in (section.get("users") or {}).items():
            self.user(iam, account, name, user, base + ("users", name))
        for name, role in (section.get("roles") or {}).items():
            where = base + ("roles", name)
            args = {"RoleName": name, "AssumeRolePolicyDocument": _json(role.get("trust") or {
                "Version": V, "Statement": []}), "Path": role.get("path", "/")}
            if role.get("maxSessionDuration"):
                args["MaxSessionDuration"] = role["maxSessionDuration"]
            if role.get("permissionsBoundary"):
                arn = self._policy_arn(account, role["permissionsBoundary"], where + ("permissionsBoundary",))
                if arn:
                    args["PermissionsBoundary"] = arn
            iam.create_role(**args)
            self._attach(iam, account, "role", name, role, where)
        for service in section.get("serviceLinkedRoles") or []:
            iam.create_service_linked_role(AWSServiceName=service)
        for region, resources in (spec.get("regions") or {}).items():
            self.resources(admin, account, region, resources or {}, ("accounts", account, "regions", region))
        for i, template in enumerate(spec.get("templates") or []):
            self.template(admin, account, template, ("accounts", account, "templates", i))

    def template(self, admin: Credentials, account: str, spec: dict, where) -> None:
        from .templates import deploy

        path = os.path.join(self.world.folder, spec.get("file", ""))
        if not spec.get("file") or not os.path.isfile(path):
            self.problem(where + ("file",), "E7008", f"template file {spec.get('file')!r} not found beside the world file")
            return
        if self.store is None:
            from ...store import Store

            self.store = Store(":memory:")
        region = spec.get("region", self.region)
        stack = spec.get("stack") or os.path.splitext(os.path.basename(path))[0]
        try:
            deployed = deploy(self.cloud, admin, account, region, path, stack,
                              {k: str(v) for k, v in (spec.get("parameters") or {}).items()}, self.store)
        except ValueError as exc:
            self.problem(where + ("file",), "E7010", str(exc))
            return
        self.built.executions += deployed.executions

    def user(self, iam, account: str, name: str, user: dict, where) -> None:
        args = {"UserName": name, "Path": user.get("path", "/")}
        if user.get("permissionsBoundary"):
            arn = self._policy_arn(account, user["permissionsBoundary"], where + ("permissionsBoundary",))
            if arn:
                args["PermissionsBoundary"] = arn
        arn = iam.create_user(**args)["User"]["Arn"]
        self._attach(iam, account, "user", name, user, where)
        for group in user.get("groups") or []:
            iam.add_user_to_group(GroupName=group, UserName=name)
        if user.get("accessKey"):
            key = iam.create_access_key(UserName=name)["AccessKey"]
            self.built.users[(account, name)] = Credentials(key["AccessKeyId"], key["SecretAccessKey"], None, arn)
        if user.get("mfa"):
            self.mfa(iam, account, name, user["mfa"]["seed"], where + ("mfa", "seed"))

    def mfa(self, iam, account: str, name: str, seed: str, where) -> None:
        """A virtual MFA device with the world's seed, so codes can be computed outside xacct."""
        import base64
        import binascii

        import pyotp
        from moto.iam.models import iam_backends

        try:
            base64.b32decode(seed.upper() + "=" * (-len(seed) % 8))
        except (binascii.Error, ValueError):
            self.problem(where, "E7007", "an MFA seed is a base32 string (letters A-Z and digits 2-7)")
            return
        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
        device = iam_backends[account]["global"].virtual_mfa_devices[serial]
        device.base32_string_seed = seed.upper()
        totp = pyotp.TOTP(seed.upper())
        iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1=totp.now(),
                              AuthenticationCode2=totp.now())
        self.built.mfa_serials[(account, name)] = serial

    def _attach(self, iam, account: str, kind: str, name: str, spec: dict, where) -> None:
        put = {"user": iam.put_user_policy, "group": iam.put_group_policy, "role": iam.put_role_policy}[kind]
        attach = {"user": iam.attach_user_policy, "group": iam.attach_group_policy, "role": iam.attach_role_policy}[kind]
        key = {"user": "UserName", "group": "GroupName", "role": "RoleName"}[kind]
        for policy_name, document in (spec.get("policies") or {}).items():
            put(**{key: name, "PolicyName": policy_name, "PolicyDocument": _json(document)})
        for i, managed in enumerate(spec.get("managedPolicies") or []):
            arn = self._policy_arn(account, managed, where + ("managedPolicies", i))
            if arn:
                try:
                    attach(**{key: name, "PolicyArn": arn})
                except Exception as exc:
                    self.problem(where + ("managedPolicies", i), "E7006", " ".join(str(exc).split()))

    def resources(self, admin: Credentials, account: str, region: str, spec: dict, where) -> None:
        self.keys_images_instances(admin, account, region, spec, where)
        s3 = self.cloud.client("s3", region, admin)
        for name, bucket in (spec.get("buckets") or {}).items():
            args = {"Bucket": name}
            if region != "us-east-1":
                args["CreateBucketConfiguration"] = {"LocationConstraint": region}
            s3.create_bucket(**args)
            if bucket and bucket.get("policy"):
                s3.put_bucket_policy(Bucket=name, Policy=_json(bucket["policy"]))
            if bucket and bucket.get("tags"):
                s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [
                    {"Key": str(k), "Value": str(v)} for k, v in bucket["tags"].items()]})
            if bucket and bucket.get("encryption"):
                s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": bucket["encryption"]}}]})
        ssm = self.cloud.client("ssm", region, admin)
        for name, document in (spec.get("documents") or {}).items():
            place = where + ("documents", name, "file")
            path = os.path.join(self.world.folder, document.get("file", ""))
            if not document.get("file") or not os.path.isfile(path):
                self.problem(place, "E7008", f"document file {document.get('file')!r} not found beside the world file")
                continue
            with open(path, encoding="utf-8") as handle:
                content = handle.read()
            ssm.create_document(Name=name, Content=content, DocumentType=document.get("type", "Automation"),
                                DocumentFormat="JSON" if content.lstrip().startswith("{") else "YAML")
            if document.get("sharedWith"):
                ssm.modify_document_permission(Name=name, PermissionType="Share",
                                               AccountIdsToAdd=[str(a) for a in document["sharedWith"]])

    def _key(self, keys: dict[str, str], ref: str, path, account: str, region: str) -> str | None:
        """A key ARN as given, or the ARN of a key of kmsKeys by its alias (a finding when none)."""
        if ref.startswith("arn:"):
            return ref
        if ref not in keys:
            self.problem(path, "E7006", f"no key alias '{ref}' under kmsKeys of {account} {region}")
        return keys.get(ref)

    def keys_images_instances(self, admin: Credentials, account: str, region: str, spec: dict, where) -> None:
        kms = self.cloud.client("kms", region, admin)
        keys: dict[str, str] = {}
        for alias, key in (spec.get("kmsKeys") or {}).items():
            args = {"Description": (key or {}).get("description", alias)}
            if key and key.get("policy"):
                args["Policy"] = _json(key["policy"])
            arn = kms.create_key(**args)["KeyMetadata"]["Arn"]
            kms.create_alias(AliasName=f"alias/{alias}", TargetKeyId=arn)
            keys[alias] = arn
            for grant in (key or {}).get("grants") or []:
                args = {"KeyId": arn, "GranteePrincipal": grant.get("grantee", ""),
                        "Operations": grant.get("operations") or ["Decrypt"]}
                if grant.get("name"):
                    args["Name"] = grant["name"]
                kms.create_grant(**args)
        ec2 = self.cloud.client("ec2", region, admin)
        images: dict[str, str] = {}
        for name, image in (spec.get("images") or {}).items():
            image = image or {}
            ebs: dict = {"VolumeSize": 8}
            if image.get("encryptedWith"):
                key = self._key(keys, image["encryptedWith"], where + ("images", name, "encryptedWith"), account,
                                region)
                if key is None:
                    continue
                ebs.update({"Encrypted": True, "KmsKeyId": key})
            images[name] = ec2.register_image(Name=image.get("name", name), RootDeviceName="/dev/xvda",
                                              BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": ebs}])["ImageId"]
            for other in image.get("sharedWith") or []:
                ec2.modify_image_attribute(ImageId=images[name], LaunchPermission={"Add": [{"UserId": str(other)}]})
        for name, snapshot in (spec.get("snapshots") or {}).items():
            snapshot = snapshot or {}
            volume = {"AvailabilityZone": f"{region}a", "Size": snapshot.get("size", 8)}
            if snapshot.get("encryptedWith"):
                key = self._key(keys, snapshot["encryptedWith"], where + ("snapshots", name, "encryptedWith"),
                                account, region)
                if key is None:
                    continue
                volume.update({"Encrypted": True, "KmsKeyId": key})
            volume_id = ec2.create_volume(**volume)["VolumeId"]
            snapshot_id = ec2.create_snapshot(VolumeId=volume_id, Description=snapshot.get("description", name),
                                              TagSpecifications=[{"ResourceType": "snapshot",
                                                                  "Tags": [{"Key": "Name", "Value": name}]}])["SnapshotId"]
            for other in snapshot.get("sharedWith") or []:
                ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission",
                                              OperationType="add", UserIds=[str(other)])
        for name, instance in (spec.get("instances") or {}).items():
            instance = instance or {}
            image = instance.get("image", "")
            image_id = images.get(image, image)
            if not image_id.startswith("ami-"):
                self.problem(where + ("instances", name, "image"), "E7006",
                             f"no image '{image}' under images of {account} {region}")
                continue
            tags = [{"Key": "Name", "Value": name}] + [{"Key": k, "Value": str(v)}
                                                       for k, v in (instance.get("tags") or {}).items()]
            ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1, InstanceType=instance.get("type", "t3.micro"),
                              TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])

    def organization(self, spec: dict) -> None:
        """SCP and RCP levels for each account: the root's, then each unit's down to the account's."""
        management = str(spec.get("management", ""))
        found: dict[str, dict[str, list]] = {}
        full = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        for kind in ("scps", "rcps"):
            defined = {name: parse_policy(doc, name) for name, doc in (spec.get(kind) or {}).items()}
            # FullAWSAccess is where no SCP is named (AWS attaches it by default); RCPFullAWSAccess is
            # at every level and cannot be detached ("Resource control policies (RCPs)")
            always = [parse_policy(full, "RCPFullAWSAccess")] if kind == "rcps" else []
            default = [parse_policy(full, "FullAWSAccess")] if kind == "scps" else []

            def level(names, where, defined=defined, kind=kind, always=always, default=default):
                if not names:
                    return always + default
                policies = list(always)
                for i, name in enumerate(names or []):
                    if name not in defined:
                        self.problem(where + (i,), "E7006", f"no {kind[:-1].upper()} named '{name}' under "
                                                            f"organization.{kind}")
                    else:
                        policies.append(defined[name])
                return policies

            levels: dict[str, list] = {}

            def walk(units, above, where, level=level, levels=levels, kind=kind):
                for name, unit in (units or {}).items():
                    here = above + [level(unit.get(kind), where + (name, kind))]
                    for account in unit.get("accounts") or []:
                        levels[str(account)] = here
                    walk(unit.get("units"), here, where + (name, "units"))

            root = level((spec.get("root") or {}).get(kind), ("organization", "root", kind))
            walk(spec.get("units"), [root], ("organization", "units"))
            # RCPFullAWSAccess is attached everywhere and cannot be detached: no RCPs means no limit
            found[kind] = levels if spec.get(kind) else {}
        self.cloud.gate.organization = (management, found["scps"])
        self.cloud.gate.rcp_levels = found["rcps"]
        self.cloud.gate.organization_id = spec.get("id")
        members = {a for levels in (found["scps"], found["rcps"]) for a in levels}
        for unit in _units(spec.get("units")):
            members.update(str(a) for a in unit.get("accounts") or [])
        self.cloud.gate.members = members | {management}
        from botocore.exceptions import BotoCoreError, ClientError

        from ..organization import build_organization

        try:  # the same units in moto's Organizations, for runs that target OUs
            self.built.units = build_organization(self.cloud, spec)
        except (ClientError, BotoCoreError) as exc:
            self.problem(("organization",), "E7009", f"organization: {' '.join(str(exc).split())}")


def _units(units):
    for unit in (units or {}).values():
        yield unit
        yield from _units(unit.get("units"))


def build_world(world: World, cloud, region: str = "us-east-1", store=None) -> Built:
    """Build `world` into the sandbox of `cloud`; runs started by templates' associations are
    recorded in `store` (an in-memory one when none is given)."""
    builder = _Builder(world, cloud, region, store)
    if world.data.get("organization"):
        builder.organization(world.data["organization"])
    from botocore.exceptions import BotoCoreError, ClientError

    for account, spec in (world.data.get("accounts") or {}).items():
        try:
            builder.account(str(account), spec or {})
        except (ClientError, BotoCoreError) as exc:  # a name taken already, a value AWS refuses
            builder.problem(("accounts", account), "E7009", f"account {account}: {' '.join(str(exc).split())}")
    if builder.problems:
        raise WorldError(sorted(builder.problems))
    accounts = world.data.get("accounts") or {}
    builder.built.accounts = [str(a) for a in accounts]
    builder.built.aliases = {str(a): spec["alias"] for a, spec in accounts.items() if spec and spec.get("alias")}
    management = (world.data.get("organization") or {}).get("management")
    builder.built.management = str(management) if management else None
    return builder.built
