"""Tests of aggregator.fetch against real HTTP servers on 127.0.0.1 (FaultServer)."""

from __future__ import annotations

import codecs
import email.utils
import gzip
import logging
import os
import socket
import threading
import time
import tracemalloc
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fixture_server import FaultServer, InFlight, gzip_bomb

from aggregator.demo.server import SiteServer
from aggregator.fetch import (
    Fetcher,
    FetchError,
    FetchSettings,
    _parse_retry_after,
    detect_charset,
)

FAST = {
    "connect_timeout": 2.0,
    "read_timeout": 2.0,
    "total_timeout": 5.0,
    "backoff_base": 0.01,
    "max_retries": 2,
    "allow_private_addresses": True,  # the test servers are on loopback
}


def make_fetcher(**overrides: object) -> Fetcher:
    return Fetcher(FetchSettings(**{**FAST, **overrides}))


@pytest.fixture
def server():
    with FaultServer() as srv:
        yield srv


@pytest.fixture
def fetcher():
    with make_fetcher() as f:
        yield f


def fetch_error(fetcher: Fetcher, url: str, **kwargs: object) -> FetchError:
    with pytest.raises(FetchError) as info:
        fetcher.get(url, **kwargs)
    return info.value


def raw_get(base_url: str, target: str) -> tuple[int, bytes]:
    """Send a request line exactly as given (no client-side normalisation of '..')."""
    host, port = base_url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as sock:
        sock.sendall(f"GET {target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


# ------------------------------------------------------------- 200 / 304 / headers


def test_get_then_conditional_304_with_etag_and_last_modified(tmp_path: Path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_text("<rss><channel><link>{{base_url}}/news/</link></channel></rss>")
    with SiteServer(tmp_path) as site, make_fetcher() as fetcher:
        url = site.base_url + "/feed.rss"
        first = fetcher.get(url)
        assert first.status == 200 and not first.not_modified
        expected = f"<rss><channel><link>{site.base_url}/news/</link></channel></rss>"
        assert first.body == expected.encode()
        assert first.headers["content-type"] == "application/rss+xml"
        assert first.content_type == "application/rss+xml"
        assert first.etag and first.etag.startswith('"')
        assert first.last_modified
        assert first.url == url and first.final_url == url

        by_etag = fetcher.get(url, etag=first.etag)
        assert by_etag.status == 304 and by_etag.not_modified and by_etag.body == b""
        assert by_etag.etag == first.etag
        by_date = fetcher.get(url, last_modified=first.last_modified)
        assert by_date.not_modified

        sent = site.requests_for("/feed.rss")
        assert "if-none-match" not in sent[0].headers
        assert sent[1].headers["if-none-match"] == first.etag
        assert sent[2].headers["if-modified-since"] == first.last_modified
        assert fetcher.stats["not_modified"] == 2

        # Changed content: the old validators no longer match.
        feed.write_text("<rss><channel><title>changed</title></channel></rss>")
        later = time.time() + 10
        os.utime(feed, (later, later))
        changed = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
        assert changed.status == 200 and b"changed" in changed.body
        assert changed.etag != first.etag


def test_user_agent_and_accept_headers_sent(server: FaultServer) -> None:
    server.route("/page", body="hi")
    settings = FetchSettings(**{**FAST, "user_agent": "aggregator-test/9.9 (+mailto:x@y.invalid)"})
    with Fetcher(settings) as fetcher:
        fetcher.get(server.base_url + "/page", accept="text/html")
    (page,) = server.requests_for("/page")
    (robots,) = server.requests_for("/robots.txt")
    for record in (page, robots):
        assert record.headers["user-agent"] == "aggregator-test/9.9 (+mailto:x@y.invalid)"
        assert "gzip" in record.headers["accept-encoding"]
    assert page.headers["accept"] == "text/html"


def test_stats_count_requests_and_bytes(server: FaultServer, fetcher: Fetcher) -> None:
    server.route("/a", body=b"x" * 1000)
    fetcher.get(server.base_url + "/a")
    fetcher.get(server.base_url + "/a?again=1")
    stats = fetcher.stats
    assert stats["requests"] == 3  # robots.txt + 2
    assert stats["robots_fetches"] == 1
    assert stats["bytes"] == 2000
    assert stats["retries"] == 0
    assert [r.query for r in server.requests_for("/a")] == ["", "again=1"]


# ----------------------------------------------------------------------- retries


def test_429_retry_after_is_honoured_then_success(server: FaultServer, fetcher: Fetcher) -> None:
    server.route(
        "/limited",
        sequence=[
            {"status": 429, "headers": {"Retry-After": "1"}},
            {"status": 200, "body": b"ok"},
        ],
    )
    response = fetcher.get(server.base_url + "/limited")
    assert response.body == b"ok"
    # backoff_base is 0.01 s: only the Retry-After explains a wait of about a second.
    first, second = server.requests_for("/limited")
    assert second.time - first.time >= 0.95
    assert fetcher.stats["retries"] == 1


def test_retry_after_beyond_cap_fails_at_once(server: FaultServer) -> None:
    server.route("/limited", status=429, headers={"Retry-After": "3600"})
    with make_fetcher(max_retry_after=60.0) as fetcher:
        started = time.monotonic()
        error = fetch_error(fetcher, server.base_url + "/limited")
    assert (error.kind, error.status) == ("http", 429)
    assert time.monotonic() - started < 1.0
    assert server.count("/limited") == 1


def test_retry_after_is_reported_to_the_caller(server: FaultServer) -> None:
    server.route("/busy", status=429, headers={"Retry-After": "7200"})
    with make_fetcher() as fetcher:
        error = fetch_error(fetcher, server.base_url + "/busy")
    assert error.status == 429 and error.retry_after == 7200
    assert server.count("/busy") == 1  # over the cap: no waiting, no retry


def test_parse_retry_after_seconds_and_http_date() -> None:
    assert _parse_retry_after("120") == 120.0
    assert _parse_retry_after(" 0 ") == 0.0
    assert _parse_retry_after(None) is None
    assert _parse_retry_after("soon") is None
    future = email.utils.formatdate(time.time() + 100, usegmt=True)
    assert 95 <= _parse_retry_after(future) <= 101
    past = email.utils.formatdate(time.time() - 100, usegmt=True)
    assert _parse_retry_after(past) == 0.0


def test_500_then_success(server: FaultServer, fetcher: Fetcher) -> None:
    server.route("/flaky", sequence=[{"status": 500}, {"status": 503}, {"body": "fine"}])
    assert fetcher.get(server.base_url + "/flaky").body == b"fine"
    assert server.count("/flaky") == 3
    assert fetcher.stats["retries"] == 2


def test_500_forever_gives_http_error_after_max_retries(server: FaultServer) -> None:
    server.route("/down", status=500, body="oops")
    with make_fetcher(max_retries=3) as fetcher:
        error = fetch_error(fetcher, server.base_url + "/down")
        assert fetcher.stats["retries"] == 3
    assert (error.kind, error.status) == ("http", 500)
    assert server.count("/down") == 4
    assert server.base_url + "/down" in str(error) and "\n" not in str(error)


def test_404_is_not_retried(server: FaultServer, fetcher: Fetcher) -> None:
    error = fetch_error(fetcher, server.base_url + "/missing")
    assert (error.kind, error.status) == ("http", 404)
    assert server.count("/missing") == 1


def test_read_timeout(server: FaultServer) -> None:
    server.fault("/slow", "slow")
    with make_fetcher(read_timeout=0.3, max_retries=1) as fetcher:
        started = time.monotonic()
        error = fetch_error(fetcher, server.base_url + "/slow")
    assert error.kind == "timeout"
    assert time.monotonic() - started < 3.0
    assert server.count("/slow") == 2  # timeouts are retried


def test_total_timeout_cuts_a_stalled_body(server: FaultServer) -> None:
    # Each read is within read_timeout (5 s) only if we wait: the total (0.5 s) must win.
    server.fault("/stall", "stall_body")
    with make_fetcher(read_timeout=5.0, total_timeout=0.5, max_retries=0) as fetcher:
        started = time.monotonic()
        error = fetch_error(fetcher, server.base_url + "/stall")
    assert error.kind == "timeout"
    assert time.monotonic() - started < 2.0


def test_total_timeout_is_the_whole_attempt(server: FaultServer) -> None:
    # Headers come after 0.6 s, then the body stalls: each wait is shorter than the read
    # timeout, but the attempt as a whole must end at total_timeout (1 s), not at 1.6 s.
    server.route("/late", sequence=[{"delay": 0.6, "fault": "stall_body"}])
    with make_fetcher(read_timeout=5.0, total_timeout=1.0, max_retries=0) as fetcher:
        started = time.monotonic()
        error = fetch_error(fetcher, server.base_url + "/late")
    assert error.kind == "timeout"
    assert 0.9 <= time.monotonic() - started < 1.55  # not the 1.6 s the two waits add up to


def test_total_timeout_cuts_a_dripping_body(server: FaultServer) -> None:
    server.fault("/drip", "drip")
    with make_fetcher(read_timeout=5.0, total_timeout=0.5, max_retries=0) as fetcher:
        started = time.monotonic()
        error = fetch_error(fetcher, server.base_url + "/drip")
    assert error.kind == "timeout"
    assert time.monotonic() - started < 2.0


def test_connection_reset_is_retried(server: FaultServer, fetcher: Fetcher) -> None:
    server.route("/r", sequence=[{"fault": "reset"}, {"body": "back"}])
    assert fetcher.get(server.base_url + "/r").body == b"back"
    assert server.count("/r") == 2


def test_connection_reset_forever(server: FaultServer, fetcher: Fetcher) -> None:
    server.fault("/reset", "reset")
    error = fetch_error(fetcher, server.base_url + "/reset")
    assert error.kind == "connection"
    assert server.count("/reset") == 3  # 1 + max_retries


def test_truncated_body_is_a_connection_error(server: FaultServer, fetcher: Fetcher) -> None:
    server.fault("/cut", "truncate")
    error = fetch_error(fetcher, server.base_url + "/cut")
    assert error.kind == "connection"
    assert server.count("/cut") == 3


def test_unreachable_port_is_a_connection_error() -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    with make_fetcher(max_retries=1, obey_robots=False) as fetcher:
        error = fetch_error(fetcher, f"http://127.0.0.1:{port}/")
    assert error.kind == "connection"


# --------------------------------------------------------------------- redirects


def test_redirects_followed_and_final_url_recorded(server: FaultServer, fetcher: Fetcher) -> None:
    server.redirect("/old", "/middle", status=301)
    server.redirect("/middle", server.base_url + "/new?x=1", status=307)
    server.route("/new", body="here")
    response = fetcher.get(server.base_url + "/old")
    assert response.body == b"here"
    assert response.url == server.base_url + "/old"
    assert response.final_url == server.base_url + "/new?x=1"
    assert response.history == [server.base_url + "/old", server.base_url + "/middle"]


def test_redirect_loop(server: FaultServer, fetcher: Fetcher) -> None:
    server.fault("/loop", "redirect_loop")
    server.redirect("/a", "/b")
    server.redirect("/b", "/a")
    assert fetch_error(fetcher, server.base_url + "/loop").kind == "redirects"
    assert fetch_error(fetcher, server.base_url + "/a").kind == "redirects"
    assert server.count("/loop") == 1


def test_too_many_redirects(server: FaultServer) -> None:
    for i in range(10):
        server.redirect(f"/r{i}", f"/r{i + 1}")
    server.route("/r10", body="end")
    with make_fetcher(max_redirects=3) as fetcher:
        error = fetch_error(fetcher, server.base_url + "/r0")
        assert error.kind == "redirects"
        assert server.count("/r3") == 1 and server.count("/r4") == 0
    with make_fetcher(max_redirects=10) as fetcher:
        assert fetcher.get(server.base_url + "/r0").body == b"end"


# ------------------------------------------------------------------- size limits


def test_huge_body_with_content_length_refused(server: FaultServer, fetcher: Fetcher) -> None:
    server.fault("/huge", "huge")
    error = fetch_error(fetcher, server.base_url + "/huge")
    assert error.kind == "too_large"
    assert server.count("/huge") == 1  # not retried


def test_huge_body_without_content_length_refused(server: FaultServer, fetcher: Fetcher) -> None:
    server.fault("/huge", "huge_nolength")
    assert fetch_error(fetcher, server.base_url + "/huge").kind == "too_large"


def test_max_bytes_is_exact(server: FaultServer) -> None:
    server.route("/k", body=b"y" * 1000)
    with make_fetcher(max_bytes=1000) as fetcher:
        assert len(fetcher.get(server.base_url + "/k").body) == 1000
    with make_fetcher(max_bytes=999) as fetcher:
        assert fetch_error(fetcher, server.base_url + "/k").kind == "too_large"


def test_gzip_bomb_refused(server: FaultServer, fetcher: Fetcher) -> None:
    server.fault("/bomb", "gzip_bomb")
    error = fetch_error(fetcher, server.base_url + "/bomb")
    assert error.kind == "too_large"
    assert server.count("/bomb") == 1


def test_gzip_bomb_never_inflates_in_memory(server: FaultServer) -> None:
    gzip_bomb()  # build the (cached) bomb before measuring
    server.fault("/bomb", "gzip_bomb")
    with make_fetcher(max_bytes=1024 * 1024) as fetcher:
        tracemalloc.start()
        try:
            error = fetch_error(fetcher, server.base_url + "/bomb")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert error.kind == "too_large"
    assert peak < 8 * 1024 * 1024  # the whole bomb would be 50 MB


def test_gzip_and_deflate_bodies_are_decompressed(server: FaultServer, fetcher: Fetcher) -> None:
    text = ("<rss>" + "NHS trust outage. " * 500 + "</rss>").encode()
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    server.route("/gz", body=gzip.compress(text), headers={"Content-Encoding": "gzip"})
    server.route(
        "/two-members",
        body=gzip.compress(text[:100]) + gzip.compress(text[100:]),
        headers={"Content-Encoding": "gzip"},
    )
    server.route("/zlib", body=zlib.compress(text), headers={"Content-Encoding": "deflate"})
    server.route(
        "/raw",
        body=raw_deflate.compress(text) + raw_deflate.flush(),
        headers={"Content-Encoding": "deflate"},
    )
    for path in ("/gz", "/two-members", "/zlib", "/raw"):
        assert fetcher.get(server.base_url + path).body == text, path


def test_corrupt_or_unknown_encoding_is_a_decode_error(
    server: FaultServer, fetcher: Fetcher
) -> None:
    server.route("/bad", body=b"\x1f\x8b not really gzip", headers={"Content-Encoding": "gzip"})
    server.route("/br", body=b"whatever", headers={"Content-Encoding": "br"})
    assert fetch_error(fetcher, server.base_url + "/bad").kind == "decode"
    assert fetch_error(fetcher, server.base_url + "/br").kind == "decode"


# ------------------------------------------------------------------------ robots


def test_robots_disallow_and_fetched_once_under_concurrency(server: FaultServer) -> None:
    server.route(
        "/robots.txt",
        body="User-agent: *\nDisallow: /private/\n",
        headers={"Content-Type": "text/plain"},
        delay=0.2,  # keep robots.txt in flight while the other threads arrive
    )
    server.route("/public", body="ok")
    with make_fetcher(per_host_concurrency=8) as fetcher:
        with ThreadPoolExecutor(max_workers=8) as pool:
            urls = [f"{server.base_url}/public?i={i}" for i in range(16)]
            bodies = list(pool.map(lambda u: fetcher.get(u).body, urls))
        assert bodies == [b"ok"] * 16
        error = fetch_error(fetcher, server.base_url + "/private/report.html")
        assert error.kind == "robots"
        assert fetcher.stats["robots_fetches"] == 1
    assert server.count("/robots.txt") == 1
    assert server.count("/private/report.html") == 0


def test_robots_specific_user_agent(server: FaultServer) -> None:
    server.route("/robots.txt", body="User-agent: aggregator\nDisallow: /\n")
    server.route("/x", body="x")
    with make_fetcher() as fetcher:
        assert fetch_error(fetcher, server.base_url + "/x").kind == "robots"
    with make_fetcher(user_agent="otherbot/1.0") as fetcher:
        assert fetcher.get(server.base_url + "/x").body == b"x"


def test_robots_missing_or_broken_allows_all(
    server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/x", body="x")
    with make_fetcher() as fetcher:  # no robots.txt: 404
        assert fetcher.get(server.base_url + "/x").body == b"x"
    server.route("/robots.txt", status=500)
    with (
        caplog.at_level(logging.WARNING, logger="aggregator.fetch"),
        make_fetcher(max_retries=0) as fetcher,
    ):
        assert fetcher.get(server.base_url + "/x").body == b"x"
    assert any("robots.txt" in record.getMessage() for record in caplog.records)


def test_robots_ignored_when_not_obeyed(server: FaultServer) -> None:
    server.route("/robots.txt", body="User-agent: *\nDisallow: /\n")
    server.route("/x", body="x")
    with make_fetcher(obey_robots=False) as fetcher:
        assert fetcher.get(server.base_url + "/x").body == b"x"
    assert server.count("/robots.txt") == 0


# ------------------------------------------------------------- address and scheme


def test_private_address_refused_unless_trusted(server: FaultServer) -> None:
    server.route("/x", body="x")
    with Fetcher(FetchSettings(**{**FAST, "allow_private_addresses": False})) as fetcher:
        error = fetch_error(fetcher, server.base_url + "/x")
        assert error.kind == "private_address"
        assert server.requests == []  # not even robots.txt
        assert fetcher.get(server.base_url + "/x", trusted=True).body == b"x"


def test_trusted_redirect_to_another_host_is_checked(server: FaultServer) -> None:
    server.route("/x", body="x")
    server.redirect("/same-host", "/x")
    other_host = server.base_url.replace("127.0.0.1", "localhost")
    server.redirect("/elsewhere", other_host + "/x")
    with Fetcher(FetchSettings(**{**FAST, "allow_private_addresses": False})) as fetcher:
        response = fetcher.get(server.base_url + "/same-host", trusted=True)
        assert response.body == b"x"
        server.clear_requests()
        error = fetch_error(fetcher, server.base_url + "/elsewhere", trusted=True)
    assert error.kind == "private_address"
    assert [r.path for r in server.requests] == ["/elsewhere"]


def test_dns_rebinding_caught_at_connect(
    server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A name that resolves to a public address for the check, then to loopback for the
    # connection. No local server can play DNS, so the resolver is patched here.
    real_getaddrinfo = socket.getaddrinfo
    calls = []

    def rebinding(host, port, *args, **kwargs):
        if host == "rebind.invalid":
            calls.append(host)
            address = "93.184.216.34" if len(calls) == 1 else "127.0.0.1"
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]
        return real_getaddrinfo(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", rebinding)
    server.route("/x", body="x")
    url = server.base_url.replace("127.0.0.1", "rebind.invalid") + "/x"
    settings = FetchSettings(**{**FAST, "allow_private_addresses": False, "obey_robots": False})
    with Fetcher(settings) as fetcher:
        error = fetch_error(fetcher, url)
    assert error.kind == "private_address"
    assert len(calls) == 2
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    ["ftp://example.org/feed.xml", "file:///etc/passwd", "javascript:alert(1)", "/relative"],
)
def test_non_http_scheme_refused(url: str, fetcher: Fetcher) -> None:
    error = fetch_error(fetcher, url)
    assert error.kind == "bad_scheme"
    assert error.url == url


def test_redirect_to_non_http_scheme_refused(server: FaultServer, fetcher: Fetcher) -> None:
    server.redirect("/go", "file:///etc/passwd")
    assert fetch_error(fetcher, server.base_url + "/go").kind == "bad_scheme"


# ------------------------------------------------------------------------ charset


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (codecs.BOM_UTF8 + "café".encode(), "text/html; charset=iso-8859-1", "utf-8-sig"),
        (codecs.BOM_UTF16_LE + "café".encode("utf-16-le"), None, "utf-16"),
        ("café".encode("cp1252"), "text/html; charset=windows-1252", "cp1252"),
        ("café".encode("latin-1"), 'text/plain; charset="ISO-8859-1"', "iso8859-1"),
        (b'<html><head><meta charset="windows-1252"></head>caf\xe9', "text/html", "cp1252"),
        (
            b'<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-15">\xa4',
            None,
            "iso8859-15",
        ),
        (b'<?xml version="1.0" encoding="ISO-8859-1"?><rss>caf\xe9</rss>', None, "iso8859-1"),
        (b"<?xml version='1.0' encoding='windows-1252'?><rss/>", "application/xml", "cp1252"),
        # declared utf-8, but the body is not: cp1252 fallback
        ("café".encode("cp1252"), "text/html; charset=utf-8", "cp1252"),
        # wrong declared charset (ascii), body is really utf-8: prefer utf-8
        ("café €".encode(), "text/html; charset=us-ascii", "utf-8"),
        ('<?xml version="1.0" encoding="us-ascii"?><t>é</t>'.encode(), None, "utf-8"),
        # a legacy single-byte charset declared by a server default, body really utf-8
        ("café £5 – dash".encode(), "text/html; charset=ISO-8859-1", "utf-8"),
        ("café".encode(), "text/xml; charset=windows-1252", "utf-8"),
        ('<?xml version="1.0" encoding="ISO-8859-1"?><t>café</t>'.encode(), None, "utf-8"),
        (b'<meta charset="iso-8859-1"><p>plain ascii</p>', None, "iso8859-1"),
        (b"plain ascii", None, "utf-8"),
        ("naïve “quotes”".encode(), None, "utf-8"),
        ("naïve “quotes”".encode("cp1252"), None, "cp1252"),
        ("café".encode("cp1252"), "text/html; charset=no-such-charset", "cp1252"),
        (b'<meta charset="utf-16"><p>ascii</p>', None, "utf-8"),
    ],
)
def test_detect_charset(body: bytes, content_type: str | None, expected: str) -> None:
    assert detect_charset(body, content_type) == expected


def test_detect_charset_looks_only_at_the_first_2kb() -> None:
    body = b"<html>" + b" " * 3000 + b'<meta charset="iso-8859-15">\xa4'
    assert detect_charset(body, None) == "cp1252"  # no early declaration, not utf-8


def test_response_text_uses_detected_charset(server: FaultServer, fetcher: Fetcher) -> None:
    server.route(
        "/w",
        body="Trust’s “outage” – café".encode("cp1252"),
        headers={"Content-Type": "text/html; charset=windows-1252"},
    )
    server.route("/u", body="Trust’s “outage”".encode(), headers={"Content-Type": "text/html"})
    assert fetcher.get(server.base_url + "/w").text() == "Trust’s “outage” – café"
    assert fetcher.get(server.base_url + "/u").text() == "Trust’s “outage”"


# -------------------------------------------------------------------- concurrency


def test_per_host_concurrency_is_honoured(server: FaultServer) -> None:
    server.route("/slow", body="s")
    server.latency = 0.15
    settings = {"per_host_concurrency": 2, "total_concurrency": 8, "obey_robots": False}
    with make_fetcher(**settings) as fetcher, ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(fetcher.get, [f"{server.base_url}/slow?{i}" for i in range(8)]))
    assert server.count("/slow") == 8
    assert server.in_flight.maximum == 2


