"""Resolve the `Service` and `Api` of API-calling steps against botocore's service models.

Runbooks name the service by its boto3 client name (`ec2`, `securityhub`) and the operation in
any of the casings people use: `ModifyImageAttribute`, `modify_image_attribute`,
`modifyImageAttribute` or `modify-image-attribute`. botocore is imported only when a model is
needed, so commands that never look at an API stay fast.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=1)
def botocore_session():
    import botocore.session

    return botocore.session.get_session()


@lru_cache(maxsize=1)
def service_names() -> frozenset[str]:
    return frozenset(botocore_session().get_available_services())


@lru_cache(maxsize=None)
def service_model(service: str):
    """The botocore ServiceModel of a boto3 client name, or None if there is no such service."""
    if service not in service_names():
        return None
    return botocore_session().get_service_model(service)


def _squash(name: str) -> str:
    return name.replace("-", "").replace("_", "").lower()


@lru_cache(maxsize=None)
def _operations_by_squashed_name(service: str) -> dict[str, str]:
    model = service_model(service)
    return {_squash(name): name for name in model.operation_names} if model else {}


def operation_name(service: str, api: str) -> str | None:
    """The operation name as the model spells it (PascalCase), or None."""
    return _operations_by_squashed_name(service).get(_squash(api))


def operation_model(service: str, api: str):
    name = operation_name(service, api)
    return service_model(service).operation_model(name) if name else None


def close_service(service: str) -> str | None:
    """A known service name that differs from `service` only in case, if any."""
    lowered = service.lower()
    for name in service_names():
        if name.lower() == lowered:
            return name
    return None


def shape_kind(shape: Any) -> str:
    """The SSM value type that fits a botocore shape: String, Integer, Boolean, StringList,
    StringMap or MapList (structures are maps)."""
    kind = shape.type_name
    if kind in ("string", "timestamp", "blob"):
        return "String"
    if kind in ("integer", "long", "float", "double"):
        return "Integer"
    if kind == "boolean":
        return "Boolean"
    if kind == "list":
        return "MapList" if shape.member.type_name in ("structure", "map") else "StringList"
    return "StringMap"
