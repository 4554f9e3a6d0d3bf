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


def serve_owned(operation: str, params: dict) -> dict | None:
    """GetDocument / DescribeDocument of an AWS-owned runbook, answered as SSM answers them, for
    clients that reach the sandbox over HTTP (an `xacct run --profile` against `xacct sandbox
    serve`, the AWS CLI); None for any other document."""
    raw = str(params.get("Name", ""))
    name = raw.rsplit("/", 1)[-1] if raw.startswith("arn:") else raw
    if name not in AUTOMATION + COMMAND:
        return None
    kind = "Automation" if name in AUTOMATION else "Command"
    schema = "0.3" if kind == "Automation" else "2.2"
    if operation == "GetDocument":
        return {"Name": name, "DocumentVersion": "1", "Status": "Active", "Content": _text(name),
                "DocumentType": kind, "DocumentFormat": "YAML"}
    return {"Document": {"Name": name, "Owner": "Amazon", "DocumentVersion": "1", "LatestVersion": "1",
                         "DefaultVersion": "1", "Status": "Active", "DocumentType": kind, "DocumentFormat": "YAML",
                         "SchemaVersion": schema, "PlatformTypes": ["Windows", "Linux", "MacOS"]}}
