"""xacct's own versions of AWS-owned runbooks, available in every sandbox account without a
share, as AWS-owned documents are. Same names, parameters and outputs as AWS's runbooks (from
the "AWS Systems Manager Automation runbook reference"); the steps are xacct's."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from importlib import resources

import yaml

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
    """GetDocument / DescribeDocument of an AWS-owned runbook, answered as SSM answers them, in
    process and over HTTP; None for any other document. GetDocument gives the content in the
    DocumentFormat asked for (JSON or YAML), the stored one (YAML) otherwise."""
    raw = str(params.get("Name", ""))
    name = raw.rsplit("/", 1)[-1] if raw.startswith("arn:") else raw
    if name not in AUTOMATION + COMMAND:
        return None
    identity = owned_identifier(name)
    if operation == "GetDocument":
        wanted = params.get("DocumentFormat") if params.get("DocumentFormat") in ("JSON", "YAML") else "YAML"
        return {"Name": name, "DocumentVersion": "1", "Status": "Active", "Content": _content(name, wanted),
                "DocumentType": identity["DocumentType"], "DocumentFormat": wanted}
    return {"Document": {**identity, "LatestVersion": "1", "DefaultVersion": "1", "Status": "Active",
                         "Hash": hashlib.sha256(_text(name).encode()).hexdigest(), "HashType": "Sha256"}}


def owned_identifier(name: str) -> dict:
    """The runbook as ListDocuments lists it (a DocumentIdentifier): owned by Amazon."""
    kind = "Automation" if name in AUTOMATION else "Command"
    return {"Name": name, "Owner": "Amazon", "DocumentVersion": "1", "DocumentType": kind, "DocumentFormat": "YAML",
            "SchemaVersion": str(_parsed(name).get("schemaVersion", "0.3" if kind == "Automation" else "2.2")),
            "PlatformTypes": ["Windows", "Linux", "MacOS"] if kind == "Automation" else ["Linux", "MacOS"]}


def owned_identifiers() -> list[dict]:
    return [owned_identifier(name) for name in sorted(AUTOMATION + COMMAND)]


def _parsed(name: str) -> dict:
    return yaml.safe_load(_text(name)) or {}


def _content(name: str, wanted: str) -> str:
    """The content in the format asked for: stored as YAML, written as JSON by json from the
    parsed YAML (as SSM converts a document between its formats)."""
    if wanted == "JSON":
        return json.dumps(_parsed(name), indent=2, ensure_ascii=False)
    return _text(name)
