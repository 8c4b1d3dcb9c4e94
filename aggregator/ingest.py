"""The ingest job: config -> fetch -> parse -> extract -> store, for every due source.

Feeds are fetched concurrently (threads; the work is I/O-bound and httpx's sync client is
thread-safe), then article pages, interleaved by host so that the fetcher's per-host limit
never idles the pool, in a bounded window that keeps fetching while the main thread runs
spaCy and writes. Worker threads never touch SQLite: they return results and queue log
records, which the main thread writes. Each article is committed on its own, and a source's
validators (ETag, Last-Modified, body hash) only after all its new articles are stored, so a
crash (even kill -9) loses at most the articles in flight and the next run picks them up.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import queue
import random
import time
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, as_completed, wait
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from aggregator.config import Config, Source
from aggregator.fetch import Fetcher, FetchError, FetchSettings, Response
from aggregator.models import Document, Extraction, FeedItem
from aggregator.parse import ParseError, html_to_text, parse_feed, parse_listing
from aggregator.store import Store, utcnow
from aggregator.urls import host_key, safe_canonical_url

if TYPE_CHECKING:  # spaCy and trafilatura load only when there is something to extract, so a
    # run that finds the lock taken, or nothing new, starts and exits quickly
    from aggregator.extract.pipeline import Extractor

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_SOURCES_FAILED = 1
EXIT_CONFIG_ERROR = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another ingest holds the lock; cron will try again
MAX_BACKOFF_MINUTES = 24 * 60  # a failing source is retried at least daily, never disabled
MAX_TTL_MINUTES = 24 * 60  # a feed's <ttl> raises its poll interval up to this much
CHUNK_SIZE = 32  # articles extracted together (nlp.pipe batch)
HEAD_PATIENCE = 2.0  # seconds a slow page may hold up the pages fetched after it
# page fetch failures that will not go away: store the feed summary instead of retrying forever
PERMANENT_FAILURES = {"robots", "too_large", "private_address", "bad_scheme", "redirects", "decode"}
HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"

Progress = Callable[[str, int, int], None]  # (stage, done, total)
T = TypeVar("T")

_HELD_LOCKS: set[str] = set()  # lock files this process holds


class LockedError(Exception):
    """Another ingest is running on the same database."""


@dataclass
class SourceResult:
    source_id: str
    ok: bool
    message: str = ""
    items: int = 0
    new: int = 0
    skipped: bool = False


@dataclass
class IngestReport:
    run_id: int
    results: list[SourceResult] = field(default_factory=list)
    articles_new: int = 0
    articles_seen: int = 0
    pages_fetched: int = 0
    pages_failed: int = 0
    elapsed: float = 0.0

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if not r.ok]

    @property
    def exit_code(self) -> int:
        return EXIT_SOURCES_FAILED if self.failed else EXIT_OK


def _lock_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.lock").resolve()


@contextmanager
def ingest_lock(db_path: str | Path) -> Iterator[None]:
    """An exclusive ``flock`` beside the database, so overlapping cron runs cannot both write.

    Raises :class:`LockedError` at once (no waiting) when another run holds it, also from
    the same process. The kernel drops the lock when its holder dies, even by kill -9.
    """
    lock_path = _lock_path(db_path)
    handle = open(lock_path, "a+")  # noqa: SIM115 - held for the whole run
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise LockedError(f"another ingest is running on {db_path} (lock {lock_path}, "
                              f"pid {holder})") from exc
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        _HELD_LOCKS.add(str(lock_path))
        try:
            yield
        finally:
            _HELD_LOCKS.discard(str(lock_path))
    finally:
        handle.close()


def fetch_settings(config: Config) -> FetchSettings:
    """The fetcher's settings from feeds.yaml (``timeout`` bounds each attempt)."""
    return FetchSettings(
        user_agent=config.user_agent,
        connect_timeout=min(5.0, config.timeout),
        read_timeout=min(15.0, config.timeout),
        total_timeout=config.timeout,
        per_host_concurrency=config.per_host_concurrency,
        total_concurrency=config.concurrency,
        allow_private_addresses=config.allow_private_addresses,
    )


