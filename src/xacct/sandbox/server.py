"""The sandbox over HTTP on 127.0.0.1, for the AWS CLI, SDKs and script processes: moto's server
application behind the same gate as in-process calls (WSGI middleware), with requests to moto
serialized, since moto's models are not made for concurrent writers.

Each request goes through one pipeline: read it (within limits), find its service and operation,
authenticate it (SigV4, as AWS does; unsigned is anonymous), validate its parameters against the
model, ask the gate, then answer: the gate's answer, a local one, or moto's; then the same
after-call handlers as in process (after_calls) run on the answer, as botocore parses it.
Whatever goes wrong answers in the protocol's error shape with AWS's code; a fault inside the
sandbox is one log line and an InternalFailure, and the server keeps serving."""

from __future__ import annotations

import io
import logging
import sys
import threading

from ..aws import models
from .auth import authenticate
from .gate import AccessRefused, Gate, error_code
from .http_layer import quiet_backend, request_handler
from .http_requests import WireCall, WireRequest, protocol_hint, read_call, read_request
from .principals import ANONYMOUS
from .wire_answers import after, answered, local, served
from .wire_errors import WireError, answer
from .wire_validate import validate

log = logging.getLogger("xacct.sandbox.server")
# moto's own API (reset, seed, dashboard) and its instance metadata would bypass every check
MOTO_ONLY_PATHS = ("/moto-api", "/latest/meta-data", "/latest/api", "/favicon.ico")


