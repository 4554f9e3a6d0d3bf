"""Reading a world file: every problem becomes a finding at its line and column.

Findings of world files:
  E7001  not YAML or JSON that can be read
  E7002  an unknown or duplicate key
  E7003  a value of the wrong type
  E7004  not a valid IAM policy (its Principal included)
  E7005  not an account ID
  E7006  a reference that does not resolve (a managed policy, a key alias, an image, a group)
  E7007  an MFA seed that is not one
  E7008  a file the world names is not there
  E7009  AWS (the sandbox) refused an element while building it
  E7010  a template the sandbox cannot deploy
  E7011  a Region that is not one of the sandbox's partition
  E7012  a name or value that AWS refuses (its pattern, length or values)
  E7013  a file the world names cannot be read as text
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from typing import Any

from ...document.findings import Finding
from ...document.loader import UnreadableInput, read_text
from ...document.parse import ParseError, parse_text
from ...document.positions import Path, Positions
from ...iam import PolicyError, parse_policy
from . import schema
from .policy_principals import principal_problems
from .principal_existence import unknown_principals


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


@dataclass(frozen=True)
class _Problem:
    path: Path
    rule: str
    message: str
    at_key: bool = False  # the problem is the mapping key at `path` (a name), not its value


def _shown(value: Any) -> str:
    """A value as a message quotes it: escaped, so control characters stay visible, and short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _check_policy(value: Any, path: Path, problems: list[_Problem]) -> None:
    """A policy IAM takes: its Principal elements first, at their own places (parse_policy
    names only the statement), then the rest of it by xacct.iam."""
    document = value
    if isinstance(value, str):
        try:
            document = json.loads(value)
        except ValueError:
            document = None  # parse_policy says where the JSON breaks
    inside = not isinstance(value, str)  # the places inside a JSON string have no line of their own
    principals = principal_problems(document)
    for where, message in principals:
        problems.append(_Problem(path + where if inside else path, "E7004", f"not a valid IAM policy: {message}"))
    if principals:
        return
    try:
        parse_policy(value, "/".join(str(p) for p in path))
    except PolicyError as exc:
        problems.append(_Problem(path, "E7004", f"not a valid IAM policy: {exc}"))


def _check_checked(value: Any, rule: schema.Checked, path: Path, problems: list[_Problem], at_key=False) -> None:
    if rule.kind is int and (isinstance(value, bool) or not isinstance(value, int)):
        problems.append(_Problem(path, "E7003", "a whole number is expected", at_key))
        return
    problem = rule.check(value)
    if problem:
        shown = rule.secret or _shown(value)
        problems.append(_Problem(path, rule.rule, f"{shown} {problem}", at_key))
    elif rule.kind is str and not isinstance(value, str):
        what = "a name" if at_key else "a string"
        problems.append(_Problem(path, "E7003", f"{what} is expected, not {type(value).__name__} (quote it)", at_key))


def _check(value: Any, shape: Any, path: Path, problems: list[_Problem]) -> None:
    if shape is schema.POLICY:
        _check_policy(value, path, problems)
        return
    if isinstance(shape, schema.Checked):
        _check_checked(value, shape, path, problems)
        return
    if isinstance(shape, tuple) and shape[0] == schema.NAME_MAP:
        _, value_shape, key_rule = shape
        if not isinstance(value, dict):
            problems.append(_Problem(path, "E7003", "a mapping of names is expected"))
            return
        for key, item in value.items():
            if key_rule is not None:
                _check_checked(key, key_rule, path + (key,), problems, at_key=True)
            _check(item, value_shape, path + (key,), problems)
        return
    if isinstance(shape, dict):
        if not isinstance(value, dict):
            problems.append(_Problem(path, "E7003", "a mapping is expected"))
            return
        for key, item in value.items():
            if key not in shape:
                known = ", ".join(shape)
                problems.append(_Problem(path + (key,), "E7002", f"unknown key {_shown(key)} (known: {known})", True))
            else:
                _check(item, shape[key], path + (key,), problems)
        return
    if isinstance(shape, list):
        if not isinstance(value, list):
            problems.append(_Problem(path, "E7003", "a list is expected"))
            return
        for i, item in enumerate(value):
            _check(item, shape[0], path + (i,), problems)
        return
    if shape is int and (isinstance(value, bool) or not isinstance(value, int)):
        problems.append(_Problem(path, "E7003", "a whole number is expected"))
    elif shape is bool and not isinstance(value, bool):
        problems.append(_Problem(path, "E7003", "true or false is expected"))
    elif shape is str and not isinstance(value, str):
        problems.append(_Problem(path, "E7003", f"a string is expected, not {type(value).__name__}"))


def _unreadable_number(path: str, text: str, exc: ValueError) -> Finding:
    """A number Python will not convert (over 4300 digits): the parser raises ValueError with no
    place, so the place is that of the first such run of digits."""
    found = re.search(r"\d{4000,}", text)
    offset = found.start() if found else 0
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    reason = str(exc).split(";")[0]
    return Finding(path, line, column, "E7001", "error", f"a value that cannot be read: {reason}")


def load_world(path: str) -> World:
    """Read and check a world file; raises WorldError with every finding, or UnreadableInput."""
    text = read_text(path)
    if isinstance(text, Finding):
        raise WorldError([text])
    try:
        parsed = parse_text(text)
    except ParseError as exc:
        raise WorldError([Finding(path, exc.mark.line, exc.mark.column, "E7001", "error", exc.message)]) from None
    except ValueError as exc:  # a huge integer, until the parser itself says where
        raise WorldError([_unreadable_number(path, text, exc)]) from None
    data = parsed.data if isinstance(parsed.data, dict) else None
    problems: list[_Problem] = []
    if data is None:
        problems.append(_Problem((), "E7003", "a world file is a mapping with accounts"))
    else:
        _check(data, schema.WORLD, (), problems)
        if not problems:  # names are checked once the world's shape is known to be right
            problems += [_Problem(path, "E7004", f"not a valid IAM policy: {message}")
                         for path, message, _ in unknown_principals(data)]
    for dup in parsed.duplicates:
        problems.append(_Problem(dup.path, "E7002", f"duplicate key {_shown(dup.path[-1])}", True))
    if problems:
        findings = []
        for problem in problems:
            mark = parsed.positions.of(problem.path, key=problem.at_key)
            findings.append(Finding(path, mark.line, mark.column, problem.rule, "error", problem.message))
        raise WorldError(sorted(set(findings)))
    return World(path, data, parsed.positions, os.path.dirname(os.path.abspath(path)))


__all__ = ["World", "WorldError", "UnreadableInput", "load_world"]
