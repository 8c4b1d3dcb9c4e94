"""Polite, safe HTTP client for feeds and pages.

Synchronous httpx shared between threads: the caller runs :meth:`Fetcher.get` from a
``ThreadPoolExecutor``. The fetcher obeys robots.txt, bounds concurrency per host and
overall, retries transient failures with exponential backoff and full jitter, honours
Retry-After, follows redirects itself (checking every hop), refuses private addresses for
untrusted URLs (checked on resolution and again on the connected peer, against DNS
rebinding), enforces a total time limit per attempt and caps the decompressed body size.
"""

from __future__ import annotations

import codecs
import contextlib
import email.utils
import ipaddress
import logging
import random
import re
import socket
import threading
import time
import urllib.robotparser
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

logger = logging.getLogger(__name__)

__all__ = [
    "FETCH_ERROR_KINDS",
    "FetchError",
    "FetchSettings",
    "Fetcher",
    "Response",
    "detect_charset",
]

FETCH_ERROR_KINDS = frozenset(
    {
        "timeout",
        "connection",
        "http",
        "too_large",
        "robots",
        "private_address",
        "bad_scheme",
        "redirects",
        "decode",
    }
)

DEFAULT_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
    "text/html;q=0.9, application/xhtml+xml;q=0.9, text/xml;q=0.8, */*;q=0.5"
)
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to parse at least 500 KiB
_CHUNK = 64 * 1024
_RETRYABLE_KINDS = frozenset({"timeout", "connection"})


class FetchError(Exception):
    """A URL could not be fetched.

    ``kind`` is one of: timeout, connection, http, too_large, robots, private_address,
    bad_scheme, redirects, decode. ``status`` is the HTTP status when there was one.
    ``retry_after`` is the server's Retry-After in seconds when it gave one (429/503), so
    the caller can wait at least that long before polling again.
    """

    def __init__(self, url: str, message: str, *, kind: str, status: int | None = None,
                 retry_after: float | None = None):
        if kind not in FETCH_ERROR_KINDS:
            raise ValueError(f"unknown FetchError kind: {kind!r}")
        self.url = url
        self.message = " ".join(str(message).split())  # always one line
        self.kind = kind
        self.status = status
        self.retry_after = retry_after
        super().__init__(url, self.message, kind, status)

    def __str__(self) -> str:
        what = self.kind if self.status is None else f"{self.kind} {self.status}"
        return f"cannot fetch {self.url}: {self.message} [{what}]"

    def __repr__(self) -> str:
        return (
            f"FetchError(url={self.url!r}, message={self.message!r}, "
            f"kind={self.kind!r}, status={self.status!r})"
        )


@dataclass(frozen=True)
class FetchSettings:
    """Limits and politeness settings of a :class:`Fetcher`.

    ``total_timeout`` bounds one HTTP attempt (connect, headers and body), not the retries
    and backoff sleeps around it. ``max_bytes`` caps the decompressed body, the raw body and
    the announced Content-Length. ``max_backoff`` caps one exponential backoff sleep.
    """

    user_agent: str = "aggregator/0.1 (+https://example.invalid/contact)"
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    max_retries: int = 3
    backoff_base: float = 0.5
    max_retry_after: float = 60.0
    per_host_concurrency: int = 2
    total_concurrency: int = 8
    allow_private_addresses: bool = False
    obey_robots: bool = True
    max_backoff: float = 30.0


