"""What a world file may say, as data: each mapping lists its keys and what each holds.

    world: 1
    organization:
      management: "111111111111"
      id: o-exampleorgid                            # aws:PrincipalOrgID (default: made from management)
      scps: {NAME: POLICY}
      rcps: {NAME: POLICY}
      root: {scps: [NAME], rcps: [NAME], detach: [FullAWSAccess]}
      units: {NAME: {accounts: [ID], scps: [NAME], rcps: [NAME], detach: [FullAWSAccess], units: {...}}}
                                                    # FullAWSAccess stays beside the SCPs named
                                                    # at a level unless the level detaches it
      accounts: {ID: {scps: [NAME], rcps: [NAME], detach: [FullAWSAccess]}}  # an account's own level
    accounts:
      "111111111111":
        alias: hoge
        iam:
          policies: {NAME: POLICY}                 # customer managed policies
          users: {NAME: {accessKey: true, mfa: {seed: BASE32}, policies: {NAME: POLICY},
                         managedPolicies: [NAME|ARN], groups: [NAME], permissionsBoundary: NAME|ARN}}
          groups: {NAME: {policies: {NAME: POLICY}, managedPolicies: [NAME|ARN]}}
          roles: {NAME: {trust: POLICY, path: /, policies: {...}, managedPolicies: [...],
                         permissionsBoundary: NAME|ARN, maxSessionDuration: 3600}}
          serviceLinkedRoles: [autoscaling.amazonaws.com]
        regions:
          us-east-1:
            buckets: {NAME: {policy: POLICY, encryption: AES256, tags: {KEY: VALUE}}}
            documents: {NAME: {file: PATH, sharedWith: [ID]}}
            queues: {NAME: {policy: POLICY}}          # SQS queues, each with its queue policy
            topics: {NAME: {policy: POLICY}}          # SNS topics (without one: SNS's default policy)
            kmsKeys: {ALIAS: {id: KEY ID, policy: POLICY, description: TEXT,
                              grants: [{grantee: ARN, operations: [Decrypt]}]}}
            snapshots: {NAME: {size: 8, encryptedWith: ALIAS|KEY ARN, sharedWith: [ID]}}
            images: {NAME: {name: TEXT, encryptedWith: ALIAS|KEY ARN, sharedWith: [ID]}}
            instances: {NAME: {image: IMAGE NAME|ami-ID, type: t3.micro, tags: {KEY: VALUE}}}
        templates:                                 # CloudFormation stacks, deployed after the rest
          - {file: PATH, region: us-east-1, stack: NAME, parameters: {KEY: VALUE}}

Each name and value carries AWS's rules for it (`Checked`): the pattern, lengths and values
botocore's service models give the API member it becomes, or the documented rule (rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import rules
from .rules import model
from ..kms import key_id_problem

POLICY = "policy"  # an IAM policy document, checked by xacct.iam
NAME_MAP = "names"  # a mapping whose keys are free names


@dataclass(frozen=True)
class Checked:
    """A value of type `kind` that AWS takes only within its rules: `check` (rules.py) says why
    AWS would refuse one. `rule` is the finding's ID. A secret is never repeated in a finding:
    `secret` names it there instead ("the MFA seed")."""

    kind: type
    check: Callable[[Any], str | None]
    rule: str = "E7012"
    secret: str = ""


def names(value_schema, key: Checked | None = None):
    """A mapping of free names (each checked by `key`) to values of `value_schema`."""
    return (NAME_MAP, value_schema, key)


def aws(service: str, operation: str, member: str, kind: type = str) -> Checked:
    """A value with the rules botocore's model gives `member` of `operation`."""
    return Checked(kind, model(service, operation, member))


TEXT = Checked(str, rules.text)  # any other string that reaches AWS
ACCOUNT = Checked(str, rules.account_id, "E7005")
REGION = Checked(str, rules.region, "E7011")
IAM_PATH = aws("iam", "CreateRole", "Path")
MANAGED_POLICY = Checked(str, rules.policy_reference(model("iam", "CreatePolicy", "PolicyName")))
KEY_REFERENCE = Checked(str, rules.key_reference)

POLICIES = names(POLICY, aws("iam", "CreatePolicy", "PolicyName"))
INLINE_POLICIES = names(POLICY, aws("iam", "PutRolePolicy", "PolicyName"))
USER = {"accessKey": bool, "mfa": {"seed": Checked(str, rules.mfa_seed, "E7007", secret="the MFA seed")},
        "policies": INLINE_POLICIES, "managedPolicies": [MANAGED_POLICY],
        "groups": [aws("iam", "AddUserToGroup", "GroupName")], "permissionsBoundary": MANAGED_POLICY, "path": IAM_PATH}
