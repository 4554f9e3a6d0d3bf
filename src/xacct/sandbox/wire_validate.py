"""A call's parameters checked against botocore's model of the operation, before the gate and moto
see them, as AWS checks them before anything else: required members present, values of the member's
type (a DurationSeconds of "abc" is refused here, not an int() crash later), lengths and ranges
within the model's bounds. botocore's ParamValidator does the walk; the bounds it leaves out (the
maxima) are added. Errors answer as each protocol does: query services say ValidationError with
the "N validation errors detected" text, EC2 MissingParameter or InvalidParameterValue, the JSON
protocols ValidationException (SerializationException for a value of the wrong JSON type), S3
InvalidArgument. Members the reader leaves to moto (an XML payload) are not judged."""

from __future__ import annotations

from typing import Any

from botocore.validate import ParamValidator

from .http_requests import READABLE, WireCall
from .wire_errors import WireError

# ParamValidator's findings that AWS also refuses; unknown members are ignored by AWS's JSON services.
KEPT = {"missing required field", "invalid type", "invalid length", "invalid range", "empty input",
        "more than one input", "invalid type for document", "unable to encode to json"}
TYPE_NAMES = {"integer": "Integer", "long": "Long", "short": "Short", "byte": "Byte", "float": "Float",
              "double": "Double", "boolean": "Boolean", "string": "String", "timestamp": "Timestamp",
              "blob": "Blob", "structure": "Structure", "list": "List", "map": "Map"}


def validate(call: WireCall) -> None:
    if call.protocol not in READABLE:
        return
    op = call.model
    shape = op.input_shape
    if shape is None:
        return
    params = _without_nulls(call.params)
    unread = _unread_payload(shape, call.protocol)
    try:
        report = ParamValidator().validate(params, shape)
        problems = [(reason, name, extra) for reason, name, extra in report._errors
                    if reason in KEPT and not (reason == "missing required field" and not name
                                               and extra.get("required_name") == unread)]
        problems += _maxima(params, shape, "")
    except RecursionError:
        raise WireError("SerializationException", "The request nests its values too deeply.",
                        protocol=call.protocol) from None
    if problems:
        raise _refusal(call, [_problem(shape, reason, name, extra) for reason, name, extra in problems])


def _unread_payload(shape, protocol: str) -> str | None:
    payload = shape.serialization.get("payload")
    if protocol == "rest-xml" and payload and shape.members[payload].type_name == "structure":
        return payload
    return None


def _without_nulls(value):
    """A JSON null is an absent member to AWS."""
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_nulls(v) for v in value]
    return value


def _maxima(value, shape, path: str) -> list[tuple[str, str, dict]]:
    found: list[tuple[str, str, dict]] = []
    top = shape.metadata.get("max")
    kind = shape.type_name
    if kind == "structure" and isinstance(value, dict):
        for name, member in shape.members.items():
            if name in value:
                found += _maxima(value[name], member, f"{path}.{name}")
    elif kind == "list" and isinstance(value, list):
        if top is not None and len(value) > top:
            found.append(("length above", path, {"param": value, "max_allowed": top}))
        for i, item in enumerate(value):
            found += _maxima(item, shape.member, f"{path}[{i}]")
    elif kind == "map" and isinstance(value, dict):
        for key, item in value.items():
            found += _maxima(item, shape.value, f"{path}.{key}")
    elif top is not None:
        if kind == "string" and isinstance(value, str) and len(value) > top:
            found.append(("length above", path, {"param": value, "max_allowed": top}))
        elif kind in ("integer", "long", "float", "double") and isinstance(value, (int, float)) and \
                not isinstance(value, bool) and value > top:
            found.append(("range above", path, {"param": value, "max_allowed": top}))
    return found


