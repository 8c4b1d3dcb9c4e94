"""The ingest job: config -> fetch -> parse -> extract -> store, for every due source.

Feeds are fetched concurrently (threads; the work is I/O-bound and httpx's sync client is
thread-safe), article pages likewise, while spaCy and all database writes stay on the main
thread. Articles are processed in small chunks and each is committed on its own, so a crash
loses at most the chunk in flight and the next run picks it up again.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import random
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from aggregator.config import Config, Source
from aggregator.extract.pipeline import Extractor
from aggregator.extract.text import extract_document
from aggregator.fetch import Fetcher, FetchError, FetchSettings
from aggregator.models import Document, FeedItem
from aggregator.parse import ParseError, html_to_text, parse_feed, parse_listing
from aggregator.store import Store, utcnow
from aggregator.urls import canonical_url

log = logging.getLogger(__name__)

EXIT_OK = 0
EXIT_SOURCES_FAILED = 1
EXIT_CONFIG_ERROR = 2
EXIT_LOCKED = 75  # EX_TEMPFAIL: another ingest holds the lock; cron will try again
MAX_BACKOFF_MINUTES = 24 * 60
CHUNK_SIZE = 32
# page fetch failures that will not go away: store the feed summary instead of retrying forever
PERMANENT_FAILURES = {"robots", "too_large", "private_address", "bad_scheme", "redirects", "decode"}

Progress = Callable[[str, int, int], None]  # (stage, done, total)


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
    elapsed: float = 0.0

    @property
    def failed(self) -> list[SourceResult]:
        return [r for r in self.results if not r.ok]

    @property
    def exit_code(self) -> int:
        return EXIT_SOURCES_FAILED if self.failed else EXIT_OK


@contextmanager
def ingest_lock(db_path: str | Path) -> Iterator[None]:
    """An exclusive lock beside the database, so overlapping cron runs cannot both write."""
    lock_path = Path(f"{db_path}.lock")
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
        yield
    finally:
        handle.close()


def fetch_settings(config: Config) -> FetchSettings:
    return FetchSettings(
        user_agent=config.user_agent,
        total_timeout=config.timeout,
        per_host_concurrency=config.per_host_concurrency,
        total_concurrency=config.concurrency,
        allow_private_addresses=config.allow_private_addresses,
    )


def ingest(config: Config, store: Store, *, source_ids: tuple[str, ...] = (),
           force: bool = False, extractor: Extractor | None = None,
           progress: Progress | None = None) -> IngestReport:
    """Poll the due sources (all selected ones with ``force``) and store new articles."""
    started = time.monotonic()
    sources = config.select(source_ids)
    store.sync_sources(config.sources)
    run_id = store.start_run([s.id for s in sources])
    report = IngestReport(run_id=run_id)
    try:
        with Fetcher(fetch_settings(config)) as fetcher:
            _Run(config, store, fetcher, extractor, report, progress).run(sources, force)
    except BaseException as exc:
        store.finish_run(run_id, status="crashed", error=f"{type(exc).__name__}: {exc}")
        raise
    report.elapsed = time.monotonic() - started
    store.finish_run(
        run_id, status="ok" if not report.failed else "partial",
        sources_ok=sum(r.ok and not r.skipped for r in report.results),
        sources_failed=len(report.failed),
        sources_skipped=sum(r.skipped for r in report.results),
        articles_new=report.articles_new, articles_seen=report.articles_seen,
        pages_fetched=report.pages_fetched)
    return report


@dataclass
class _Polled:
    source: Source
    items: list[FeedItem]
    state: dict  # fields to write to the sources row once its items are safely stored
    transient_failures: int = 0


class _Run:
    """One ingest run's working state."""

    def __init__(self, config: Config, store: Store, fetcher: Fetcher,
                 extractor: Extractor | None, report: IngestReport, progress: Progress | None):
        self.config, self.store, self.fetcher = config, store, fetcher
        self._extractor = extractor
        self.report, self.progress = report, progress or (lambda stage, done, total: None)
        self.states: dict[str, dict] = {}
        self.logs: list[dict] = []  # appended by worker threads, written by the main thread
        self.failures: dict[str, dict] = {}

    def _log(self, source_id: str, url: str, **fields) -> None:
        self.logs.append({"source_id": source_id, "url": url, **fields})

    def _flush(self) -> None:
        """Write what the worker threads recorded (SQLite stays on the main thread)."""
        logs, self.logs = self.logs, []
        for entry in logs:
            self.store.log_fetch(self.report.run_id, **entry)
        failures, self.failures = self.failures, {}
        for source_id, state in failures.items():
            self.store.update_source(source_id, **state)

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:  # loaded only when there is something to extract
            self._extractor = Extractor()
        return self._extractor

    def run(self, sources: list[Source], force: bool) -> None:
        due = [s for s in sources if force or self._due(s)]
        for source in sources:
            if source not in due:
                self.report.results.append(SourceResult(source.id, ok=True, skipped=True,
                                                        message="not due yet"))
        self.states = {s.id: self.store.source_state(s.id) for s in due}
        workers = max(1, min(self.config.concurrency, len(due)))
        polled: list[_Polled] = []
        with ThreadPoolExecutor(max_workers=workers) as pool:
            for done, result in enumerate(pool.map(self._poll, due), start=1):
                self.progress("sources", done, len(due))
                if isinstance(result, _Polled):
                    polled.append(result)
                else:
                    self.report.results.append(result)
        self._flush()
        self._collect(polled)

    # -- polling a source
    def _due(self, source: Source) -> bool:
        next_poll = self.store.source_state(source.id).get("next_poll")
        return not next_poll or next_poll <= utcnow()

    def _poll(self, source: Source) -> _Polled | SourceResult:
        """Fetch and parse one source (runs in a worker thread: no database access)."""
        state = self.states[source.id]
        now = utcnow()
        try:
            response = self.fetcher.get(source.url, etag=state.get("etag"),
                                        last_modified=state.get("last_modified"), trusted=True,
                                        accept=_accept(source))
        except FetchError as exc:
            return self._failed(source, state, str(exc), exc.status, now)
        self._log(source.id, source.url, status=response.status,
                  outcome="not_modified" if response.not_modified else "ok",
                  elapsed=response.elapsed)
        ok_state = {"last_attempt": now, "last_success": now, "last_status": response.status,
                    "consecutive_failures": 0, "last_error": None,
                    "final_url": response.final_url}
        if response.not_modified:
            ok_state["items_last_poll"] = 0
            ok_state["next_poll"] = _next_poll(source, state.get("ttl_minutes"))
            return _Polled(source, [], ok_state)
        body_hash = hashlib.sha256(response.body).hexdigest()[:32]
        ok_state.update(etag=response.etag, last_modified=response.last_modified,
                        body_hash=body_hash)
        if body_hash == state.get("body_hash"):  # stale ETag, same body: nothing new
            ok_state["items_last_poll"] = 0
            ok_state["next_poll"] = _next_poll(source, state.get("ttl_minutes"))
            return _Polled(source, [], ok_state)
        try:
            if source.type == "feed":
                parsed = parse_feed(response.body, url=response.final_url, source_id=source.id,
                                    headers=response.headers)
                items, ttl = parsed.items, parsed.ttl_minutes
                for warning in parsed.warnings:
                    log.warning("%s: %s", source.id, warning)
            else:
                items = parse_listing(response.text(), url=response.final_url,
                                      source_id=source.id, selector=source.links or "a")
                ttl = None
        except ParseError as exc:
            return self._failed(source, state, f"{source.url}: {exc}", response.status, now)
        ok_state.update(items_last_poll=len(items), ttl_minutes=ttl,
                        next_poll=_next_poll(source, ttl))
        return _Polled(source, items, ok_state)

    def _failed(self, source: Source, state: dict, message: str, status: int | None,
                now: str) -> SourceResult:
        failures = (state.get("consecutive_failures") or 0) + 1
        backoff = min(MAX_BACKOFF_MINUTES, source.poll_minutes * 2 ** min(failures, 12))
        backoff *= random.uniform(0.8, 1.2)
        next_poll = (datetime.now(UTC) + timedelta(minutes=backoff)).replace(microsecond=0)
        self.failures[source.id] = dict(last_attempt=now, last_error=message,
                                        last_status=status, consecutive_failures=failures,
                                        next_poll=next_poll.isoformat())
        self._log(source.id, source.url, status=status, outcome="error", message=message)
        log.warning("%s failed: %s", source.id, message)
        return SourceResult(source.id, ok=False, message=message)

    # -- articles
    def _collect(self, polled: list[_Polled]) -> None:
        """Store every new article, then each source's polling state."""
        new_items: list[tuple[FeedItem, _Polled]] = []
        claimed: dict[str, int] = {}
        all_urls = [item.url for p in polled for item in p.items]
        known = self.store.article_ids(all_urls)
        for entry in polled:
            for item in entry.items:
                self.report.articles_seen += 1
                if item.url in known:
                    self.store.add_article_source(known[item.url], entry.source.id)
                elif item.url in claimed:
                    continue  # carried by two sources in this run: linked after it is saved
                else:
                    claimed[item.url] = len(new_items)
                    new_items.append((item, entry))
        counts: dict[str, int] = {}
        for start in range(0, len(new_items), CHUNK_SIZE):
            chunk = new_items[start:start + CHUNK_SIZE]
            self._process_chunk(chunk, counts)
            self.progress("articles", min(start + CHUNK_SIZE, len(new_items)), len(new_items))
        # sources that carried an article another source brought in this run
        saved = self.store.article_ids(claimed)
        for entry in polled:
            for item in entry.items:
                if item.url in saved:
                    self.store.add_article_source(saved[item.url], entry.source.id)
        for entry in polled:
            state = dict(entry.state)
            if entry.transient_failures:
                # keep the old validators so the next run sees these items again
                state.pop("etag", None)
                state.pop("last_modified", None)
                state.pop("body_hash", None)
            state["items_total"] = (self.store.source_state(entry.source.id).get("items_total")
                                    or 0) + counts.get(entry.source.id, 0)
            self.store.update_source(entry.source.id, **state)
            self.report.results.append(SourceResult(
                entry.source.id, ok=True, items=len(entry.items),
                new=counts.get(entry.source.id, 0),
                message=f"{entry.transient_failures} article(s) to retry"
                if entry.transient_failures else ""))

    def _process_chunk(self, chunk: list[tuple[FeedItem, _Polled]], counts: dict[str, int]) -> None:
        workers = max(1, min(self.config.concurrency, len(chunk)))
        with ThreadPoolExecutor(max_workers=workers) as pool:
            documents = list(pool.map(lambda pair: self._document(*pair), chunk))
        self._flush()
        ready = [(item, entry, doc, final) for (item, entry), (doc, final)
                 in zip(chunk, documents, strict=True) if doc is not None]
        # a page whose <link rel=canonical> names an article we already have is that article
        canonical = {item.url: canonical_url(doc.canonical_url, base=item.url)
                     for item, _, doc, _ in ready if doc.canonical_url}
        known = self.store.article_ids(canonical.values()) if canonical else {}
        fresh = []
        for item, entry, doc, final in ready:
            target = canonical.get(item.url)
            if target and target != item.url and target in known:
                self.store.add_article_source(known[target], entry.source.id)
                continue
            fresh.append((item, entry, doc, final))
        extractions = self.extractor.extract_many([doc for _, _, doc, _ in fresh])
        for (item, entry, doc, final), extraction in zip(fresh, extractions, strict=True):
            self.store.save_article(item, doc, extraction, final_url=final)
            counts[entry.source.id] = counts.get(entry.source.id, 0) + 1
            self.report.articles_new += 1

    def _document(self, item: FeedItem, entry: _Polled) -> tuple[Document | None, str | None]:
        """The article's Document: from the feed's full text, else from its page."""
        source = entry.source
        if item.content_html:
            return Document(url=item.url, title=item.title, text=html_to_text(item.content_html),
                            published=item.published, html=item.content_html,
                            extracted_by="feed"), None
        try:
            response = self.fetcher.get(item.url, accept="text/html,application/xhtml+xml")
        except FetchError as exc:
            self._log(source.id, item.url, status=exc.status, outcome="error", message=str(exc))
            if exc.kind in PERMANENT_FAILURES or (exc.status and 400 <= exc.status < 500
                                                  and exc.status != 429):
                return self._summary_only(item), None
            entry.transient_failures += 1
            return None, None
        self.report.pages_fetched += 1
        self._log(source.id, item.url, status=response.status, outcome="ok",
                  elapsed=response.elapsed)
        content_type = response.headers.get("content-type", "")
        if "html" not in content_type and "xml" not in content_type and content_type:
            self._log(source.id, item.url, status=response.status, outcome="error",
                      message=f"not an HTML page ({content_type})")
            return self._summary_only(item), response.final_url
        try:
            document = extract_document(response.text(), item.url,
                                        content_selector=source.content, title=item.title,
                                        published=item.published)
        except Exception as exc:  # a malformed page must not stop the run
            log.warning("cannot extract %s: %s", item.url, exc)
            return self._summary_only(item), response.final_url
        if not document.text.strip():
            document.text = item.summary or ""
            document.extracted_by = "summary"
        return document, canonical_url(response.final_url)

    @staticmethod
    def _summary_only(item: FeedItem) -> Document:
        return Document(url=item.url, title=item.title, text=item.summary or "",
                        published=item.published, extracted_by="summary")


def _accept(source: Source) -> str:
    if source.type == "feed":
        return ("application/rss+xml, application/atom+xml, application/rdf+xml, "
                "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
    return "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"


def _next_poll(source: Source, ttl_minutes: int | None) -> str:
    minutes = max(source.poll_minutes, ttl_minutes or 0)
    return (datetime.now(UTC) + timedelta(minutes=minutes)).replace(microsecond=0).isoformat()
