"""A small threaded static-file HTTP server for the offline demo and for tests.

Serves the files under a root directory on 127.0.0.1, replaces ``{{base_url}}`` in text
files with the server's own base URL (so fixture feeds can link to fixture pages), sends a
strong ETag and Last-Modified and answers conditional requests with 304.
"""

from __future__ import annotations

import contextlib
import datetime
import email.utils
import hashlib
import http.server
import logging
import mimetypes
import socket
import socketserver
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Self

logger = logging.getLogger(__name__)

__all__ = ["CONTENT_TYPES", "TEMPLATE_SUFFIXES", "RequestRecord", "SiteServer"]

TEMPLATE_SUFFIXES = frozenset({".xml", ".rss", ".atom", ".html", ".txt", ".json"})
CONTENT_TYPES = {
    ".rss": "application/rss+xml",
    ".atom": "application/atom+xml",
    ".xml": "application/xml",
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
BASE_URL_PLACEHOLDER = b"{{base_url}}"


@dataclass(frozen=True)
class RequestRecord:
    """One request the server received. ``headers`` has lower-case keys."""

    method: str
    path: str  # without the query string
    query: str  # raw query string, "" if none
    headers: dict[str, str] = field(default_factory=dict)
    time: float = 0.0  # time.monotonic() when the request line was read

    @property
    def target(self) -> str:
        """Path and query as requested."""
        return f"{self.path}?{self.query}" if self.query else self.path


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def server_bind(self) -> None:
        # HTTPServer.server_bind calls socket.getfqdn(), which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = port

    def handle_error(self, request: object, client_address: object) -> None:
        logger.debug("error serving %s", client_address, exc_info=True)


class SiteHandler(http.server.BaseHTTPRequestHandler):
    """Request handler: hands every request to its :class:`SiteServer`."""

    protocol_version = "HTTP/1.1"
    server_version = "aggregator-demo/0.1"
    timeout = 60  # idle keep-alive connections are dropped after this
    site: SiteServer  # set on the per-server subclass

    def setup(self) -> None:
        super().setup()
        # http.server writes headers and body separately: without TCP_NODELAY, Nagle's
        # algorithm and the client's delayed ACK add ~40 ms to every response
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.site._register(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        except OSError:
            pass
        finally:
            self.site._unregister(self.connection)

    def do_GET(self) -> None:
        self.site._dispatch(self, "GET")

    def do_HEAD(self) -> None:
        self.site._dispatch(self, "HEAD")

    def log_message(self, format: str, *args: object) -> None:
        """Quiet: no per-request logging to stderr."""

    def send_body(
        self,
        status: int,
        body: bytes = b"",
        headers: dict[str, str] | None = None,
        *,
        method: str = "GET",
    ) -> None:
        """Send a complete response with a Content-Length (no body for HEAD/1xx/204/304)."""
        headers = dict(headers or {})
        self.send_response(status)
        names = {name.lower() for name in headers}
        bodiless = status in (204, 304) or 100 <= status < 200
        if "content-length" not in names and not bodiless:
            headers["Content-Length"] = str(len(body))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if method != "HEAD" and not bodiless and body:
            self.wfile.write(body)
        self.wfile.flush()


class SiteServer:
    """Threaded static-file server over ``root``; use ``with SiteServer(root) as s:``."""

    handler_class: type[SiteHandler] = SiteHandler

    def __init__(self, root: Path, host: str = "127.0.0.1", port: int = 0):
        self.root = Path(root)
        self.host = host
        self.port = port
        self.base_url = ""
        self.requests: list[RequestRecord] = []
        self._requests_lock = threading.Lock()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        self.stopping = threading.Event()  # set by stop(): long waits should end early

    # ---------------------------------------------------------------- lifecycle

    def start(self) -> Self:
        """Bind and serve in a background daemon thread; sets ``port`` and ``base_url``."""
        if self._httpd is not None:
            raise RuntimeError("server already started")
        self.stopping.clear()
        handler = type("BoundSiteHandler", (self.handler_class,), {"site": self})
        self._httpd = _HTTPServer((self.host, self.port), handler)
        self.port = int(self._httpd.server_address[1])
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.base_url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"SiteServer:{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving, drop open connections and wake handlers that are waiting."""
        httpd = self._httpd
        if httpd is None:
            return
        self.stopping.set()
        httpd.shutdown()
        with self._connections_lock:
            connections = list(self._connections)
        for conn in connections:
            with contextlib.suppress(OSError):
                conn.shutdown(socket.SHUT_RDWR)
        httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._httpd = None
        self._thread = None

    def __enter__(self) -> Self:
        return self.start() if self._httpd is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --------------------------------------------------------------- request log

    def requests_for(self, path: str, method: str | None = None) -> list[RequestRecord]:
        """Recorded requests for ``path`` (query ignored), optionally of one method."""
        with self._requests_lock:
            return [
                r
                for r in self.requests
                if r.path == path and (method is None or r.method == method)
            ]

    def clear_requests(self) -> None:
        """Forget the recorded requests."""
        with self._requests_lock:
            self.requests.clear()

    # ------------------------------------------------------------------ handling

    def _register(self, conn: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(conn)

    def _unregister(self, conn: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(conn)

    def _dispatch(self, handler: SiteHandler, method: str) -> None:
        split = urllib.parse.urlsplit(handler.path)
        path = split.path or "/"
        record = RequestRecord(
            method=method,
            path=path,
            query=split.query,
            headers={name.lower(): value for name, value in handler.headers.items()},
            time=time.monotonic(),
        )
        with self._requests_lock:
            self.requests.append(record)
        try:
            self.handle_request(handler, method, path, split.query)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError):
            handler.close_connection = True

    def handle_request(self, handler: SiteHandler, method: str, path: str, query: str) -> None:
        """Answer one request; subclasses add routes and faults, then call this."""
        self.serve_file(handler, method, path, query)

    def resolve(self, url_path: str) -> Path | None:
        """The file-system path for a URL path, or None if it would leave the root."""
        decoded = urllib.parse.unquote(url_path)
        if "\x00" in decoded or "\\" in decoded:
            return None
        parts = [part for part in decoded.split("/") if part not in ("", ".")]
        if any(part == ".." for part in parts):
            return None
        root = self.root.resolve()
        candidate = root.joinpath(*parts)
        try:
            real = candidate.resolve()
        except (OSError, RuntimeError):
            return None
        if real != root and root not in real.parents:
            return None  # e.g. a symlink pointing outside the root
        return real

    def serve_file(self, handler: SiteHandler, method: str, path: str, query: str = "") -> None:
        """Serve a file under root, with ETag / Last-Modified and 304 handling."""
        target = self.resolve(path)
        if target is not None and target.is_dir():
            if not path.endswith("/"):
                location = path + "/" + (f"?{query}" if query else "")
                handler.send_body(301, b"", {"Location": location}, method=method)
                return
            target = target / "index.html"
        if target is None or not target.is_file():
            handler.send_body(
                404, b"Not found\n", {"Content-Type": "text/plain; charset=utf-8"}, method=method
            )
            return
        body = target.read_bytes()
        if target.suffix.lower() in TEMPLATE_SUFFIXES:
            body = body.replace(BASE_URL_PLACEHOLDER, self.base_url.encode("ascii"))
        mtime = int(target.stat().st_mtime)
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {
            "Content-Type": self.content_type(target),
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(mtime, usegmt=True),
            "Cache-Control": "no-cache",
        }
        if self.not_modified(handler, etag, mtime):
            handler.send_body(304, b"", headers, method=method)
            return
        handler.send_body(200, body, headers, method=method)

    @staticmethod
    def content_type(path: Path) -> str:
        """Content-Type for a served file."""
        suffix = path.suffix.lower()
        if suffix in CONTENT_TYPES:
            return CONTENT_TYPES[suffix]
        guessed, _ = mimetypes.guess_type(path.name)
        return guessed or "application/octet-stream"

    @staticmethod
    def not_modified(handler: SiteHandler, etag: str, mtime: int) -> bool:
        """True if the request's validators match (If-None-Match wins over If-Modified-Since)."""
        if_none_match = handler.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = [tag.strip() for tag in if_none_match.split(",")]
            return "*" in tags or any(tag.removeprefix("W/") == etag for tag in tags)
        if_modified_since = handler.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError, IndexError):
                return False
            if since is None:
                return False
            if since.tzinfo is None:  # HTTP dates are GMT
                since = since.replace(tzinfo=datetime.UTC)
            return mtime <= since.timestamp()
        return False
