"""Finding the runbook to run: a file, an AWS-owned runbook (xacct's own, or one of the active
runbooks registry: a folder given with --runbooks, the pulled catalogue), or a document in the
account."""

from __future__ import annotations

import os
from dataclasses import dataclass

from ..cloud import Cloud
from ..credentials import Credentials
from ..document.loader import Source, load_file, load_text
from ..document.model import Document, build_document
from .errors import ExecutionRejected

NOT_FOUND = "AutomationDefinitionNotFoundException"


@dataclass
class Runbook:
    document: Document
    name: str
    folder: str | None = None  # where attachments of a runbook read from a file are looked for


def _only(sources: list[Source], where: str) -> Source:
    if not sources:
        raise ExecutionRejected("InvalidDocument", f"{where} holds no Automation runbook.")
    if len(sources) > 1:
        names = ", ".join(s.name or "?" for s in sources)
        raise ExecutionRejected("InvalidDocument", f"{where} holds several runbooks ({names}); name one with FILE#LogicalId.")
    return sources[0]


def from_file(path: str) -> Runbook:
    file_path, _, logical_id = path.partition("#")
    loaded = load_file(file_path)
    sources = [s for s in loaded.documents if not logical_id or s.name == logical_id]
    source = _only(sources, file_path)
    name = source.name or os.path.splitext(os.path.basename(file_path))[0]
    if source.template is not None:  # the Name property of the resource, when it is literal
        props = source.template["Resources"][source.name].get("Properties", {})
        name = props["Name"] if isinstance(props.get("Name"), str) else name
    return Runbook(build_document(source), name, os.path.dirname(os.path.abspath(file_path)))


def by_name(name: str, cloud: Cloud, credentials: Credentials, region: str, version: str | None = None) -> Runbook:
    """An AWS-owned runbook, or one the account owns or has been shared (name or ARN)."""
    owned = cloud.owned_document(name, region, version)
    if owned is not None:
        return Runbook(owned, name)
    from botocore.exceptions import ClientError

    try:
        response = cloud.read_document(name, version, credentials, region)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code == "InvalidDocumentVersion":
            raise ExecutionRejected("AutomationDefinitionVersionNotFoundException",
                                    f"Document {name} has no version {version}.") from None
        if code == "InvalidDocument":
            raise ExecutionRejected(NOT_FOUND, f"Document {name} does not exist.") from None
        raise
    if response.get("DocumentType") not in (None, "Automation"):
        raise ExecutionRejected("InvalidDocumentType", f"Document {name} is a {response['DocumentType']} document, "
                                                       "not an Automation runbook.")
    content = response["Content"]
    if not isinstance(content, str):  # moto hands back a template's Content map as it was given
        import json

        content = json.dumps(content)
    loaded = load_text(f"ssm:{name}", content)
    return Runbook(build_document(_only(loaded.documents, name)), response.get("Name", name))


def find_runbook(ref: str, cloud: Cloud, credentials: Credentials, region: str) -> Runbook:
    if os.path.exists(ref.partition("#")[0]):
        return from_file(ref)
    return by_name(ref, cloud, credentials, region)
