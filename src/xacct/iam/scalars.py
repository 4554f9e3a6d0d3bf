"""JSON scalars as IAM reads them where it expects text. The policy grammar lets a condition
value be a string, a number or a boolean ("Grammar of the IAM JSON policy language": quotation
marks are optional for numeric and Boolean values); IAM compares it as its text, so `true` is
"true" and `5` is "5". Request context values take the same forms."""

from __future__ import annotations

from decimal import Decimal


def as_text(value) -> str | None:
    """The text IAM compares for a JSON string, number or boolean; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):  # before int: a bool is an int in Python
        return "true" if value else "false"
    if isinstance(value, int):
        try:
            return str(value)
        except ValueError:  # over Python's 4,300-digit limit for int -> str
            return str(Decimal(value))
    if isinstance(value, (float, Decimal)):
        return repr(value) if isinstance(value, float) else str(value)
    return None


def kind(value) -> str:
    """A JSON value's type in words, for messages (never the value: it may be megabytes)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float, Decimal)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__
