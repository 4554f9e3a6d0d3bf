"""The served sandbox's own answers, and what it learns from moto's.

- A call the gate answers (`Gate.serve`: a shared document, GetSessionToken, SSM Automation...)
  is written in its protocol: JSON as before, the XML protocols by moto's response serializer
  from botocore's output shape, as moto writes its own answers.
- Some calls are answered here rather than by moto (LOCAL): Lambda Invoke runs the function as in
  process (lambda_runtime), not moto's stand-in.
- Some of moto's answers teach the gate something (AFTER): an AssumeRole's session, with its
  secret and token, which the signature checks need and which are kept in memory only."""

from __future__ import annotations

import json
import uuid
from datetime import timezone
from functools import lru_cache

from .http_requests import WireCall, WireRequest


def served(call: WireCall, answer: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status line, headers, body) of an answer the gate made."""
    if call.protocol in ("json", "rest-json", "smithy-rpc-v2-cbor"):
        payload = json.dumps(answer, default=str).encode()
        kind = f"application/x-amz-json-{call.json_version}" if call.protocol == "json" else "application/json"
        return "200 OK", [("Content-Type", kind), ("Content-Length", str(len(payload))),
                          ("x-amzn-RequestId", str(uuid.uuid4()))], payload
    from moto.core.serialize import get_serializer_class

    model = _moto_model(call.service)
    serializer = get_serializer_class(call.service, call.protocol)(model.operation_model(call.operation))
    result = serializer.serialize(answer)
    text = result["body"]
    payload = text.encode() if isinstance(text, str) else text
    headers = [(k, str(v)) for k, v in result["headers"].items() if k.lower() != "content-length"]
    return f"{result['status_code']} OK", headers + [("Content-Length", str(len(payload)))], payload


@lru_cache(maxsize=None)
def _moto_model(service: str):
    """moto's serializer reads moto's facade over botocore's model (moto.core.model)."""
    from moto.core.model import ServiceModel

    from ..aws import models

    loader = models._session().get_component("data_loader")
    return ServiceModel(loader.load_service_model(service, "service-2"), service)


# -- answered here, not by moto ------------------------------------------------------------------
def _lambda_invoke(gate, request: WireRequest, call: WireCall, access_key_id: str):
    """Lambda Invoke over HTTP runs the function as in process (lambda_runtime)."""
    from . import lambda_runtime

    if gate.cloud is None:
        return None

    class _Request:  # what handle_invoke reads of a botocore request
        url = f"http://sandbox{request.path}" + (f"?{request.query}" if request.query else "")
        headers = {k.title(): v for k, v in request.headers.items()}
        body = request.body

    holder = gate.principals.resolve(access_key_id)
    if holder is None:
        return None
    answer = lambda_runtime.handle_invoke(gate.cloud, _Request(), holder.account, call.region)
    if answer is None:
        return None
    payload = answer.content
    headers = [(k, str(v)) for k, v in answer.headers.items() if k.lower() != "content-length"]
    return f"{answer.status_code} OK", headers + [("Content-Length", str(len(payload)))], payload


LOCAL = {("lambda", "Invoke"): _lambda_invoke}


def local(gate, request: WireRequest, call: WireCall, access_key_id: str):
    handler = LOCAL.get((call.service, call.operation))
    return handler(gate, request, call, access_key_id) if handler else None


# -- learnt from moto's answers ------------------------------------------------------------------
def _remember_session(gate, call: WireCall, status: int, body: bytes) -> None:
    import xml.etree.ElementTree as ET

    from botocore.utils import parse_timestamp

    from .principals import KeySecret

    if status != 200:
        return
    try:
        root = ET.fromstring(body)
    except ET.ParseError:
        return
    found = {el.tag.rsplit("}", 1)[-1]: (el.text or "") for el in root.iter()}
    if "AccessKeyId" in found and "Arn" in found:
        secret = None
        if found.get("SecretAccessKey"):
            try:
                expires = parse_timestamp(found["Expiration"]).astimezone(timezone.utc) if found.get("Expiration") \
                    else None
            except (ValueError, TypeError):
                expires = None
            secret = KeySecret(found["SecretAccessKey"], found.get("SessionToken") or None, expires)
        gate.after_assume(call.params, found["AccessKeyId"], found["Arn"], secret)


AFTER = {("sts", "AssumeRole"): _remember_session}


def after(gate, call: WireCall, status: int, body: bytes) -> None:
    hook = AFTER.get((call.service, call.operation))
    if hook:
        hook(gate, call, status, body)
