"""The AWS-owned documents a sandbox serves, in this process: the folders given with --runbooks
(or XACCT_RUNBOOKS), the catalogue pulled from AWS, and xacct's own seven runbooks. Where they
share a name, a folder wins over the catalogue, and the catalogue over xacct's runbooks: xacct's
are defaults for names nobody else provides. A folder's documents are in every Region; a pulled
document in the Region it was pulled from.

The sandbox's answers (ListDocuments, DescribeDocument, GetDocument, ListDocumentVersions) and
the engine's lookups by name all read the registry that `activate` set; until then it holds
xacct's runbooks only, so a library user's sandbox is the same on every machine."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field

from .entry import Entry, version_order
from .folder import FolderError, load_folder
from .shelf import Shelf

ENVIRONMENT = "XACCT_RUNBOOKS"  # folders, separated as PATH is (os.pathsep)
XACCT = "xacct"


@dataclass
class Registry:
    folders: tuple[str, ...] = ()
    shelf: Shelf | None = None
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._by_name: dict[str, list[Entry]] | None = None

    def _index(self) -> dict[str, list[Entry]]:
        with self._lock:
            if self._by_name is None:
                self._by_name = self._load()
            return self._by_name

    def _load(self) -> dict[str, list[Entry]]:
        from ..sandbox.owned import default_entries

        by_name: dict[str, list[Entry]] = {}
        for folder in self.folders:
            loaded = load_folder(folder)
            self.skipped += loaded.skipped
            for entry in loaded.entries:
                by_name.setdefault(entry.name, []).append(entry)
        if self.shelf is not None:
            loaded = self.shelf.load()
            self.skipped += loaded.skipped
            for entry in loaded.entries:
                by_name.setdefault(entry.name, []).append(entry)
        for entry in default_entries():
            by_name.setdefault(entry.name, []).append(entry)
        return by_name

    def versions(self, name: str, region: str | None = None) -> list[Entry]:
        """The versions of `name` that the sandbox serves in `region` (any Region when None),
        oldest first, all from the one source that wins."""
        entries = self._index().get(name, [])
        for wanted in ("folder", "pulled", XACCT):
            chosen = [e for e in entries if _kind_of_source(e) == wanted and (
                wanted != "pulled" or region is None or e.region == region)]
            if chosen:
                if region is None and wanted == "pulled":  # one Region's versions
                    chosen = [e for e in chosen if e.region == chosen[0].region]
                return sorted(chosen, key=lambda e: version_order(e.version))
        return []

    def find(self, name: str, region: str | None = None, version: str | None = None) -> Entry | None:
        """The version asked for, else the default one; None when there is no such version."""
        versions = self.versions(name, region)
        if not versions:
            return None
        if version:
            return next((e for e in versions if e.version == version), None)
        default = default_version(versions)
        return next(e for e in versions if e.version == default)

    def names(self, region: str | None = None) -> list[str]:
        return sorted(n for n in self._index() if self.versions(n, region))

    def entries(self) -> list[Entry]:
        """Every document read, shadowed or not (for `xacct runbooks list`)."""
        return [e for entries in self._index().values() for e in entries]

    def winner(self, entry: Entry) -> bool:
        return entry in self.versions(entry.name, entry.region)


def _kind_of_source(entry: Entry) -> str:
    return entry.source if entry.source in ("pulled", XACCT) else "folder"


def default_version(versions: list[Entry]) -> str:
    """The version the metadata calls default, else the latest."""
    for entry in reversed(versions):
        default = entry.metadata.get("DefaultVersion")
        if default and any(e.version == str(default) for e in versions):
            return str(default)
    return versions[-1].version


_active = Registry()


def active() -> Registry:
    return _active


def activate(folders: tuple[str, ...] | list[str] = (), *, pulled: bool = True, shelf: Shelf | None = None) -> Registry:
    """Serve these folders and (unless `pulled` is false) the pulled catalogue as AWS's documents
    in this process, from the next lookup on. Raises FolderError for a folder that is not one."""
    global _active
    for folder in folders:
        if not os.path.isdir(folder):
            raise FolderError(f"{folder}: not a folder" if os.path.exists(folder) else f"{folder}: no such folder")
    _active = Registry(tuple(folders), (shelf or Shelf()) if pulled else None)
    return _active


def reset() -> None:
    """Back to xacct's own runbooks only."""
    global _active
    _active = Registry()


def folders_from_environment() -> list[str]:
    return [f for f in os.environ.get(ENVIRONMENT, "").split(os.pathsep) if f]
