"""Re-run extraction and clustering on stored documents with the current pipeline.

Two phases, so that an interrupted run never leaves half-new results behind:

1. **Stage.** Each selected article's stored document (``documents.html_gz``, else the stored
   text for summary-only articles) goes through the current text extractor and NLP pipeline on
   every core (a pool of worker processes, each with its own spaCy pipeline). The new
   extractions are written to a separate staging database beside the main one
   (``DB.reprocess.db``), committed in batches. The main database is not touched, so Datasette
   and ingest carry on. A run that is interrupted here resumes from the staged rows next time
   (rows staged by another extractor version are discarded).
2. **Swap.** Under the ingest lock and in one transaction on the main database: the articles'
   extracted fields and mentions are replaced, the articles are detached from their incidents
   and assigned again in publication order (analysts' pins are kept; an incident that only these
   articles formed keeps its id when they form it again; an incident left empty is removed with a
   redirect to where its articles went), and the staging rows are dropped. If anything fails the
   transaction rolls back and the old results stay as they were. Stored documents are never
   deleted or rewritten.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import multiprocessing
import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from aggregator.incidents import remove_incident
from aggregator.models import (
    Document,
    Extraction,
)

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (stage, done, total)
BATCH = 32  # staged rows per commit
CHUNK = 4  # documents per task sent to a worker process
BLOCK = 64  # documents read from the database at a time


@dataclass
class ReprocessReport:
    selected: int = 0
    extracted: int = 0
    resumed: int = 0  # already staged by an interrupted run with the same extractor
    failed: list[tuple[int, str]] = field(default_factory=list)
    swapped: int = 0
    incidents_before: int = 0
    incidents_after: int = 0
    incidents_removed: int = 0
    extractor_version: str = ""
    extract_seconds: float = 0.0
    swap_seconds: float = 0.0

    @property
    def docs_per_second(self) -> float:
        total = self.extract_seconds + self.swap_seconds
        return self.extracted / total if total else 0.0


def stage_path(db_path: str | Path) -> Path:
    return Path(f"{db_path}.reprocess.db")


def select_articles(db: Any, *, since: str | None = None,
                    source: str | None = None) -> list[int]:
    """Ids of the articles to reprocess, oldest first."""
    where, params = [], []
    if since:
        where.append("coalesce(a.published, a.fetched_at) >= ?")
        params.append(since)
    if source:
        where.append("(a.source_id = ? or exists (select 1 from article_sources s where "
                     "s.article_id = a.id and s.source_id = ?))")
        params += [source, source]
    sql = "select a.id from articles a"
    if where:
        sql += " where " + " and ".join(where)
    return [r[0] for r in db.execute(sql + " order by a.published, a.id", params)]


def load_document(db: Any, article_id: int, selectors: dict[str, str | None]) -> Document:
    """The article's stored document, ready for extraction (HTML is re-extracted)."""
    from aggregator.parse import html_to_text

    row = db.execute(
        "select a.url, a.title, a.published, a.text, a.extracted_by, a.source_id, d.html_gz "
        "from articles a left join documents d on d.article_id = a.id where a.id = ?",
        [article_id]).fetchone()
    url, title, published, text, extracted_by, source_id, html_gz = row
    html = gzip.decompress(html_gz).decode("utf-8", errors="replace") if html_gz else None
    if not html or extracted_by == "summary":
        return Document(url=url, title=title, text=text or "", published=published,
                        extracted_by=extracted_by or "summary")
    if extracted_by == "feed":
        return Document(url=url, title=title, text=html_to_text(html), published=published,
                        html=html, extracted_by="feed")
    return Document(url=url, title=title, text=text or "", published=published, html=html,
                    extracted_by="page:" + (selectors.get(source_id) or ""))


# ---------------------------------------------------------------- extraction (worker side)

_worker_extractor = None


def _init_worker(model: str | None) -> None:
    global _worker_extractor
    from aggregator.extract.pipeline import Extractor

    _worker_extractor = Extractor(model)


def _finish_document(document: Document) -> Document:
    """Pages still need their main text extracted (done in the worker, in parallel)."""
    if not document.extracted_by.startswith("page:"):
        return document
    from aggregator.extract.text import extract_document

    selector = document.extracted_by[5:] or None
    page = extract_document(document.html or "", document.url, content_selector=selector,
                            title=document.title, published=document.published)
    if not page.text.strip():  # as ingest does: keep what was stored (the feed summary)
        page.text, page.extracted_by = document.text, "summary"
    return page


def _extract_chunk(chunk: list[tuple[int, Document]]
                   ) -> list[tuple[int, Document | None, Extraction | str]]:
    out: list[tuple[int, Document | None, Extraction | str]] = []
    ready: list[tuple[int, Document]] = []
    for article_id, document in chunk:
        try:
            ready.append((article_id, _finish_document(document)))
        except Exception as exc:  # one bad page must not stop the run
            out.append((article_id, None, f"{type(exc).__name__}: {exc}"))
    extractions = _worker_extractor.extract_many([d for _, d in ready])
    for (article_id, document), extraction in zip(ready, extractions, strict=True):
        out.append((article_id, document, extraction))
    return out


