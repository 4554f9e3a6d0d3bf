"""Parameters at the start of an execution: defaults, types and constraints, checked before any
step runs, as StartAutomationExecution checks them ("Data elements and parameters"). The error
texts are those AWS returns in InvalidAutomationExecutionParametersException."""

from __future__ import annotations

import json
import re
from functools import lru_cache
from typing import Any, Callable

from ..document.model import Document, Parameter
from ..document.patterns import compile_pattern, search
from ..document.references import REFERENCE
from ..document.types import resource_pattern, value_type
from .errors import ExecutionRejected

INVALID = "InvalidAutomationExecutionParametersException"


def _reject(message: str) -> ExecutionRejected:
    return ExecutionRejected(INVALID, message)


def _one(name: str, values: list) -> Any:
    if len(values) != 1:
        raise _reject(f"Parameter '{name}' takes one value, not {len(values)}.")
    return values[0]


def convert(param: Parameter, raw: Any) -> Any:
    """A given value (a list of strings, as the API passes them, or a typed default) as the
    parameter's type."""
    kind = value_type(param.type)
    name = param.name
    values = raw if isinstance(raw, list) else [raw]
    try:
        if kind == "String":
            value = _one(name, values)
            if isinstance(value, (dict, list)):
                raise ValueError
            return value if isinstance(value, str) else json.dumps(value) if value is None else str(value)
        if kind == "StringList":
            return [v if isinstance(v, str) else json.dumps(v) for v in values]
        if kind == "Integer":
            value = _one(name, values)
            if isinstance(value, bool) or not re.fullmatch(r"-?\d+", str(value).strip()):
                raise ValueError
            return int(value)
        if kind == "Boolean":
            value = _one(name, values)
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("true", "false"):
                return str(value).lower() == "true"
            raise ValueError
        if kind == "StringMap":
            value = _one(name, values)
            value = json.loads(value) if isinstance(value, str) else value
            if not isinstance(value, dict):
                raise ValueError
            return value
        if kind == "MapList":
            if len(values) == 1 and isinstance(values[0], str) and values[0].lstrip().startswith("["):
                values = json.loads(values[0])
            items = [json.loads(v) if isinstance(v, str) else v for v in values]
            if not all(isinstance(item, dict) for item in items):
                raise ValueError
            return items
    except (ValueError, TypeError):
        raise _reject(f"Parameter '{name}' must be of type {param.type}; got {raw!r}.") from None
    raise _reject(f"Parameter '{name}' has an unknown type {param.type!r}.")


@lru_cache(maxsize=256)
def _compiled(pattern: str):
    """The pattern compiled as validation compiles it (Java syntax translated for the `regex` package, a
    search with a time limit: document/patterns.py), or None when it cannot be."""
    return compile_pattern(pattern).pattern


def check_constraints(param: Parameter, value: Any) -> None:
    items = value if isinstance(value, list) else [value]
    if param.allowed_values is not None:
        allowed = {json.dumps(v) if not isinstance(v, str) else v for v in param.allowed_values}
        for item in items:
            text = item if isinstance(item, str) else json.dumps(item)
            if text not in allowed and str(item) not in allowed:
                listed = ", ".join(str(v) for v in param.allowed_values)
                raise _reject(f'Parameter "{param.name}" has value "{item}" not found in [{listed}].')
    for pattern in filter(None, (param.allowed_pattern, resource_pattern(param.type))):
        compiled = _compiled(pattern)
        for item in items:
            if not isinstance(item, str):
                continue
            if compiled is None:
                raise _reject(f'Parameter "{param.name}" has an allowedPattern that is not a valid regular expression: '
                              f'"{pattern}".')
            found = search(compiled, item)
            if found is None:
                # a pattern that backtracks (or that validation already refused) cannot hold up the start
                raise _reject(f'Parameter "{param.name}" has value "{item}" that could not be checked against '
                              f'"{pattern}" in time.')
            if not found:
                raise _reject(f'Parameter "{param.name}" has value "{item}" not matching "{pattern}".')
    if isinstance(value, list):
        if param.min_items is not None and len(value) < param.min_items:
            raise _reject(f"Parameter '{param.name}' needs at least {param.min_items} items.")
        if param.max_items is not None and len(value) > param.max_items:
            raise _reject(f"Parameter '{param.name}' takes at most {param.max_items} items.")
    if isinstance(value, str):
        if param.min_chars is not None and len(value) < param.min_chars:
            raise _reject(f"Parameter '{param.name}' needs at least {param.min_chars} characters.")
        if param.max_chars is not None and len(value) > param.max_chars:
            raise _reject(f"Parameter '{param.name}' takes at most {param.max_chars} characters.")


def resolve_parameters(doc: Document, given: dict[str, Any],
                       parameter_store: Callable[[str], str] | None = None) -> dict[str, Any]:
    """Every parameter of `doc` with its value: given, else default; typed and checked."""
    unknown = [name for name in given if name not in doc.parameters]
    if unknown:
        raise _reject(f"Undefined execution inputs: [{', '.join(unknown)}]")
    values: dict[str, Any] = {}
    for name, param in doc.parameters.items():
        if name in given:
            raw = given[name]
        elif param.has_default:
            raw = param.default
            if isinstance(raw, str) and parameter_store and REFERENCE.search(raw):
                raw = REFERENCE.sub(lambda m: _from_store(m, parameter_store), raw)
        else:
            raise _reject(f"Missing required parameter: {name} in user inputs.")
        if raw is None:
            raw = "" if value_type(param.type) == "String" else []
        value = convert(param, raw)
        if name in given:
            # SSM checks the values an execution is given; AWS's own runbooks give optional
            # parameters a default ('') that their allowedPattern refuses, and they run.
            check_constraints(param, value)
        values[name] = value
    return values


def _from_store(match, parameter_store: Callable[[str], str]) -> str:
    """A Parameter Store reference's value. Other references in a default stay as they are
    written here; the execution fills system variables and parameters among them where the value
    is used (Execution.lookup)."""
    text = match.group(1).strip()
    if not text.startswith("ssm:"):
        return match.group(0)
    return parameter_store(text[len("ssm:"):])
