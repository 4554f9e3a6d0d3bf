"""The HTTP server under the served sandbox's middleware: werkzeug's, through moto's request handler
(which keeps S3 metadata headers with underscores), with an idle timeout, a chunked-body reader
that cannot be driven past its buffer, and errors of the HTTP layer itself (a request line too
long, too many headers) written as AWS-style XML rather than http.server's HTML page. moto's Flask
applications propagate their exceptions to the middleware, which answers them."""

from __future__ import annotations

from .wire_errors import bare

IDLE_SECONDS = 20  # as S3 closes a connection that sends nothing (RequestTimeout)


def quiet_backend(create_backend_app):
    """moto's Flask apps run in debug mode, so an exception inside one reaches the middleware,
    which answers it; nothing is printed."""

    def create(service):
        app = create_backend_app(service)
        app.config["PROPAGATE_EXCEPTIONS"] = True
        app.logger.disabled = True
        return app

    return create


def request_handler():
    from moto.moto_server.werkzeug_app import MotoRequestHandler

    class Handler(MotoRequestHandler):
        """moto's handler (it keeps S3 metadata headers with underscores), with an idle timeout
        and errors of the HTTP layer (a request line too long, too many headers) as AWS-style
        XML, not http.server's HTML page."""

        timeout = IDLE_SECONDS

        def make_environ(self):
            environ = super().make_environ()
            if environ.get("wsgi.input_terminated"):
                environ["wsgi.input"] = _Chunked(self.rfile)
            return environ

        def send_error(self, code, message=None, explain=None):
            codes = {400: "BadRequest", 408: "RequestTimeout", 414: "RequestURITooLong",
                     431: "RequestHeaderSectionTooLarge", 501: "NotImplemented", 505: "HttpVersionNotSupported"}
            text = message or self.responses.get(code, ("Bad request",))[0]
            payload = bare(code, codes.get(code, "BadRequest"), text)
            self.close_connection = True
            try:
                self.send_response(code)
                self.send_header("Content-Type", "application/xml")
                self.send_header("Content-Length", str(len(payload)))
                self.send_header("Connection", "close")
                self.end_headers()
                if self.command != "HEAD" and code >= 200 and code not in (204, 304):
                    self.wfile.write(payload)
            except (ConnectionError, TimeoutError, ValueError):
                pass

    return Handler


class _Chunked:
    """A chunked request body. werkzeug's own reader (DechunkedInput) fills a buffer past its end,
    which crashes the process, when a chunk ends before its announced length; this one reads
    exactly what each chunk announces and calls a short chunk an error."""

    def __init__(self, rfile) -> None:
        self._rfile, self._left, self._done = rfile, 0, False

    def read(self, size: int = -1) -> bytes:
        out = bytearray()
        while not self._done and (size < 0 or len(out) < size):
            if self._left == 0:
                line = self._rfile.readline(100)
                try:
                    self._left = int(line.split(b";", 1)[0].strip(), 16)
                except ValueError:
                    raise OSError("Invalid chunk header") from None
                if self._left < 0:
                    raise OSError("Negative chunk length")
                if self._left == 0:
                    self._done = True
                    self._rfile.readline(100)  # the blank line that ends the body (trailers are not read)
                    break
            want = self._left if size < 0 else min(self._left, size - len(out))
            data = self._rfile.read(want)
            if len(data) < want:
                raise OSError("A chunk ended before its announced length")
            out += data
            self._left -= len(data)
            if self._left == 0:
                self._rfile.readline(100)  # the line end after each chunk's data
        return bytes(out)
