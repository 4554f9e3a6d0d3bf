"""Failures grouped by cause: what differs from target to target in AWS's text or xacct's
explanation (account IDs, Regions, execution IDs, resource IDs) is replaced by a placeholder, so
that the same cause in 500 targets is one group with one fix."""

from __future__ import annotations

import re

# order matters: an ARN's account and Region are replaced inside it
PLACEHOLDERS = [
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"), "{id}"),
    (re.compile(r"(?<!\d)\d{12}(?!\d)"), "{account}"),
    (re.compile(r"\b(?:[a-z]{2}(?:-gov|-iso[a-z]?)?)-(?:north|south|east|west|central|northeast|northwest|"
                r"southeast|southwest)-\d\b"), "{region}"),
    (re.compile(r"\b(?:i|ami|snap|vol|sg|subnet|vpc|eni)-[0-9a-f]{8,17}\b"), "{resource-id}"),
]


def general(text: str | None) -> str:
    """`text` with its target-specific parts replaced by placeholders."""
    text = text or ""
    for pattern, placeholder in PLACEHOLDERS:
        text = pattern.sub(placeholder, text)
    return text
