"""Reading a world file: every problem becomes a finding at its line and column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...document.findings import Finding
from ...document.loader import UnreadableInput, read_text
from ...document.parse import ParseError, parse_text
from ...document.positions import Path, Positions
from ...iam import PolicyError, parse_policy
from . import schema

ACCOUNT_ID = re.compile(r"^\d{12}$")


class WorldError(Exception):
    """A world file that cannot be built; `findings` say where."""

    def __init__(self, findings: list[Finding]):
        super().__init__("\n".join(f.text() for f in findings))
        self.findings = findings


@dataclass
class World:
    path: str
    data: dict
    positions: Positions
    folder: str = field(default=".")


def _check(value: Any, shape: Any, path: Path, problems: list[tuple[Path, str, str]]) -> None:
    if shape is schema.POLICY:
        try:
            parse_policy(value, "/".join(str(p) for p in path))
        except PolicyError as exc:
            problems.append((path, "E7004", f"not a valid IAM policy: {exc}"))
        return
    if isinstance(shape, tuple) and shape[0] == schema.NAME_MAP:
        if not isinstance(value, dict):
            problems.append((path, "E7003", "a mapping of names is expected"))
            return
        for key, item in value.items():
            _check(item, shape[1], path + (key,), problems)
        return
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            problems.append((path, "E7003", "a mapping is expected"))
            return
        for key, item in value.items():
            if key not in shape:
                problems.append((path + (key,), "E7002", f"unknown key '{key}' (known: {', '.join(shape)})"))
            else:
                _check(item, shape[key], path + (key,), problems)
        return
    if isinstance(shape, list):
        if not isinstance(value, list):
            problems.append((path, "E7003", "a list is expected"))
            return
        for i, item in enumerate(value):
            _check(item, shape[0], path + (i,), problems)
        return
    if shape is int and (isinstance(value, bool) or not isinstance(value, int)):
        problems.append((path, "E7003", "a whole number is expected"))
    elif shape is bool and not isinstance(value, bool):
        problems.append((path, "E7003", "true or false is expected"))
    elif shape is str and not isinstance(value, str):
        problems.append((path, "E7003", f"a string is expected, not {type(value).__name__}"))


def _accounts(data: dict, problems: list) -> None:
    for account in (data.get("accounts") or {}):
        if not ACCOUNT_ID.match(str(account)):
            problems.append((("accounts", account), "E7005", f"account ID '{account}' is not 12 digits (quote it)"))


def load_world(path: str) -> World:
    """Read and check a world file; raises WorldError with every finding, or UnreadableInput."""
    text = read_text(path)
    if isinstance(text, Finding):
        raise WorldError([text])
    try:
        parsed = parse_text(text)
    except ParseError as exc:
        raise WorldError([Finding(path, exc.mark.line, exc.mark.column, "E7001", "error", exc.message)]) from None
    data = parsed.data if isinstance(parsed.data, dict) else None
    problems: list[tuple[Path, str, str]] = []
    if data is None:
        problems.append(((), "E7003", "a world file is a mapping with accounts"))
    else:
        _check(data, schema.WORLD, (), problems)
        _accounts(data, problems)
    for dup in parsed.duplicates:
        problems.append((dup.path, "E7002", f"duplicate key '{dup.path[-1]}'"))
    if problems:
        findings = []
        for where, rule, message in problems:
            mark = parsed.positions.of(where, key=rule in ("E7002", "E7005"))
            findings.append(Finding(path, mark.line, mark.column, rule, "error", message))
        raise WorldError(sorted(findings))
    import os

    return World(path, data, parsed.positions, os.path.dirname(os.path.abspath(path)))


__all__ = ["World", "WorldError", "UnreadableInput", "load_world"]