def test_total_concurrency_is_honoured() -> None:
    shared = InFlight()
    with FaultServer(in_flight=shared) as one, FaultServer(in_flight=shared) as two:
        for srv in (one, two):
            srv.route("/p", body="p")
            srv.latency = 0.15
        urls = [f"{srv.base_url}/p?{i}" for i in range(6) for srv in (one, two)]
        settings = {"per_host_concurrency": 4, "total_concurrency": 3, "obey_robots": False}
        with make_fetcher(**settings) as fetcher, ThreadPoolExecutor(max_workers=12) as pool:
            list(pool.map(fetcher.get, urls))
    assert shared.maximum == 3


def test_concurrent_gets_are_correct(server: FaultServer) -> None:
    for i in range(20):
        server.route(f"/item/{i}", body=f"item {i}")
    with make_fetcher(per_host_concurrency=4) as fetcher, ThreadPoolExecutor(8) as pool:
        urls = [f"{server.base_url}/item/{i}" for i in range(20)]
        bodies = [response.body for response in pool.map(fetcher.get, urls)]
    assert bodies == [f"item {i}".encode() for i in range(20)]


def test_closed_fetcher_refuses() -> None:
    fetcher = make_fetcher()
    fetcher.close()
    with pytest.raises(RuntimeError):
        fetcher.get("http://127.0.0.1:1/")


