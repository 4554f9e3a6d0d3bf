"""The tag condition keys of a request, for tag-based (ABAC) policies.

- aws:ResourceTag/KEY (and a service's own name for it: ec2:ResourceTag/KEY, iam:ResourceTag/KEY)
  is the tag of the resource the request is about; s3:ExistingObjectTag/KEY the tag of an S3
  object. They are read from the sandbox's state when a condition first asks for one, so a call
  that meets no tag condition reads no tags.
- aws:RequestTag/KEY and aws:TagKeys are the tags a tagging or creating call carries in its
  parameters (Tags, TagSpecifications, Tagging, TagKeys).
("Controlling access to AWS resources using tags",
https://docs.aws.amazon.com/IAM/latest/UserGuide/access_tags.html; "AWS global condition context
keys", https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html.)
Condition key names ignore case, so the tag's key is compared in lower case.
"""

from __future__ import annotations

from typing import Any, Callable
from urllib.parse import parse_qsl

RESOURCE_TAG_PREFIXES = ("aws:resourcetag/", "ec2:resourcetag/", "iam:resourcetag/", "kms:resourcetag/")
OBJECT_TAG_PREFIX = "s3:existingobjecttag/"


def _pairs(tags: Any) -> dict[str, str]:
    """{key: value} of a tag list in any of the APIs' shapes ({Key, Value}, {TagKey, TagValue}), a
    map (Lambda), or S3's `k=v&k2=v2`."""
    if isinstance(tags, dict):
        if "TagSet" in tags:
            return _pairs(tags["TagSet"])
        return {str(k): str(v) for k, v in tags.items()}
    if isinstance(tags, str):
        return dict(parse_qsl(tags, keep_blank_values=True))
    found = {}
    for tag in tags if isinstance(tags, list) else []:
        if isinstance(tag, dict):
            key = tag.get("Key", tag.get("TagKey"))
            if isinstance(key, str):
                found[key] = str(tag.get("Value", tag.get("TagValue", "")))
    return found


TAG_PARAMETERS = ("Tags", "TagSpecifications", "Tagging", "TagKeys", "TagKeyList")
OBJECT_TAGGING = ("PutObject", "PutObjectTagging", "CopyObject", "CreateMultipartUpload")


def request_tag_keys(operation: str, params: dict) -> dict[str, list[str]]:
    """aws:RequestTag/KEY and aws:TagKeys of a call that carries tags (nothing for others)."""
    if not any(name in params for name in TAG_PARAMETERS):
        return {}
    removing = operation.startswith(("Untag", "Delete", "Remove"))
    keys: list[str] = []
    tags: dict[str, str] = {}
    for name in ("TagKeys", "TagKeyList"):
        if isinstance(params.get(name), list):
            keys += [k for k in params[name] if isinstance(k, str)]
    if "Tags" in params:
        given = _pairs(params["Tags"])
        if removing:  # ec2:DeleteTags names the keys (and perhaps values) it removes
            keys += list(given)
        else:
            tags.update(given)
    for specification in params.get("TagSpecifications") or []:
        if isinstance(specification, dict):
            tags.update(_pairs(specification.get("Tags")))
    object_tags = _pairs(params["Tagging"]) if "Tagging" in params and operation in OBJECT_TAGGING else {}
    if "Tagging" in params and operation not in OBJECT_TAGGING:
        tags.update(_pairs(params["Tagging"]))
    context = {f"aws:RequestTag/{key}": [value] for key, value in tags.items()}
    # an S3 object's tags are s3:RequestObjectTag/KEY, not aws:RequestTag ("Tagging and access
    # control policies", https://docs.aws.amazon.com/AmazonS3/latest/userguide/tagging-and-policies.html)
    context.update({f"s3:RequestObjectTag/{key}": [value] for key, value in object_tags.items()})
    keys += [k for k in tags if k not in keys]
    if keys:
        context["aws:TagKeys"] = keys
    return context


def _ec2(arn: str, parts: list[str]) -> dict[str, str]:
    from moto.ec2.models import ec2_backends

    resource_id = parts[5].split("/", 1)[-1]
    account = parts[4] or _image_owner(parts[3], resource_id)
    try:
        return dict(ec2_backends[account][parts[3]].tags.get(resource_id, {})) if account else {}
    except KeyError:
        return {}


def _image_owner(region: str, image_id: str) -> str | None:
    from moto.ec2.models import ec2_backends

    for account in list(ec2_backends.keys()):
        backend = ec2_backends[account].get(region) if hasattr(ec2_backends[account], "get") else None
        if backend is not None and image_id in getattr(backend, "amis", {}):
            return account
    return None


def _s3(arn: str, parts: list[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(the bucket's tags, the object's tags) of an S3 bucket or object ARN."""
    from moto.s3.models import s3_backends

    from .policies import bucket_owner

    bucket, _, key = parts[5].partition("/")
    owner = bucket_owner(bucket)
    if not owner:
        return {}, {}
    backend = s3_backends[owner]["aws"]
    try:
        bucket_tags = _pairs(backend.get_bucket_tagging(bucket).get("Tags", []))
        object_tags = {}
        if key:
            found = backend.get_object(bucket, key)
            if found is not None:
                object_tags = _pairs(backend.get_object_tagging(found).get("Tags", []))
        return bucket_tags, object_tags
    except Exception:  # no such bucket or key: a resource that is not there has no tags
        return {}, {}


def _kms(arn: str, parts: list[str]) -> dict[str, str]:
    from moto.kms.models import kms_backends

    try:
        return _pairs(kms_backends[parts[4]][parts[3]].list_resource_tags(arn).get("Tags", []))
    except Exception:
        return {}


def _iam(arn: str, parts: list[str]) -> dict[str, str]:
    from moto.iam.models import iam_backends

    kind, _, name = parts[5].partition("/")
    backend = iam_backends[parts[4]]["global"]
    try:
        if kind == "role":
            return _pairs(backend.list_role_tags(name.rsplit("/", 1)[-1], None)[0])
        if kind == "user":
            return _pairs(backend.list_user_tags(name.rsplit("/", 1)[-1]).get("Tags", []))
    except Exception:
        return {}
    return {}


def tags_of(arn: str) -> tuple[dict[str, str], dict[str, str]]:
    """(the resource's tags, an S3 object's own tags) of an ARN the sandbox holds."""
    parts = arn.split(":", 5)
    if len(parts) != 6 or parts[0] != "arn":
        return {}, {}
    service = parts[2]
    if service == "s3":
        return _s3(arn, parts)
    reader = {"ec2": _ec2, "kms": _kms, "iam": _iam}.get(service)
    return (reader(arn, parts), {}) if reader else ({}, {})


def lookup_for(arn: str) -> Callable[[str], list[str] | None]:
    """The request context's reader of tag keys for the resource `arn` (keys lowercased)."""
    read: list = []

    def lookup(key: str) -> list[str] | None:
        if not key.startswith(RESOURCE_TAG_PREFIXES) and not key.startswith(OBJECT_TAG_PREFIX):
            return None
        if not read:
            resource_tags, object_tags = tags_of(arn)
            read.append(({k.lower(): v for k, v in resource_tags.items()},
                         {k.lower(): v for k, v in object_tags.items()}))
        resource_tags, object_tags = read[0]
        prefix, _, tag = key.partition("/")
        value = (object_tags if key.startswith(OBJECT_TAG_PREFIX) else resource_tags).get(tag)
        return None if value is None else [value]

    return lookup
