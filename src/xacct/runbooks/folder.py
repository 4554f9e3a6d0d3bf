"""Reading a folder of SSM documents (a checkout of a public collection, a pulled catalogue) as
AWS-owned ones: every .json, .yaml and .yml file below it whose content is an SSM document.

The name is the file's name without its extension, unless a metadata file beside it
(`NAME.metadata.json`, DescribeDocument's Document as `xacct runbooks pull` writes it) names it
and gives its version. Files that are not documents are skipped, each with the reason."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field

from .entry import Entry, document_kind, parse_content

EXTENSIONS = {".json": "JSON", ".yaml": "YAML", ".yml": "YAML"}
METADATA = ".metadata.json"
# SSM's document names (CreateDocument's Name pattern in botocore's model)
NAME = re.compile(r"[a-zA-Z0-9_\-.:/]{3,128}")
LARGEST = 2 * 1024 * 1024  # as `xacct validate`, a file over 2 MB is read as no document


@dataclass
class Loaded:
    entries: list[Entry] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, why)


class FolderError(Exception):
    """The folder itself cannot be read."""


def load_folder(folder: str, *, source: str | None = None, region: str | None = None) -> Loaded:
    if not os.path.isdir(folder):
        raise FolderError(f"{folder}: not a folder" if os.path.exists(folder) else f"{folder}: no such folder")
    loaded = Loaded()
    seen: dict[tuple[str, str], str] = {}
    for path in _files(folder):
        entry = _read(path, source or folder, region, loaded)
        if entry is None:
            continue
        key = (entry.name, entry.version)
        if key in seen:
            loaded.skipped.append((path, f"{entry.name} version {entry.version} is already read from {seen[key]}"))
            continue
        seen[key] = path
        loaded.entries.append(entry)
    return loaded


def _files(folder: str):
    for top, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name.endswith(METADATA) or name.startswith("."):
                continue
            if os.path.splitext(name)[1].lower() in EXTENSIONS:
                yield os.path.join(top, name)


def _read(path: str, source: str, region: str | None, loaded: Loaded) -> Entry | None:
    stem, extension = os.path.splitext(path)
    fmt = EXTENSIONS[extension.lower()]
    try:
        if os.path.getsize(path) > LARGEST:
            loaded.skipped.append((path, "larger than 2 MB"))
            return None
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        loaded.skipped.append((path, f"cannot be read: {getattr(exc, 'strerror', None) or exc}"))
        return None
    metadata = _metadata(stem + METADATA, loaded)
    if metadata is None:
        return None
    try:
        content = parse_content(text, fmt)
    except Exception as exc:  # yaml's and json's errors say where
        where = " ".join(str(exc).split())
        loaded.skipped.append((path, f"not {fmt}: {where}"))
        return None
    if document_kind(content) is None and not metadata.get("DocumentType"):
        loaded.skipped.append((path, "not an SSM document (no schemaVersion 0.3, 1.2, 2.0 or 2.2)"))
        return None
    name = str(metadata.get("Name") or os.path.basename(stem))
    if not NAME.fullmatch(name):
        loaded.skipped.append((path, f"{name!r} is not a document name (3 to 128 of a-z A-Z 0-9 _ - . : /)"))
        return None
    entry = Entry(name, str(metadata.get("DocumentVersion") or "1"), fmt, text, source, region, metadata, path)
    entry.__dict__["content"] = content  # parsed once
    return entry


def _metadata(path: str, loaded: Loaded) -> dict | None:
    """The metadata beside a document ({} when there is none); None when it is unreadable."""
    if not os.path.exists(path):
        return {}
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError) as exc:
        loaded.skipped.append((path, f"unreadable metadata: {' '.join(str(exc).split())}"))
        return None
    if not isinstance(data, dict):
        loaded.skipped.append((path, "unreadable metadata: not a JSON object"))
        return None
    return data
