"""resource-groups ListGroupResources, which moto does not implement ("Not yet implemented"):
the group's tag query is run through tag:GetResources in the caller's account. As in AWS the caller
needs both resource-groups:ListGroupResources (checked by the gate before this) and
tag:GetResources ("ListGroupResources", AWS Resource Groups API Reference: minimum permissions)."""

from __future__ import annotations

import json


class GroupNotFound(Exception):
    pass


def _type_filter(resource_type: str) -> str | None:
    """AWS::EC2::Instance as GetResources takes it (ec2:instance); AllSupported is no filter."""
    parts = resource_type.split("::")
    if resource_type == "AWS::AllSupported" or len(parts) != 3:
        return None
    return f"{parts[1].lower()}:{parts[2].lower()}"


def list_group_resources(gate, params: dict, access_key_id: str, region: str) -> dict:
    from moto.resourcegroups.models import resourcegroups_backends

    from .gate import AccessRefused

    holder = gate.principals.resolve(access_key_id)
    account = holder.account
    groups = resourcegroups_backends[account][region].groups
    name = params.get("Group") or params.get("GroupName") or ""
    if name not in groups:
        raise AccessRefused("NotFoundException", f"Cannot find group {name}.", status=404)
    query = groups[name].resource_query
    if query.get("Type") != "TAG_FILTERS_1_0":
        raise AccessRefused("BadRequestException", "xacct's sandbox lists the resources of tag-based groups "
                                                   f"(TAG_FILTERS_1_0) only, not {query.get('Type')}.", status=400)
    gate.check("resourcegroupstaggingapi", "GetResources", {}, region, access_key_id)
    body = json.loads(query["Query"])
    types = [t for t in (_type_filter(t) for t in body.get("ResourceTypeFilters") or []) if t]
    tagging = gate.cloud.client("resourcegroupstaggingapi", region, gate.cloud.operator(account))
    args = {"TagFilters": body.get("TagFilters") or []}
    if types:
        args["ResourceTypeFilters"] = types
    found, token = [], ""
    while True:
        page = tagging.get_resources(PaginationToken=token, **args)
        found += page.get("ResourceTagMappingList", [])
        token = page.get("PaginationToken") or ""
        if not token:
            break
    identifiers = [{"ResourceArn": r["ResourceARN"], "ResourceType": _cfn_type(r["ResourceARN"])} for r in found]
    return {"ResourceIdentifiers": identifiers,
            "Resources": [{"Identifier": identifier} for identifier in identifiers]}


def _cfn_type(arn: str) -> str:
    """arn:aws:ec2:r:a:instance/i-1 -> AWS::EC2::Instance (the common case; a best effort)."""
    parts = arn.split(":", 5)
    service = parts[2].upper() if len(parts) > 2 else ""
    kind = parts[5].split("/")[0].split(":")[0] if len(parts) > 5 else ""
    return f"AWS::{service}::{kind[:1].upper()}{kind[1:]}"
