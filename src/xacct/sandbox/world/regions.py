"""The Regions a world may use: those of the aws partition in botocore's endpoints data.

The sandbox is one partition: its accounts, users and ARNs are `arn:aws:...`, so a Region of
another partition (cn-north-1, us-gov-west-1) would have none of the world's credentials."""

from __future__ import annotations

import difflib
from functools import lru_cache

PARTITION = "aws"


@lru_cache(maxsize=1)
def _partitions() -> dict[str, frozenset[str]]:
    from botocore.loaders import create_loader

    endpoints = create_loader().load_data("endpoints")
    return {p["partition"]: frozenset(p.get("regions") or ()) for p in endpoints["partitions"]}


def known_regions() -> frozenset[str]:
    return _partitions()[PARTITION]


def region_problem(region) -> str | None:
    """Why `region` cannot hold a world's resources, as a clause after the value, or None."""
    if not isinstance(region, str):
        return "is not a Region: a name such as us-east-1"
    if region in known_regions():
        return None
    for partition, regions in _partitions().items():
        if region in regions:
            return f"is a Region of the {partition} partition; the sandbox has the {PARTITION} partition only"
    close = difflib.get_close_matches(region.strip().lower(), sorted(known_regions()), n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"is not a Region of the {PARTITION} partition in botocore's endpoints data{hint}"
