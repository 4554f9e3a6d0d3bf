"""Which service and operation an AWS API request on the wire calls, with which parameters
(`read_call`), for the sandbox's HTTP server; its bytes come from wire_request, its signature
from signatures. botocore's service models say how each protocol lays a call out; this is their
reading in reverse. Wire strings become the types the model gives them (an integer member is an
int), and a value that does not convert is left as it came, for validation to name.

Whatever is wrong with a request raises WireError with AWS's code and text; nothing here decides
whether the caller may make the call."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import unquote

from ..aws import models
from .service_index import services_signed_as
from .signatures import Signature, read_signature
from .wire_errors import WireError
from .wire_request import (READABLE, WireRequest, first_value, parse_query, protocol_hint, read_request,
                           s3_region, virtual_host_bucket)

__all__ = ["READABLE", "Signature", "WireCall", "WireRequest", "protocol_hint", "read_call", "read_request"]


@dataclass
class WireCall:
    service: str  # the boto3 service name
    operation: str
    params: dict[str, Any]
    region: str
    protocol: str
    signature: Signature | None = None
    json_version: str = "1.1"
    takes_body: bool = True  # False: the operation has no body members, and AWS ignores a body sent to it

    @property
    def access_key_id(self) -> str | None:
        return self.signature.access_key_id if self.signature else None

    @property
    def model(self):
        return models.service_model(self.service).operation_model(self.operation)


# -- the call --------------------------------------------------------------------------------------
def read_call(request: WireRequest) -> WireCall:
    """Which service and operation the request calls, with which parameters. A signed request's
    service comes from its credential scope; an unsigned one is S3's (by path or host) unless it
    names a target or an action, which no service takes unsigned."""
    signature = read_signature(request, protocol_hint(request))
    if signature is None:
        return _unsigned_call(request)
    first_failure: WireError | None = None
    for service in services_signed_as(signature.service):
        model = models.service_model(service)
        try:
            call = _read_with(model, request)
        except _NotThisService as unknown:
            unknown.error.protocol = unknown.error.protocol or _protocol(model, request)
            first_failure = first_failure or unknown.error
            continue
        call.signature, call.region = signature, signature.region
        return call
    if first_failure is not None:
        raise first_failure
    raise WireError("SignatureDoesNotMatch", f"Credential should be scoped to correct service: "
                                             f"'{signature.service[:60]}' is no service the sandbox serves.", 403)


def _unsigned_call(request: WireRequest) -> WireCall:
    if "x-amz-target" in request.headers:
        raise WireError("MissingAuthenticationTokenException", "Missing Authentication Token", 403, protocol="json")
    if "Action" in request.query_values or (request.form and "Action" in parse_query(
            request.body.decode("utf-8", "replace"))):
        host = request.host.split(":", 1)[0].split(".")
        raise WireError("MissingAuthenticationToken", "Missing Authentication Token", 403,
                        protocol="ec2" if host[0] == "ec2" else "query")
    try:
        call = _read_with(models.service_model("s3"), request)
    except _NotThisService as unknown:
        raise unknown.error from None
    call.region = s3_region(request.host)
    return call


class _NotThisService(Exception):
    def __init__(self, error: WireError):
        super().__init__(error.message)
        self.error = error


def _protocol(model, request: WireRequest) -> str:
    """A service that speaks several protocols (CloudWatch: CBOR, JSON and query) is read in the
    one the request uses."""
    spoken = model.metadata.get("protocols") or [model.protocol]
    if len(spoken) > 1:
        if "x-amz-target" in request.headers and "json" in spoken:
            return "json"
        if (request.form or "Action=" in request.query) and "query" in spoken:
            return "query"
    return model.protocol


def _read_with(model, request: WireRequest) -> WireCall:
    protocol = _protocol(model, request)
    name = model.service_name
    json_version = model.metadata.get("jsonVersion", "1.1")
    if protocol in ("query", "ec2"):
        values = parse_query(request.query, strict=True)
        try:
            text = request.body.decode("utf-8")
        except UnicodeDecodeError:
            raise WireError("InvalidQueryParameter", "The request body is not UTF-8 form data.") from None
        if text and (request.form or request.method == "POST"):
            values = {**values, **parse_query(text, strict=True)}
        action = first_value(values, "Action")
        if not action:
            raise WireError("MissingAction", "The request must contain the parameter Action.")
        version = first_value(values, "Version")
        if action not in model.operation_names or (version and version != model.api_version):
            if protocol == "ec2":
                raise _NotThisService(WireError("InvalidAction", f"The action {action} is not valid for this web "
                                                                 f"service."))
            raise _NotThisService(WireError("InvalidAction", f"Could not find operation {action} for version "
                                                             f"{version or model.api_version}"))
        op = model.operation_model(action)
        return WireCall(name, action, _structure(op.input_shape, values, "", protocol == "ec2"), "", protocol)
    if protocol == "json":
        target = request.headers.get("x-amz-target", "")
        prefix, _, operation = target.rpartition(".")
        if prefix != model.metadata.get("targetPrefix") or operation not in model.operation_names:
            raise _NotThisService(WireError("UnknownOperationException", f"The X-Amz-Target '{target[:200]}' names "
                                                                         f"no operation of {name}.", 404))
        return WireCall(name, operation, _json_body(request.body), "", protocol, json_version=json_version)
    if protocol == "smithy-rpc-v2-cbor":  # the operation is in the path; CBOR bodies are not read
        found = re.fullmatch(r"/service/[^/]+/operation/([^/]+)", request.path)
        if not found or found.group(1) not in model.operation_names:
            raise _NotThisService(WireError("UnknownOperationException", f"No operation of {name} at "
                                                                         f"{request.path[:200]}.", 404))
        return WireCall(name, found.group(1), {}, "", protocol)
    path = unquote(request.path)
    if name == "s3":
        bucket = virtual_host_bucket(request.host)
        if bucket:
            path = f"/{bucket}{path if path != '/' else ''}" or "/"
    query = request.query_values
    found = _rest_operation(model, request.method, path, query, request.headers)
    if not found:
        if name == "s3":
            raise _NotThisService(WireError("MethodNotAllowed", "The specified method is not allowed against this "
                                                                "resource.", 405,
                                            {"Method": request.method, "ResourceType": "OBJECT"}))
        raise _NotThisService(WireError("UnknownOperationException", f"No operation of {name} takes "
                                                                     f"{request.method} {path[:200]}.", 404))
    operation, labels = found
    op = model.operation_model(operation)
    shape = op.input_shape
    takes_body = shape is not None and (bool(shape.serialization.get("payload")) or any(
        "location" not in member.serialization for member in shape.members.values()))
    return WireCall(name, operation, _rest_params(op, protocol, labels, query, request), "", protocol,
                    takes_body=takes_body)


# -- query and EC2 parameters: botocore's QuerySerializer and EC2Serializer in reverse -----------
def _structure(shape, values: dict[str, list[str]], prefix: str, ec2: bool) -> dict[str, Any]:
    params: dict[str, Any] = {}
    if shape is None:
        return params
    for member, member_shape in shape.members.items():
        key = _wire_name(member_shape, member, ec2)
        key = f"{prefix}.{key}" if prefix else key
        value = _member(member_shape, values, key, ec2)
        if value is not None:
            params[member] = value
    return params


def _member(shape, values: dict[str, list[str]], key: str, ec2: bool):
    kind = shape.type_name
    if kind == "structure":
        if not any(k == key or k.startswith(key + ".") for k in values):
            return None
        return _structure(shape, values, key, ec2)
    if kind == "list":
        if first_value(values, key) == "" and not ec2:
            return []  # the query protocol's empty list
        if ec2:
            item = key
        elif shape.serialization.get("flattened"):
            name = shape.member.serialization.get("name")
            item = ".".join(key.split(".")[:-1] + [name]) if name else key
        else:
            item = f"{key}.{shape.member.serialization.get('name', 'member')}"
        found = []
        for i in range(1, len(values) + 2):
            value = _member(shape.member, values, f"{item}.{i}", ec2)
            if value is None:
                break
            found.append(value)
        return found or None
    if kind == "map":
        entry = key if shape.serialization.get("flattened") else f"{key}.entry"
        key_name = shape.key.serialization.get("name", "key")
        value_name = shape.value.serialization.get("name", "value")
        found = {}
        for i in range(1, len(values) + 2):
            name = _member(shape.key, values, f"{entry}.{i}.{key_name}", ec2)
            if name is None:
                break
            found[name] = _member(shape.value, values, f"{entry}.{i}.{value_name}", ec2)
        return found or None
    text = first_value(values, key)
    return None if text is None else _scalar(shape, text)


def _wire_name(shape, member: str, ec2: bool) -> str:
    if ec2:
        if "queryName" in shape.serialization:
            return shape.serialization["queryName"]
        name = shape.serialization.get("name")
        return name[0].upper() + name[1:] if name else member
    return shape.serialization.get("name", member)


def _scalar(shape, text: str):
    """A wire string as the shape's type; a string that does not convert stays a string, which
    validation reports with the member's name."""
    kind = shape.type_name
    try:
        if kind in ("integer", "long", "short", "byte"):
            return int(text.strip()) if re.fullmatch(r"\s*[-+]?\d+\s*", text) else text
        if kind in ("float", "double"):
            value = float(text)
            return value if value == value and abs(value) != float("inf") else text
        if kind == "boolean":
            return {"true": True, "false": False}.get(text.strip().lower(), text)
    except ValueError:
        return text
    return text