def ingest(config: Config, store: Store, *, source_ids: tuple[str, ...] = (),
           force: bool = False, extractor: Extractor | None = None,
           progress: Progress | None = None, feeds_only: bool = False,
           settings: FetchSettings | None = None) -> IngestReport:
    """Poll the due sources (all selected ones with ``force``) and store new articles.

    ``feeds_only`` stores what the feeds and listings carry (full text where the feed has it,
    else the summary) and fetches no article page. ``settings`` overrides the fetcher's
    settings derived from ``config`` (tests and benchmarks).
    """
    started = time.monotonic()
    sources = config.select(source_ids)
    store.sync_sources(config.sources)
    if str(_lock_path(store.path)) in _HELD_LOCKS:  # no other run can be alive
        stale = store.close_stale_runs()
        if stale:
            log.warning("marked %d unfinished earlier run(s) as crashed", stale)
    run_id = store.start_run([s.id for s in sources])
    report = IngestReport(run_id=run_id)
    run: _Run | None = None
    try:
        with Fetcher(settings or fetch_settings(config)) as fetcher:
            run = _Run(config, store, fetcher, extractor, report, progress, feeds_only)
            run.run(sources, force)
    except BaseException as exc:
        if run is not None:
            try:
                run.flush_logs()
            except Exception:  # the database may be the problem; the run is failing anyway
                log.debug("cannot write the fetch log of a crashed run", exc_info=True)
        store.finish_run(run_id, status="crashed", error=f"{type(exc).__name__}: {exc}")
        raise
    report.elapsed = time.monotonic() - started
    store.finish_run(
        run_id, status="ok" if not report.failed else "partial",
        sources_ok=sum(r.ok and not r.skipped for r in report.results),
        sources_failed=len(report.failed),
        sources_skipped=sum(r.skipped for r in report.results),
        articles_new=report.articles_new, articles_seen=report.articles_seen,
        pages_fetched=report.pages_fetched, pages_failed=report.pages_failed,
        error=_failure_summary(report))
    return report


def _failure_summary(report: IngestReport) -> str | None:
    if not report.failed:
        return None
    text = "; ".join(f"{r.source_id}: {r.message}" for r in report.failed)
    return f"{len(report.failed)} source(s) failed: {text}"[:4000]


@dataclass
class _Polled:
    """A source that answered: its items, and the state to write once they are stored."""

    source: Source
    items: list[FeedItem]
    state: dict[str, Any]
    transient_failures: int = 0


@dataclass
class _Failed:
    """A source that could not be polled, and its backed-off state."""

    source: Source
    state: dict[str, Any]
    message: str


@dataclass
class _Page:
    """What a worker made of one new item: its document (None to retry next run)."""

    document: Document | None
    final_url: str | None = None  # canonical form of the URL that answered, after redirects
    canonical: str | None = None  # the page's own <link rel=canonical>, when usable
    fetched: bool = False
    failed: bool = False
    transient: bool = False


