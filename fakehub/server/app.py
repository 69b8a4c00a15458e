"""The HTTP server: the standard library's threading server, speaking what AWS's JSON 1.1
endpoints speak, in front of the hub's own dispatcher.

HTTP/1.1 with keep-alive, ``TCP_NODELAY`` and each answer written in one piece (headers
and body written apart would wait on Nagle's algorithm: ~40 ms a call), a ``Date`` header
from fakehub's clock (the JS SDK re-bases its signing clock on it) and
``x-amzn-RequestId`` as AWS sends it.  A connection idle for ``IDLE_TIMEOUT`` seconds, or
one that sends less body than its ``Content-Length``, is closed; the server goes on
serving everyone else.
"""

from __future__ import annotations

import contextlib
import socket
import sys
import threading
import traceback
from collections.abc import Callable, Mapping
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from .. import console
from ..core import clock
from ..hub import Hub
from ..wire.decoding import ProtocolError, check_size
from ..wire.dispatch import FakehubBug, NoEndpoint
from ..wire.protocol import encode, error_body
from ..wire.services import by_target
from . import control
from .sigv4 import SignatureRefused, verify

IDLE_TIMEOUT = 30.0
JSON_11 = "application/x-amz-json-1.1"
CONSOLE_REFRESH_SECONDS = 2
LOOPBACK = ("127.0.0.1", "localhost", "::1")


