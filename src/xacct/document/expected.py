"""The type a value must have where it stands in a step's inputs: from the action's declared
inputs, or, for inputs passed to an AWS operation, from botocore's shape of that operation."""

from __future__ import annotations

from typing import Any

from ..actions import ACTIONS
from ..aws import models
from .model import Step
from .positions import Path
from .values import is_dynamic


def operation_of(step: Step):
    """The botocore OperationModel a step calls, when its Service and Api are literal and known."""
    spec = ACTIONS.get(step.action or "")
    if spec is None:
        return None
    if spec.calls_any_api:
        service, api = step.inputs.get("Service"), step.inputs.get("Api")
        if not isinstance(service, str) or not isinstance(api, str) or is_dynamic(service) or is_dynamic(api):
            return None
        return models.operation_model(service.lower(), api)  # AWS's own runbooks write `EC2`, `SQS`
    if spec.api:
        return models.operation_model(*spec.api)
    return None


def _walk_shape(shape: Any, rest: Path) -> Any:
    for key in rest:
        if shape is None:
            return None
        kind = shape.type_name
        if kind == "structure" and isinstance(key, str):
            shape = shape.members.get(key)
        elif kind == "list" and isinstance(key, int):
            shape = shape.member
        elif kind == "map" and isinstance(key, str):
            shape = shape.value
        else:
            return None
    return shape


def expected_type(step: Step, inner: Path) -> str | None:
    """`inner` is a path below the step's `inputs`; the answer is an SSM type name or None."""
    spec = ACTIONS.get(step.action or "")
    if spec is None or not inner:
        return None
    name = inner[0]
    declared = spec.input(name) if isinstance(name, str) else None
    if declared is not None:
        if len(inner) == 1:
            return declared.type
        if declared.type == "StringList" and len(inner) == 2:
            return "String"
        return None
    operation = operation_of(step)
    if operation is None:
        return None
    shape = _walk_shape(operation.input_shape, inner)
    return models.shape_kind(shape) if shape is not None else None