class _Run:
    """One ingest run's working state."""

    def __init__(self, config: Config, store: Store, fetcher: Fetcher,
                 extractor: Extractor | None, report: IngestReport, progress: Progress | None,
                 feeds_only: bool = False):
        self.config, self.store, self.fetcher = config, store, fetcher
        self._extractor = extractor
        self.report, self.progress = report, progress or (lambda stage, done, total: None)
        self.feeds_only = feeds_only
        self.states: dict[str, dict] = {}
        self.logs: queue.SimpleQueue[dict] = queue.SimpleQueue()  # filled by worker threads
        self.saved: dict[str, int] = {}  # URLs (and their aliases) stored in this run -> id
        self.carriers: dict[str, list[str]] = {}  # new URL -> the other sources that carry it
        self.workers = max(1, fetcher.settings.total_concurrency * 2)

    def _log(self, source_id: str, url: str, **fields: Any) -> None:
        self.logs.put({"source_id": source_id, "url": url, "at": utcnow(), **fields})

    def flush_logs(self) -> None:
        """Write what the worker threads recorded (SQLite stays on the main thread)."""
        entries = []
        while True:
            try:
                entries.append(self.logs.get_nowait())
            except queue.Empty:
                break
        self.store.log_fetches(self.report.run_id, entries)

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:  # loaded only when there is something to extract
            from aggregator.extract.pipeline import Extractor

            self._extractor = Extractor()
        return self._extractor

    def run(self, sources: list[Source], force: bool) -> None:
        states = {s.id: self.store.source_state(s.id) for s in sources}
        now = utcnow()
        due = [s for s in sources if force or not states[s.id].get("next_poll")
               or states[s.id]["next_poll"] <= now]
        for source in sources:
            if source not in due:
                self.report.results.append(SourceResult(
                    source.id, ok=True, skipped=True,
                    message=f"not due until {states[source.id]['next_poll']}"))
        self.states = {s.id: states[s.id] for s in due}
        polled: list[_Polled] = []
        ordered = _interleave(due, key=lambda s: host_key(s.url))
        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(ordered)))) as pool:
            futures = [pool.submit(self._poll, source) for source in ordered]
            for done, future in enumerate(as_completed(futures), start=1):
                self.progress("sources", done, len(due))
                result = future.result()  # _poll never raises
                if isinstance(result, _Polled):
                    polled.append(result)
                else:
                    self.store.update_source(result.source.id, **result.state)
                    self.report.results.append(SourceResult(result.source.id, ok=False,
                                                            message=result.message))
        self.flush_logs()
        position = {s.id: i for i, s in enumerate(sources)}
        polled.sort(key=lambda p: position[p.source.id])  # config order: deterministic
        self._collect(polled)

    # -- polling a source (worker threads: no database access)
    def _poll(self, source: Source) -> _Polled | _Failed:
        """Fetch and parse one source. Never raises: any failure is this source's alone."""
        try:
            return self._poll_source(source)
        except Exception as exc:  # a bug or an unforeseen input must not stop the others
            log.exception("%s: unexpected error", source.id)
            return self._failed(source, f"{source.url}: unexpected error: "
                                        f"{type(exc).__name__}: {exc}", None, "internal")

    def _poll_source(self, source: Source) -> _Polled | _Failed:
        state = self.states[source.id]
        now = utcnow()
        try:
            response = self.fetcher.get(source.url, etag=state.get("etag"),
                                        last_modified=state.get("last_modified"), trusted=True,
                                        accept=_accept(source))
        except FetchError as exc:
            return self._failed(source, str(exc), exc.status, exc.kind, exc.retry_after)
        ok_state = {"last_attempt": now, "last_success": now, "last_status": response.status,
                    "consecutive_failures": 0, "last_error": None,
                    "final_url": response.final_url}
        unchanged = dict(ok_state, items_last_poll=0,
                         next_poll=_next_poll(source, state.get("ttl_minutes")))
        if response.not_modified:
            self._log(source.id, source.url, status=304, outcome="not_modified",
                      elapsed=response.elapsed, final_url=_moved(response))
            return _Polled(source, [], unchanged)
        body_hash = hashlib.sha256(response.body).hexdigest()[:32]
        if body_hash == state.get("body_hash"):  # no 304 support, or a stale ETag: same body
            unchanged.update(etag=response.etag, last_modified=response.last_modified)
            self._log(source.id, source.url, status=response.status, outcome="unchanged",
                      elapsed=response.elapsed, final_url=_moved(response),
                      message="same body as the last poll")
            return _Polled(source, [], unchanged)
        try:
            if source.type == "feed":
                parsed = parse_feed(response.body, url=response.final_url, source_id=source.id,
                                    headers=response.headers)
                items, ttl = parsed.items, parsed.ttl_minutes
                for warning in parsed.warnings:
                    log.info("%s: %s", source.id, warning)
            else:
                if not _looks_like_html(response):
                    raise ParseError(f"listing page is not HTML "
                                     f"(Content-Type {response.content_type})")
                items = parse_listing(response.text(), url=response.final_url,
                                      source_id=source.id, selector=source.links or "a")
                ttl = None
        except ParseError as exc:
            return self._failed(source, f"{source.url}: {exc}", response.status, "parse")
        self._log(source.id, source.url, status=response.status, outcome="ok",
                  elapsed=response.elapsed, final_url=_moved(response),
                  message=f"{len(items)} item(s)")
        ok_state.update(etag=response.etag, last_modified=response.last_modified,
                        body_hash=body_hash, items_last_poll=len(items), ttl_minutes=ttl,
                        next_poll=_next_poll(source, ttl))
        return _Polled(source, items, ok_state)

    def _failed(self, source: Source, message: str, status: int | None, kind: str,
                retry_after: float | None = None) -> _Failed:
        state = self.states.get(source.id, {})
        failures = (state.get("consecutive_failures") or 0) + 1
        self._log(source.id, source.url, status=status, outcome="error", kind=kind,
                  message=message)
        log.warning("%s failed: %s", source.id, message)
        return _Failed(source, {
            "last_attempt": utcnow(), "last_error": message, "last_status": status,
            "consecutive_failures": failures,
            "next_poll": _iso_in(backoff_minutes(source.poll_minutes, failures, retry_after)),
        }, message)

    # -- articles
    def _collect(self, polled: list[_Polled]) -> None:
        """Store every new article, then each source's polling state."""
        new_items: list[tuple[FeedItem, _Polled]] = []
        known = self.store.article_ids(item.url for p in polled for item in p.items)
        links: list[tuple[int, str]] = []
        for entry in polled:
            for item in entry.items:
                self.report.articles_seen += 1
                if item.url in known:
                    links.append((known[item.url], entry.source.id))
                elif item.url in self.carriers:  # a second source carries it: link it later
                    self.carriers[item.url].append(entry.source.id)
                else:
                    self.carriers[item.url] = []
                    new_items.append((item, entry))
        self.store.add_article_sources(links)
        counts: dict[str, int] = defaultdict(int)
        ordered = _interleave(new_items, key=lambda pair: host_key(pair[0].url))
        ready: list[tuple[FeedItem, _Polled, _Page]] = []
        done = 0
        for (item, entry), page in self._pages(ordered):
            done += 1
            self._account(entry, page)
            if page.document is not None:
                ready.append((item, entry, page))
            if len(ready) >= CHUNK_SIZE:
                self._store_chunk(ready, counts)
                ready = []
                self.progress("articles", done, len(ordered))
        self._store_chunk(ready, counts)
        self.progress("articles", done, len(ordered))
        for entry in polled:
            state = dict(entry.state)
            if entry.transient_failures:
                # keep the old validators so that the next poll sees these items again
                for key in ("etag", "last_modified", "body_hash"):
                    state.pop(key, None)
            state["items_total"] = (self.store.source_state(entry.source.id).get("items_total")
                                    or 0) + counts[entry.source.id]
            self.store.update_source(entry.source.id, **state)
            self.report.results.append(SourceResult(
                entry.source.id, ok=True, items=len(entry.items), new=counts[entry.source.id],
                message=f"{entry.transient_failures} article(s) to retry next run"
                if entry.transient_failures else ""))

    def _pages(self, pairs: list[tuple[FeedItem, _Polled]]
               ) -> Iterator[tuple[tuple[FeedItem, _Polled], _Page]]:
        """Fetch pages in a bounded window of futures, so the pool keeps fetching while the
        caller extracts and stores.

        Pages are yielded in submission order, so articles get the same ids on every run of
        the same input; a page still unfinished HEAD_PATIENCE seconds after it reached the
        head of the line is set aside and yielded when it completes, so one slow page
        cannot stall the others.
        """
        if not pairs:
            return
        window = max(CHUNK_SIZE * 4, self.workers * 8)
        pending = iter(pairs)
        inflight: deque[tuple[tuple[FeedItem, _Polled], Future]] = deque()
        late: list[tuple[tuple[FeedItem, _Polled], Future]] = []
        with ThreadPoolExecutor(max_workers=max(1, min(self.workers, len(pairs)))) as pool:

            def submit_more() -> None:
                while len(inflight) + len(late) < window:
                    pair = next(pending, None)
                    if pair is None:
                        return
                    inflight.append((pair, pool.submit(self._page, *pair)))

            try:
                submit_more()
                while inflight or late:
                    for entry in [e for e in late if e[1].done()]:
                        late.remove(entry)
                        yield entry[0], entry[1].result()
                    if not inflight:
                        if late:
                            wait([f for _, f in late], return_when=FIRST_COMPLETED)
                        continue
                    head_pair, head = inflight.popleft()
                    wait([head], timeout=HEAD_PATIENCE)
                    if head.done():
                        yield head_pair, head.result()
                    else:
                        late.append((head_pair, head))
                    submit_more()
            finally:
                for _, future in [*inflight, *late]:
                    future.cancel()

    def _account(self, entry: _Polled, page: _Page) -> None:
        """Count a page's outcome (main thread only)."""
        if page.fetched:
            self.report.pages_fetched += 1
        if page.failed:
            self.report.pages_failed += 1
        if page.transient:
            entry.transient_failures += 1

    def _store_chunk(self, ready: list[tuple[FeedItem, _Polled, _Page]],
                     counts: dict[str, int]) -> None:
        """Extract and store a chunk of new articles, one transaction each."""
        self.flush_logs()
        if not ready:
            return
        aliases = {u for _, _, page in ready for u in (page.canonical, page.final_url) if u}
        aliases -= self.saved.keys()
        known = self.store.article_ids(aliases) if aliases else {}
        fresh = []
        for item, entry, page in ready:
            target = self._already_stored(item, page, known)
            if target is not None:  # e.g. its <link rel=canonical> is an article we have
                self._link(target, item.url, entry.source.id)
                continue
            fresh.append((item, entry, page))
        extractions = self._extract([(entry.source.id, page.document)
                                     for _, entry, page in fresh if page.document])
        for (item, entry, page), extraction in zip(fresh, extractions, strict=True):
            target = self._already_stored(item, page, {})
            if target is not None:  # two links to one page in this chunk
                self._link(target, item.url, entry.source.id)
                continue
            assert page.document is not None
            article_id = self.store.save_article(item, page.document, extraction,
                                                 final_url=page.canonical or page.final_url)
            for url in (item.url, page.canonical, page.final_url):
                if url:
                    self.saved[url] = article_id
            self.store.add_article_sources((article_id, other)
                                           for other in self.carriers.get(item.url, ()))
            counts[entry.source.id] += 1
            self.report.articles_new += 1
        self.flush_logs()

    def _already_stored(self, item: FeedItem, page: _Page, known: dict[str, int]) -> int | None:
        """The id of an article stored under any of this page's URLs (this run or before)."""
        for url in (item.url, page.canonical, page.final_url):
            if url:
                found = self.saved.get(url) or known.get(url)
                if found:
                    return found
        return None

    def _link(self, article_id: int, url: str, source_id: str) -> None:
        self.saved[url] = article_id
        self.store.add_article_sources([(article_id, source_id)] + [
            (article_id, other) for other in self.carriers.get(url, ())])

    def _extract(self, documents: list[tuple[str, Document]]) -> list[Extraction]:
        """Extractions in order; a document that breaks the extractor is still stored."""
        if not documents:
            return []
        extractor = self.extractor  # a model that cannot load is a configuration error
        try:
            return list(extractor.extract_many(document for _, document in documents))
        except Exception:
            log.exception("extraction failed on a chunk; retrying one by one")
        results = []
        for source_id, document in documents:
            try:
                results.append(extractor.extract(document))
            except Exception as exc:
                log.warning("cannot extract %s: %s", document.url, exc)
                self._log(source_id, document.url, status=None, outcome="error",
                          kind="extract", message=f"extraction failed, text stored without "
                          f"facts: {type(exc).__name__}: {exc}")
                results.append(Extraction(title=document.title, published=document.published,
                                          text=document.text, is_incident=False,
                                          incident_score=0.0,
                                          extractor_version=f"failed:{type(exc).__name__}"))
        return results

    # -- pages (worker threads: no database access)
    def _page(self, item: FeedItem, entry: _Polled) -> _Page:
        """The article's Document: the feed's full text, else its page. Never raises."""
        try:
            return self._page_unsafe(item, entry)
        except Exception as exc:  # a malformed page must not stop the run
            log.exception("cannot process %s", item.url)
            self._log(entry.source.id, item.url, status=None, outcome="error", kind="internal",
                      message=f"unexpected error, stored the feed summary: "
                              f"{type(exc).__name__}: {exc}")
            return _Page(_summary_only(item), failed=True)

    def _page_unsafe(self, item: FeedItem, entry: _Polled) -> _Page:
        source = entry.source
        if item.content_html:  # the feed carries the article (Computer Weekly's <body>)
            return _Page(Document(url=item.url, title=item.title,
                                  text=html_to_text(item.content_html),
                                  published=item.published, html=item.content_html,
                                  extracted_by="feed"))
        if self.feeds_only:
            return _Page(_summary_only(item))
        try:
            response = self.fetcher.get(item.url, accept=HTML_ACCEPT)
        except FetchError as exc:
            permanent = exc.kind in PERMANENT_FAILURES or (
                exc.status is not None and 400 <= exc.status < 500 and exc.status != 429)
            self._log(source.id, item.url, status=exc.status, outcome="error", kind=exc.kind,
                      message=str(exc) + ("; stored the feed summary" if permanent
                                          else "; will retry next run"))
            if permanent:
                return _Page(_summary_only(item), failed=True)
            return _Page(None, failed=True, transient=True)
        final = safe_canonical_url(response.final_url)
        if not _looks_like_html(response):
            self._log(source.id, item.url, status=response.status, outcome="error",
                      kind="not_html", elapsed=response.elapsed, final_url=_moved(response),
                      message=f"not an HTML page (Content-Type {response.content_type}); "
                              "stored the feed summary")
            return _Page(_summary_only(item), final_url=final, fetched=True, failed=True)
        from aggregator.extract.text import extract_document

        html = response.text()
        document = extract_document(html, item.url, content_selector=source.content,
                                    title=item.title, published=item.published)
        if not document.published:
            document.published = _page_date(html, response.final_url)
        if not document.text.strip():
            document.text = item.summary or ""
            document.extracted_by = "summary"
        self._log(source.id, item.url, status=response.status, outcome="ok",
                  elapsed=response.elapsed, final_url=_moved(response))
        return _Page(document, final_url=final,
                     canonical=_usable_canonical(document.canonical_url, response.final_url),
                     fetched=True)


