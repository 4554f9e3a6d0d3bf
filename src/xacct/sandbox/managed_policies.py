"""AWS managed policies (AmazonSSMAutomationRole, ...) in sandbox accounts, made the moment an
account refers to one. moto can load all of them into every account, but that costs about 0.4 s
per account; a sandbox of hundreds of accounts refers to a handful."""

from __future__ import annotations

import json
import threading
from functools import lru_cache

_lock = threading.Lock()


@lru_cache(maxsize=1)
def catalogue() -> dict:
    from moto.iam.models import aws_managed_policies_data

    return json.loads(aws_managed_policies_data)


def is_aws_managed(arn: str) -> bool:
    return isinstance(arn, str) and arn.startswith("arn:aws:iam::aws:policy/")


def ensure(account: str, arn: str) -> bool:
    """Make the AWS managed policy `arn` exist in `account`; False when AWS has no such policy."""
    if not is_aws_managed(arn):
        return False
    from moto.iam.models import AWSManagedPolicy, iam_backends

    backend = iam_backends[account]["global"]
    with _lock:
        if arn in backend.managed_policies:
            return True
        name = arn.rsplit("/", 1)[-1]
        data = catalogue().get(name)
        if data is None:
            return False
        policy = AWSManagedPolicy.from_data(name, account, backend.region_name, data)
        backend.managed_policies[policy.arn] = policy
        return True