def _problem(shape, reason: str, name: str, extra: dict) -> dict:
    """One finding as AWS words it: the value, the member's path (camelCase, lists counted from 1)
    and the constraint it fails."""
    if reason == "missing required field":
        name = f"{name}.{extra['required_name']}"
    member = _member_shape(shape, name)
    kind = member.type_name if member is not None else "string"
    value = extra.get("param")
    constraint = {
        "missing required field": "Member must not be null",
        "invalid type": f"Member must be of type {TYPE_NAMES.get(kind, kind)}",
        "invalid length": f"Member must have length greater than or equal to {extra.get('min_allowed')}",
        "invalid range": f"Member must have value greater than or equal to {extra.get('min_allowed')}",
        "length above": f"Member must have length less than or equal to {extra.get('max_allowed')}",
        "range above": f"Member must have value less than or equal to {extra.get('max_allowed')}",
    }.get(reason, "Member must satisfy the operation's model")
    return {"reason": reason, "path": _path(name), "wire": _wire_path(name), "value": value, "kind": kind,
            "constraint": constraint}


def _member_shape(shape, name: str):
    current = shape
    for part in name.replace("[", ".[").split("."):
        if not part or current is None:
            continue
        if part.startswith("["):
            current = getattr(current, "member", None)
        elif current.type_name == "structure":
            current = current.members.get(part)
        elif current.type_name == "map":
            current = current.value
    return current


def _path(name: str) -> str:
    parts = []
    for part in name.replace("[", ".[").split("."):
        if not part:
            continue
        if part.startswith("["):
            parts.append(str(int(part.strip("[]")) + 1))
        else:
            parts.append(part[:1].lower() + part[1:])
    return ".".join(parts)


def _wire_path(name: str) -> str:
    """The top-level member a finding is about, as the model names it (RoleArn)."""
    return name.lstrip(".").split(".")[0].split("[")[0]


def _shown(value: Any) -> str:
    if value is None:
        return "null"
    text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
    return f"'{text[:100]}'"


def _refusal(call: WireCall, problems: list[dict]) -> WireError:
    protocol = call.protocol
    if protocol == "ec2":
        first = problems[0]
        if first["reason"] == "missing required field":
            return WireError("MissingParameter", f"The request must contain the parameter {first['wire']}",
                             protocol=protocol)
        return WireError("InvalidParameterValue", f"Value ({_shown(first['value']).strip(chr(39))}) for parameter "
                                                  f"{first['wire']} is invalid. {first['constraint']}",
                         protocol=protocol)
    if protocol == "rest-xml":
        first = problems[0]
        return WireError("InvalidArgument", f"{first['constraint']}: {first['wire']}", protocol=protocol,
                         extra={"ArgumentName": first["wire"], "ArgumentValue": _shown(first["value"]).strip("'")})
    wrong_type = [p for p in problems if p["reason"] == "invalid type"]
    if protocol in ("json", "rest-json") and wrong_type:
        first = wrong_type[0]
        return WireError("SerializationException", f"{_json_kind(first['value'])} can not be converted to "
                                                   f"{_article(first['kind'])} (at '{first['path']}')",
                         protocol=protocol)
    text = "; ".join(f"Value {_shown(p['value'])} at '{p['path']}' failed to satisfy constraint: {p['constraint']}"
                     for p in problems)
    count = len(problems)
    return WireError("ValidationError" if protocol == "query" else "ValidationException",
                     f"{count} validation error{'s' if count > 1 else ''} detected: {text}", protocol=protocol)


def _json_kind(value) -> str:
    if isinstance(value, bool):
        return "BOOLEAN_VALUE"
    if isinstance(value, (int, float)):
        return "NUMBER_VALUE"
    if isinstance(value, str):
        return "STRING_VALUE"
    if isinstance(value, list):
        return "START_ARRAY"
    if isinstance(value, dict):
        return "START_OBJECT"
    return "VALUE"


def _article(kind: str) -> str:
    name = TYPE_NAMES.get(kind, kind)
    return f"an {name}" if name[:1] in "AEIOU" else f"a {name}"