# ------------------------------------------------------------------ the servers


def test_site_server_index_redirect_types_head_and_404(tmp_path: Path) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "index.html").write_text("<a href='{{base_url}}/x'>x</a>")
    (tmp_path / "feed.atom").write_text("<feed/>")
    (tmp_path / "data.xml").write_text("<x/>")
    with SiteServer(tmp_path) as site, make_fetcher(obey_robots=False) as fetcher:
        index = fetcher.get(site.base_url + "/news")
        assert index.final_url == site.base_url + "/news/"
        assert index.headers["content-type"] == "text/html; charset=utf-8"
        assert index.text() == f"<a href='{site.base_url}/x'>x</a>"
        assert fetcher.get(site.base_url + "/feed.atom").content_type == "application/atom+xml"
        assert fetcher.get(site.base_url + "/data.xml").content_type == "application/xml"
        assert fetch_error(fetcher, site.base_url + "/nope.html").status == 404
        status, body = raw_get(site.base_url, "/feed.atom")
        assert (status, body) == (200, b"<feed/>")
        assert any(r.method == "GET" and r.path == "/news/" for r in site.requests)


@pytest.mark.parametrize(
    "target",
    [
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/news/..%2f..%2fsecret.txt",
        "/..%5csecret.txt",
        "/link/secret.txt",
        "/%00",
    ],
)
def test_site_server_refuses_path_traversal(tmp_path: Path, target: str) -> None:
    root = tmp_path / "root"
    (root / "news").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("TOP SECRET")
    (root / "link").symlink_to(tmp_path)  # a symlink leading out of the root
    with SiteServer(root) as site:
        status, body = raw_get(site.base_url, target)
    assert status == 404
    assert b"TOP SECRET" not in body


def test_fault_server_slow_stops_promptly() -> None:
    server = FaultServer().start()
    server.fault("/slow", "slow")
    result: list[object] = []

    def client() -> None:
        try:
            result.append(raw_get(server.base_url, "/slow"))
        except (OSError, IndexError, ValueError) as exc:
            result.append(exc)

    thread = threading.Thread(target=client)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    server.stop()
    thread.join(5)
    assert not thread.is_alive()
    assert time.monotonic() - started < 2.0
