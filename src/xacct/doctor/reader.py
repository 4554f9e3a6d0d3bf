"""How doctor reads the accounts it checks: through the AWS APIs (IAM, SSM, EC2, KMS,
Organizations), in the sandbox and in AWS alike, then judges locally with xacct.iam.

In the sandbox every account is readable with its operator. In AWS the caller's own account is
read with the caller's credentials and any other account through a role assumed there
(`--read-role-name`, OrganizationAccountAccessRole by default: the role AWS Organizations creates
in the accounts it creates). An account that cannot be read becomes a D901 finding and its checks
are skipped: doctor never guesses about what it could not see.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from ..cloud import Cloud
from ..credentials import Credentials
from ..iam import Policy, parse_policy

READ_ROLE = "OrganizationAccountAccessRole"
# In the sandbox doctor reads these as the sandbox's operator, who stands outside the world: the
# world's SCPs bind its principals, not the one who checks it (in AWS the read role is bound by
# them, and an account it may not read is a D901 finding)
OUTSIDE_THE_WORLD = frozenset({"iam", "organizations", "ssm", "s3", "kms", "sqs", "sns"})


def policy_document(document: Any) -> Any:
    """IAM returns policy documents URL-encoded JSON (boto3 usually decodes them already)."""
    if isinstance(document, (bytes, bytearray)):
        document = document.decode()
    if isinstance(document, str):
        text = document if document.lstrip().startswith("{") else unquote(document)
        return json.loads(text)
    return document


MAX_OU_DEPTH = 5  # OUs nest at most five levels under the root ("Quotas for AWS Organizations")


class Unreadable(Exception):
    """An account doctor may not read; its message says why."""


class Reader:
    def __init__(self, cloud: Cloud, caller: Credentials, region: str, read_role_name: str = READ_ROLE) -> None:
        self.cloud, self.caller, self.region = cloud, caller, region
        self.read_role_name = read_role_name
        self._credentials: dict[str, Credentials | Unreadable] = {}
        self.sandbox = hasattr(cloud, "operator")
        self._readers: dict[tuple[str, str, str], object] = {}
        self.read = lru_cache(maxsize=None)(self._read)  # one call per question per doctor run

    def credentials(self, account: str) -> Credentials:
        """Credentials that may read `account`; raises Unreadable."""
        if account not in self._credentials:
            try:
                self._credentials[account] = self._reach(account)
            except Exception as exc:  # AccessDenied on the read role, no such role, ...
                self._credentials[account] = Unreadable(
                    f"cannot assume {self.read_role_name} in {account} to read it: {' '.join(str(exc).split())}")
        found = self._credentials[account]
        if isinstance(found, Unreadable):
            raise found
        return found

    def _reach(self, account: str) -> Credentials:
        if self.sandbox:
            return self.cloud.operator(account)
        if account == self.caller.account:
            return self.caller
        arn = f"arn:{self.cloud.partition}:iam::{account}:role/{self.read_role_name}"
        return self.cloud.assume_role(arn, "xacct-doctor", self.caller, self.region)

    def client(self, service: str, account: str, region: str | None = None):
        """A client for `account` that acts as the read role (in the sandbox: its operator); what
        doctor changes with --apply goes through it."""
        return self.cloud.client(service, region or self.region, self.credentials(account))

    def reading(self, service: str, account: str, region: str | None = None):
        """A client that only reads: in the sandbox, past the world's SCPs (OUTSIDE_THE_WORLD)."""
        region = region or self.region
        if not (self.sandbox and service in OUTSIDE_THE_WORLD):
            return self.client(service, account, region)
        key = (service, account, region)
        if key not in self._readers:
            self._readers[key] = self.cloud.reading_client(service, region, self.credentials(account))
        return self._readers[key]

    def _read(self, kind: str, *args) -> Any:
        return getattr(self, "_" + kind)(*args)

    # -- IAM ------------------------------------------------------------------------------------
    def _role(self, account: str, name: str) -> dict | None:
        from botocore.exceptions import ClientError

        try:
            return self.reading("iam", account).get_role(RoleName=name)["Role"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "NoSuchEntity":
                return None
            raise

    def role(self, account: str, name: str) -> dict | None:
        return self.read("role", account, name)

    def trust_policy(self, account: str, name: str) -> Policy | None:
        role = self.role(account, name)
        if role is None:
            return None
        return parse_policy(policy_document(role["AssumeRolePolicyDocument"]), f"trust policy of role {name}")

    def _identity_policies(self, account: str, kind: str, name: str) -> tuple[list[Policy], list[Policy]]:
        """(identity policies, permissions boundaries) of a role or a user, with its groups'."""
        iam = self.reading("iam", account)
        policies: list[Policy] = []
        entity = {"role": "RoleName", "user": "UserName", "group": "GroupName"}[kind]
        title = kind.capitalize()
        for page in iam.get_paginator(f"list_{kind}_policies").paginate(**{entity: name}):
            for policy_name in page["PolicyNames"]:
                document = getattr(iam, f"get_{kind}_policy")(**{entity: name, "PolicyName": policy_name})
                policies.append(parse_policy(policy_document(document["PolicyDocument"]),
                                             f"{kind} {name} inline policy {policy_name}"))
        for page in iam.get_paginator(f"list_attached_{kind}_policies").paginate(**{entity: name}):
            for attached in page["AttachedPolicies"]:
                policies.append(self._managed(account, attached["PolicyArn"], attached["PolicyName"]))
        boundaries: list[Policy] = []
        if kind in ("role", "user"):
            entity_data = getattr(iam, f"get_{kind}")(**{entity: name})[title]
            boundary = (entity_data.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")
            if boundary:
                boundaries.append(self._managed(account, boundary, "permissions boundary " + boundary.rsplit("/")[-1]))
        if kind == "user":
            for page in iam.get_paginator("list_groups_for_user").paginate(UserName=name):
                for group in page["Groups"]:
                    more, _ = self._identity_policies(account, "group", group["GroupName"])
                    policies += more
        return policies, boundaries

    def identity_policies(self, account: str, kind: str, name: str) -> tuple[list[Policy], list[Policy]]:
        return self.read("identity_policies", account, kind, name)

    def _managed(self, account: str, arn: str, label: str) -> Policy:
        return parse_policy(self.managed_document(account, arn), label)

    def _managed_document(self, account: str, arn: str) -> dict:
        iam = self.reading("iam", account)
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        return policy_document(iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"]["Document"])

    def managed_document(self, account: str, arn: str) -> dict:
        """The default version's document of a managed policy."""
        return self.read("managed_document", account, arn)

    def boundary_arn(self, account: str, kind: str, name: str) -> str | None:
        """The permissions boundary of a role or user, or None."""
        if kind == "role":
            entity = self.role(account, name) or {}
        elif kind == "user":
            entity = self.reading("iam", account).get_user(UserName=name)["User"]
        else:
            return None
        return (entity.get("PermissionsBoundary") or {}).get("PermissionsBoundaryArn")

    def _mfa_devices(self, account: str, user: str) -> tuple[str, ...]:
        iam = self.reading("iam", account)
        return tuple(d["SerialNumber"] for d in iam.list_mfa_devices(UserName=user)["MFADevices"])

    def mfa_devices(self, account: str, user: str) -> tuple[str, ...]:
        return self.read("mfa_devices", account, user)

    # -- Resource-based policies ----------------------------------------------------------------
    def _buckets(self, account: str) -> frozenset[str]:
        return frozenset(b["Name"] for b in self.reading("s3", account).list_buckets().get("Buckets", []))

    def bucket_owner(self, bucket: str, accounts) -> str | None:
        """Which of `accounts` (an iterable, read in order until one owns it) owns `bucket`
        (ListBuckets of each lists only its own)."""
        for account in accounts:
            try:
                if bucket in self.read("buckets", account):
                    return account
            except Exception:  # Unreadable, AccessDenied: an account doctor may not list; another may own it
                continue
        return None

    def _bucket_policy(self, account: str, bucket: str) -> dict | None:
        from botocore.exceptions import ClientError

        try:
            text = self.reading("s3", account).get_bucket_policy(Bucket=bucket)["Policy"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "NoSuchBucketPolicy":
                return None
            raise
        return policy_document(text)

    def bucket_policy(self, account: str, bucket: str) -> dict | None:
        """The bucket policy of a bucket `account` owns, as a document; None when it has none."""
        return self.read("bucket_policy", account, bucket)

    def _queue_policy(self, account: str, region: str, name: str) -> tuple[bool, dict | None]:
        """(the queue exists, its policy document or None) of a queue of `account`."""
        from botocore.exceptions import ClientError

        sqs = self.reading("sqs", account, region)
        try:
            url = sqs.get_queue_url(QueueName=name)["QueueUrl"]
            text = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["Policy"]).get("Attributes", {}).get("Policy")
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("QueueDoesNotExist", "AWS.SimpleQueueService.NonExistentQueue"):
                return False, None
            raise
        return True, (policy_document(text) if text else None)

    def queue_policy(self, account: str, region: str, name: str) -> tuple[bool, dict | None]:
        return self.read("queue_policy", account, region, name)

    def _topic_policy(self, topic_arn: str) -> tuple[bool, dict | None]:
        """(the topic exists, its policy document) of a topic, read in the topic's account."""
        from botocore.exceptions import ClientError

        parts = topic_arn.split(":")
        sns = self.reading("sns", parts[4], parts[3])
        try:
            text = sns.get_topic_attributes(TopicArn=topic_arn).get("Attributes", {}).get("Policy")
        except ClientError as exc:
            if exc.response["Error"]["Code"] == "NotFound":
                return False, None
            raise
        return True, (policy_document(text) if text else None)

    def topic_policy(self, topic_arn: str) -> tuple[bool, dict | None]:
        return self.read("topic_policy", topic_arn)

    def _key_policy(self, account: str, region: str, key_id: str) -> tuple[str, dict] | None:
        from botocore.exceptions import ClientError

        kms = self.reading("kms", account, region)
        try:
            arn = kms.describe_key(KeyId=key_id)["KeyMetadata"]["Arn"]
            text = kms.get_key_policy(KeyId=arn, PolicyName="default")["Policy"]
        except ClientError as exc:
            if exc.response["Error"]["Code"] in ("NotFoundException", "AccessDeniedException"):
                return None
            raise
        return arn, policy_document(text)

    def key_policy(self, account: str, region: str, key_id: str) -> tuple[str, dict] | None:
        """(key ARN, key policy document) of a key (by ID, ARN or alias name) of `account`."""
        return self.read("key_policy", account, region, key_id)

    # -- Organizations --------------------------------------------------------------------------
    def _scp_levels(self, account: str, policy_type: str = "SERVICE_CONTROL_POLICY") -> list[ScpLevel]:
        """The SCPs (or RCPs) of each level above `account`, root first, each with where it is
        attached (Root, Root/Prod, the account) and each policy's ID and name; none outside an
        organization, for the management account (neither SCPs nor RCPs apply there), or when the
        caller may not read the organization."""
        from botocore.exceptions import ClientError

        try:
            org = self.reading("organizations", self.caller.account or account, "us-east-1")
            details = org.describe_organization()["Organization"]
            if details["MasterAccountId"] == account:
                return []  # SCPs do not apply to the management account
            chain = [(account, "ACCOUNT")]
            while True:
                parent = org.list_parents(ChildId=chain[-1][0])["Parents"][0]
                chain.append((parent["Id"], parent["Type"]))
                if parent["Type"] == "ROOT":
                    break
        except (ClientError, Unreadable, IndexError):
            return []
        levels: list[ScpLevel] = []
        path = ""
        for target, kind in reversed(chain):
            if kind == "ROOT":
                path = "Root"
            elif kind == "ORGANIZATIONAL_UNIT":
                path += "/" + org.describe_organizational_unit(OrganizationalUnitId=target)["OrganizationalUnit"]["Name"]
            where = f"account {target}" if kind == "ACCOUNT" else f"{path} ({target})"
            try:
                listed = org.list_policies_for_target(TargetId=target, Filter=policy_type)["Policies"]
            except ClientError:  # a policy type not enabled (RCPs are optional): none
                return []
            policies = []
            for summary in listed:
                content = policy_document(org.describe_policy(PolicyId=summary["Id"])["Policy"]["Content"])
                label = "SCP" if policy_type == "SERVICE_CONTROL_POLICY" else "RCP"
                policies.append(AttachedScp(summary["Id"], summary["Name"], content,
                                            parse_policy(content, f"{label} {summary['Name']}")))
            if policies:  # AWS keeps at least one SCP on every level; none listed means none read
                levels.append(ScpLevel(where, target, policies))
        return levels

    def scp_levels(self, account: str) -> list[ScpLevel]:
        return self.read("scp_levels", account)

    def scps(self, account: str) -> list[list[Policy]]:
        """The SCPs of each level above `account`, as the evaluator takes them."""
        return [[attached.policy for attached in level.policies] for level in self.scp_levels(account)]

    def rcps(self, account: str) -> list[list[Policy]]:
        """The RCPs of each level above the account that owns a resource."""
        levels = self.read("scp_levels", account, "RESOURCE_CONTROL_POLICY")
        return [[attached.policy for attached in level.policies] for level in levels]

    def _org_id(self, account: str) -> str | None:
        """The organization ID when `account` is in the caller's organization (aws:PrincipalOrgID)."""
        from botocore.exceptions import ClientError

        try:
            org = self.reading("organizations", self.caller.account or account, "us-east-1")
            details = org.describe_organization()["Organization"]
            if account != details["MasterAccountId"]:
                org.list_parents(ChildId=account)
        except (ClientError, Unreadable):
            return None
        return details["Id"]

    def org_id(self, account: str) -> str | None:
        return self.read("org_id", account)

    def _org_path(self, account: str) -> str | None:
        """The account's organization entity path (o-id/r-id/ou-id/.../), from its parents up to
        the root; None outside the caller's organization or when it may not be read."""
        from botocore.exceptions import ClientError

        org_id = self.org_id(account)
        if org_id is None:
            return None
        try:
            org = self.reading("organizations", self.caller.account or account, "us-east-1")
            parents, child = [], account
            for _ in range(MAX_OU_DEPTH + 1):
                parent = org.list_parents(ChildId=child)["Parents"][0]
                parents.append(parent["Id"])
                if parent["Type"] == "ROOT":
                    return org_id + "/" + "".join(f"{p}/" for p in reversed(parents))
                child = parent["Id"]
        except (ClientError, Unreadable, IndexError, KeyError):
            return None
        return None

    def org_keys(self, principal_account: str | None, resource_account: str | None) -> dict[str, list[str]]:
        """The organization's global condition keys a request carries, as the sandbox's gate and
        AWS give them: aws:ResourceAccount; aws:PrincipalOrgID/OrgPaths and aws:ResourceOrgID/
        OrgPaths when the account is in the organization. A data-perimeter SCP tests them, and
        with them absent its negated condition would hold and deny what AWS allows."""
        keys: dict[str, list[str]] = {}
        if resource_account:
            keys["aws:ResourceAccount"] = [resource_account]
        for side, account in (("Principal", principal_account), ("Resource", resource_account)):
            if not account or self.org_id(account) is None:
                continue
            keys[f"aws:{side}OrgID"] = [self.org_id(account)]
            path = self.read("org_path", account)
            if path:
                keys[f"aws:{side}OrgPaths"] = [path]
        return keys

    def _organization_accounts(self) -> tuple[str, ...]:
        """The accounts of the caller's organization (ListAccounts answers its management account
        and delegated administrators); none when the caller may not list them."""
        from botocore.exceptions import ClientError

        try:
            org = self.reading("organizations", self.caller.account or "", "us-east-1")
            found: list[str] = []
            for page in org.get_paginator("list_accounts").paginate():
                found += [a["Id"] for a in page["Accounts"]]
        except (ClientError, Unreadable):
            return ()
        return tuple(found)

    def organization_accounts(self) -> tuple[str, ...]:
        return self.read("organization_accounts")


@dataclass(frozen=True)
class AttachedScp:
    id: str
    name: str
    document: dict
    policy: Policy


@dataclass(frozen=True)
class ScpLevel:
    """One level of SCPs above an account: where they are attached, and which."""

    where: str  # "Root (r-ab12)", "Root/Prod/Web (ou-ab12-34cd56ef)", "account 123456789012"
    target: str
    policies: list[AttachedScp]
