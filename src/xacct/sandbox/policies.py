"""The policies that apply to a request in the sandbox, read from moto's IAM, S3 and KMS state:
a principal's identity policies (inline, attached, through groups) and permissions boundary, a
role's trust policy, a bucket's policy, a key's policy."""

from __future__ import annotations

import json
from typing import Any

from ..iam import Policy, PolicyError, parse_policy
from .principals import Holder


def _doc(document: Any) -> Any:
    if isinstance(document, bytes):
        document = document.decode()
    if isinstance(document, str):
        from urllib.parse import unquote

        text = document if document.lstrip().startswith("{") else unquote(document)
        return json.loads(text)
    return document


def _managed(policy) -> Any:
    for version in policy.versions:
        if getattr(version, "is_default", False):
            return version.document
    return policy.versions[-1].document if policy.versions else {"Statement": []}


def _iam(account: str):
    from moto.iam.models import iam_backends

    return iam_backends[account]["global"]


def _iam_missing() -> tuple[type[Exception], ...]:
    """What moto's IAM raises for a user, role, group or policy that is not there: a principal
    whose entity is gone (deleted, or never made) has no policies, as in AWS, not a traceback."""
    from moto.iam.exceptions import NoSuchEntity, NotFoundException

    return NoSuchEntity, NotFoundException


def _arn_part(arn: str, index: int) -> str | None:
    """A field of an ARN (4: account, 3: Region), or None for a string that is not one."""
    parts = arn.split(":", 5)
    return parts[index] if len(parts) == 6 and parts[0] == "arn" else None


def _entity_policies(entity, label: str) -> list[Policy]:
    policies = [parse_policy(_doc(doc), f"{label} inline policy {name}") for name, doc in entity.policies.items()]
    policies += [parse_policy(_doc(_managed(p)), arn.rsplit("/", 1)[-1]) for arn, p in entity.managed_policies.items()]
    return policies


def identity_policies(holder: Holder) -> tuple[list[Policy], list[Policy]]:
    """(identity policies, permissions boundaries) of a user or of a role session."""
    backend = _iam(holder.account)
    try:
        if holder.role_arn:
            role = backend.get_role(holder.role_arn.rsplit("/", 1)[-1])
            entity, label = role, f"role {role.name}"
        elif holder.user_name:
            entity = backend.get_user(holder.user_name)
            label = f"user {entity.name}"
        else:
            return [], []
        groups = backend.get_groups_for_user(holder.user_name) if holder.user_name else []
    except _iam_missing():
        return [], []
    policies = _entity_policies(entity, label)
    for group in groups:
        policies += _entity_policies(group, f"group {group.name}")
    boundaries = []
    boundary_arn = getattr(entity, "permissions_boundary_arn", None) or getattr(entity, "permissions_boundary", None)
    if isinstance(boundary_arn, str) and boundary_arn:
        try:
            boundaries.append(parse_policy(_doc(_managed(backend.get_policy(boundary_arn))),
                                           f"permissions boundary {boundary_arn.rsplit('/', 1)[-1]}"))
        except _iam_missing():  # a boundary policy deleted after it was set: none is found
            pass
    return policies, boundaries


def managed_policy(account: str, arn: str, label: str) -> tuple[Policy, dict] | None:
    """A managed policy of `account` by ARN (its default version) as (policy, document), or None
    when the account has no such policy or IAM would not accept its document."""
    try:
        document = _doc(_managed(_iam(account).get_policy(arn)))
        return parse_policy(document, label, identity=True), document
    except _iam_missing():
        return None
    except (PolicyError, ValueError):
        return None


def principal_tags(holder: Holder) -> list[dict]:
    """The tags of the user, or of the role a session belongs to."""
    backend = _iam(holder.account)
    try:
        if holder.role_arn:
            return backend.list_role_tags(holder.role_arn.rsplit("/", 1)[-1], None)[0]
        if holder.user_name:
            return backend.list_user_tags(holder.user_name)
    except _iam_missing():
        return []
    return []


def role(role_arn: str):
    account = _arn_part(role_arn, 4)
    if not account:
        return None
    try:
        return _iam(account).get_role(role_arn.rsplit("/", 1)[-1])
    except _iam_missing():
        return None


def with_path(role_arn: str) -> str:
    """A role's ARN with the role's path, as IAM authorizes calls on it (a call names a role by
    name; a service-linked role's ARN holds /aws-service-role/...); unchanged for no such role."""
    found = role(role_arn)
    return found.arn if found is not None else role_arn


def trust_policy(role_arn: str) -> Policy | None:
    found = role(role_arn)
    if found is None:
        return None
    return parse_policy(_doc(found.assume_role_policy_document), f"trust policy of role {found.name}")


def bucket_owner(bucket: str) -> str | None:
    """The account that owns a bucket (S3 bucket names are global)."""
    from moto.s3.models import s3_backends

    owner = s3_backends.bucket_accounts.get(bucket)
    return owner[1] if isinstance(owner, tuple) else owner


def bucket_region(bucket: str) -> str | None:
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    account = bucket_owner(bucket)
    try:
        return s3_backends[account]["aws"].get_bucket(bucket).region_name if account else None
    except MissingBucket:
        return None


def bucket_policy(bucket: str) -> Policy | None:
    from moto.s3.exceptions import MissingBucket
    from moto.s3.models import s3_backends

    account = bucket_owner(bucket)
    if not account:
        return None
    try:
        found = s3_backends[account]["aws"].get_bucket(bucket)
    except MissingBucket:
        return None
    return parse_policy(_doc(found.policy), f"bucket policy of {bucket}") if found.policy else None


def key_policy(key_arn: str) -> Policy | None:
    from moto.kms.exceptions import NotFoundException
    from moto.kms.models import kms_backends

    account, region, resource = _arn_part(key_arn, 4), _arn_part(key_arn, 3), _arn_part(key_arn, 5)
    if not (account and region and resource):
        return None
    key_id = resource.split("/", 1)[-1]
    try:
        key = kms_backends[account][region].describe_key(key_id)
    except (KeyError, NotFoundException):  # moto's KMS raises KeyError for a key it has not
        return None
    return parse_policy(_doc(key.policy), f"key policy of {key_id}")
