"""Small predicates over loaded values that several rules share."""

from __future__ import annotations

from typing import Any

from .references import has_reference


def is_intrinsic(value: Any) -> bool:
    """A CloudFormation function (`!Ref X`, `!Sub ...`): its value is only known at deploy time."""
    return (
        isinstance(value, dict)
        and len(value) == 1
        and isinstance(next(iter(value)), str)
        and (next(iter(value)) in ("Ref", "Condition") or next(iter(value)).startswith("Fn::"))
    )


def is_dynamic(value: Any) -> bool:
    """A value decided at run or deploy time: a `{{ }}` reference or a CloudFormation function."""
    return is_intrinsic(value) or (isinstance(value, str) and has_reference(value))


def type_of_literal(value: Any) -> str | None:
    """The SSM type a literal value has, or None when it has none (null)."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, (str, float)):
        return "String"
    if isinstance(value, list):
        return "MapList" if value and all(isinstance(v, dict) for v in value) else "StringList"
    if isinstance(value, dict):
        return "StringMap"
    return None


def fits(value: Any, wanted: str) -> bool:
    """Whether a literal may stand where `wanted` is needed. Scalars convert to strings (SSM
    writes them into strings); lists and maps do not."""
    if wanted == "Any" or is_dynamic(value):
        return True
    if wanted == "String":
        return isinstance(value, (str, int, float, bool))
    if wanted == "Integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and value.strip().lstrip("-").isdigit()
        )
    if wanted == "Boolean":
        return isinstance(value, bool) or (isinstance(value, str) and value.lower() in ("true", "false"))
    if wanted == "StringList":
        return isinstance(value, list)
    if wanted == "MapList":
        return isinstance(value, list) and all(isinstance(v, dict) or is_dynamic(v) for v in value)
    if wanted == "StringMap":
        return isinstance(value, dict)
    return True


def whole_number(value) -> int | None:
    """A whole number written as one or as a string of digits (`timeoutSeconds: "600"`, which
    runbooks AWS publishes carry and SSM runs), or None."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = value.strip() if isinstance(value, str) else ""
    if text.isascii() and text.isdigit() and len(text) <= 18:  # no seconds count needs more digits
        return int(text)
    return None
