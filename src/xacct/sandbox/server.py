"""The sandbox over HTTP on 127.0.0.1, for the AWS CLI, SDKs and script processes: moto's server
application behind the same gate as in-process calls (WSGI middleware), with requests to moto
serialized, since moto's models are not made for concurrent writers."""

from __future__ import annotations

import io
import threading
import uuid
import xml.etree.ElementTree as ET
from html import escape

from ..aws import models
from .gate import AccessRefused, Gate, _error_code
from .http_requests import read_call


def _error_body(protocol: str, code: str, message: str) -> tuple[bytes, str]:
    request_id = str(uuid.uuid4())
    text = escape(message, quote=False)
    if protocol in ("json", "rest-json"):
        import json

        return json.dumps({"__type": code, "message": message}).encode(), "application/x-amz-json-1.1"
    if protocol == "ec2":
        body = (f'<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>{code}</Code>'
                f"<Message>{text}</Message></Error></Errors><RequestID>{request_id}</RequestID></Response>")
    elif protocol == "rest-xml":
        body = (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{text}</Message>'
                f"<RequestId>{request_id}</RequestId></Error>")
    else:
        body = (f"<ErrorResponse><Error><Type>Sender</Type><Code>{code}</Code><Message>{text}</Message></Error>"
                f"<RequestId>{request_id}</RequestId></ErrorResponse>")
    return body.encode(), "text/xml"


class GateMiddleware:
    def __init__(self, app, gate: Gate | None) -> None:
        self.app, self.gate = app, gate
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        call = None
        if self.gate is not None:
            headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
            url = environ.get("PATH_INFO", "/") + ("?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")
            call = read_call(environ.get("REQUEST_METHOD", "GET"), url, headers, body)
        if call is not None:
            try:
                self.gate.check(call.service, call.operation, call.params, call.region, call.access_key_id)
                served = self.gate.serve(call.service, call.operation, call.params, call.access_key_id, call.region)
            except AccessRefused as refused:
                code = refused.code if refused.code != "AccessDenied*" else _error_code(
                    models.service_model(call.service))
                self.gate.record(call.access_key_id, refused, code)
                payload, content_type = _error_body(call.protocol, code, refused.message)
                start_response(f"{refused.status} {'Forbidden' if refused.status == 403 else 'Bad Request'}",
                               [("Content-Type", content_type), ("Content-Length", str(len(payload))),
                                ("x-amzn-ErrorType", code)])
                return [payload]
            if served is not None and call.protocol in ("json", "rest-json"):  # others fall back to moto
                import json

                payload = json.dumps(served, default=str).encode()
                start_response("200 OK", [("Content-Type", "application/x-amz-json-1.1"),
                                          ("Content-Length", str(len(payload)))])
                return [payload]
        if call is not None and call.service == "lambda" and call.operation == "Invoke" and self.gate.cloud:
            answer = self._invoke(environ, headers, body, call)
            if answer is not None:
                status, answer_headers, payload = answer
                start_response(status, answer_headers)
                return [payload]
        with self.lock:
            chunks = list(self.app(environ, start_response))
        if call is not None and call.service == "sts" and call.operation == "AssumeRole":
            self._remember_session(call, b"".join(chunks))
        return chunks

    def _invoke(self, environ, headers: dict, body: bytes, call):
        """Lambda Invoke over HTTP runs the function as in process (lambda_runtime), not moto's
        stand-in answer."""
        from . import lambda_runtime

        class _Request:  # what handle_invoke reads of a botocore request
            url = "http://sandbox" + environ.get("PATH_INFO", "/") + (
                "?" + environ["QUERY_STRING"] if environ.get("QUERY_STRING") else "")

        request = _Request()
        request.headers = {k.title(): v for k, v in headers.items()}
        request.body = body
        holder = self.gate.principals.resolve(call.access_key_id)
        if holder is None:
            return None
        answer = lambda_runtime.handle_invoke(self.gate.cloud, request, holder.account, call.region)
        if answer is None:
            return None
        payload = answer.content
        return f"{answer.status_code} OK", [(k, str(v)) for k, v in answer.headers.items()] + [
            ("Content-Length", str(len(payload)))], payload

    def _remember_session(self, call, body: bytes) -> None:
        try:
            root = ET.fromstring(body)
        except ET.ParseError:
            return
        found = {el.tag.rsplit("}", 1)[-1]: (el.text or "") for el in root.iter()}
        if "AccessKeyId" in found and "Arn" in found:
            self.gate.after_assume(call.params, found["AccessKeyId"], found["Arn"])


class SandboxServer:
    def __init__(self, gate: Gate | None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.gate, self.host, self.port = gate, host, port
        self._server = None
        self._thread: threading.Thread | None = None

    def start(self) -> str:
        import logging

        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request lines on the user's terminal
        app = GateMiddleware(DomainDispatcherApplication(create_backend_app), self.gate)
        self._server = make_server(self.host, self.port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, name="xacct-sandbox-http", daemon=True)
        self._thread.start()
        return self.url

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
