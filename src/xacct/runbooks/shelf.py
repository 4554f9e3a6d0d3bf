"""The local catalogue on disk: AWS-owned documents pulled from AWS, one folder per Region, one
per document, a file per version with its metadata beside it:

    ~/.local/share/xacct/runbooks/us-east-1/AWS-RestartEC2Instance/12.json
    ~/.local/share/xacct/runbooks/us-east-1/AWS-RestartEC2Instance/12.metadata.json

(under $XDG_DATA_HOME when it is set). The metadata is written last and each file is written
whole (to a temporary name, then renamed), so a version is stored once its metadata is there,
and a pull that was stopped halfway leaves nothing half written."""

from __future__ import annotations

import datetime
import json
import os
import tempfile
from urllib.parse import quote

from .folder import METADATA, Loaded, load_folder

SOURCE = "pulled"


def catalogue_home() -> str:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return os.path.join(base, "xacct", "runbooks")


class Shelf:
    def __init__(self, root: str | None = None) -> None:
        self.root = root or catalogue_home()

    def _stem(self, region: str, name: str, version: str) -> str:
        # names may hold ':' and '/' (SSM's pattern): quoted into one folder name
        return os.path.join(self.root, region, quote(name, safe=""), quote(version, safe=""))

    def has(self, region: str, name: str, version: str) -> bool:
        return os.path.exists(self._stem(region, name, version) + METADATA)

    def save(self, region: str, name: str, version: str, fmt: str, text: str, metadata: dict) -> None:
        stem = self._stem(region, name, version)
        os.makedirs(os.path.dirname(stem), exist_ok=True)
        _write_whole(stem + (".json" if fmt == "JSON" else ".yaml"), text)
        record = {**metadata, "Name": name, "DocumentVersion": version, "DocumentFormat": fmt}
        _write_whole(stem + METADATA, json.dumps(record, indent=2, default=_json_value, ensure_ascii=False))

    def regions(self) -> list[str]:
        if not os.path.isdir(self.root):
            return []
        return sorted(d for d in os.listdir(self.root) if os.path.isdir(os.path.join(self.root, d)))

    def load(self) -> Loaded:
        """Every stored version, each in its Region. A document file without its metadata (a
        pull stopped between the two) is not stored yet and not read."""
        loaded = Loaded()
        for region in self.regions():
            found = load_folder(os.path.join(self.root, region), source=SOURCE, region=region)
            for entry in found.entries:
                if entry.metadata:
                    loaded.entries.append(entry)
            loaded.skipped += found.skipped
        return loaded


def _write_whole(path: str, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".partial-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _json_value(value):
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    return str(value)
