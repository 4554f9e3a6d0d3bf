"""Building a world into the sandbox: each account's IAM and resources are made through the
ordinary APIs with an administrator of that account, so moto's state is what AWS's would be.
References that do not resolve (a managed policy that does not exist, a document file that is
missing) are findings at their place in the file, and so is whatever the sandbox refuses while an
element is built (E7009, naming the element: accounts.222222222222.iam.roles.Admin), after which
the rest of the world is still built, so that one run shows every problem."""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field

from ...credentials import Credentials
from ...document.findings import Finding
from ...iam import parse_policy
from .files import referenced_text
from .load import World, WorldError
from .refusals import refusal_message, refusals

V = "2012-10-17"
DEFAULT_SCP = "FullAWSAccess"  # the AWS managed SCP attached to every root, OU and account


def detaches_full_access(place: dict) -> bool:
    """Whether a root or unit of the world says `detach: [FullAWSAccess]`."""
    return DEFAULT_SCP in (place.get("detach") or [])


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


def _dotted(path) -> str:
    """How a finding names an element of the world: accounts.222222222222.iam.roles.Admin."""
    return ".".join(str(p) for p in path)


class _Builder:
    def __init__(self, world: World, cloud, region: str, store=None):
        self.world, self.cloud, self.region = world, cloud, region
        self.store = store
        self.built = Built()
        self.problems: list[Finding] = []

    def problem(self, path, rule: str, message: str) -> None:
        mark = self.world.positions.of(path)
        self.problems.append(Finding(self.world.path, mark.line, mark.column, rule, "error", message))

    @contextmanager
    def element(self, path):
        """Build one element of the world: when the sandbox refuses it, the refusal is a finding at
        its place and the rest of the element (what needs it) is skipped; the world goes on."""
        try:
            yield
        except refusals() as exc:
            self.problem(path, "E7009", f"{_dotted(path)}: {refusal_message(exc)}")

    def _policy_arn(self, account: str, name_or_arn: str, path) -> str | None:
        if name_or_arn.startswith("arn:"):
            return name_or_arn
        spec = self.world.data["accounts"].get(account) or {}
        if name_or_arn in ((spec.get("iam") or {}).get("policies") or {}):
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
            with self.element(base + ("policies", name)):
                iam.create_policy(PolicyName=name, PolicyDocument=_json(document))
        for name, group in (section.get("groups") or {}).items():
            with self.element(base + ("groups", name)):
                iam.create_group(GroupName=name, Path=group.get("path", "/"))
                self._attach(iam, account, "group", name, group, base + ("groups", name))
        for name, user in (section.get("users") or {}).items():
            with self.element(base + ("users", name)):
                self.user(iam, account, name, user, base + ("users", name), set(section.get("groups") or {}))
        for name, role in (section.get("roles") or {}).items():
            with self.element(base + ("roles", name)):
                self.role(iam, account, name, role, base + ("roles", name))
        for i, service in enumerate(section.get("serviceLinkedRoles") or []):
            with self.element(base + ("serviceLinkedRoles", i)):
                iam.create_service_linked_role(AWSServiceName=service)
        for region, resources in (spec.get("regions") or {}).items():
            self.resources(admin, account, region, resources or {}, ("accounts", account, "regions", region))
        for i, template in enumerate(spec.get("templates") or []):
            with self.element(("accounts", account, "templates", i)):
                self.template(admin, account, template, ("accounts", account, "templates", i))

    def role(self, iam, account: str, name: str, role: dict, where) -> None:
        args = {"RoleName": name, "AssumeRolePolicyDocument": _json(role.get("trust") or {
            "Version": V, "Statement": []}), "Path": role.get("path", "/")}
        if role.get("maxSessionDuration"):
            args["MaxSessionDuration"] = role["maxSessionDuration"]
        if role.get("description"):
            args["Description"] = role["description"]
        if role.get("permissionsBoundary"):
            arn = self._policy_arn(account, role["permissionsBoundary"], where + ("permissionsBoundary",))
            if arn:
                args["PermissionsBoundary"] = arn
        iam.create_role(**args)
        self._attach(iam, account, "role", name, role, where)

    def template(self, admin: Credentials, account: str, spec: dict, where) -> None:
        from .templates import deploy

        text, rule, message = referenced_text(self.world.folder, spec.get("file", ""), "template")
        if text is None:
            self.problem(where + ("file",), rule, message)
            return
        if self.store is None:
            from ...store import Store

            self.store = Store(":memory:")
        path = os.path.join(self.world.folder, spec["file"])
        region = spec.get("region", self.region)
        stack = spec.get("stack") or os.path.splitext(os.path.basename(path))[0]
        try:
            deployed = deploy(self.cloud, admin, account, region, path, stack,
                              {k: str(v) for k, v in (spec.get("parameters") or {}).items()}, self.store, text=text)
        except ValueError as exc:
            self.problem(where + ("file",), "E7010", str(exc))
            return
        self.built.executions += deployed.executions

    def user(self, iam, account: str, name: str, user: dict, where, groups: set[str]) -> None:
        args = {"UserName": name, "Path": user.get("path", "/")}
        if user.get("permissionsBoundary"):
            arn = self._policy_arn(account, user["permissionsBoundary"], where + ("permissionsBoundary",))
            if arn:
                args["PermissionsBoundary"] = arn
        arn = iam.create_user(**args)["User"]["Arn"]
        self._attach(iam, account, "user", name, user, where)
        for i, group in enumerate(user.get("groups") or []):
            if group not in groups:
                self.problem(where + ("groups", i), "E7006", f"no group '{group}' in account {account}; define it "
                                                            "under iam.groups")
                continue
            with self.element(where + ("groups", i)):
                iam.add_user_to_group(GroupName=group, UserName=name)
        if user.get("accessKey"):
            with self.element(where + ("accessKey",)):
                key = iam.create_access_key(UserName=name)["AccessKey"]
                self.built.users[(account, name)] = Credentials(key["AccessKeyId"], key["SecretAccessKey"], None, arn)
        if user.get("mfa"):
            with self.element(where + ("mfa",)):
                self.mfa(iam, account, name, user["mfa"]["seed"])

    def mfa(self, iam, account: str, name: str, seed: str) -> None:
        """A virtual MFA device with the world's seed (checked when the world was loaded), so codes
        can be computed outside xacct."""
        import pyotp
        from moto.iam.models import iam_backends

        serial = iam.create_virtual_mfa_device(VirtualMFADeviceName=name)["VirtualMFADevice"]["SerialNumber"]
        device = iam_backends[account]["global"].virtual_mfa_devices[serial]
        device.base32_string_seed = seed.upper()
        totp = pyotp.TOTP(seed.upper())
        iam.enable_mfa_device(UserName=name, SerialNumber=serial, AuthenticationCode1=totp.now(),
                              AuthenticationCode2=totp.now())
        self.built.mfa_serials[(account, name)] = serial

    def _attach(self, iam, account: str, kind: str, name: str, spec: dict, where) -> None:
        put = {"user": iam.put_user_policy, "group": iam.put_group_policy, "role": iam.put_role_policy}[kind]
        attach = {"user": iam.attach_user_policy, "group": iam.attach_group_policy,
                  "role": iam.attach_role_policy}[kind]
        key = {"user": "UserName", "group": "GroupName", "role": "RoleName"}[kind]
        for policy_name, document in (spec.get("policies") or {}).items():
            with self.element(where + ("policies", policy_name)):
                put(**{key: name, "PolicyName": policy_name, "PolicyDocument": _json(document)})
        for i, managed in enumerate(spec.get("managedPolicies") or []):
            arn = self._policy_arn(account, managed, where + ("managedPolicies", i))
            if arn:
                try:
                    attach(**{key: name, "PolicyArn": arn})
                except refusals() as exc:  # an ARN of no policy: a reference that does not resolve
                    self.problem(where + ("managedPolicies", i), "E7006", refusal_message(exc))

    def resources(self, admin: Credentials, account: str, region: str, spec: dict, where) -> None:
        self.keys_images_instances(admin, account, region, spec, where)
        s3 = self.cloud.client("s3", region, admin)
        for name, bucket in (spec.get("buckets") or {}).items():
            with self.element(where + ("buckets", name)):
                self.bucket(s3, region, name, bucket or {}, where + ("buckets", name))
        if spec.get("queues"):
            sqs = self.cloud.client("sqs", region, admin)
            for name, queue in spec["queues"].items():
                with self.element(where + ("queues", name)):
                    self.queue(sqs, name, queue or {}, where + ("queues", name))
        if spec.get("topics"):
            sns = self.cloud.client("sns", region, admin)
            for name, topic in spec["topics"].items():
                with self.element(where + ("topics", name)):
                    self.topic(sns, name, topic or {}, where + ("topics", name))
        ssm = self.cloud.client("ssm", region, admin)
        for name, document in (spec.get("documents") or {}).items():
            with self.element(where + ("documents", name)):
                self.document(ssm, name, document, where + ("documents", name))

    def bucket(self, s3, region: str, name: str, bucket: dict, where) -> None:
        args = {"Bucket": name}
        if region != "us-east-1":
            args["CreateBucketConfiguration"] = {"LocationConstraint": region}
        s3.create_bucket(**args)
        if bucket.get("policy"):
            with self.element(where + ("policy",)):
                s3.put_bucket_policy(Bucket=name, Policy=_json(bucket["policy"]))
        if bucket.get("tags"):
            with self.element(where + ("tags",)):
                s3.put_bucket_tagging(Bucket=name, Tagging={"TagSet": [
                    {"Key": str(k), "Value": str(v)} for k, v in bucket["tags"].items()]})
        if bucket.get("encryption"):
            with self.element(where + ("encryption",)):
                s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={
                    "Rules": [{"ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": bucket["encryption"]}}]})

    def queue(self, sqs, name: str, queue: dict, where) -> None:
        attributes = {"FifoQueue": "true"} if name.endswith(".fifo") else {}
        url = sqs.create_queue(QueueName=name, Attributes=attributes)["QueueUrl"]
        if queue.get("policy"):
            with self.element(where + ("policy",)):
                sqs.set_queue_attributes(QueueUrl=url, Attributes={"Policy": _json(queue["policy"])})

    def topic(self, sns, name: str, topic: dict, where) -> None:
        attributes = {"FifoTopic": "true"} if name.endswith(".fifo") else {}
        arn = sns.create_topic(Name=name, Attributes=attributes)["TopicArn"]
        if topic.get("policy"):
            with self.element(where + ("policy",)):
                sns.set_topic_attributes(TopicArn=arn, AttributeName="Policy", AttributeValue=_json(topic["policy"]))

    def document(self, ssm, name: str, document: dict, where) -> None:
        content, rule, message = referenced_text(self.world.folder, document.get("file", ""), "document")
        if content is None:
            self.problem(where + ("file",), rule, message)
            return
        ssm.create_document(Name=name, Content=content, DocumentType=document.get("type", "Automation"),
                            DocumentFormat="JSON" if content.lstrip().startswith("{") else "YAML")
        if document.get("sharedWith"):
            with self.element(where + ("sharedWith",)):
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
            with self.element(where + ("kmsKeys", alias)):
                keys[alias] = self.key(kms, alias, key or {}, where + ("kmsKeys", alias))
        ec2 = self.cloud.client("ec2", region, admin)
        images: dict[str, str] = {}
        for name, image in (spec.get("images") or {}).items():
            with self.element(where + ("images", name)):
                image_id = self.image(ec2, keys, name, image or {}, where + ("images", name), account, region)
                if image_id:
                    images[name] = image_id
        for name, snapshot in (spec.get("snapshots") or {}).items():
            with self.element(where + ("snapshots", name)):
                self.snapshot(ec2, keys, name, snapshot or {}, where + ("snapshots", name), account, region)
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
            with self.element(where + ("instances", name)):
                ec2.run_instances(ImageId=image_id, MinCount=1, MaxCount=1,
                                  InstanceType=instance.get("type", "t3.micro"),
                                  TagSpecifications=[{"ResourceType": "instance", "Tags": tags}])

    def key(self, kms, alias: str, key: dict, where) -> str:
        # the key is made with KMS's default policy and given its alias and grants first: the world's
        # own policy (put last) may not let the world's builder manage the key, as in AWS
        arn = kms.create_key(Description=key.get("description", alias))["KeyMetadata"]["Arn"]
        if key.get("id"):  # the world's own key ID, so that its policies and questions can name the key
            from ..kms import give_key_id

            fixed = give_key_id(arn, key["id"])
            if fixed is None:
                self.problem(where + ("id",), "E7012", f"another key of this account and Region has the ID {key['id']}")
            arn = fixed or arn
        kms.create_alias(AliasName=f"alias/{alias}", TargetKeyId=arn)
        for i, grant in enumerate(key.get("grants") or []):
            args = {"KeyId": arn, "GranteePrincipal": grant.get("grantee", ""),
                    "Operations": grant.get("operations") or ["Decrypt"]}
            if grant.get("name"):
                args["Name"] = grant["name"]
            with self.element(where + ("grants", i)):
                kms.create_grant(**args)
        if key.get("policy"):
            with self.element(where + ("policy",)):
                kms.put_key_policy(KeyId=arn, PolicyName="default", Policy=_json(key["policy"]))
        return arn

    def image(self, ec2, keys: dict, name: str, image: dict, where, account: str, region: str) -> str | None:
        ebs: dict = {"VolumeSize": 8}
        if image.get("encryptedWith"):
            key = self._key(keys, image["encryptedWith"], where + ("encryptedWith",), account, region)
            if key is None:
                return None
            ebs.update({"Encrypted": True, "KmsKeyId": key})
        image_id = ec2.register_image(Name=image.get("name", name), RootDeviceName="/dev/xvda",
                                      BlockDeviceMappings=[{"DeviceName": "/dev/xvda", "Ebs": ebs}])["ImageId"]
        for i, other in enumerate(image.get("sharedWith") or []):
            with self.element(where + ("sharedWith", i)):
                ec2.modify_image_attribute(ImageId=image_id, LaunchPermission={"Add": [{"UserId": str(other)}]})
        return image_id

    def snapshot(self, ec2, keys: dict, name: str, snapshot: dict, where, account: str, region: str) -> None:
        volume = {"AvailabilityZone": f"{region}a", "Size": snapshot.get("size", 8)}
        if snapshot.get("encryptedWith"):
            key = self._key(keys, snapshot["encryptedWith"], where + ("encryptedWith",), account, region)
            if key is None:
                return
            volume.update({"Encrypted": True, "KmsKeyId": key})
        volume_id = ec2.create_volume(**volume)["VolumeId"]
        snapshot_id = ec2.create_snapshot(VolumeId=volume_id, Description=snapshot.get("description", name),
                                          TagSpecifications=[{"ResourceType": "snapshot",
                                                              "Tags": [{"Key": "Name", "Value": name}]}])["SnapshotId"]
        for i, other in enumerate(snapshot.get("sharedWith") or []):
            with self.element(where + ("sharedWith", i)):
                ec2.modify_snapshot_attribute(SnapshotId=snapshot_id, Attribute="createVolumePermission",
                                              OperationType="add", UserIds=[str(other)])

    def organization(self, spec: dict) -> None:
        """SCP and RCP levels for each account: the root's, then each unit's down to the account's.
        Each level keeps FullAWSAccess (attached by AWS to every root and OU) beside the SCPs the
        world names, unless the level says `detach: [FullAWSAccess]`, as AWS keeps what is attached
        until it is detached ("Attaching and detaching service control policies")."""
        management = str(spec.get("management", ""))
        found: dict[str, dict[str, list]] = {}
        full = {"Version": V, "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        for kind in ("scps", "rcps"):
            defined = {name: parse_policy(doc, name) for name, doc in (spec.get(kind) or {}).items()}
            # RCPFullAWSAccess is at every level and cannot be detached ("Resource control policies (RCPs)")
            always = [parse_policy(full, "RCPFullAWSAccess")] if kind == "rcps" else []

            def level(place, where, defined=defined, kind=kind, always=always):
                names = place.get(kind) or []
                policies = list(always)
                if kind == "scps" and not detaches_full_access(place):
                    policies.append(parse_policy(full, DEFAULT_SCP))
                for i, name in enumerate(names):
                    if name not in defined:
                        self.problem(where + (kind, i), "E7006", f"no {kind[:-1].upper()} named '{name}' under "
                                                                 f"organization.{kind}")
                    elif not (kind == "scps" and name == DEFAULT_SCP and not detaches_full_access(place)):
                        policies.append(defined[name])
                if kind == "scps" and len(policies) == 0:
                    self.problem(where + ("detach",), "E7009", f"{_dotted(where + ('detach',))}: "
                                 "ConstraintViolationException: You cannot remove the last policy attached to the "
                                 "specified target. (name an SCP to keep at this level)")
                return policies

            levels: dict[str, list] = {}
            paths: dict[str, list[str]] = {}  # where each level is attached: Root, Root/Prod, account ID

            def walk(units, above, above_paths, where, level=level, levels=levels, paths=paths):
                for name, unit in (units or {}).items():
                    here = above + [level(unit or {}, where + (name,))]
                    here_paths = above_paths + [f"{above_paths[-1]}/{name}"]
                    for account in (unit or {}).get("accounts") or []:
                        levels[str(account)], paths[str(account)] = here, here_paths
                    walk((unit or {}).get("units"), here, here_paths, where + (name, "units"))

            root = level(spec.get("root") or {}, ("organization", "root"))
            walk(spec.get("units"), [root], ["Root"], ("organization", "units"))
            for account, place in (spec.get("accounts") or {}).items():  # the account's own level, last
                levels[str(account)] = levels.get(str(account), [root]) + [
                    level(place or {}, ("organization", "accounts", account))]
                paths[str(account)] = paths.get(str(account), ["Root"]) + [f"account {account}"]
            # RCPFullAWSAccess is attached everywhere and cannot be detached: no RCPs means no limit
            found[kind] = levels if spec.get(kind) else {}
            self.cloud.gate.level_paths[kind[:3]] = paths if spec.get(kind) else {}
        self.cloud.gate.organization = (management, found["scps"])
        self.cloud.gate.rcp_levels = found["rcps"]
        self.cloud.gate.organization_id = spec.get("id")
        members = {a for levels in (found["scps"], found["rcps"]) for a in levels}
        for unit in _units(spec.get("units")):
            members.update(str(a) for a in unit.get("accounts") or [])
        members.update(str(a) for a in spec.get("accounts") or {})
        self.cloud.gate.members = members | {management}
        from ..organization import build_organization

        with self.element(("organization",)):  # the same units in moto's Organizations, for runs that target OUs
            self.built.units = build_organization(self.cloud, spec)


def _units(units):
    for unit in (units or {}).values():
        yield unit
        yield from _units(unit.get("units"))


def build_world(world: World, cloud, region: str = "us-east-1", store=None) -> Built:
    """Build `world` into the sandbox of `cloud`; runs started by templates' associations are
    recorded in `store` (an in-memory one when none is given).

    The world is built as its builder, not as one of its principals: the accounts first, then the
    organization, so that its SCPs and RCPs bind what runs in the world afterwards and never the
    building itself (a role in an account whose allow-list SCP lacks iam:* is still made)."""
    builder = _Builder(world, cloud, region, store)
    for account, spec in (world.data.get("accounts") or {}).items():
        with builder.element(("accounts", account)):  # the account's administrator, before any element
            builder.account(str(account), spec or {})
    if world.data.get("organization"):
        builder.organization(world.data["organization"])
    if builder.problems:
        raise WorldError(sorted(builder.problems))
    accounts = world.data.get("accounts") or {}
    builder.built.accounts = [str(a) for a in accounts]
    builder.built.aliases = {str(a): spec["alias"] for a, spec in accounts.items() if spec and spec.get("alias")}
    management = (world.data.get("organization") or {}).get("management")
    builder.built.management = str(management) if management else None
    return builder.built
