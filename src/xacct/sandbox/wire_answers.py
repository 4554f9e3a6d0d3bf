"""The served sandbox's own answers, and what it learns from moto's.

- A call the gate answers (`Gate.serve`: a shared document, GetSessionToken, SSM Automation...)
  is written in its protocol: JSON as before, the XML protocols by moto's response serializer
  from botocore's output shape, as moto writes its own answers.
- Some calls are answered here rather than by moto (LOCAL): Lambda Invoke runs the function as in
  process (lambda_runtime), not moto's stand-in.
- After moto answers, the call's handler in after_calls runs on the answer, read by botocore's
  own response parser as in process: an AssumeRole's session is remembered (with its secret and
  token, for the signature checks), a launch judged; a handler that changes the answer (the
  tagging API's buckets of the Region) has it written again in the call's protocol."""

from __future__ import annotations

import json
import uuid
from functools import lru_cache

from .http_requests import WireCall, WireRequest


def served(call: WireCall, answer: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """(status line, headers, body) of an answer the gate made."""
    if call.protocol in ("json", "rest-json", "smithy-rpc-v2-cbor"):
        payload = json.dumps(answer, default=str).encode()
        kind = f"application/x-amz-json-{call.json_version}" if call.protocol == "json" else "application/json"
        return "200 OK", [("Content-Type", kind), ("Content-Length", str(len(payload))),
                          ("x-amzn-RequestId", str(uuid.uuid4()))], payload
    from moto.core.serialize import SerializationContext, get_serializer_class

    model = _moto_model(call.service)
    serializer = get_serializer_class(call.service, call.protocol)(model.operation_model(call.operation),
                                                                   SerializationContext(str(uuid.uuid4())))
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

    loader = models.botocore_session().get_component("data_loader")
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


# -- after the answer: after_calls' table, as in process -------------------------------------------
def answered(gate, call: WireCall, parsed) -> bool:
    """Run the call's after-call handler on its answer (a dict, as botocore parses it); True when
    the handler changed the answer."""
    from .after_calls import Answered, run
    from .principals import ANONYMOUS

    return run(gate, Answered(call.service, call.operation, call.region, call.access_key_id or ANONYMOUS,
                              call.params), parsed)


def after(gate, call: WireCall, status: int, headers: list, body: bytes):
    """moto's answer to a call that has an after-call handler, read with botocore's own response
    parser (what the handler receives in process); (status line, headers, body) written again
    when the handler changed it, None when moto's answer stands."""
    from .after_calls import handles

    if status >= 300 or not handles(call.service, call.operation):
        return None
    parsed = _parse(call, status, headers, body)
    if parsed is None or not answered(gate, call, parsed):
        return None
    parsed.pop("ResponseMetadata", None)
    return served(call, parsed)


def _parse(call: WireCall, status: int, headers: list, body: bytes) -> dict | None:
    from botocore.awsrequest import HeadersDict
    from botocore.parsers import create_parser

    operation = call.model
    if operation.has_streaming_output or operation.has_event_stream_output:
        return None  # a stream is the caller's to read, not the sandbox's
    return create_parser(call.protocol).parse({"status_code": status, "headers": HeadersDict(headers), "body": body,
                                               "context": {"operation_name": call.operation}},
                                              operation.output_shape)
