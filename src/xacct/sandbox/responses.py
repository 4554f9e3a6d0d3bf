"""Answering a botocore request from inside the process (a `before-send` handler), the way moto
answers: an AWSResponse whose body botocore parses as it would parse AWS's."""

from __future__ import annotations

import io
import json


class _Raw(io.BytesIO):
    def stream(self, **_):
        yield self.getvalue()


def response(request, status: int, body: bytes | str = b"", headers: dict | None = None):
    from botocore.awsrequest import AWSResponse

    data = body.encode() if isinstance(body, str) else body
    return AWSResponse(request.url, status, headers or {}, _Raw(data))


def json_error(request, status: int, code: str, message: str):
    """A service error in the JSON protocols (Lambda's REST-JSON among them)."""
    return response(request, status, json.dumps({"Type": "User", "message": message}),
                    {"x-amzn-ErrorType": code, "Content-Type": "application/json"})