def backoff_minutes(poll_minutes: int, failures: int, retry_after: float | None = None) -> float:
    """Minutes until a failing source's next poll: its interval doubled per consecutive
    failure, capped at a day, with jitter (so failing sources do not retry in lock-step), and
    at least the server's Retry-After."""
    base = min(MAX_BACKOFF_MINUTES, poll_minutes * 2 ** min(max(failures - 1, 0), 16))
    minutes = base * random.uniform(0.8, 1.0)
    if retry_after:
        minutes = max(minutes, min(retry_after / 60, MAX_BACKOFF_MINUTES))
    return minutes


def _iso_in(minutes: float) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).replace(microsecond=0).isoformat()


def _next_poll(source: Source, ttl_minutes: int | None) -> str:
    """A feed's own <ttl> / sy:updatePeriod is a floor on its interval (up to a day)."""
    return _iso_in(max(source.poll_minutes, min(ttl_minutes or 0, MAX_TTL_MINUTES)))


def _accept(source: Source) -> str:
    if source.type == "feed":
        return ("application/rss+xml, application/atom+xml, application/rdf+xml, "
                "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
    return HTML_ACCEPT


def _looks_like_html(response: Response) -> bool:
    """True unless the server says the body is something other than HTML or XML."""
    content_type = response.content_type
    if not content_type or "html" in content_type or "xml" in content_type:
        return True
    return content_type == "text/plain" and response.body.lstrip()[:1] == b"<"


def _moved(response: Response) -> str | None:
    """The final URL when redirects led elsewhere."""
    return response.final_url if response.final_url != response.url else None


def _usable_canonical(href: str | None, page_url: str) -> str | None:
    """The page's <link rel=canonical>, unless it is unusable: not http(s), or the site's
    home page named by an article page (a common CMS misconfiguration that would merge every
    article into one)."""
    canonical = safe_canonical_url(href, base=page_url)
    if canonical is None:
        return None
    if urlsplit(canonical).path in ("", "/") and urlsplit(page_url).path not in ("", "/"):
        return None
    return canonical


def _page_date(html: str, url: str) -> str | None:
    """The page's publication date from its markup, via htmldate (metadata only: no guessing
    from dates in the text)."""
    try:
        import htmldate

        return htmldate.find_date(html, extensive_search=False, original_date=True, url=url)
    except Exception:  # htmldate may raise on pathological markup
        log.debug("htmldate failed on %s", url, exc_info=True)
        return None


def _summary_only(item: FeedItem) -> Document:
    return Document(url=item.url, title=item.title, text=item.summary or "",
                    published=item.published, extracted_by="summary")


def _interleave(items: Iterable[T], key: Callable[[T], str]) -> list[T]:
    """Round-robin across hosts (keeping each host's order), so the pool's threads spread
    over hosts instead of queueing behind one host's concurrency limit."""
    groups: dict[str, list[T]] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    queues = [iter(group) for group in groups.values()]
    result: list[T] = []
    while queues:
        alive = []
        for group in queues:
            item = next(group, None)
            if item is not None:
                result.append(item)
                alive.append(group)
        queues = alive
    return result