@dataclass
class Response:
    """A successful (2xx) or not-modified (304) response."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float  # seconds for the whole get(): redirects, retries and backoff included
    history: list[str] = field(default_factory=list)  # URLs that answered with a redirect

    @property
    def etag(self) -> str | None:
        """The ETag validator, for the next conditional GET."""
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        """The Last-Modified validator, for the next conditional GET."""
        return self.headers.get("last-modified")

    @property
    def not_modified(self) -> bool:
        """True when the server answered 304 Not Modified."""
        return self.status == 304

    @property
    def content_type(self) -> str | None:
        """The media type without parameters, lower-case (e.g. ``application/rss+xml``)."""
        value = self.headers.get("content-type")
        if not value:
            return None
        return value.split(";", 1)[0].strip().lower() or None

    def text(self) -> str:
        """The body decoded with :func:`detect_charset` (undecodable bytes replaced)."""
        charset = detect_charset(self.body, self.headers.get("content-type"))
        return self.body.decode(charset, errors="replace")


# --------------------------------------------------------------------------- charsets

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Python codec names of legacy single-byte charsets that servers declare by default.
_SINGLE_BYTE = frozenset(
    {"ascii", "latin-1", "iso8859-1", "iso8859-15", "cp1252", "cp1250", "iso8859-2", "mac-roman"}
)
_CT_CHARSET_RE = re.compile(r""";\s*charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)
_META_CHARSET_RE = re.compile(
    rb"""<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_DECL_RE = re.compile(
    rb"""^\s*<\?xml\b[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE
)


def _codec_name(label: str | bytes | None) -> str | None:
    """Python codec name for a charset label, or None if Python does not know it."""
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="ignore")
    label = label.strip().strip("\"'").lower()
    if label in {"x-user-defined", "binary", "none"}:
        return None
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _decodes(body: bytes, codec: str) -> bool:
    try:
        body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def detect_charset(body: bytes, content_type: str | None) -> str:
    """Return the Python codec name to decode ``body`` with.

    BOM first, then the Content-Type charset, then ``<meta charset>`` / ``<meta
    http-equiv>`` or the XML declaration in the first 2 KB, else utf-8 if it decodes,
    else cp1252. A declared charset that fails to decode a body that is valid utf-8 is
    taken to be wrong, and utf-8 is returned instead; a body declared utf-8 that is not
    valid utf-8 gets cp1252. A declared single-byte legacy charset (latin-1, cp1252...)
    decodes any bytes, so it cannot fail that way: when the body is valid utf-8 and has
    multi-byte sequences, the declaration is taken to be wrong (a misconfigured server's
    default) and utf-8 is returned. Decode with ``errors="replace"``: cp1252 leaves five
    byte values undefined.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec

    declared = None
    if content_type:
        match = _CT_CHARSET_RE.search(content_type)
        if match:
            declared = _codec_name(match.group(1))
    if declared is None:
        head = body[:2048]
        match = _XML_DECL_RE.search(head) or _META_CHARSET_RE.search(head)
        if match:
            declared = _codec_name(match.group(1))
            if declared is not None and declared.startswith(("utf-16", "utf-32")):
                # An ASCII-readable declaration cannot be in UTF-16/32 (no BOM): the
                # document is really in an ASCII-compatible encoding (WHATWG: utf-8).
                declared = "utf-8"

    if declared is not None:
        if declared in _SINGLE_BYTE and not body.isascii() and _decodes(body, "utf-8"):
            return "utf-8"
        if _decodes(body, declared):
            return declared
        if _decodes(body, "utf-8"):
            return "utf-8"
        # Neither decodes: a page wrongly declared utf-8 is most likely cp1252.
        return "cp1252" if declared == "utf-8" else declared
    if _decodes(body, "utf-8"):
        return "utf-8"
    return "cp1252"


# ------------------------------------------------------------------------ addresses


def _is_forbidden_ip(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    """True for loopback, private, link-local, reserved, multicast and similar addresses."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
        or not ip.is_global
    )


def _parse_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None


def _parse_retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    if when.tzinfo is None:  # RFC 850/asctime forms: HTTP dates are always GMT
        return max(0.0, when.timestamp() - time.timezone - time.time())
    return max(0.0, when.timestamp() - time.time())


# ----------------------------------------------------------------------- body decode


