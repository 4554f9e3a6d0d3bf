"""Requests and answers of the Automation operations, as botocore's SSM model defines them.

A request is checked against the operation's input shape (required members, types, enums,
lengths) with botocore's own validator, so a wrong call answers ValidationException with the same
words the SDK would use. An answer keeps only the members of the output shape (xacct's own
`xacct:` keys stay in xacct's views), and timestamps become what the JSON protocol carries:
seconds since the epoch.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache
from typing import Any

from .errors import validation


@lru_cache(maxsize=None)
def operation_model(operation: str):
    from ..aws import models

    return models.service_model("ssm").operation_model(operation)


def check_request(operation: str, params: Any) -> dict:
    """The parameters, if they fit the input shape; else ValidationException."""
    from botocore.validate import ParamValidator

    if not isinstance(params, dict):
        raise validation("The request body must be a JSON object.")
    shape = operation_model(operation).input_shape
    report = ParamValidator().validate(params, shape)
    if report.has_errors():
        raise validation(" ".join(report.generate_report().split()))
    return params


def answer(operation: str, result: dict) -> dict:
    """`result` cut to the output shape of `operation`, in the JSON protocol's types."""
    shape = operation_model(operation).output_shape
    return _fit(shape, result) if shape is not None else {}


def _fit(shape, value: Any) -> Any:
    kind = shape.type_name
    if kind == "structure":
        if not isinstance(value, dict):
            return None
        fitted = {}
        for name, member in shape.members.items():
            if name in value and value[name] is not None:
                item = _fit(member, value[name])
                if item is not None:
                    fitted[name] = item
        return fitted
    if kind == "list":
        return [_fit(shape.member, v) for v in value] if isinstance(value, list) else None
    if kind == "map":
        return {k: _fit(shape.value, v) for k, v in value.items()} if isinstance(value, dict) else None
    if kind == "timestamp":
        return _epoch(value)
    return value


def _epoch(value: Any) -> float | None:
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime):
        return value.timestamp()
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None