GROUP = {"policies": INLINE_POLICIES, "managedPolicies": [MANAGED_POLICY], "path": IAM_PATH}
ROLE = {"trust": POLICY, "path": IAM_PATH, "policies": INLINE_POLICIES, "managedPolicies": [MANAGED_POLICY],
        "permissionsBoundary": MANAGED_POLICY,
        "maxSessionDuration": aws("iam", "CreateRole", "MaxSessionDuration", int),
        "description": aws("iam", "CreateRole", "Description")}
IAM = {"policies": POLICIES, "users": names(USER, aws("iam", "CreateUser", "UserName")),
       "groups": names(GROUP, aws("iam", "CreateGroup", "GroupName")),
       "roles": names(ROLE, aws("iam", "CreateRole", "RoleName")),
       "serviceLinkedRoles": [aws("iam", "CreateServiceLinkedRole", "AWSServiceName")]}
BUCKET = {"policy": POLICY, "encryption": Checked(str, rules.bucket_encryption),
          "tags": names(Checked(str, rules.bucket_tag_value), Checked(str, rules.bucket_tag_key))}
DOCUMENT = {"file": str, "sharedWith": [ACCOUNT], "type": aws("ssm", "CreateDocument", "DocumentType")}
GRANT = {"grantee": aws("kms", "CreateGrant", "GranteePrincipal"),
         "operations": [aws("kms", "CreateGrant", "Operations")],
         "name": aws("kms", "CreateGrant", "Name")}
KEY = {"policy": POLICY, "description": aws("kms", "CreateKey", "Description"), "grants": [GRANT],
       "id": Checked(str, key_id_problem)}
SNAPSHOT = {"size": Checked(int, rules.volume_size), "encryptedWith": KEY_REFERENCE, "sharedWith": [ACCOUNT],
            "description": TEXT}
IMAGE = {"name": Checked(str, rules.image_name), "encryptedWith": KEY_REFERENCE, "sharedWith": [ACCOUNT]}
INSTANCE = {"image": TEXT, "type": aws("ec2", "RunInstances", "InstanceType"),
            "tags": names(Checked(str, rules.instance_tag_value), Checked(str, rules.instance_tag_key))}
# instances and snapshots are tagged Name=their name; an image is named by its key unless `name` says
QUEUE = {"policy": POLICY}
TOPIC = {"policy": POLICY}
REGION_RESOURCES = {"buckets": names(BUCKET, Checked(str, rules.bucket_name)),
                    "queues": names(QUEUE, Checked(str, rules.queue_name)),
                    "topics": names(TOPIC, Checked(str, rules.topic_name)),
                    "documents": names(DOCUMENT, Checked(str, rules.document_name)),
                    "kmsKeys": names(KEY, Checked(str, rules.kms_alias)),
                    "images": names(IMAGE, Checked(str, rules.image_name)),
                    "instances": names(INSTANCE, Checked(str, rules.instance_tag_value)),
                    "snapshots": names(SNAPSHOT, Checked(str, rules.instance_tag_value))}
TEMPLATE = {"file": str, "region": REGION, "stack": Checked(str, rules.stack_name),
            "parameters": names(TEXT, TEXT)}
ACCOUNT_SPEC = {"alias": aws("iam", "CreateAccountAlias", "AccountAlias"), "iam": IAM,
                "regions": names(REGION_RESOURCES, REGION), "templates": [TEMPLATE]}


DETACH = [Checked(str, rules.detachable_scp)]  # detach: [FullAWSAccess]


def unit_schema():
    unit = {"accounts": [ACCOUNT], "scps": [TEXT], "rcps": [TEXT], "detach": DETACH}
    unit["units"] = names(unit, aws("organizations", "CreateOrganizationalUnit", "Name"))
    return unit


ORG_POLICIES = names(POLICY, aws("organizations", "CreatePolicy", "Name"))
ORGANIZATION = {"management": ACCOUNT, "id": Checked(str, rules.organization_id),
                "scps": ORG_POLICIES, "rcps": ORG_POLICIES,
                "root": {"scps": [TEXT], "rcps": [TEXT], "detach": DETACH},
                # policies attached to an account itself (below its OU's), beside FullAWSAccess
                "accounts": names({"scps": [TEXT], "rcps": [TEXT], "detach": DETACH}, ACCOUNT),
                "units": names(unit_schema(), aws("organizations", "CreateOrganizationalUnit", "Name"))}
WORLD = {"world": int, "organization": ORGANIZATION, "accounts": names(ACCOUNT_SPEC, ACCOUNT)}