class _Inflater:
    """Incremental gzip/deflate decoder whose output pieces are bounded (bomb-safe)."""

    def __init__(self, encoding: str):
        self.gzip = encoding in {"gzip", "x-gzip"}
        self._obj: Any = None
        self._members = 0
        self._done = False

    def _new(self, first: bytes) -> Any:
        if self.gzip:
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        # "deflate" is meant to be zlib-wrapped, but some servers send raw deflate.
        if len(first) >= 2 and first[0] & 0x0F == 8 and ((first[0] << 8) | first[1]) % 31 == 0:
            return zlib.decompressobj(zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS)

    def feed(self, data: bytes) -> Iterator[bytes]:
        """Yield decompressed pieces of at most 64 KiB for ``data``."""
        while not self._done and (data or self._obj is not None):
            if self._obj is None:
                if self._members and not data.startswith(b"\x1f\x8b"):
                    self._done = True  # trailing garbage after the last member: ignored
                    return
                self._obj = self._new(data)
                self._members += 1
            out = self._obj.decompress(data, _CHUNK)
            if out:
                yield out
            if self._obj.eof:
                data = self._obj.unused_data.lstrip(b"\0")
                self._obj = None
                if not self.gzip:
                    self._done = True
                continue  # gzip: maybe another member follows
            data = self._obj.unconsumed_tail
            if not data and len(out) < _CHUNK:
                return

    def finish(self) -> Iterator[bytes]:
        """Yield what remains buffered at the end of the body."""
        if self._obj is not None:
            yield from self.feed(b"")
            if self._obj is not None:
                tail = self._obj.flush()
                if tail:
                    yield tail


# ------------------------------------------------------------------------- helpers


class _Deadline:
    """Total-time watchdog for one attempt: on expiry it shuts the socket down, which
    wakes a blocked read; the reader then sees ``expired`` and reports a timeout."""

    def __init__(self, seconds: float):
        self.expires_at = time.monotonic() + seconds
        self.expired = False
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self._done = False
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def attach(self, stream: Any) -> None:
        """Remember the socket under ``stream`` (an httpcore network stream)."""
        try:
            sock = stream.get_extra_info("socket") if stream is not None else None
        except Exception:  # pragma: no cover - defensive: unknown stream types
            sock = None
        if sock is None:
            return
        with self._lock:
            if self._done:
                return
            self._sock = sock
            if self.expired:
                self._shutdown()

    def _fire(self) -> None:
        with self._lock:
            if self._done:
                return
            self.expired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._sock is not None:
            # The plain socket method, so that an SSLSocket's state is left alone.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(self._sock, socket.SHUT_RDWR)

    def check(self) -> bool:
        """True once the deadline has passed."""
        return self.expired or time.monotonic() >= self.expires_at

    def finish(self) -> None:
        """Disarm the watchdog (idempotent)."""
        with self._lock:
            self._done = True
        self._timer.cancel()


@dataclass
class _Raw:
    """One HTTP exchange."""

    url: httpx.URL
    status: int
    headers: dict[str, str]
    body: bytes


class _RobotsEntry:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded = False
        self.parser: urllib.robotparser.RobotFileParser | None = None  # None: allow all


def _host_key(url: httpx.URL) -> str:
    """Concurrency key: host and port (sites on one host but different ports are apart)."""
    return f"{url.host.lower()}:{url.port or (443 if url.scheme == 'https' else 80)}"


def _origin(url: httpx.URL) -> str:
    port = url.port or (443 if url.scheme == "https" else 80)
    return f"{url.scheme}://{url.host.lower()}:{port}"


def _headers_dict(headers: httpx.Headers) -> dict[str, str]:
    # httpx joins repeated fields with ", " and lower-cases keys in multi_items order.
    return {key.lower(): value for key, value in headers.items()}


# ------------------------------------------------------------------------- fetcher


