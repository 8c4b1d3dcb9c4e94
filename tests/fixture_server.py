"""FaultServer: a SiteServer with programmable routes and network faults, for tests.

    with FaultServer() as server:
        server.route("/feed.xml", body=b"<rss/>", headers={"Content-Type": "application/rss+xml"})
        server.route("/flaky", sequence=[{"status": 500}, {"status": 200, "body": b"ok"}])
        server.redirect("/old", "/new")
        server.fault("/reset", "reset")
        server.latency = 0.1
        ...
        server.count("/flaky")      # requests seen for a path
        server.in_flight.maximum    # most requests handled at the same time

Routes take precedence over files under ``root`` (an empty temporary directory if none is
given). Query strings are ignored for routing but recorded in ``server.requests``.
"""

from __future__ import annotations

import functools
import gzip
import io
import shutil
import socket
import struct
import tempfile
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from aggregator.demo.server import SiteHandler, SiteServer

FAULT_KINDS = frozenset(
    {
        "reset",  # close the socket (RST) without sending a response
        "truncate",  # Content-Length larger than the body, then close
        "slow",  # wait 30 s before answering (ends early on stop())
        "gzip_bomb",  # gzip body that inflates to 50 MB
        "redirect_loop",  # 302 to itself
        "huge",  # 20 MB body with Content-Length
        # extras
        "huge_nolength",  # 20 MB body without Content-Length (close-delimited)
        "drip",  # 200 with Content-Length 100000, then 1 byte every 50 ms
        "stall_body",  # 200 with Content-Length 1000, 10 bytes, then silence for 30 s
    }
)
SLOW_SECONDS = 30.0
HUGE_BYTES = 20 * 1024 * 1024
BOMB_BYTES = 50 * 1024 * 1024
_ROUTE_KEYS = frozenset({"status", "body", "headers", "delay", "fault"})


