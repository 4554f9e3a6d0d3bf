"""Calling an AWS operation for a step: name resolution in any casing, parameter types as the
service model wants them (SSM passes runbook values through the model, so "5" fills an integer),
and errors turned into step failures with botocore's text."""

from __future__ import annotations

from typing import Any

from ..aws import models
from .call import StepCall
from .errors import StepFailed
from .outputs import plain


def _coerce(shape, value: Any) -> Any:
    if shape is None:
        return value
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        return {k: _coerce(shape.members.get(k), v) for k, v in value.items()}
    if kind == "list" and isinstance(value, list):
        return [_coerce(shape.member, v) for v in value]
    if kind == "map" and isinstance(value, dict):
        return {k: _coerce(shape.value, v) for k, v in value.items()}
    if kind in ("integer", "long") and isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    if kind in ("float", "double") and isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    if kind == "boolean" and isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    if kind == "string" and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def call_api(call: StepCall, service: str, api: str, params: dict[str, Any], *, read_streams: bool = False) -> dict:
    """The response (as plain JSON data, without ResponseMetadata) of `service`.`api`.
    Streaming bodies are dropped (aws:executeAwsApi does not support streaming APIs) unless
    `read_streams`, for the actions whose output is one (Lambda's Payload)."""
    from botocore import xform_name
    from botocore.exceptions import BotoCoreError, ClientError, ParamValidationError

    service = service.lower()  # `Service: EC2` runs in SSM: AWS's own runbooks write it so
    if models.service_model(service) is None:
        raise StepFailed(f"Unknown service {service!r}.", retriable=False)
    operation = models.operation_name(service, api)
    if operation is None:
        raise StepFailed(f"{service} has no operation {api!r}.", retriable=False)
    op_model = models.operation_model(service, operation)
    params = _coerce(op_model.input_shape, params) if op_model.input_shape else params
    client = call.client(service)
    try:
        response = getattr(client, xform_name(operation))(**params)
    except ParamValidationError as exc:
        raise StepFailed(" ".join(str(exc).split()), retriable=False) from None
    except ClientError as exc:
        raise StepFailed(" ".join(str(exc).split()), details={"Error": exc.response.get("Error", {}),
                                                              "Operation": operation, "Service": service}) from None
    except BotoCoreError as exc:
        raise StepFailed(" ".join(str(exc).split())) from None
    response.pop("ResponseMetadata", None)
    if read_streams:
        response = {k: (v.read().decode("utf-8", "replace") if hasattr(v, "read") else v) for k, v in response.items()}
    return plain(response)


def api_inputs(inputs: dict[str, Any], own: tuple[str, ...]) -> dict[str, Any]:
    """The inputs that go to the operation: all but the action's own."""
    return {k: v for k, v in inputs.items() if k not in own}
