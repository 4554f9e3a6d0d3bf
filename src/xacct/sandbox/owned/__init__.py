"""AWS-owned documents in the sandbox: available in every account without a share, as AWS's
are, and answered as SSM answers them (ListDocuments, DescribeDocument, GetDocument,
ListDocumentVersions), in process and over HTTP.

They come from the active registry (xacct.runbooks: folders given with --runbooks, the catalogue
pulled from AWS) and, for names it lacks, from xacct's own versions here. Those have the same
names, parameters and outputs as AWS's runbooks (from the "AWS Systems Manager Automation
runbook reference"); the steps are xacct's."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from ...document.model import Document

AUTOMATION = (
    "AWS-CreateImage",
    "AWS-CreateSnapshot",
    "AWS-EnableS3BucketEncryption",
    "AWS-RestartEC2Instance",
    "AWS-StartEC2Instance",
    "AWS-StopEC2Instance",
)
COMMAND = ("AWS-RunShellScript",)
NOT_FOUND = ("InvalidDocument", "The specified document does not exist.")
NO_VERSION = ("InvalidDocumentVersion", "The document version is not valid or does not exist.")
INVALID_TOKEN = ("InvalidNextToken", "The specified token isn't valid.")
SERVED = ("GetDocument", "DescribeDocument", "ListDocumentVersions")


def _text(name: str) -> str:
    return (resources.files(__name__) / f"{name}.yaml").read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def default_entries() -> tuple:
    """xacct's own runbooks as registry entries, at version 1, in every Region."""
    from ...runbooks.entry import Entry

    platforms = {"Automation": ["Windows", "Linux", "MacOS"], "Command": ["Linux", "MacOS"]}
    return tuple(Entry(name, "1", "YAML", _text(name), "xacct",
                       metadata={"DocumentType": kind, "PlatformTypes": platforms[kind]})
                 for kind, names in (("Automation", AUTOMATION), ("Command", COMMAND)) for name in names)


def _registry():
    from ...runbooks import active

    return active()


def _bare(name: str) -> str:
    return name.rsplit("/", 1)[-1] if name.startswith("arn:") else name


def owned_document(name: str, region: str | None = None, version: str | None = None) -> Document | None:
    """An AWS-owned Automation runbook by name (or by its ARN), or None."""
    entry = _registry().find(_bare(name), region, version)
    if entry is None or entry.kind != "Automation":
        return None
    return entry.document


def owned_command_document(name: str) -> str | None:
    """The content of an AWS-owned Command document, for aws:runCommand."""
    entry = _registry().find(_bare(name))
    return entry.text_in("YAML") if entry is not None and entry.kind == "Command" else None


def serve_owned(operation: str, params: dict, region: str | None = None) -> tuple[dict | None, tuple | None] | None:
    """GetDocument, DescribeDocument or ListDocumentVersions of an AWS-owned document:
    (answer, None) or (None, (code, message)); None for a name that is not AWS's."""
    if operation not in SERVED:
        return None
    name = _bare(str(params.get("Name", "")))
    registry = _registry()
    versions = registry.versions(name, region)
    if not versions:
        return None
    from ...runbooks import default_version

    default, latest = default_version(versions), versions[-1].version
    if operation == "ListDocumentVersions":
        return _page([e.version_info(default) for e in reversed(versions)], params, "DocumentVersions", 50)
    entry = registry.find(name, region, str(params["DocumentVersion"]) if params.get("DocumentVersion") else None)
    if entry is None:
        return None, NO_VERSION
    if operation == "GetDocument":
        return entry.get(params.get("DocumentFormat")), None
    return {"Document": entry.description(default, latest)}, None


def owned_identifiers(region: str | None = None) -> list[dict]:
    """Every AWS-owned document as ListDocuments lists it (a DocumentIdentifier), at its default
    version."""
    registry = _registry()
    return [registry.find(name, region).identifier() for name in registry.names(region)]


def _page(items: list[dict], params: dict, key: str, size: int) -> tuple[dict | None, tuple | None]:
    from ..document_list import page_size_error

    size_error = page_size_error(params.get("MaxResults"))
    if size_error:
        return None, ("ValidationException", size_error)
    token = str(params.get("NextToken") or "0")
    if not token.isdigit() or int(token) > len(items):
        return None, INVALID_TOKEN
    start, size = int(token), int(params.get("MaxResults") or size)
    answer: dict = {key: items[start:start + size]}
    if start + size < len(items):
        answer["NextToken"] = str(start + size)
    return answer, None
