"""Collection benchmarks (issue 3), against local HTTP servers on 127.0.0.1 only.

1. repoll: 50 feeds x 20 items on one host; ingest, then ingest again with nothing changed.
   The second run must fetch no article page, get 304 for every feed, and take <= 5% of the
   first run's wall time.
2. concurrency: 200 feeds x 20 items on 10 hosts (10 servers on different ports), each
   response delayed by 100 ms. Wall time against the ideal (requests x latency / allowed
   concurrency) and peak memory (max RSS of the ingesting process).
3. peer: the same 50 feeds imported feed-only (no article pages) by `aggregator` and by
   feed-to-sqlite (pip install -e '.[bench]'), first import and re-import.
4. dates: the share of stored articles that have a publication date, on the bundled demo
   site (RSS, Atom and an HTML listing whose items carry no date).

Every ingest runs in a fresh child process (so peak memory is its own); the servers run in
another process (so they do not compete with it for the GIL). "stub" rows replace the spaCy
extractor with one that returns empty facts: they measure collection alone. "spaCy" rows use
the real extractor, model load included.

    .venv/bin/python bench/bench_collect.py [--only repoll,concurrency,peer,dates]
                                            [--no-spacy] [--write-docs]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.demo.server import SiteHandler, SiteServer  # noqa: E402

DOCS = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Collection"
NOTES = """\
"stub" rows replace spaCy with an extractor that returns empty facts: they measure collection
alone (fetching, parsing, main-text extraction, storage). "spaCy" rows use the real extractor,
model load included. Every ingest runs in a fresh process; the servers (`http.server` with
TCP_NODELAY, latency added before each response) run in another. feed-to-sqlite fetches each
feed in full every time and stores feed rows only. The machine was shared with other jobs while
these ran (see the load average under each table), so the walls are on the pessimistic
side."""
# Neutral text: most collected articles are not incidents, and thousands of near-identical
# incident reports would benchmark incident clustering instead of collection.
PARAGRAPH = ("The council's digital team published its quarterly report on the new website, "
             "which residents used to renew parking permits and book recycling collections. ")
USER_AGENT = "incident-aggregator-bench/0.1 (+mailto:bench@example.invalid)"


# ------------------------------------------------------------------------------ site

def build_site(root: Path, feeds: int, items: int) -> None:
    """``feeds`` RSS feeds of ``items`` items; every item links (with utm_ tracking) to its
    own small article page. {{base_url}} is replaced by whichever server serves the file."""
    (root / "feeds").mkdir(parents=True)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    for f in range(feeds):
        entries = "".join(
            f"<item><title>Feed {f} story {i}</title>"
            f"<link>{{{{base_url}}}}/a/{f}/{i}.html?utm_source=rss&amp;utm_medium=feed</link>"
            f"<guid>f{f}-i{i}</guid><pubDate>Tue, 04 Jun 2024 {i % 24:02d}:00:00 GMT</pubDate>"
            f"<description>Story {i} of feed {f}.</description></item>" for i in range(items))
        (root / "feeds" / f"{f}.rss").write_text(
            f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Feed {f}</title><link>{{{{base_url}}}}/</link><description>bench"
            f"</description>{entries}</channel></rss>", encoding="utf-8")
        pages = root / "a" / str(f)
        pages.mkdir(parents=True)
        for i in range(items):
            (pages / f"{i}.html").write_text(
                f"<!doctype html><html><head><meta charset='utf-8'><title>Feed {f} story {i}"
                f"</title></head><body><article><h1>Feed {f} story {i}</h1>"
                + f"<p>{PARAGRAPH * 2}</p>" * 3 + "</article></body></html>", encoding="utf-8")


class _CountingHandler(SiteHandler):
    def setup(self) -> None:
        super().setup()
        # http.server sends headers and body in separate writes: without TCP_NODELAY, Nagle's
        # algorithm and the client's delayed ACK add about 40 ms to every response
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def send_response(self, code: int, message: str | None = None) -> None:
        self.site.statuses[code] += 1
        super().send_response(code, message)


class LatencyServer(SiteServer):
    """SiteServer with a fixed delay before every response, counting statuses."""

    handler_class = _CountingHandler

    def __init__(self, root: Path, latency: float):
        super().__init__(root)
        self.latency = latency
        self.statuses: Counter[int] = Counter()

    def handle_request(self, handler, method, path, query):  # type: ignore[override]
        if self.latency:
            time.sleep(self.latency)
        super().handle_request(handler, method, path, query)

    def stats(self) -> dict[str, Any]:
        kinds: Counter[str] = Counter()
        for record in list(self.requests):
            kinds["robots" if record.path == "/robots.txt" else
                  "feeds" if record.path.startswith("/feeds/") else
                  "pages" if record.path.startswith("/a/") else "other"] += 1
        return {"requests": len(self.requests), **kinds,
                "statuses": {str(k): v for k, v in self.statuses.items()}}

    def clear(self) -> None:
        self.clear_requests()
        self.statuses.clear()


def _serve(root: str, count: int, latency: float, conn) -> None:
    servers = [LatencyServer(Path(root), latency).start() for _ in range(count)]
    conn.send([s.base_url for s in servers])
    while True:
        command = conn.recv()
        if command == "stats":
            merged: dict[str, Any] = {"statuses": Counter()}
            for server in servers:
                for key, value in server.stats().items():
                    if key == "statuses":
                        merged["statuses"].update(value)
                    else:
                        merged[key] = merged.get(key, 0) + value
            conn.send(merged)
        elif command == "clear":
            for server in servers:
                server.clear()
            conn.send("ok")
        else:
            break
    for server in servers:
        server.stop()


class Servers:
    """``count`` LatencyServers over one root, in a separate process."""

    def __init__(self, root: Path, count: int = 1, latency: float = 0.0):
        context = multiprocessing.get_context("spawn")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(str(root), count, latency, child),
                                       daemon=True)
        self.process.start()
        self.base_urls: list[str] = self.conn.recv()

    def stats(self) -> dict[str, Any]:
        self.conn.send("stats")
        return self.conn.recv()

    def clear(self) -> None:
        self.conn.send("clear")
        self.conn.recv()

    def close(self) -> None:
        self.conn.send("stop")
        self.process.join(10)

    def __enter__(self) -> Servers:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def write_config(path: Path, urls: list[str], **settings: Any) -> Path:
    import yaml

    path.write_text(yaml.safe_dump({
        "user_agent": USER_AGENT, "allow_private_addresses": True, **settings,
        "sources": [{"id": f"feed-{i}", "name": f"Feed {i}", "url": url, "type": "feed"}
                    for i, url in enumerate(urls)]}), encoding="utf-8")
    return path


# ------------------------------------------------------------------------- children

class Out(list):
    """Lines of the report, printed as they are added."""

    def append(self, line: str) -> None:
        print(line, flush=True)
        super().append(line)

    def extend(self, lines) -> None:  # type: ignore[override]
        for line in lines:
            self.append(line)


def machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return f"{os.cpu_count()} cores, load average {load} at the start"


class StubExtractor:
    """Empty facts for every document: measures collection without spaCy."""

    version = "stub"

    def extract_many(self, documents):
        from aggregator.models import Extraction

        for d in documents:
            yield Extraction(title=d.title, published=d.published, text=d.text,
                             is_incident=False, incident_score=0.0, extractor_version="stub")

    def extract(self, document):
        return next(self.extract_many([document]))


def child_ingest(spec: dict[str, Any]) -> dict[str, Any]:
    """Run one ingest in this (fresh) process and describe it."""
    from aggregator.config import load_config
    from aggregator.ingest import ingest
    from aggregator.store import Store

    config = load_config(spec["config"], spec.get("substitutions"))
    store = Store(spec["db"])
    extractor = StubExtractor() if spec["stub"] else None
    started = time.perf_counter()
    report = ingest(config, store, force=True, extractor=extractor,
                    feeds_only=spec.get("feeds_only", False))
    elapsed = time.perf_counter() - started
    outcomes = Counter(r["outcome"] for r in store.db.query(
        "select outcome from fetch_log where run_id = ?", [report.run_id]))
    dated, total = store.db.execute(
        "select count(published), count(*) from articles").fetchone()
    store.close()
    return {"elapsed": elapsed, "articles_new": report.articles_new,
            "pages_fetched": report.pages_fetched, "pages_failed": report.pages_failed,
            "failed": len(report.failed), "feed_outcomes": dict(outcomes),
            "articles_total": total, "articles_dated": dated,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def child_feed_to_sqlite(spec: dict[str, Any]) -> dict[str, Any]:
    """feed-to-sqlite's own loop (its CLI: one httpx client, ingest_feed per URL)."""
    import httpx
    from feed_to_sqlite import ingest_feed

    started = time.perf_counter()
    with httpx.Client(headers={"user-agent": "feed-to-sqlite"}) as client:
        for url in spec["urls"]:
            ingest_feed(spec["db"], url=url, table_name="entries", client=client)
    elapsed = time.perf_counter() - started
    conn = sqlite3.connect(spec["db"])
    total = conn.execute("select count(*) from entries").fetchone()[0]
    conn.close()
    return {"elapsed": elapsed, "articles_total": total,
            "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}


def run_child(kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    """Run a child process; add its whole wall time (start-up and imports included)."""
    started = time.perf_counter()
    result = subprocess.run([sys.executable, __file__, "--child", kind, json.dumps(spec)],
                            capture_output=True, text=True, cwd=ROOT,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    wall = time.perf_counter() - started
    if result.returncode != 0:
        raise RuntimeError(f"child {kind} failed:\n{result.stderr[-3000:]}")
    data = json.loads(result.stdout.strip().splitlines()[-1])
    data["process_wall"] = wall
    return data


# ------------------------------------------------------------------------ benchmarks

def bench_repoll(work: Path, spacy: bool) -> list[str]:
    feeds, items = 50, 20
    site = work / "repoll-site"
    build_site(site, feeds, items)
    lines = Out()
    lines.extend(["### 1. Re-poll cost (50 feeds x 20 items, one host, no added latency)", "",
             "| extractor | run | ingest() wall | process wall | feed answers | article pages "
             "fetched | new articles |", "|---|---|---|---|---|---|---|"])
    checks = []
    with Servers(site) as servers:
        base = servers.base_urls[0]
        config = write_config(work / "repoll.yaml",
                              [f"{base}/feeds/{f}.rss" for f in range(feeds)])
        for stub in ([True, False] if spacy else [True]):
            db = work / f"repoll-{'stub' if stub else 'spacy'}.db"
            label = "stub" if stub else "spaCy"
            runs = []
            for run in ("first", "second"):
                servers.clear()
                result = run_child("ingest", {"config": str(config), "db": str(db),
                                              "stub": stub})
                result["server"] = servers.stats()
                runs.append(result)
                statuses = result["server"]["statuses"]
                answers = ", ".join(f"{n}x{code}" for code, n in sorted(statuses.items()))
                lines.append(f"| {label} | {run} | {result['elapsed']:.2f} s | "
                             f"{result['process_wall']:.2f} s | {answers} | "
                             f"{result['server'].get('pages', 0)} | "
                             f"{result['articles_new']} |")
            first, second = runs
            ratio = second["elapsed"] / first["elapsed"]
            process_ratio = second["process_wall"] / first["process_wall"]
            ok = (second["server"].get("pages", 0) == 0
                  and second["feed_outcomes"].get("not_modified", 0) == feeds
                  and second["server"]["statuses"].get("304", 0) == feeds
                  and first["articles_new"] == feeds * items and ratio <= 0.05)
            checks.append(f"- {label}: second run / first run = **{ratio:.1%}** of the wall "
                          f"time of `ingest()` ({process_ratio:.1%} counting process start-up "
                          f"and imports); {second['feed_outcomes'].get('not_modified', 0)} of "
                          f"{feeds} feeds answered 304; "
                          f"{second['server'].get('pages', 0)} article pages fetched: "
                          f"{'PASS' if ok else 'FAIL'} (target <= 5%, 0 pages, all 304)")
    lines.append("")
    lines.extend(checks)
    return lines


def bench_concurrency(work: Path, spacy: bool, spacy_feeds: int = 50) -> list[str]:
    """The stub row uses all 200 feeds; the spaCy row the first ``spacy_feeds`` of them (on
    all 10 hosts), since extraction, not fetching, bounds it and 4000 articles through
    spaCy take several minutes on two cores."""
    feeds, items, hosts, latency = 200, 20, 10, 0.1
    concurrency, per_host = 8, 2
    site = work / "concurrency-site"
    build_site(site, feeds, items)
    allowed = min(concurrency, hosts * per_host)
    lines = Out()
    lines.extend([f"### 2. Concurrency ({feeds} feeds x {items} items on {hosts} hosts, "
                  f"{latency * 1000:.0f} ms added to every response, concurrency {concurrency}, "
                  f"{per_host} per host)", "",
                  "| extractor | feeds | requests | ideal | ingest() wall | wall / ideal | "
                  "process wall | peak RSS | new articles |", "|---" * 9 + "|"])
    checks = []
    with Servers(site, count=hosts, latency=latency) as servers:
        urls = [f"{servers.base_urls[f % hosts]}/feeds/{f}.rss" for f in range(feeds)]
        for stub in ([True, False] if spacy else [True]):
            label = "stub" if stub else "spaCy"
            used = feeds if stub else min(spacy_feeds, feeds)
            config = write_config(work / f"concurrency-{label}.yaml", urls[:used],
                                  concurrency=concurrency, per_host_concurrency=per_host)
            servers.clear()
            result = run_child("ingest", {"config": str(config), "stub": stub,
                                          "db": str(work / f"concurrency-{label}.db")})
            requests = servers.stats()["requests"]
            ideal = requests * latency / allowed
            ratio = result["elapsed"] / ideal
            lines.append(f"| {label} | {used} | {requests} | {ideal:.1f} s | "
                         f"{result['elapsed']:.1f} s | "
                         f"**{ratio:.2f}x** | {result['process_wall']:.1f} s | "
                         f"{result['max_rss_mb']:.0f} MB | {result['articles_new']} |")
            verdict = ("PASS" if ratio <= 1.5 else "FAIL") if stub else \
                f"extraction-bound: {result['articles_new'] / result['elapsed']:.0f} articles/s"
            checks.append(f"- {label}: {ratio:.2f}x the ideal "
                          f"({requests} requests x {latency * 1000:.0f} ms / {allowed}): "
                          f"{verdict}{' (target <= 1.5x)' if stub else ''}; "
                          f"peak RSS {result['max_rss_mb']:.0f} MB")
    lines.append("")
    lines.extend(checks)
    return lines


def bench_peer(work: Path, spacy: bool) -> list[str]:
    feeds, items = 50, 20
    site = work / "peer-site"
    build_site(site, feeds, items)
    lines = Out()
    lines.extend(["### 3. Feed-only import against feed-to-sqlite (the same 50 feeds x 20 items)",
                  "", "| tool | run | wall (in process) | process wall | rows | peak RSS |",
                  "|---|---|---|---|---|---|"])
    try:
        import feed_to_sqlite  # noqa: F401
    except ImportError:
        return lines[:1] + ["", "feed-to-sqlite is not installed: "
                            "`.venv/bin/pip install -e '.[bench]'`"]
    results: dict[str, list[dict]] = {}
    with Servers(site) as servers:
        base = servers.base_urls[0]
        urls = [f"{base}/feeds/{f}.rss" for f in range(feeds)]
        config = write_config(work / "peer.yaml", urls)
        tools = [("feed-to-sqlite", "fts", None), ("aggregator --feeds-only, stub", "ingest",
                                                   True)]
        if spacy:
            tools.append(("aggregator --feeds-only, spaCy", "ingest", False))
        for name, kind, stub in tools:
            db = work / f"peer-{len(results)}.db"
            for run in ("first", "second"):
                if kind == "fts":
                    result = run_child("fts", {"urls": urls, "db": str(db)})
                else:
                    result = run_child("ingest", {"config": str(config), "db": str(db),
                                                  "stub": stub, "feeds_only": True})
                results.setdefault(name, []).append(result)
                lines.append(f"| {name} | {run} | {result['elapsed']:.2f} s | "
                             f"{result['process_wall']:.2f} s | {result['articles_total']} | "
                             f"{result['max_rss_mb']:.0f} MB |")
    peer = results["feed-to-sqlite"]
    notes = [""]
    for name in results:
        if name == "feed-to-sqlite":
            continue
        ours = results[name]
        first, again = (ours[i]["elapsed"] / peer[i]["elapsed"] for i in (0, 1))
        first_p, again_p = (ours[i]["process_wall"] / peer[i]["process_wall"] for i in (0, 1))
        notes.append(f"- {name} / feed-to-sqlite: first import **{first:.2f}x**, re-import "
                     f"**{again:.2f}x** (in-process wall; whole process {first_p:.2f}x and "
                     f"{again_p:.2f}x)")
    lines.extend(notes)
    return lines


def bench_dates(work: Path, spacy: bool) -> list[str]:
    from aggregator.demo import DEMO_CONFIG, DEMO_SITE

    with Servers(DEMO_SITE) as servers:
        result = run_child("ingest", {"config": str(DEMO_CONFIG), "db": str(work / "demo.db"),
                                      "stub": not spacy,
                                      "substitutions": {"base_url": servers.base_urls[0]}})
    share = result["articles_dated"] / max(result["articles_total"], 1)
    lines = Out()
    lines.extend(["### 4. Publication dates (bundled demo site: RSS, Atom, and an HTML listing "
            "whose "
            "items carry no date)", "",
            f"- {result['articles_dated']} of {result['articles_total']} articles have a "
            f"publication date: **{share:.0%}** (feed dates first, else the page's JSON-LD, "
            "meta tags or <time>, else htmldate on the page's markup and URL)"])
    return lines


BENCHES = {"repoll": bench_repoll, "concurrency": bench_concurrency, "peer": bench_peer,
           "dates": bench_dates}


def write_docs(body: list[str], command: str) -> None:
    """Replace (or add) the '## Collection' section of docs/BENCHMARKS.md."""
    text = DOCS.read_text(encoding="utf-8") if DOCS.exists() else "# Benchmarks\n"
    section = "\n".join([SECTION, "", f"Reproduce: `{command}` (2-core machine; figures from "
                         f"the last run, {time.strftime('%Y-%m-%d')}).", "", NOTES, "",
                         *body]) + "\n"
    if SECTION in text:
        start = text.index(SECTION)
        following = text.find("\n## ", start + len(SECTION))
        text = text[:start] + section + (text[following:] if following != -1 else "")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOCS.write_text(text, encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default=",".join(BENCHES),
                        help="comma-separated: " + ", ".join(BENCHES))
    parser.add_argument("--no-spacy", action="store_true",
                        help="stub extractor only (collection alone)")
    parser.add_argument("--write-docs", action="store_true",
                        help="replace the Collection section of docs/BENCHMARKS.md")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args, _ = parser.parse_known_args()  # run_all.py passes its own arguments to every script
    if args.child:
        kind, spec = args.child
        runner = child_ingest if kind == "ingest" else child_feed_to_sqlite
        print(json.dumps(runner(json.loads(spec))))
        return 0
    body: list[str] = []
    failed = False
    with tempfile.TemporaryDirectory(prefix="bench-collect-") as tmp:
        for name in args.only.split(","):
            started = time.perf_counter()
            print(f"({name}: {machine()})", flush=True)
            lines = BENCHES[name.strip()](Path(tmp), not args.no_spacy)
            lines.append(f"\n({name}: {time.perf_counter() - started:.0f} s; "
                         f"{machine().replace('start', 'end')})\n")
            failed |= any("FAIL" in line for line in lines)
            body += [*lines, ""]
    if args.write_docs:
        command = ".venv/bin/python bench/bench_collect.py" + (
            f" --only {args.only}" if args.only != ",".join(BENCHES) else "") + (
            " --no-spacy" if args.no_spacy else "")
        write_docs(body, command)
    return 1 if failed else 0


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    sys.exit(main())
