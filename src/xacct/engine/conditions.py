"""Evaluation of aws:branch choices and aws:loop conditions ("Using conditional statements in
runbooks"): string, numeric and boolean comparisons, and And, Or, Not."""

from __future__ import annotations

from typing import Any

from .errors import StepFailed


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        raise StepFailed(f"{value!r} is not a number.", retriable=False) from None


def _boolean(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise StepFailed(f"{value!r} is not a boolean.", retriable=False)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


COMPARE = {
    "StringEquals": lambda a, b: _text(a) == _text(b),
    "EqualsIgnoreCase": lambda a, b: _text(a).lower() == _text(b).lower(),
    "StartsWith": lambda a, b: _text(a).startswith(_text(b)),
    "EndsWith": lambda a, b: _text(a).endswith(_text(b)),
    "Contains": lambda a, b: (_text(b) in [_text(x) for x in a]) if isinstance(a, list) else _text(b) in _text(a),
    "NumericEquals": lambda a, b: _number(a) == _number(b),
    "NumericGreater": lambda a, b: _number(a) > _number(b),
    "NumericLesser": lambda a, b: _number(a) < _number(b),
    "NumericGreaterOrEquals": lambda a, b: _number(a) >= _number(b),
    "NumericLesserOrEquals": lambda a, b: _number(a) <= _number(b),
    "BooleanEquals": lambda a, b: _boolean(a) == _boolean(b),
}


def holds(condition: dict) -> bool:
    """Whether a condition (already interpolated) is true."""
    if "And" in condition:
        return all(holds(c) for c in condition["And"])
    if "Or" in condition:
        return any(holds(c) for c in condition["Or"])
    if "Not" in condition:
        return not holds(condition["Not"])
    for operator, compare in COMPARE.items():
        if operator in condition:
            return compare(condition.get("Variable"), condition[operator])
    raise StepFailed(f"The condition {condition} has no operator.", retriable=False)
