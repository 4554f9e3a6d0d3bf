"""AWS's error answers over HTTP, in the shape each protocol uses, so that every SDK parses the code
and message the sandbox means: query services (STS, IAM) answer an `ErrorResponse` document, EC2
a `Response/Errors` one, REST-XML (S3) a bare `Error`, and the JSON protocols a `__type` and
`message` object (with the code in `x-amzn-ErrorType` as well, which REST-JSON SDKs read first).
Nothing here knows why a request failed; callers raise `WireError` with AWS's code and text."""

from __future__ import annotations

import json
import uuid
from html import escape

REASONS = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found", 405: "Method Not Allowed",
           408: "Request Timeout", 411: "Length Required", 413: "Payload Too Large", 500: "Internal Server Error",
           501: "Not Implemented", 503: "Service Unavailable"}


class WireError(Exception):
    """An answer in AWS's place: the code, message and status AWS gives, and for S3 the extra
    elements its errors carry (`Expires`, `ServerTime`, `AWSAccessKeyId`...)."""

    def __init__(self, code: str, message: str, status: int = 400, extra: dict[str, str] | None = None,
                 protocol: str | None = None):
        super().__init__(message)
        self.code, self.message, self.status, self.extra = code, message, status, extra or {}
        self.protocol = protocol  # when the raiser knows it better than the request's look


def body(protocol: str, code: str, message: str, status: int = 400, extra: dict | None = None,
         json_version: str = "1.1") -> tuple[bytes, str]:
    """The error document and its Content-Type."""
    request_id = str(uuid.uuid4())
    text = escape(message, quote=False)
    if protocol == "json":
        return (json.dumps({"__type": code, "message": message}).encode(),
                f"application/x-amz-json-{json_version}")
    if protocol in ("rest-json", "smithy-rpc-v2-cbor"):
        return json.dumps({"__type": code, "message": message}).encode(), "application/json"
    if protocol == "ec2":
        document = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>{code}</Code>'
                    f"<Message>{text}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>")
    elif protocol == "rest-xml":
        more = "".join(f"<{name}>{escape(str(value), quote=False)}</{name}>" for name, value in (extra or {}).items())
        document = (f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code><Message>{text}</Message>'
                    f"{more}<RequestId>{request_id}</RequestId></Error>")
    else:  # query, and the shape for a request whose protocol cannot be told
        kind = "Receiver" if status >= 500 else "Sender"
        document = (f"<ErrorResponse><Error><Type>{kind}</Type><Code>{code}</Code><Message>{text}</Message></Error>"
                    f"<RequestId>{request_id}</RequestId></ErrorResponse>")
    return document.encode(), "text/xml"


def answer(start_response, protocol: str, error: WireError, method: str = "GET", json_version: str = "1.1"):
    """Send `error` (WSGI); a HEAD answer carries the status and headers only, as S3's do."""
    payload, content_type = body(protocol, error.code, error.message, error.status, error.extra, json_version)
    if method == "HEAD":
        payload = b""
    headers = [("Content-Type", content_type), ("Content-Length", str(len(payload))),
               ("x-amzn-RequestId", str(uuid.uuid4()))]
    if protocol in ("json", "rest-json", "smithy-rpc-v2-cbor"):
        headers.append(("x-amzn-ErrorType", error.code))
    start_response(f"{error.status} {REASONS.get(error.status, 'Error')}", headers)
    return [payload]


def bare(status: int, code: str, message: str) -> bytes:
    """An error for a request too broken to tell its protocol (a request line or headers the HTTP
    server refuses): the plain `Error` document, which is XML as most protocols' errors are."""
    return body("rest-xml", code, message, status)[0]
