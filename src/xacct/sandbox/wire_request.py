"""An AWS API request as it arrived at the served sandbox: the method, the path and query string
as sent (signatures cover them as sent), the headers by lower-case name and the body, read within
limits. A body that cannot be read (a Content-Length that is no number, a chunk shorter than it
says, more than a sandbox keeps in memory) is refused in AWS's words before anything else."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from ..aws import models
from .wire_errors import WireError

# A body larger than this is refused before it is read: a sandbox keeps everything in memory. It
# leaves room for S3 objects and Lambda zips of the sizes a sandbox sees.
MAX_BODY = 128 * 1024 * 1024
MAX_FIELDS = 10_000  # parameters in one query string or form body
READ_CHUNK = 1024 * 1024
READABLE = ("query", "ec2", "json", "rest-json", "rest-xml")


@dataclass
class WireRequest:
    method: str
    path: str  # as sent, percent-encoded
    query: str  # as sent
    headers: dict[str, str]  # lower-case names
    body: bytes = b""

    @property
    def host(self) -> str:
        return self.headers.get("host", "")

    @property
    def query_values(self) -> dict[str, list[str]]:
        return parse_query(self.query)

    @property
    def form(self) -> bool:
        return self.headers.get("content-type", "").lower().startswith("application/x-www-form-urlencoded")


def read_request(environ) -> WireRequest:
    """The request as sent: the raw path (werkzeug keeps it in RAW_URI; PATH_INFO is decoded), the
    headers by lower-case name (WSGI keeps Content-Type and Content-Length apart) and the body."""
    # moto's request handler keeps the spelling of S3 metadata headers with underscores (signed so)
    spelled = environ.get("moto.preserved_header_names") or {}
    headers = {spelled.get(k, k[5:].replace("_", "-")).lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    for key, name in (("CONTENT_TYPE", "content-type"), ("CONTENT_LENGTH", "content-length")):
        if environ.get(key):
            headers[name] = environ[key]
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        path, _, query = raw.partition("?")
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*://", path):  # absolute-form request target: scheme://host/path
            path = "/" + path.split("/", 3)[3] if path.count("/") >= 3 else "/"
    else:
        from urllib.parse import quote

        path, query = quote(environ.get("PATH_INFO", "/")), environ.get("QUERY_STRING", "")
    path = path or "/"
    request = WireRequest(environ.get("REQUEST_METHOD", "GET").upper(), path, query, headers)
    request.body = _read_body(environ, request)
    return request


def _read_body(environ, request: WireRequest) -> bytes:
    stream = environ["wsgi.input"]
    s3 = protocol_hint(request) == "rest-xml"
    if environ.get("wsgi.input_terminated"):  # chunked: read to the end, up to the limit
        chunks, size = [], 0
        while True:
            chunk = _read(stream, READ_CHUNK, s3)
            if not chunk:
                return b"".join(chunks)
            size += len(chunk)
            if size > MAX_BODY:
                raise _too_large(s3)
            chunks.append(chunk)
    text = request.headers.get("content-length", "").strip()
    if not text:
        return b""
    if not re.fullmatch(r"[0-9]{1,20}", text):
        raise WireError("InvalidArgument" if s3 else "MalformedHttpRequestException",
                        f"The Content-Length header must be a number of bytes, not '{text[:40]}'.")
    length = int(text)
    if length > MAX_BODY:
        raise _too_large(s3)
    body = _read(stream, length, s3) if length else b""
    if len(body) < length:
        raise WireError("IncompleteBody" if s3 else "MalformedHttpRequestException",
                        "You did not provide the number of bytes specified by the Content-Length HTTP header "
                        f"({len(body)} of {length} arrived).")
    return body


def _read(stream, size: int, s3: bool) -> bytes:
    try:
        return stream.read(size)
    except TimeoutError:
        if s3:
            raise WireError("RequestTimeout", "Your socket connection to the server was not read from or written to "
                                              "within the timeout period. Idle connections will be closed.") from None
        raise WireError("RequestTimeoutException", "The request body did not arrive within the timeout period.",
                        408) from None
    except (OSError, ValueError) as broken:  # werkzeug's reading of a chunked body: "Invalid chunk header"
        raise WireError("IncompleteBody" if s3 else "MalformedHttpRequestException",
                        f"The request body could not be read: {broken}.") from None


def _too_large(s3: bool) -> WireError:
    if s3:
        return WireError("EntityTooLarge", "Your proposed upload exceeds the maximum allowed size",
                         extra={"MaxSizeAllowed": str(MAX_BODY)})
    return WireError("RequestEntityTooLargeException",
                     f"The request body is larger than the sandbox accepts ({MAX_BODY} bytes).", 413)


def protocol_hint(request: WireRequest) -> str:
    """The protocol a request seems to speak before its service is known, to shape an error about
    the request itself (a bad Content-Length): JSON if it names a target, query if it names an
    action, S3's REST-XML otherwise, as S3 is what a bare URL reaches."""
    if "x-amz-target" in request.headers:
        return "json"
    scope = _credential_scope(request)
    if scope:
        model = models.service_model(scope) if scope in models.service_names() else None
        if model is not None:
            return model.protocol if model.protocol in READABLE else "rest-json"
    if "Action=" in request.query or (request.form and b"Action=" in request.body):
        return "ec2" if scope == "ec2" else "query"
    return "rest-json" if request.headers.get("content-type", "").startswith("application/json") else "rest-xml"


def _credential_scope(request: WireRequest) -> str | None:
    found = re.search(r"Credential=[^/,\s]+/\d{8}/[^/]+/([^/]+)/aws4_request", request.headers.get("authorization", ""))
    if not found:
        found = re.search(r"X-Amz-Credential=[^&]*?(?:/|%2F)\d{8}(?:/|%2F)[^&/%]+(?:/|%2F)([^&/%]+)", request.query)
    return found.group(1) if found else None


def virtual_host_bucket(host: str) -> str | None:
    """The bucket of a virtual-hosted-style S3 request (bucket.s3.amazonaws.com, bucket.localhost)."""
    name = host.split(":", 1)[0].lower()
    found = re.match(r"^(.+?)\.s3[.-]", name) or re.match(r"^(.+)\.localhost$", name)
    return found.group(1) if found else None


def s3_region(host: str) -> str:
    found = re.search(r"s3[.-]([a-z]{2}(?:-[a-z]+)+-\d)\.", host)
    return found.group(1) if found else "us-east-1"


def first_value(values: dict[str, list[str]], key: str) -> str | None:
    found = values.get(key)
    return found[0] if found else None


def parse_query(text: str, strict: bool = False) -> dict[str, list[str]]:
    """Parameters by name; `strict`: a value whose percent-escapes are not UTF-8 is refused (the
    query protocols' values are text), as is a request with more parameters than any API takes."""
    try:
        return parse_qs(text, keep_blank_values=True, max_num_fields=MAX_FIELDS,
                        errors="strict" if strict else "replace")
    except UnicodeDecodeError:
        raise WireError("InvalidQueryParameter", "A parameter of the request is not UTF-8 text once decoded.") \
            from None
    except ValueError:
        raise WireError("MalformedQueryString", f"The request has more than {MAX_FIELDS} parameters.") from None