class Server:
    """A running server (``fakehub.serve()``): ``endpoint_url``, ``port``, ``hub`` (replace it
    between tests: each request is answered by the hub set at that moment) and ``stop()``."""

    def __init__(
        self,
        hub: Hub | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        new_hub: Callable[[], Hub] | None = None,
        secrets: Mapping[str, str] | None = None,
        verify_signatures: bool = False,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        if not isinstance(port, int) or isinstance(port, bool) or not 0 <= port <= 65535:
            raise ValueError(f"port must be a whole number from 0 (any free port) to 65535, got {port!r}")
        if isinstance(idle_timeout, bool) or not isinstance(idle_timeout, (int, float)) or idle_timeout <= 0:
            raise ValueError(f"idle_timeout must be a positive number of seconds, got {idle_timeout!r}")
        if verify_signatures and not secrets:
            raise ValueError("verify_signatures needs secrets: {access key id: secret access key}")
        self._new_hub = new_hub or (lambda: Hub(home_region="auto"))
        self._hub = hub if hub is not None else self._new_hub()
        self.secrets = dict(secrets or {})
        self.verify_signatures = verify_signatures
        handler = type("_Handler", (_Handler,), {"timeout": idle_timeout})  # per server: its own idle timeout
        self._http = _HTTPServer((host, port), handler)
        self._http.fakehub = self
        self._thread: threading.Thread | None = None

    @property
    def hub(self) -> Hub:
        return self._hub

    @hub.setter
    def hub(self, hub: Hub) -> None:
        if not isinstance(hub, Hub):
            raise TypeError(f"server.hub must be a fakehub.Hub, not {type(hub).__name__}")
        self._hub = hub

    @property
    def host(self) -> str:
        return str(self._http.server_address[0])

    @property
    def port(self) -> int:
        return int(self._http.server_address[1])

    @property
    def endpoint_url(self) -> str:
        host = self.host
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    def reset(self) -> None:
        """A fresh hub made with the server's options, and fakehub's clock back to real time."""
        self._hub = self._new_hub()
        clock.reset()

    def start(self) -> Server:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._http.serve_forever, kwargs={"poll_interval": 0.01}, name="fakehub-server", daemon=True
            )
            self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until ``stop_serving`` is called from another (the
        command line's way)."""
        self._http.serve_forever(poll_interval=0.05)

    def stop_serving(self) -> None:
        """End ``serve_forever`` (from another thread)."""
        self._http.shutdown()

    def stop(self) -> None:
        """Stop serving and close the socket (open keep-alive connections end with it)."""
        if self._thread is not None:
            self._http.shutdown()
        self._http.server_close()
        self._http.close_connections()
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(
        self, _type: type[BaseException] | None, _value: BaseException | None, _tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        return f"<fakehub.Server {self.endpoint_url}>"


def serve(hub: Hub | None = None, *, host: str = "127.0.0.1", port: int = 0) -> Server:
    """Start serving ``hub`` (a new one, ``home_region="auto"``, if None) over HTTP in a
    background thread; a context manager, or call ``.stop()``.  The hub is shared with
    in-process callers: what a boto3 client writes through an active ``mock_migrationhub``
    hub, a client of the server reads, and the other way round."""
    return Server(hub, host=host, port=port).start()


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    fakehub: Server
    request_queue_size = 64

    def server_activate(self) -> None:
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().server_activate()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that went away mid-request (reset, timed out) is no fault of the server's
        and no news to the test: only other errors are told on stderr, as before."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def close_connections(self) -> None:
        """End every open keep-alive connection: a stopped server answers no one."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):  # already closed by its client
                connection.shutdown(socket.SHUT_RDWR)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    timeout = IDLE_TIMEOUT
    server_version = "fakehub"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: a test's output is the tool's, not one line per request."""

    def do_POST(self) -> None:
        self._route("POST")

    def do_GET(self) -> None:
        self._route("GET")

    def do_DELETE(self) -> None:
        self._route("DELETE")

    def do_PUT(self) -> None:
        self._route("PUT")

    def do_PATCH(self) -> None:
        self._route("PATCH")

    def do_HEAD(self) -> None:
        self._route("HEAD")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own refusals (not HTTP at all, a header line too long, …): an HTTP/1.1
        answer in the JSON error form, and the connection closed."""
        self.close_connection = True
        detail = message or HTTPStatus(code).phrase
        self._send_error(code, "BadRequest" if code < 500 else "InternalFailure", f"{detail}. {explain or ''}".strip())

    # ---- routing ------------------------------------------------------------------------

    def _route(self, method: str) -> None:
        try:
            path = self.path.partition("?")[0]
            body = self._body()
            if body is None:
                return
            if path.startswith(control.PREFIX):
                answer = control.handle(self.server.fakehub, method, path, body)
                self._send(answer.status, answer.body, answer.content_type)
            elif path == "/" and method == "POST":
                self._aws(body)
            elif path == "/" and method in ("GET", "HEAD"):
                page = _console_page(self.server.fakehub.hub).encode()
                self._send(200, page, "text/html; charset=utf-8")  # _send leaves a HEAD's body out
            else:
                self._send_error(
                    404 if path != "/" else 405,
                    "UnknownOperationException",
                    f"{method} {path} is not an operation: AWS requests are POST / with an X-Amz-Target header; "
                    f"the console is GET /; the control API is {', '.join(control.route_list())}.",
                    extra=(("Allow", "GET, HEAD, POST"),) if path == "/" else (),
                )
        except Exception:  # noqa: BLE001 - a bug must not end the server: answered 500, told on stderr
            traceback.print_exc(file=sys.stderr)
            self.close_connection = True
            self._send_error(500, "InternalFailure", "fakehub failed to answer this request (see the server's stderr).")

    def _body(self) -> bytes | None:
        """The request's body, or None once an error has been answered instead."""
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            self.close_connection = True
            self._send_error(411, "SerializationException", "Send the body with a Content-Length, not chunked.")
            return None
        length_header = self.headers.get("Content-Length", "0")
        try:
            length = int(length_header)
            if length < 0:
                raise ValueError
        except ValueError:
            self.close_connection = True
            self._send_error(400, "SerializationException", f"Content-Length {length_header!r} is not a byte count.")
            return None
        try:
            check_size(length, _operation_name(self.headers.get("X-Amz-Target")))  # the in-process wording
        except ProtocolError as refused:
            self.close_connection = True  # the body stays unread: the connection cannot be reused
            self._send_error(refused.status, refused.code, refused.message)
            return None
        try:
            body = self.rfile.read(length) if length else b""
        except TimeoutError:  # the client stopped sending before the whole body came
            body = b""
        if len(body) < length:  # nothing half-read is handed on: the connection just closes
            self.close_connection = True
            return None
        return body

    def _aws(self, body: bytes) -> None:
        server = self.server.fakehub
        headers = self.headers
        content_type = (headers.get("Content-Type") or "").partition(";")[0].strip().lower()
        if content_type != JSON_11:
            self._send_error(
                400, "SerializationException", f"Content-Type must be {JSON_11}, not {content_type or 'missing'}."
            )
            return
        if server.verify_signatures:
            try:
                spec = by_target().get((headers.get("X-Amz-Target") or "").encode("latin-1"))
                signing_name = spec.signing_name if spec is not None else None
                verify("POST", self.path, headers, body, server.secrets, clock.now(), signing_name)
            except SignatureRefused as refused:
                self._send_error(refused.status, refused.code, refused.message)
                return
        target_header = headers.get("X-Amz-Target")
        target = target_header.encode("latin-1") if target_header is not None else None
        try:
            reply = server.hub.dispatcher.dispatch(
                target,
                {"Authorization": headers.get("Authorization"), "User-Agent": headers.get("User-Agent")},
                body,
                faked=True,
                source_ip=self.client_address[0],
            )
        except NoEndpoint as region:
            self._send_error(
                400,
                "UnrecognizedClientException",
                f"Migration Hub has no endpoint in {region} (in AWS its host name does not resolve): "
                "sign the request for a Migration Hub region.",
            )
            return
        except FakehubBug as bug:
            print(f"fakehub: {bug}", file=sys.stderr)
            self._send_error(500, "InternalFailure", str(bug))
            return
        assert reply is not None  # faked=True: every target gets an answer
        self._send(reply.status, reply.body, JSON_11, (("x-amzn-RequestId", reply.request_id),))

    # ---- answering ----------------------------------------------------------------------

    def _send_error(self, status: int, code: str, message: str, extra: tuple[tuple[str, str], ...] = ()) -> None:
        self._send(status, encode(error_body(code, message, "Message", {})), JSON_11, extra)

    def _send(self, status: int, body: bytes, content_type: str, extra: tuple[tuple[str, str], ...] = ()) -> None:
        """The whole answer in one write (see the module docstring)."""
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = ""
        lines = [
            f"HTTP/1.1 {status} {reason}",
            f"Date: {formatdate(clock.now(), usegmt=True)}",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
        ]
        lines += [f"{name}: {value}" for name, value in extra]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head + body if self.command != "HEAD" else head)


def _operation_name(target: str | None) -> str:
    """The operation an ``X-Amz-Target`` names (``AWSMigrationHub.ImportMigrationTask`` ->
    ``ImportMigrationTask``), for messages; empty when it names none."""
    spec = by_target().get((target or "").encode("latin-1", "replace"))
    return spec.name if spec is not None else ""


def _console_page(hub: Hub) -> str:
    """The console as a page that reloads itself, for a person watching a tool run."""
    page = console.render_html(hub)
    refresh = f'<meta http-equiv="refresh" content="{CONSOLE_REFRESH_SECONDS}"/>'
    return page.replace("<head>", "<head>" + refresh, 1)