class GateMiddleware:
    def __init__(self, app, gate: Gate | None) -> None:
        self.app, self.gate = app, gate
        self.lock = threading.Lock()

    def __call__(self, environ, start_response):
        request: WireRequest | None = None
        call: WireCall | None = None
        try:
            request = read_request(environ)
            if self.gate is None:  # moto as it is
                return self._moto(environ, start_response, request, None)
            call = read_call(request)
            key = authenticate(request, call, self.gate.principals)
            validate(call)
            reply = self._decide(call, key) or local(self.gate, request, call, key)
            if reply is not None:
                start_response(reply[0], reply[1])
                return [reply[2]]
            return self._moto(environ, start_response, request, call)
        except WireError as error:
            return self._refuse(start_response, error, request, call)
        except Exception as fault:  # a fault of the sandbox: one line on the terminal, and AWS's shape
            where = f"{call.service} {call.operation}" if call else environ.get("REQUEST_METHOD", "")
            log.error("sandbox: %s failed: %s: %s", where, type(fault).__name__, _one_line(fault))
            error = WireError("InternalFailure", "The request processing has failed because of an unknown error, "
                                                 "exception or failure.", 500)
            return self._refuse(start_response, error, request, call, sys.exc_info())

    def _decide(self, call: WireCall, key: str):
        """The gate's decision; its own answer when it makes one."""
        try:
            self.gate.check(call.service, call.operation, call.params, call.region, key)
            own = self.gate.serve(call.service, call.operation, call.params, key, call.region)
        except AccessRefused as refused:
            code = refused.code if refused.code != "AccessDenied*" else error_code(models.service_model(call.service))
            self.gate.record(key, refused, code)
            # S3 tells an anonymous caller no more than this
            message = "Access Denied" if key == ANONYMOUS and refused.decision is not None else refused.message
            raise WireError(code, message, refused.status, protocol=call.protocol) from None
        if own is None:
            return None
        answered(self.gate, call, own)  # as in process, where after-call follows the gate's answers too
        return served(call, own)

    def _moto(self, environ, start_response, request: WireRequest, call: WireCall | None):
        if request.path.startswith(MOTO_ONLY_PATHS) and self.gate is not None:
            raise WireError("AccessDenied", "Access Denied", 403, protocol="rest-xml")
        body = request.body if call is None or call.takes_body else b""  # moto would try to read it
        environ["wsgi.input"] = io.BytesIO(body)
        environ["CONTENT_LENGTH"] = str(len(body))
        environ.pop("HTTP_TRANSFER_ENCODING", None)
        environ.pop("wsgi.input_terminated", None)
        if call is not None:
            _name_the_caller(environ, call)
        try:
            status, headers, payload = self._call_moto(environ)
        except NotImplementedError as missing:
            what = f"{call.service} {call.operation}" if call else "this request"
            raise WireError("NotImplemented", f"The sandbox (moto) does not implement {what}: "
                                              f"{_one_line(missing)}", 501) from None
        if status >= 400 and _html(headers):
            raise _from_moto_page(status, request, call)
        reply = None
        if call is not None:
            with self.lock:  # handlers may change moto's state (a launch judged), as requests to moto do
                reply = after(self.gate, call, status, headers, payload)
        if reply is not None:  # an after-call handler changed moto's answer
            start_response(reply[0], reply[1])
            return [reply[2]]
        start_response(f"{status} {_reason(status)}", headers)
        return [payload]

    def _call_moto(self, environ) -> tuple[int, list, bytes]:
        captured: list = []
        written: list[bytes] = []

        def start(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return written.append

        with self.lock:
            result = self.app(environ, start)
            try:
                chunks = written + [bytes(chunk) for chunk in result]
            finally:
                if hasattr(result, "close"):
                    result.close()
        status = int(str(captured[0]).split(" ", 1)[0])
        return status, list(captured[1]), b"".join(chunks)

    def _refuse(self, start_response, error: WireError, request: WireRequest | None, call: WireCall | None,
                exc_info=None):
        protocol = error.protocol or (call.protocol if call else protocol_hint(request) if request else "rest-xml")
        method = request.method if request else "GET"
        version = call.json_version if call else "1.1"

        def start(status, headers):
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return answer(start, protocol, error, method, version)


def _name_the_caller(environ, call: WireCall) -> None:
    """The request is authenticated and allowed by now. moto reads the caller (its account) and
    the service from a SigV4 Authorization header only, and without one applies rules of its own
    to "anonymous" S3 requests (it refuses a HEAD that the bucket policy allows): a presigned,
    SigV2 or unsigned request is given one that names who was let in."""
    sig = call.signature
    if sig is not None and not sig.in_query and sig.version == 4:
        return
    key = sig.access_key_id if sig is not None else ANONYMOUS
    signing = sig.service if sig is not None else call.service
    environ["HTTP_AUTHORIZATION"] = (f"AWS4-HMAC-SHA256 Credential={key}/20000101/{call.region or 'us-east-1'}/"
                                     f"{signing}/aws4_request, SignedHeaders=host, Signature=checked")


def _from_moto_page(status: int, request: WireRequest, call: WireCall | None) -> WireError:
    """moto (Flask) answers a route it lacks or a failure with an HTML page; AWS never does."""
    what = f"{request.method} {request.path[:200]}"
    if status == 404:
        return WireError("UnknownOperationException", f"The sandbox (moto) has no route for {what}.", 404)
    if status == 405:
        return WireError("MethodNotAllowed", f"The sandbox (moto) does not take {what}.", 405)
    if status >= 500:
        log.error("sandbox: moto failed on %s (HTTP %s)", f"{call.service} {call.operation}" if call else what, status)
        return WireError("InternalFailure", "The request processing has failed because of an unknown error, "
                                            "exception or failure.", 500)
    return WireError("InvalidRequest", f"The sandbox (moto) refused {what} (HTTP {status}).", status)


def _html(headers) -> bool:
    return any(k.lower() == "content-type" and "html" in str(v).lower() for k, v in headers)


def _reason(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:300]


class SandboxServer:
    def __init__(self, gate: Gate | None, host: str = "127.0.0.1", port: int = 0) -> None:
        self.gate, self.host, self.port = gate, host, port
        self._server = None
        self._thread: threading.Thread | None = None
        self._dispatcher = None

    def start(self) -> str:
        from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
        from werkzeug.serving import make_server

        logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no request lines on the user's terminal
        self._dispatcher = DomainDispatcherApplication(quiet_backend(create_backend_app))
        app = GateMiddleware(self._dispatcher, self.gate)
        self._server = make_server(self.host, self.port, app, threaded=True, request_handler=request_handler())
        self._thread = threading.Thread(target=self._server.serve_forever, name="xacct-sandbox-http", daemon=True)
        self._thread.start()
        return self.url

    def warm(self, services=("sts", "s3", "iam", "ec2", "ssm", "kms", "lambda")) -> None:
        """Do before serving what the first request of each common service would otherwise wait
        for: its botocore model, moto's copy of it, and moto's application for it."""
        from moto.core.utils import get_service_model as moto_model

        from .service_index import services_signed_as

        for service in services:
            next(services_signed_as(service), None)
            models.service_model(service)
            try:
                moto_model(service)
                host = {"s3": "s3.us-east-1.amazonaws.com"}.get(service, f"{service}.us-east-1.amazonaws.com")
                backend = self._dispatcher.get_backend_for_host(host)
                if backend and backend not in self._dispatcher.app_instances:
                    with self._dispatcher.lock:
                        self._dispatcher.app_instances[backend] = self._dispatcher.create_app(backend)
            except Exception:  # warming is an optimization: the first request does it otherwise
                continue

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
