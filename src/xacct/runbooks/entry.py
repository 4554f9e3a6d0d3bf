"""One AWS-owned SSM document at one version, as the sandbox serves it: its content as written
(JSON or YAML), and the metadata SSM answers about it (ListDocuments' DocumentIdentifier,
DescribeDocument's DocumentDescription, ListDocumentVersions' DocumentVersionInfo).

Metadata pulled from AWS is kept as AWS gave it; a document read from a folder gets what can be
read from its content (schemaVersion, description, parameters), with version 1."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import yaml

# The shapes' members, from botocore's SSM model: only these are answered.
IDENTIFIER_KEYS = ("Name", "CreatedDate", "DisplayName", "Owner", "VersionName", "PlatformTypes", "DocumentVersion",
                   "DocumentType", "SchemaVersion", "DocumentFormat", "TargetType", "Tags", "Requires",
                   "ReviewStatus", "Author")
DESCRIPTION_KEYS = ("Sha1", "Hash", "HashType", "Name", "DisplayName", "VersionName", "Owner", "CreatedDate",
                    "Status", "StatusInformation", "DocumentVersion", "Description", "Parameters", "PlatformTypes",
                    "DocumentType", "SchemaVersion", "LatestVersion", "DefaultVersion", "DocumentFormat",
                    "TargetType", "Tags", "AttachmentsInformation", "Requires", "Author", "ReviewInformation",
                    "ApprovedVersion", "PendingReviewVersion", "ReviewStatus", "Category", "CategoryEnum")
VERSION_KEYS = ("Name", "DisplayName", "DocumentVersion", "VersionName", "CreatedDate", "IsDefaultVersion",
                "DocumentFormat", "Status", "StatusInformation", "ReviewStatus")
TIMESTAMPS = ("CreatedDate",)
# Automation documents are schema 0.3; Command documents 1.2, 2.0 and 2.2 ("SSM document schema
# features and examples", https://docs.aws.amazon.com/systems-manager/latest/userguide/document-schemas-features.html)
KIND_OF_SCHEMA = {"0.3": "Automation", "1.2": "Command", "2.0": "Command", "2.2": "Command"}
PLATFORMS = {"Automation": ["Windows", "Linux", "MacOS"], "Command": ["Windows", "Linux", "MacOS"]}
EPOCH = datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc)  # documents read from a folder


def parse_content(text: str, fmt: str) -> Any:
    """The content as data; the C YAML parser when present (ten times the pure one)."""
    if fmt == "JSON":
        return json.loads(text)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # noqa: S506 (a safe loader)


def document_kind(content: Any) -> str | None:
    """Automation or Command, from the content's schemaVersion; None for anything else."""
    if not isinstance(content, dict):
        return None
    return KIND_OF_SCHEMA.get(str(content.get("schemaVersion", "")))


@dataclass
class Entry:
    name: str
    version: str
    fmt: str  # JSON or YAML: the format it is written in
    text: str
    source: str  # where it comes from: "xacct", "pulled", or the folder it was read from
    region: str | None = None  # the Region it was pulled from; None: every Region
    metadata: dict = field(default_factory=dict)  # DescribeDocument's Document, as AWS gave it
    path: str | None = None  # the file it was read from

    @cached_property
    def content(self) -> Any:
        return parse_content(self.text, self.fmt)

    @property
    def kind(self) -> str:
        return str(self.metadata.get("DocumentType") or document_kind(self.content) or "Automation")

    def _base(self) -> dict:
        content = self.content if isinstance(self.content, dict) else {}
        made = {"Name": self.name, "Owner": "Amazon", "DocumentVersion": self.version, "DocumentType": self.kind,
                "DocumentFormat": self.fmt, "SchemaVersion": str(content.get("schemaVersion", "")),
                "PlatformTypes": PLATFORMS.get(self.kind, []), "Status": "Active", "CreatedDate": EPOCH,
                "Description": str(content.get("description", "")), "Parameters": _parameters(content),
                "Hash": hashlib.sha256(self.text.encode()).hexdigest(), "HashType": "Sha256", "Tags": []}
        given = {k: _timestamp(k, v) for k, v in self.metadata.items()}
        # the metadata's version and format describe what AWS holds; this entry is what was stored
        given.update(Name=self.name, DocumentVersion=self.version, DocumentFormat=self.fmt, Owner="Amazon")
        return {**made, **given}

    def identifier(self) -> dict:
        """As ListDocuments lists it."""
        base = self._base()
        return {k: base[k] for k in IDENTIFIER_KEYS if k in base}

    def description(self, default: str, latest: str) -> dict:
        """As DescribeDocument describes it, with the name's default and latest versions."""
        base = {**self._base(), "DefaultVersion": default, "LatestVersion": latest}
        return {k: base[k] for k in DESCRIPTION_KEYS if k in base}

    def version_info(self, default: str) -> dict:
        base = {**self._base(), "IsDefaultVersion": self.version == default}
        return {k: base[k] for k in VERSION_KEYS if k in base}

    def get(self, wanted: str | None) -> dict:
        """As GetDocument answers it, in the format asked for (the one it is written in when
        none is): the text as written, or converted as SSM converts between its formats."""
        fmt = wanted if wanted in ("JSON", "YAML") else self.fmt
        base = self._base()
        answer = {k: base[k] for k in ("Name", "CreatedDate", "DisplayName", "VersionName", "DocumentVersion",
                                         "Status", "DocumentType") if k in base}
        return {**answer, "Content": self.text_in(fmt), "DocumentFormat": fmt}

    def text_in(self, fmt: str) -> str:
        if fmt == self.fmt:
            return self.text
        if fmt == "JSON":
            return json.dumps(self.content, indent=2, ensure_ascii=False, default=str)
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)  # the C emitter: a tenth of the time
        return yaml.dump(self.content, Dumper=dumper, sort_keys=False, allow_unicode=True)

    @cached_property
    def document(self):
        """xacct's model of the runbook, for the engine (built once, when first run)."""
        from ..document.loader import load_text
        from ..document.model import build_document

        suffix = ".json" if self.fmt == "JSON" else ".yaml"
        loaded = load_text(self.path or f"{self.name}{suffix}", self.text)
        if len(loaded.documents) != 1:
            return None
        return build_document(loaded.documents[0])


def _parameters(content: dict) -> list[dict]:
    """DescribeDocument's Parameters (Name, Type, Description, DefaultValue) from the content."""
    found = []
    for name, spec in (content.get("parameters") or {}).items() if isinstance(content.get("parameters"), dict) else ():
        spec = spec if isinstance(spec, dict) else {}
        item = {"Name": str(name), "Type": str(spec.get("type", "String")),
                "Description": str(spec.get("description", ""))}
        if "default" in spec:
            default = spec["default"]
            item["DefaultValue"] = default if isinstance(default, str) else json.dumps(default, default=str)
        found.append(item)
    return found


def _timestamp(key: str, value: Any) -> Any:
    if key in TIMESTAMPS and isinstance(value, str):
        try:
            return datetime.datetime.fromisoformat(value)
        except ValueError:
            return EPOCH
    return value


def version_order(version: str) -> tuple:
    """Versions compare as numbers (10 after 9)."""
    return (0, int(version)) if version.isdigit() else (1, version)