# ---------------------------------------------------------------- staging

def _open_stage(path: Path, version: str) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("create table if not exists stage (article_id integer primary key, "
                 "extractor_version text, extraction text, text text, extracted_by text)")
    conn.execute("delete from stage where extractor_version != ?", [version])
    conn.commit()
    return conn


def stage(db: Any, db_path: str | Path, ids: list[int], *, version: str,
          model: str | None = None, workers: int = 2,
          selectors: dict[str, str | None] | None = None, progress: Progress | None = None,
          report: ReprocessReport | None = None, extractor: Any = None) -> ReprocessReport:
    """Extract the selected articles again into the staging database (``workers`` processes;
    with one worker, in this process, using ``extractor`` when given)."""
    global _worker_extractor
    report = report or ReprocessReport()
    progress = progress or (lambda stage_, done, total: None)
    selectors = selectors or {}
    conn = _open_stage(stage_path(db_path), version)
    done_ids = {r[0] for r in conn.execute("select article_id from stage")}
    todo = [i for i in ids if i not in done_ids]
    report.resumed = len(ids) - len(todo)
    started = time.perf_counter()

    def load(block: list[int]) -> list[list[tuple[int, Document]]]:
        """Documents are read here, on the main thread (SQLite), a block at a time."""
        docs = [(a, load_document(db, a, selectors)) for a in block]
        return [docs[i:i + CHUNK] for i in range(0, len(docs), CHUNK)]

    blocks = [todo[i:i + BLOCK] for i in range(0, len(todo), BLOCK)]
    if workers > 1:
        pool = multiprocessing.get_context("fork").Pool(workers, _init_worker, (model,))

        def submit(block: list[int]) -> Iterator:
            return pool.imap(_extract_chunk, load(block))
    else:
        pool = None
        if extractor is not None:
            _worker_extractor = extractor
        else:
            _init_worker(model)

        def submit(block: list[int]) -> Iterator:
            return map(_extract_chunk, load(block))
    done = report.resumed
    progress("extract", done, len(ids))
    try:
        pending: list[tuple] = []
        current = submit(blocks[0]) if blocks else None
        for k in range(len(blocks)):
            # the next block is read while the workers process this one
            following = submit(blocks[k + 1]) if workers > 1 and k + 1 < len(blocks) else None
            for chunk in current:
                for article_id, document, extraction in chunk:
                    done += 1
                    if isinstance(extraction, str):
                        report.failed.append((article_id, extraction))
                        continue
                    pending.append((article_id, version,
                                    json.dumps(asdict(extraction)),
                                    document.text, document.extracted_by))
                    report.extracted += 1
                if len(pending) >= BATCH:
                    _flush_stage(conn, pending)
                progress("extract", done, len(ids))
            if following is None and k + 1 < len(blocks):
                following = submit(blocks[k + 1])
            current = following
        _flush_stage(conn, pending)
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        conn.close()
    report.extract_seconds += time.perf_counter() - started
    return report


