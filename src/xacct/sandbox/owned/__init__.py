"""xacct's own versions of AWS-owned runbooks, available in every sandbox account without a
share, as AWS-owned documents are. Same names, parameters and outputs as AWS's runbooks (from
the "AWS Systems Manager Automation runbook reference"); the steps are xacct's."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ...document.loader import load_text
from ...document.model import Document, build_document

AUTOMATION = (
    "AWS-CreateImage",
    "AWS-CreateSnapshot",
    "AWS-EnableS3BucketEncryption",
    "AWS-RestartEC2Instance",
    "AWS-StartEC2Instance",
    "AWS-StopEC2Instance",
)
COMMAND = ("AWS-RunShellScript",)


def _text(name: str) -> str:
    return (resources.files(__name__) / f"{name}.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def owned_document(name: str) -> Document | None:
    """An AWS-owned Automation runbook by name (or by its ARN), or None."""
    name = name.rsplit("/", 1)[-1] if name.startswith("arn:") else name
    if name not in AUTOMATION:
        return None
    [source] = load_text(f"{name}.yaml", _text(name)).documents
    return build_document(source)


def owned_command_document(name: str) -> str | None:
    """The content of an AWS-owned Command document, for aws:runCommand."""
    return _text(name) if name in COMMAND else None
