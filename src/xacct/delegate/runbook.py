"""A runbook given as a file, made an SSM document so that SSM can run it: created under the
name `xacct run` shows (CreateDocument), or, when a document of that name holds other content,
updated to a new version that becomes the default (UpdateDocument, UpdateDocumentDefaultVersion),
so that the children in other accounts, which read the default version, run the same content.
Shared with the target accounts only when the user asks (`--share`): ModifyDocumentPermission
takes at most 20 accounts a call (API_ModifyDocumentPermission, AccountIdsToAdd: "Maximum number
of 20 items"), https://docs.aws.amazon.com/systems-manager/latest/APIReference/API_ModifyDocumentPermission.html
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass

SHARE_BATCH = 20


@dataclass
class Published:
    name: str
    version: str
    change: str  # "created", "updated" or "unchanged", for the line the user reads


def publish(path: str, name: str, ssm) -> Published:
    """Make the runbook in the file at `path` the document `name` of the caller's account."""
    from botocore.exceptions import ClientError

    content, form = _content(path)
    try:
        current = ssm.get_document(Name=name, DocumentVersion="$LATEST", DocumentFormat=form)
    except ClientError as error:
        if error.response["Error"]["Code"] != "InvalidDocument":
            raise
        made = ssm.create_document(Name=name, Content=content, DocumentType="Automation", DocumentFormat=form)
        return Published(name, made["DocumentDescription"].get("DocumentVersion", "1"), "created")
    if _same(current.get("Content"), content, form):
        return Published(name, current.get("DocumentVersion", "$LATEST"), "unchanged")
    made = ssm.update_document(Name=name, Content=content, DocumentVersion="$LATEST", DocumentFormat=form)
    version = made["DocumentDescription"]["DocumentVersion"]
    ssm.update_document_default_version(Name=name, DocumentVersion=version)
    return Published(name, version, "updated")


def share(name: str, accounts: list[str], ssm) -> None:
    for start in range(0, len(accounts), SHARE_BATCH):
        ssm.modify_document_permission(Name=name, PermissionType="Share",
                                       AccountIdsToAdd=accounts[start:start + SHARE_BATCH])


def _content(path: str) -> tuple[str, str]:
    """The document's content as SSM takes it: a runbook file as written (YAML or JSON); the
    document inside a CloudFormation template as JSON."""
    from ..document.loader import load_file

    file_path, _, logical_id = path.partition("#")
    sources = [s for s in load_file(file_path).documents if not logical_id or s.name == logical_id]
    source = sources[0]
    if source.template is None:
        with open(file_path, encoding="utf-8") as handle:
            text = handle.read()
        return text, "JSON" if os.path.splitext(file_path)[1].lower() == ".json" else "YAML"
    return json.dumps(source.content, default=str), "JSON"


def _same(existing, content: str, form: str) -> bool:
    import yaml

    def parsed(text):
        if not isinstance(text, str):
            return json.loads(json.dumps(text, default=str))
        try:
            value = json.loads(text) if form == "JSON" else yaml.safe_load(text)
        except (ValueError, yaml.YAMLError):
            return text
        return json.loads(json.dumps(value, default=str))

    return parsed(existing) == parsed(content)