def _flush_stage(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    if rows:
        conn.executemany("insert or replace into stage values (?, ?, ?, ?, ?)", rows)
        conn.commit()
        rows.clear()


# ---------------------------------------------------------------- the swap

def swap(store: Any, db_path: str | Path, ids: list[int], *, version: str,
         progress: Progress | None = None,
         report: ReprocessReport | None = None) -> ReprocessReport:
    """Replace the articles' results with the staged ones and re-cluster them, atomically."""
    report = report or ReprocessReport()
    progress = progress or (lambda stage_, done, total: None)
    path = stage_path(db_path)
    if not path.exists():
        return report
    started = time.perf_counter()
    db = store.db
    clusterer = store.clusterer
    stage_conn = sqlite3.connect(path)
    try:
        wanted = set(ids)
        staged = {r[0]: r[1:] for r in stage_conn.execute(
            "select article_id, extraction, text, extracted_by from stage "
            "where extractor_version = ?", [version]) if r[0] in wanted}
        order = [i for i in ids if i in staged]
        report.incidents_before = db.execute("select count(*) from incidents").fetchone()[0]
        try:
            _swap_in(store, clusterer, order, staged, progress, report)
        except BaseException:
            clusterer.reset()  # its cached term counts included the rolled-back articles
            raise
        report.swapped = len(order)
        report.incidents_after = db.execute("select count(*) from incidents").fetchone()[0]
        stage_conn.executemany("delete from stage where article_id = ?", [(a,) for a in order])
        stage_conn.commit()
    finally:
        stage_conn.close()
    if not _has_rows(path):
        path.unlink(missing_ok=True)
    report.swap_seconds += time.perf_counter() - started
    return report


def _swap_in(store: Any, clusterer: Any, order: list[int], staged: dict[int, Any],
             progress: Progress, report: ReprocessReport) -> None:
    """The swap's single transaction: new extractions in, articles re-clustered."""
    db = store.db
    with db.atomic():
        previous: dict[int, list[int]] = {}
        for article_id in order:
            previous[article_id] = [r[0] for r in db.execute(
                "select incident_id from incident_articles where article_id = ? "
                "order by incident_id", [article_id])]
        touched: set[int] = set()
        extractions: dict[int, Extraction] = {}
        for n, article_id in enumerate(order, start=1):
            extraction_json, text, extracted_by = staged[article_id]
            extraction = Extraction.from_dict(json.loads(extraction_json))
            _replace_article(store, article_id, extraction, text, extracted_by)
            touched.update(clusterer.forget(article_id))
            extractions[article_id] = extraction
            progress("replace", n, len(order))
        for incident_id in sorted(touched):
            clusterer.rebuild(incident_id)  # without the detached articles
        clusterer.reuse = previous
        try:
            for n, article_id in enumerate(order, start=1):
                extraction = extractions[article_id]
                pinned = db.execute("select 1 from incident_pins where article_id = ?",
                                    [article_id]).fetchone()
                if extraction.is_incident or pinned:
                    clusterer.add(article_id, extraction, published=extraction.published)
                progress("cluster", n, len(order))
        finally:
            clusterer.reuse = {}
        report.incidents_removed = _remove_empty(db, touched | {
            i for ids_ in previous.values() for i in ids_}, previous)
        clusterer.refresh_settling()


def _has_rows(path: Path) -> bool:
    if not path.exists():
        return False
    conn = sqlite3.connect(path)
    try:
        return bool(conn.execute("select count(*) from stage").fetchone()[0])
    finally:
        conn.close()


def _replace_article(store: Any, article_id: int, x: Extraction, text: str,
                     extracted_by: str) -> None:
    db = store.db
    db.execute(
        """update articles set title = coalesce(?, title), published = coalesce(?, published),
             text = ?, word_count = ?, is_incident = ?, incident_score = ?, incident_date = ?,
             service_status = ?, extracted_by = ?, extractor_version = ?, content_hash = ?
           where id = ?""",
        [x.title, x.published, text, len(text.split()), int(x.is_incident),
         round(x.incident_score, 4), x.incident_date, x.service_status, extracted_by,
         x.extractor_version, hashlib.sha256(text.encode()).hexdigest()[:16], article_id])
    db.execute("delete from mentions where article_id = ?", [article_id])
    store._save_mentions(article_id, x)
    db.execute("update documents set extractor_version = ? where article_id = ?",
               [x.extractor_version, article_id])


def _remove_empty(db: Any, candidates: set[int], previous: dict[int, list[int]]) -> int:
    """Delete incidents left without articles, redirecting each to the incident that now holds
    most of its former articles."""
    removed = 0
    for incident_id in sorted(candidates):
        if not db.execute("select 1 from incidents where id = ?", [incident_id]).fetchone():
            continue
        if db.execute("select 1 from incident_articles where incident_id = ?",
                      [incident_id]).fetchone():
            continue
        former = [a for a, ids in previous.items() if incident_id in ids]
        now: Counter = Counter()
        for article_id in former:
            for (target,) in db.execute("select incident_id from incident_articles "
                                        "where article_id = ?", [article_id]):
                now[target] += 1
        target = now.most_common(1)[0][0] if now else None
        remove_incident(db, incident_id, target, "reprocessed: its articles moved" if target
                        else "reprocessed: its articles are no longer incident reports")
        removed += 1
    return removed


# ---------------------------------------------------------------- the whole run

def reprocess(store: Any, db_path: str | Path, *, since: str | None = None,
              source: str | None = None, model: str | None = None, workers: int = 2,
              selectors: dict[str, str | None] | None = None,
              progress: Progress | None = None, lock: Callable[[], Any] | None = None,
              extractor: Any = None) -> ReprocessReport:
    """Stage, then swap (under ``lock()``, a context manager, when given)."""

    ids = select_articles(store.db, since=since, source=source)
    version = extractor_version(model)
    report = ReprocessReport(selected=len(ids), extractor_version=version)
    if not ids:
        return report
    stage(store.db, db_path, ids, version=version, model=model, workers=workers,
          selectors=selectors, progress=progress, report=report, extractor=extractor)
    if lock is None:
        return swap(store, db_path, ids, version=version, progress=progress, report=report)
    with lock():
        return swap(store, db_path, ids, version=version, progress=progress, report=report)


def extractor_version(model: str | None = None) -> str:
    """The version string the current extractor writes (without loading spaCy)."""
    from aggregator import __version__
    from aggregator.extract.gazetteers import data_fingerprint

    del model
    return f"{__version__}+{data_fingerprint()}"

