"""Reading an AWS API request off the wire (for the sandbox's HTTP server): which service and
operation it calls, with which parameters, signed by which access key. botocore's service
models say how each protocol lays a call out; this is their reading in reverse, for the top-level
parameters the gate needs."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from ..aws import models

CREDENTIAL = re.compile(r"Credential=([^/,\s]+)/\d{8}/([^/]+)/([^/]+)/aws4_request")


@dataclass
class WireCall:
    service: str  # the boto3 service name
    operation: str
    params: dict[str, Any]
    access_key_id: str
    region: str
    protocol: str


@lru_cache(maxsize=1)
def _by_signing_name() -> dict[str, str]:
    """Signing name -> boto3 service name. Several services can share a signing name (lambda and
    lambda-web); the one named like it wins, then the one with that endpoint prefix."""
    found: dict[str, str] = {}
    rank: dict[str, int] = {}
    for name in sorted(models.service_names()):
        model = models.service_model(name)
        signing = model.signing_name or name
        score = 2 if name == signing else 1 if model.endpoint_prefix == signing else 0
        if signing not in found or score > rank[signing]:
            found[signing], rank[signing] = name, score
    return found


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
    return re.compile("^" + "".join(parts) + "/?$"), labels


def _rest_operation(model, method: str, path: str, query: dict) -> tuple[str, dict] | None:
    best = None
    for name in model.operation_names:
        op = model.operation_model(name)
        http = op.http
        if http.get("method") != method:
            continue
        uri = http.get("requestUri", "/")
        required_query = [part.split("=")[0] for part in (uri.split("?", 1)[1].split("&") if "?" in uri else [])]
        if any(q not in query for q in required_query):
            continue
        pattern, labels = _template(uri)
        match = pattern.match(path)
        if not match:
            continue
        score = (len(required_query), len(uri) - 4 * len(labels))
        if best is None or score > best[0]:
            best = (score, name, dict(zip(labels, (unquote(v) for v in match.groups()))))
    return (best[1], best[2]) if best else None


def _query_params(op, values: dict[str, list[str]]) -> dict[str, Any]:
    params: dict[str, Any] = {}
    shape = op.input_shape
    members = shape.members if shape else {}
    for name, member in members.items():
        wire = member.serialization.get("name", name)
        if wire in values:
            params[name] = values[wire][0]
        elif member.type_name == "list":
            item = member.member.serialization.get("name") or wire
            listed = [values[k][0] for k in sorted((k for k in values if re.fullmatch(
                rf"{re.escape(wire)}(\.{re.escape(item)})?\.\d+", k)), key=lambda k: int(k.rsplit(".", 1)[1]))]
            if listed:
                params[name] = listed
    return params


def read_call(method: str, url: str, headers: dict[str, str], body: bytes) -> WireCall | None:
    """The call a signed request makes, or None when it is not a signed AWS API call."""
    match = CREDENTIAL.search(headers.get("authorization", ""))
    if not match:
        return None
    access_key_id, region, signing = match.groups()
    service = _by_signing_name().get(signing)
    model = models.service_model(service) if service else None
    if model is None:
        return None
    parsed = urlparse(url)
    query = parse_qs(parsed.query, keep_blank_values=True)
    protocol = model.protocol
    text = body.decode("utf-8", "replace") if body else ""
    if protocol in ("query", "ec2"):
        values = {**query, **parse_qs(text, keep_blank_values=True)}
        operation = (values.get("Action") or [None])[0]
        if operation not in model.operation_names:
            return None
        return WireCall(service, operation, _query_params(model.operation_model(operation), values), access_key_id,
                        region, protocol)
    if protocol == "json":
        target = headers.get("x-amz-target", "")
        operation = target.rsplit(".", 1)[-1]
        if operation not in model.operation_names:
            return None
        try:
            params = json.loads(text) if text.strip() else {}
        except ValueError:
            params = {}
        return WireCall(service, operation, params if isinstance(params, dict) else {}, access_key_id, region,
                        protocol)
    found = _rest_operation(model, method, unquote(parsed.path), query)
    if not found:
        return None
    operation, labels = found
    op = model.operation_model(operation)
    params: dict[str, Any] = {}
    for name, member in (op.input_shape.members.items() if op.input_shape else []):
        location = member.serialization.get("location")
        wire = member.serialization.get("name", name)
        if location == "uri" and wire in labels:
            params[name] = labels[wire]
        elif location == "querystring" and wire in query:
            params[name] = query[wire][0]
        elif location == "header" and wire.lower() in headers:
            params[name] = headers[wire.lower()]
    if protocol == "rest-json" and text.strip().startswith("{"):
        try:
            params.update(json.loads(text))
        except ValueError:
            pass
    return WireCall(service, operation, params, access_key_id, region, protocol)