class Fetcher:
    """Thread-safe polite HTTP fetcher. See :meth:`get`."""

    def __init__(self, settings: FetchSettings = FetchSettings()):
        self.settings = settings
        self._client = httpx.Client(
            headers={
                "User-Agent": settings.user_agent,
                "Accept-Encoding": "gzip, deflate",
            },
            follow_redirects=False,
            trust_env=False,  # no proxies from the environment: they would dodge the guards
            timeout=httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            limits=httpx.Limits(
                max_connections=settings.total_concurrency + 4,
                max_keepalive_connections=settings.total_concurrency,
            ),
        )
        self._lock = threading.Lock()
        self._global_sem = threading.BoundedSemaphore(settings.total_concurrency)
        self._host_sems: dict[str, threading.BoundedSemaphore] = {}
        self._host_pause: dict[str, float] = {}
        self._robots: dict[str, _RobotsEntry] = {}
        self._closed = threading.Event()
        self._stats = {
            "requests": 0,
            "retries": 0,
            "not_modified": 0,
            "bytes": 0,
            "robots_fetches": 0,
        }
        self._random = random.Random()

    # ----------------------------------------------------------------- public API

    @property
    def stats(self) -> dict[str, int]:
        """Counters (a copy): requests, retries, not_modified, bytes, robots_fetches."""
        with self._lock:
            return dict(self._stats)

    def close(self) -> None:
        """Close connections; sleeping retries in other threads give up."""
        self._closed.set()
        self._client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        trusted: bool = False,
        accept: str | None = None,
    ) -> Response:
        """GET ``url`` politely; return a 2xx or 304 :class:`Response` or raise FetchError.

        Conditional when ``etag`` / ``last_modified`` are given. ``trusted=True`` (URLs
        the operator wrote in the config) skips the private-address guard for the URL's
        own host only; redirects to other hosts are checked.
        """
        if self._closed.is_set():
            raise RuntimeError("Fetcher is closed")
        start = time.monotonic()
        headers = {"Accept": accept or DEFAULT_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        raw, history = self._follow(
            url,
            headers=headers,
            trusted=trusted,
            check_robots=self.settings.obey_robots,
            max_bytes=self.settings.max_bytes,
        )
        if raw.status == 304:
            self._count("not_modified")
        return Response(
            url=url,
            final_url=str(raw.url),
            status=raw.status,
            headers=raw.headers,
            body=raw.body,
            elapsed=time.monotonic() - start,
            history=history,
        )

    # -------------------------------------------------------------- redirects

    def _parse_url(self, url: str | httpx.URL, shown: str) -> httpx.URL:
        try:
            parsed = url if isinstance(url, httpx.URL) else httpx.URL(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            raise FetchError(shown, f"invalid URL ({exc})", kind="bad_scheme") from exc
        if parsed.scheme not in ("http", "https"):
            raise FetchError(
                shown,
                f"scheme {parsed.scheme or '(none)'!r} is not allowed, only http and https",
                kind="bad_scheme",
            )
        if not parsed.host:
            raise FetchError(shown, "URL has no host", kind="bad_scheme")
        return parsed

    def _follow(
        self,
        url: str,
        *,
        headers: dict[str, str],
        trusted: bool,
        check_robots: bool,
        max_bytes: int,
    ) -> tuple[_Raw, list[str]]:
        """Follow redirects by hand, checking scheme, address and robots on every hop."""
        current = self._parse_url(url, url)
        trusted_host = current.host.lower() if trusted else None
        seen = {str(current)}
        history: list[str] = []
        while True:
            shown = str(current)
            hop_trusted = trusted_host is not None and current.host.lower() == trusted_host
            if not hop_trusted:
                self._check_address(current)
            if check_robots:
                self._check_robots(current, trusted=hop_trusted)
            raw = self._exchange_with_retries(
                current, headers=headers, trusted=hop_trusted, max_bytes=max_bytes
            )
            if raw.status in REDIRECT_STATUSES:
                location = raw.headers.get("location")
                if not location:
                    raise FetchError(
                        shown,
                        f"redirect {raw.status} without Location",
                        kind="http",
                        status=raw.status,
                    )
                try:
                    target = current.join(location.strip())
                except (httpx.InvalidURL, ValueError) as exc:
                    raise FetchError(
                        shown, f"invalid redirect target {location!r}", kind="bad_scheme"
                    ) from exc
                target = target.copy_with(fragment=None)
                target = self._parse_url(target, str(target))
                history.append(shown)
                if str(target) in seen:
                    raise FetchError(
                        url, f"redirect loop at {target}", kind="redirects", status=raw.status
                    )
                if len(history) > self.settings.max_redirects:
                    raise FetchError(
                        url,
                        f"more than {self.settings.max_redirects} redirects",
                        kind="redirects",
                        status=raw.status,
                    )
                logger.debug("redirect %s %s -> %s", raw.status, shown, target)
                seen.add(str(target))
                current = target
                continue
            if 200 <= raw.status < 300 or raw.status == 304:
                return raw, history
            raise FetchError(shown, f"HTTP status {raw.status}", kind="http", status=raw.status)

    # --------------------------------------------------------------- address guard

    def _check_address(self, url: httpx.URL) -> None:
        """Refuse hosts that resolve to non-public addresses (unless allowed)."""
        if self.settings.allow_private_addresses:
            return
        host = url.raw_host.decode("ascii")
        port = url.port or (443 if url.scheme == "https" else 80)
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError) as exc:
            raise FetchError(
                str(url), f"cannot resolve host {host!r}: {exc}", kind="connection"
            ) from exc
        for info in infos:
            ip = _parse_ip(str(info[4][0]))
            if ip is None or _is_forbidden_ip(ip):
                raise FetchError(
                    str(url),
                    f"host {host!r} resolves to non-public address {info[4][0]}",
                    kind="private_address",
                )

    def _peer_guard(self, url: httpx.URL, trusted: bool, deadline: _Deadline) -> Callable:
        """httpcore trace hook: checks the connected peer (defeats DNS rebinding) and
        hands the new socket to the deadline watchdog."""
        check = not trusted and not self.settings.allow_private_addresses

        def trace(event: str, info: dict[str, Any]) -> None:
            if event not in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
                return
            stream = info.get("return_value")
            deadline.attach(stream)
            if not check or event != "connection.connect_tcp.complete" or stream is None:
                return
            sock = stream.get_extra_info("socket")
            try:
                peer = str(sock.getpeername()[0]) if sock is not None else None
            except OSError:
                peer = None
            ip = _parse_ip(peer) if peer else None
            if ip is None or _is_forbidden_ip(ip):
                stream.close()
                raise FetchError(
                    str(url),
                    f"connected to non-public address {peer} (DNS changed after the check)",
                    kind="private_address",
                )

        return trace

    # -------------------------------------------------------------------- robots

    def _check_robots(self, url: httpx.URL, *, trusted: bool) -> None:
        key = _origin(url)
        with self._lock:
            entry = self._robots.get(key)
            if entry is None:
                entry = self._robots[key] = _RobotsEntry()
        with entry.lock:  # other threads wait here while the first one fetches
            if not entry.loaded:
                entry.parser = self._load_robots(url, trusted=trusted)
                entry.loaded = True
        if entry.parser is not None and not entry.parser.can_fetch(
            self.settings.user_agent, str(url)
        ):
            raise FetchError(str(url), "disallowed by robots.txt", kind="robots")

    def _load_robots(
        self, url: httpx.URL, *, trusted: bool
    ) -> urllib.robotparser.RobotFileParser | None:
        robots_url = str(url.copy_with(path="/robots.txt", query=None, fragment=None))
        self._count("robots_fetches")
        try:
            raw, _ = self._follow(
                robots_url,
                headers={"Accept": "text/plain, */*;q=0.5"},
                trusted=trusted,
                check_robots=False,
                max_bytes=min(self.settings.max_bytes, ROBOTS_MAX_BYTES),
            )
        except FetchError as exc:
            if exc.kind == "http" and exc.status in (404, 410):
                logger.debug("no robots.txt at %s (%s): allow all", robots_url, exc.status)
            else:
                logger.warning("robots.txt unavailable, allowing all: %s", exc)
            return None
        text = raw.body.decode(detect_charset(raw.body, raw.headers.get("content-type")), "replace")
        parser = urllib.robotparser.RobotFileParser(robots_url)
        parser.parse(text.splitlines())
        logger.debug("robots.txt loaded from %s", robots_url)
        return parser

    # ------------------------------------------------------------------- retries

    def _backoff(self, attempt: int) -> float:
        cap = min(self.settings.max_backoff, self.settings.backoff_base * (2**attempt))
        return self._random.uniform(0.0, max(cap, 0.0))

    def _sleep(self, url: httpx.URL, seconds: float) -> None:
        if seconds > 0 and self._closed.wait(seconds):
            raise FetchError(str(url), "fetcher closed while waiting to retry", kind="connection")

    def _exchange_with_retries(
        self, url: httpx.URL, *, headers: dict[str, str], trusted: bool, max_bytes: int
    ) -> _Raw:
        settings = self.settings
        attempt = 0
        while True:
            try:
                raw = self._exchange(url, headers=headers, trusted=trusted, max_bytes=max_bytes)
            except FetchError as exc:
                if exc.kind not in _RETRYABLE_KINDS or attempt >= settings.max_retries:
                    raise
                delay = self._backoff(attempt)
                logger.info(
                    "retrying %s in %.2fs after %s (attempt %d of %d)",
                    url,
                    delay,
                    exc.kind,
                    attempt + 1,
                    settings.max_retries,
                )
            else:
                if raw.status != 429 and not 500 <= raw.status <= 599:
                    return raw
                retry_after = _parse_retry_after(raw.headers.get("retry-after"))
                if retry_after is not None and retry_after > settings.max_retry_after:
                    raise FetchError(
                        str(url),
                        f"HTTP status {raw.status} with Retry-After {retry_after:.0f}s, "
                        f"over the {settings.max_retry_after:.0f}s limit",
                        kind="http",
                        status=raw.status,
                        retry_after=retry_after,
                    )
                if attempt >= settings.max_retries:
                    raise FetchError(
                        str(url),
                        f"HTTP status {raw.status} after {attempt} retries",
                        kind="http",
                        status=raw.status,
                        retry_after=retry_after,
                    )
                if retry_after is not None:
                    delay = retry_after
                    self._pause_host(url, delay)  # other threads wait for this host too
                else:
                    delay = self._backoff(attempt)
                logger.info(
                    "retrying %s in %.2fs after HTTP %d (attempt %d of %d)",
                    url,
                    delay,
                    raw.status,
                    attempt + 1,
                    settings.max_retries,
                )
            attempt += 1
            self._count("retries")
            self._sleep(url, delay)

    def _pause_host(self, url: httpx.URL, seconds: float) -> None:
        key = _host_key(url)
        until = time.monotonic() + seconds
        with self._lock:
            self._host_pause[key] = max(self._host_pause.get(key, 0.0), until)

    def _host_semaphore(self, key: str) -> threading.BoundedSemaphore:
        with self._lock:
            sem = self._host_sems.get(key)
            if sem is None:
                sem = self._host_sems[key] = threading.BoundedSemaphore(
                    max(1, self.settings.per_host_concurrency)
                )
            return sem

    # ------------------------------------------------------------------ exchange

    def _exchange(
        self, url: httpx.URL, *, headers: dict[str, str], trusted: bool, max_bytes: int
    ) -> _Raw:
        """One request/response under the concurrency limits and the total deadline."""
        key = _host_key(url)
        with self._lock:
            pause_until = self._host_pause.get(key, 0.0)
        self._sleep(url, pause_until - time.monotonic())
        with self._host_semaphore(key), self._global_sem:
            if self._closed.is_set():
                raise FetchError(str(url), "fetcher closed", kind="connection")
            with self._lock:
                self._stats["requests"] += 1
            return self._exchange_now(url, headers=headers, trusted=trusted, max_bytes=max_bytes)

    def _exchange_now(
        self, url: httpx.URL, *, headers: dict[str, str], trusted: bool, max_bytes: int
    ) -> _Raw:
        settings = self.settings
        shown = str(url)
        total = settings.total_timeout
        timeout = httpx.Timeout(
            connect=min(settings.connect_timeout, total),
            read=min(settings.read_timeout, total),
            write=min(settings.read_timeout, total),
            pool=total,
        )
        deadline = _Deadline(total)
        started = time.monotonic()
        try:
            request = self._client.build_request(
                "GET",
                url,
                headers=headers,
                timeout=timeout,
                extensions={"trace": self._peer_guard(url, trusted, deadline)},
            )
            try:
                response = self._client.send(request, stream=True)
            except httpx.TimeoutException as exc:
                raise FetchError(
                    shown, f"timed out ({type(exc).__name__})", kind="timeout"
                ) from exc
            except httpx.TransportError as exc:
                if deadline.expired:
                    raise FetchError(shown, f"no response within {total}s", kind="timeout") from exc
                raise FetchError(
                    shown,
                    f"{type(exc).__name__}: {exc or 'connection failed'}",
                    kind="connection",
                ) from exc
            try:
                deadline.attach(response.extensions.get("network_stream"))
                resp_headers = _headers_dict(response.headers)
                status = response.status_code
                body = b""
                if 200 <= status < 300:
                    body = self._read_body(response, shown, resp_headers, max_bytes, deadline)
            finally:
                response.close()
        finally:
            deadline.finish()
        if deadline.expired:
            raise FetchError(shown, f"exceeded total timeout of {total}s", kind="timeout")
        logger.debug(
            "GET %s -> %d (%d bytes, %.3fs)", shown, status, len(body), time.monotonic() - started
        )
        return _Raw(url=url, status=status, headers=resp_headers, body=body)

    def _read_body(
        self,
        response: httpx.Response,
        shown: str,
        headers: dict[str, str],
        max_bytes: int,
        deadline: _Deadline,
    ) -> bytes:
        """Read, decompress and size-check the body of a streamed response."""
        length = headers.get("content-length")
        if length is not None:
            try:
                announced = int(length.split(",")[0].strip())
            except ValueError:
                announced = -1
            if announced > max_bytes:
                raise FetchError(
                    shown,
                    f"Content-Length {announced} exceeds limit of {max_bytes} bytes",
                    kind="too_large",
                )
        encodings = [
            token.strip().lower()
            for token in headers.get("content-encoding", "").split(",")
            if token.strip() and token.strip().lower() != "identity"
        ]
        decoders: list[_Inflater] = []
        for encoding in reversed(encodings):  # undo the last-applied coding first
            if encoding not in {"gzip", "x-gzip", "deflate"}:
                raise FetchError(shown, f"unsupported Content-Encoding {encoding!r}", kind="decode")
            decoders.append(_Inflater(encoding))

        out = bytearray()
        raw_count = 0

        def sink(pieces: Iterator[bytes], level: int) -> None:
            for piece in pieces:
                if level < len(decoders):
                    sink(decoders[level].feed(piece), level + 1)
                    continue
                out.extend(piece)
                if len(out) > max_bytes:
                    raise FetchError(
                        shown,
                        f"body exceeds limit of {max_bytes} bytes"
                        + (" after decompression" if decoders else ""),
                        kind="too_large",
                    )

        try:
            for chunk in response.iter_raw(_CHUNK):
                raw_count += len(chunk)
                if raw_count > max_bytes:
                    raise FetchError(
                        shown, f"body exceeds limit of {max_bytes} bytes", kind="too_large"
                    )
                sink(iter((chunk,)), 0)
                if deadline.check():
                    raise FetchError(
                        shown,
                        f"exceeded total timeout of {self.settings.total_timeout}s",
                        kind="timeout",
                    )
            for level, decoder in enumerate(decoders):
                sink(decoder.finish(), level + 1)
        except zlib.error as exc:
            raise FetchError(shown, f"corrupt compressed body: {exc}", kind="decode") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(
                shown, f"timed out reading body ({type(exc).__name__})", kind="timeout"
            ) from exc
        except httpx.TransportError as exc:
            if deadline.expired:
                raise FetchError(
                    shown,
                    f"exceeded total timeout of {self.settings.total_timeout}s",
                    kind="timeout",
                ) from exc
            raise FetchError(
                shown, f"body incomplete: {type(exc).__name__}: {exc}", kind="connection"
            ) from exc
        self._count("bytes", len(out))
        return bytes(out)

    def _count(self, name: str, amount: int = 1) -> None:
        with self._lock:
            self._stats[name] += amount