# -- JSON and REST parameters --------------------------------------------------------------------
def _json_body(body: bytes) -> dict[str, Any]:
    if not body.strip():
        return {}
    try:
        value = json.loads(body.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError: JSON on the wire is UTF-8
        raise WireError("SerializationException", "The request body is not valid JSON.") from None
    if not isinstance(value, dict):
        raise WireError("SerializationException", f"The request body must be a JSON object, not "
                                                  f"{type(value).__name__ if value is not None else 'null'}.")
    return value


def _rest_params(op, protocol: str, labels: dict[str, str], query: dict[str, list[str]],
                 request: WireRequest) -> dict[str, Any]:
    params: dict[str, Any] = {}
    shape = op.input_shape
    if shape is None:
        return params
    for name, member in shape.members.items():
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri" and wire in labels:
            params[name] = _scalar(member, labels[wire])
        elif location == "querystring":
            if member.type_name == "list" and wire in query:
                params[name] = [_scalar(member.member, v) for v in query[wire]]
            elif member.type_name != "map" and wire in query:
                params[name] = _scalar(member, query[wire][0])
        elif location == "header" and wire.lower() in request.headers:
            params[name] = _scalar(member, request.headers[wire.lower()])
    payload = shape.serialization.get("payload")
    if payload:
        member = shape.members[payload]
        if member.type_name in ("blob", "string"):
            if request.body:  # kept for the required check; a string payload is text
                params[payload] = request.body.decode("utf-8", "replace") if member.type_name == "string" \
                    else request.body
        elif request.body.strip():
            if protocol == "rest-json":
                params[payload] = _json_body(request.body)
            else:
                _xml_ok(request.body)  # moto reads it; validation leaves an XML payload's members alone
        elif protocol == "rest-xml" and payload in shape.metadata.get("required", []):
            raise WireError("MissingRequestBodyError", "Request Body is empty")
    elif protocol == "rest-json":
        body = _json_body(request.body)
        for name, member in shape.members.items():
            wire = member.serialization.get("name", name)
            if "location" not in member.serialization and wire in body:
                params[name] = body[wire]
    return params


def _xml_ok(body: bytes) -> None:
    import xml.etree.ElementTree as ET

    try:
        ET.fromstring(body)
    except (ET.ParseError, ValueError):
        raise WireError("MalformedXML", "The XML you provided was not well-formed or did not validate against our "
                                        "published schema") from None


@lru_cache(maxsize=None)
def _routes(service: str) -> list[tuple]:
    """(operation, method, path pattern, labels, required query keys, required headers, rank) of
    each REST operation. Operations on the same path (PutObject, CopyObject) differ by a required
    header (x-amz-copy-source)."""
    model = models.service_model(service)
    routes = []
    for name in model.operation_names:
        op = model.operation_model(name)
        uri = op.http.get("requestUri", "/")
        required = [part.split("=")[0] for part in (uri.split("?", 1)[1].split("&") if "?" in uri else [])]
        shape = op.input_shape
        headers = [shape.members[m].serialization.get("name", m).lower() for m in
                   (shape.metadata.get("required", []) if shape is not None else [])
                   if shape.members[m].serialization.get("location") == "header"]
        pattern, labels = _template(uri)
        routes.append((name, op.http.get("method", "POST"), pattern, labels, required, headers,
                       (len(required), len(uri) - 4 * len(labels))))
    return routes


def _template(uri: str) -> tuple[re.Pattern, list[str]]:
    """A requestUri such as /{Bucket}/{Key+} as a regular expression, and its label names."""
    path = uri.split("?", 1)[0]
    labels: list[str] = []
    parts: list[str] = []
    for piece in re.split(r"(\{[^}]+\})", path):
        if piece.startswith("{") and piece.endswith("}"):
            name = piece[1:-1]
            labels.append(name.rstrip("+"))
            parts.append("(.+)" if name.endswith("+") else "([^/]+)")
        else:
            parts.append(re.escape(piece))
    return re.compile("^" + "".join(parts) + "/?$", re.DOTALL), labels


def _rest_operation(model, method: str, path: str, query: dict, headers: dict) -> tuple[str, dict] | None:
    best = None
    for name, verb, pattern, labels, required, needed, rank in _routes(model.service_name):
        if verb != method or any(q not in query for q in required):
            continue
        match = pattern.match(path)
        present = all(h in headers for h in needed)
        score = (present, len(needed) if present else 0, *rank)
        if match and (best is None or score > best[0]):
            best = (score, name, dict(zip(labels, match.groups())))
    return (best[1], best[2]) if best else None
