"""AMIs the run launches in a target account (placeholder until the AMI share planner lands)."""

from __future__ import annotations

from typing import Iterator

from .checkup import Checkup
from .findings import Finding


def launchable(checkup: Checkup, account: str, region: str) -> Iterator[Finding]:
    return iter(())
