"""The files a world names (documents, templates), beside the world file: read as UTF-8 text, or
a finding's rule and message saying why not."""

from __future__ import annotations

import os

from ...document.findings import Finding
from ...document.loader import UnreadableInput, read_text


def referenced_text(folder: str, name: str, what: str) -> tuple[str | None, str, str]:
    """(text, "", "") for a readable file, or (None, rule, message): E7008 when there is no such
    file, E7013 when it cannot be read as text."""
    path = os.path.join(folder, name) if name else ""
    if not name or not os.path.isfile(path):  # isfile is False for a name with a NUL, a folder, a device
        return None, "E7008", f"{what} file {name!r} not found beside the world file"
    try:
        text = read_text(path)
    except UnreadableInput as exc:
        return None, "E7013", f"{what} file {name!r} cannot be read: {exc}"
    if isinstance(text, Finding):
        return None, "E7013", f"{what} file {name!r} at line {text.line}, column {text.column}: {text.message}"
    return text, "", ""