@functools.cache
def gzip_bomb() -> bytes:
    """A gzip stream (about 50 KB) that inflates to 50 MB of zeros."""
    buffer = io.BytesIO()
    block = b"\0" * (1024 * 1024)
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=9) as stream:
        for _ in range(BOMB_BYTES // len(block)):
            stream.write(block)
    return buffer.getvalue()


class InFlight:
    """Thread-safe count of requests being handled, and its maximum (shareable)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.current = 0
        self.maximum = 0

    def __enter__(self) -> InFlight:
        with self._lock:
            self.current += 1
            self.maximum = max(self.maximum, self.current)
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self.current -= 1

    def reset(self) -> None:
        """Forget the maximum."""
        with self._lock:
            self.maximum = self.current


class _Route:
    def __init__(self, steps: list[dict[str, Any]]):
        self._steps = steps
        self._lock = threading.Lock()
        self._served = 0

    def next(self) -> dict[str, Any]:
        with self._lock:
            step = self._steps[min(self._served, len(self._steps) - 1)]
            self._served += 1
            return step


def _step(spec: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(spec) - _ROUTE_KEYS
    if unknown:
        raise ValueError(f"unknown route keys: {sorted(unknown)}")
    body = spec.get("body", b"")
    if isinstance(body, str):
        body = body.encode("utf-8")
    fault = spec.get("fault")
    if fault is not None and fault not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {fault!r}; expected one of {sorted(FAULT_KINDS)}")
    return {
        "status": int(spec.get("status", 200)),
        "body": bytes(body),
        "headers": dict(spec.get("headers") or {}),
        "delay": float(spec.get("delay", 0.0)),
        "fault": fault,
    }


class FaultServer(SiteServer):
    """SiteServer with programmable routes, faults and added latency."""

    def __init__(
        self,
        root: Path | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        in_flight: InFlight | None = None,
    ):
        self._tmp_root: str | None = None
        if root is None:
            self._tmp_root = tempfile.mkdtemp(prefix="faultserver-")
            root = Path(self._tmp_root)
        super().__init__(root, host, port)
        self.latency = 0.0
        self.in_flight = in_flight or InFlight()
        self._routes: dict[str, _Route] = {}
        self._routes_lock = threading.Lock()

    def stop(self) -> None:
        super().stop()
        if self._tmp_root is not None:
            shutil.rmtree(self._tmp_root, ignore_errors=True)
            self._tmp_root = None

    # ------------------------------------------------------------------ program

    def route(
        self,
        path: str,
        *,
        status: int = 200,
        body: bytes | str = b"",
        headers: Mapping[str, str] | None = None,
        delay: float = 0.0,
        sequence: list[Mapping[str, Any]] | None = None,
    ) -> None:
        """Answer ``path`` with a fixed response, or successive ``sequence`` entries (dicts
        with the same keys plus ``fault``; the last one repeats)."""
        if sequence:
            steps = [_step(item) for item in sequence]
        else:
            steps = [
                _step({"status": status, "body": body, "headers": headers or {}, "delay": delay})
            ]
        with self._routes_lock:
            self._routes[path] = _Route(steps)

    def redirect(self, path: str, to: str, status: int = 302) -> None:
        """Answer ``path`` with a redirect to ``to`` (absolute or relative)."""
        self.route(path, status=status, headers={"Location": to})

    def fault(self, path: str, kind: str) -> None:
        """Answer ``path`` with a network fault (see FAULT_KINDS)."""
        self.route(path, sequence=[{"fault": kind}])

    def count(self, path: str) -> int:
        """How many requests were received for ``path``."""
        return len(self.requests_for(path))

    # ----------------------------------------------------------------- handling

    def _wait(self, seconds: float) -> bool:
        """Sleep, ending early on stop(); True if the server is stopping."""
        return seconds > 0 and self.stopping.wait(seconds)

    def handle_request(self, handler: SiteHandler, method: str, path: str, query: str) -> None:
        # A request counts as in flight while the server holds it (latency, delays), not while
        # its response is written: the client frees its concurrency slot only once the response
        # has arrived, so counting the write as well would let the client's next request
        # overlap this one here and show one more than the client ever had open.
        with self.in_flight:
            if self._wait(self.latency):
                handler.close_connection = True
                return
            with self._routes_lock:
                route = self._routes.get(path)
            step = route.next() if route is not None else None
            if step is not None and self._wait(step["delay"]):
                handler.close_connection = True
                return
        if step is None:
            super().handle_request(handler, method, path, query)
        elif step["fault"]:
            self._serve_fault(handler, method, path, step["fault"])
        else:
            handler.send_body(step["status"], step["body"], step["headers"], method=method)

    def _serve_fault(self, handler: SiteHandler, method: str, path: str, kind: str) -> None:
        handler.close_connection = True
        conn = handler.connection
        if kind == "reset":
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()  # the descriptor really closes (RST) once the handler's files close
        elif kind == "truncate":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            handler.wfile.write(b"x" * 100)
            handler.wfile.flush()
        elif kind == "slow":
            if not self._wait(SLOW_SECONDS):
                handler.send_body(200, b"finally", {"Content-Type": "text/plain"}, method=method)
        elif kind == "gzip_bomb":
            body = gzip_bomb()
            headers = {"Content-Type": "application/xml", "Content-Encoding": "gzip"}
            handler.send_body(200, body, headers, method=method)
        elif kind == "redirect_loop":
            handler.close_connection = False
            handler.send_body(302, b"", {"Location": path}, method=method)
        elif kind in ("huge", "huge_nolength"):
            handler.send_response(200)
            handler.send_header("Content-Type", "text/plain")
            if kind == "huge":
                handler.send_header("Content-Length", str(HUGE_BYTES))
            else:
                handler.send_header("Connection", "close")
            handler.end_headers()
            if method == "HEAD":
                return
            block = b"x" * (64 * 1024)
            for _ in range(HUGE_BYTES // len(block)):
                if self.stopping.is_set():
                    return
                handler.wfile.write(block)
        elif kind == "drip":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", "100000")
            handler.end_headers()
            handler.wfile.flush()
            for _ in range(100000):
                if self._wait(0.05):
                    return
                handler.wfile.write(b"x")
                handler.wfile.flush()
        elif kind == "stall_body":
            handler.send_response(200)
            handler.send_header("Content-Type", "text/plain")
            handler.send_header("Content-Length", "1000")
            handler.end_headers()
            handler.wfile.write(b"x" * 10)
            handler.wfile.flush()
            self._wait(SLOW_SECONDS)
        else:  # pragma: no cover - validated in route()
            raise ValueError(kind)
