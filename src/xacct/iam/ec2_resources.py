"""The EC2 resources of calls whose parameters hold IDs of several kinds: CreateTags and
DeleteTags name any resources by ID, and RunInstances makes an instance from an image. IAM
authorizes each resource by its ARN, and EC2's denial names the one refused ("Actions,
resources, and condition keys for Amazon EC2",
https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html)."""

from __future__ import annotations

# EC2 resource IDs begin with their type's prefix; images and snapshots' ARNs carry no account
# (the SAR's formats: arn:${Partition}:ec2:${Region}::image/${ImageId}).
ID_PREFIXES = {
    "i": "instance", "vol": "volume", "snap": "snapshot", "ami": "image", "sg": "security-group",
    "subnet": "subnet", "vpc": "vpc", "eni": "network-interface", "igw": "internet-gateway",
    "rtb": "route-table", "lt": "launch-template", "key": "key-pair", "eipalloc": "elastic-ip",
    "nat": "natgateway", "acl": "network-acl", "dopt": "dhcp-options", "pg": "placement-group",
    "vpce": "vpc-endpoint", "tgw": "transit-gateway", "cr": "capacity-reservation",
    "sir": "spot-instances-request", "fleet": "fleet", "cgw": "customer-gateway", "vgw": "vpn-gateway",
    "vpn": "vpn-connection",
}
WITHOUT_ACCOUNT = {"image", "snapshot"}


def arn_of(resource_id: str, region: str, account: str, partition: str = "aws") -> str | None:
    kind = ID_PREFIXES.get(resource_id.split("-", 1)[0]) if "-" in resource_id else None
    if kind is None:
        return None
    owner = "" if kind in WITHOUT_ACCOUNT else account
    return f"arn:{partition}:ec2:{region}:{owner}:{kind}/{resource_id}"


def tagged(action: str):
    """A builder of CreateTags' or DeleteTags' Authorizations: one per resource ID it names."""

    def build(params: dict, region: str, account: str, partition: str) -> list:
        from .actions import Authorization

        ids = params.get("Resources") or []
        arns = [arn_of(i, region, account, partition) for i in ids if isinstance(i, str)]
        return [Authorization(action, arn, account) for arn in arns if arn] or [Authorization(action, "*", None)]

    return build


def run_instances(params: dict, region: str, account: str, partition: str) -> list:
    """RunInstances: the new instance (instance/*, as EC2's denial names it) and the image."""
    from .actions import Authorization

    found = [Authorization("ec2:RunInstances", f"arn:{partition}:ec2:{region}:{account}:instance/*", account)]
    image = params.get("ImageId")
    if isinstance(image, str) and image:
        found.append(Authorization("ec2:RunInstances", f"arn:{partition}:ec2:{region}::image/{image}", None))
    return found
