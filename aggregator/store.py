"""All SQL in one place: the SQLite schema (via sqlite-utils), upserts and full-text search.

Every article is written in one transaction with its mentions and incident links, so a crash
never leaves half an article behind. WAL mode lets Datasette read while ingest writes.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from aggregator.config import Source
from aggregator.models import Document, Extraction, FeedItem, Mention

SCHEMA_VERSION = 1
COLLECTION_SCHEMA = 1  # fetch_log.kind/final_url, runs.pages_failed, source_health


def utcnow() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class Store:
    """The incidents database."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.db = sqlite_utils.Database(self.path)
        self.db.execute("PRAGMA busy_timeout = 10000")
        self.db.enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA synchronous = NORMAL")
        ensure_schema(self.db)

    def close(self) -> None:
        self.db.close()

    # ----------------------------------------------------------------- sources and runs

    def sync_sources(self, sources: Iterable[Source]) -> None:
        """Insert or update the configured sources, keeping their polling state."""
        with self.db.atomic():
            for source in sources:
                self.db["sources"].upsert({
                    "id": source.id, "name": source.name, "url": source.url, "type": source.type,
                    "tags": json.dumps(list(source.tags)), "poll_minutes": source.poll_minutes,
                    "enabled": int(source.enabled),
                }, pk="id", alter=True)

    def source_state(self, source_id: str) -> dict[str, Any]:
        rows = list(self.db.query("select * from sources where id = ?", [source_id]))
        return rows[0] if rows else {}

    def update_source(self, source_id: str, **fields: Any) -> None:
        with self.db.atomic():
            self.db["sources"].update(source_id, fields)

    def close_stale_runs(self) -> int:
        """Mark runs left 'running' by a process that died (kill -9, power cut) as crashed.

        Only call this while holding the ingest lock: then no other run can be alive.
        """
        with self.db.atomic():
            cursor = self.db.execute(
                "update runs set status = 'crashed', error = coalesce(error, ?) "
                "where status = 'running'",
                [f"interrupted: the process ended without finishing (found at {utcnow()})"])
        return cursor.rowcount

    def log_fetches(self, run_id: int | None, entries: list[dict[str, Any]]) -> None:
        """Write many fetch-log rows in one transaction (keys as :meth:`log_fetch`, plus
        ``kind`` and ``final_url``)."""
        if not entries:
            return
        now = utcnow()
        rows = [{"run_id": run_id, "source_id": e["source_id"], "url": e["url"],
                 "status": e.get("status"), "outcome": e["outcome"], "message": e.get("message"),
                 "kind": e.get("kind"), "final_url": e.get("final_url"),
                 "elapsed_ms": round(e["elapsed"] * 1000) if e.get("elapsed") is not None
                 else None, "at": e.get("at") or now} for e in entries]
        with self.db.atomic():
            self.db["fetch_log"].insert_all(rows, alter=True)

    def add_article_sources(self, pairs: Iterable[tuple[int, str]]) -> None:
        """Remember, in one transaction, the sources that carried already-stored articles."""
        now = utcnow()
        rows = [(article_id, source_id, now) for article_id, source_id in dict.fromkeys(pairs)]
        if not rows:
            return
        with self.db.atomic():
            self.db.conn.executemany(
                "insert or ignore into article_sources (article_id, source_id, first_seen) "
                "values (?, ?, ?)", rows)

    def start_run(self, sources: list[str]) -> int:
        with self.db.atomic():
            table = self.db["runs"].insert({"started_at": utcnow(), "status": "running",
                                            "sources": json.dumps(sources)})
        return table.last_pk

    def finish_run(self, run_id: int, **fields: Any) -> None:
        with self.db.atomic():
            self.db["runs"].update(run_id, {"finished_at": utcnow(), **fields})

    def log_fetch(self, run_id: int | None, source_id: str, url: str, *, status: int | None,
                  outcome: str, message: str | None = None, elapsed: float | None = None) -> None:
        with self.db.atomic():
            self.db["fetch_log"].insert({
                "run_id": run_id, "source_id": source_id, "url": url, "status": status,
                "outcome": outcome, "message": message,
                "elapsed_ms": round(elapsed * 1000) if elapsed is not None else None,
                "at": utcnow(),
            })

    # ----------------------------------------------------------------- articles

    def article_ids(self, urls: Iterable[str]) -> dict[str, int]:
        """Stored article ids for the given canonical URLs (also matched on final URL)."""
        urls = list(dict.fromkeys(urls))
        found: dict[str, int] = {}
        for chunk in (urls[i:i + 500] for i in range(0, len(urls), 500)):
            marks = ",".join("?" * len(chunk))
            for row in self.db.query(
                    f"select id, url, final_url from articles where url in ({marks}) "
                    f"or final_url in ({marks})", chunk + chunk):
                for key in (row["url"], row["final_url"]):
                    if key in chunk:
                        found[key] = row["id"]
        return found

    def add_article_source(self, article_id: int, source_id: str) -> None:
        """Remember that another source carried an already-stored article."""
        with self.db.atomic():
            self.db.execute(
                "insert or ignore into article_sources (article_id, source_id, first_seen) "
                "values (?, ?, ?)", [article_id, source_id, utcnow()])

    def save_article(self, item: FeedItem, document: Document, extraction: Extraction, *,
                     final_url: str | None = None) -> int:
        """Store one article with its entities, mentions and incident, atomically.

        Returns the article id. If the URL is already stored, only the source link is added.
        """
        try:
            # atomic(), not "with conn": sqlite-utils 4 commits each write made outside an
            # explicit transaction, which would split the article from its incident links
            with self.db.atomic():
                return self._save_article(item, document, extraction, final_url)
        except sqlite3.IntegrityError:
            existing = self.article_ids([item.url])
            if item.url not in existing:
                raise
            self.add_article_source(existing[item.url], item.source_id)
            return existing[item.url]

    def _save_article(self, item: FeedItem, document: Document, extraction: Extraction,
                      final_url: str | None) -> int:
        now = utcnow()
        text = document.text
        self.db.execute(
            """insert into articles (url, final_url, source_id, title, published, fetched_at,
                 summary, text, word_count, is_incident, incident_score, incident_date,
                 service_status, extracted_by, extractor_version, content_hash)
               values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            [item.url, final_url if final_url and final_url != item.url else None,
             item.source_id, extraction.title or item.title, extraction.published, now,
             item.summary, text, len(text.split()), int(extraction.is_incident),
             round(extraction.incident_score, 4), extraction.incident_date,
             extraction.service_status, document.extracted_by, extraction.extractor_version,
             hashlib.sha256(text.encode()).hexdigest()[:16]])
        article_id = self.db.execute("select last_insert_rowid()").fetchone()[0]
        self.db.execute("insert into article_sources (article_id, source_id, first_seen) "
                        "values (?, ?, ?)", [article_id, item.source_id, now])
        if document.html:
            self.db.execute(
                "insert into documents (article_id, html_gz, extractor_version, stored_at) "
                "values (?, ?, ?, ?)",
                [article_id, gzip.compress(document.html.encode("utf-8")),
                 extraction.extractor_version, now])
        self._save_mentions(article_id, extraction)
        if extraction.is_incident:
            self._save_incident(article_id, item, extraction)
        return article_id

    def _entity_id(self, type_: str, name: str, kind: str | None = None) -> int:
        row = self.db.execute("select id from entities where type = ? and name = ?",
                              [type_, name]).fetchone()
        if row:
            return row[0]
        cursor = self.db.execute("insert into entities (type, name, kind) values (?, ?, ?)",
                                 [type_, name, kind])
        return cursor.lastrowid

    def _save_mentions(self, article_id: int, extraction: Extraction) -> None:
        """Every extracted value with its span and sentence: organisations (role), systems,
        causes (status), locations, the incident date and scope phrases."""
        version = extraction.extractor_version
        rows = []

        def add(type_: str, name: str, mentions: list[Mention], *, kind: str | None = None,
                role: str | None = None, status: str | None = None) -> None:
            entity = self._entity_id(type_, name, kind)
            rows.extend((article_id, entity, role, status, m.text, m.start, m.end, m.sentence,
                         version) for m in mentions)

        for org in extraction.organisations:
            add("organisation", org.name, org.mentions, kind=org.kind, role=org.role)
        for system in extraction.systems:
            add("system", system.name, system.mentions)
        for cause in extraction.causes:
            add("cause", cause.category, [Mention(cause.cue, cause.start, cause.end,
                                                  cause.evidence)], status=cause.status)
        for location in extraction.locations:
            add("location", location.name, location.mentions)
        if extraction.incident_date and extraction.incident_date_mention:
            add("date", extraction.incident_date, [extraction.incident_date_mention])
        for phrase in extraction.scope:
            add("scope", phrase.text.lower(), [phrase])
        self.db.conn.executemany(
            """insert into mentions (article_id, entity_id, role, status, text, start, end,
                 sentence, extractor_version) values (?, ?, ?, ?, ?, ?, ?, ?, ?)""", rows)

    def _save_incident(self, article_id: int, item: FeedItem, extraction: Extraction) -> None:
        """Attach the article to its incident(s) (see aggregator/incidents.py), in the same
        transaction as the article."""
        self.clusterer.add(article_id, extraction, published=extraction.published)

    @property
    def clusterer(self):
        """The incremental incident clusterer for this database (created on first use)."""
        if getattr(self, "_clusterer", None) is None:
            from aggregator.incidents import Clusterer

            self._clusterer = Clusterer(self.db)
        return self._clusterer

    # ----------------------------------------------------------------- reading

    def counts(self) -> dict[str, int]:
        return {name: self.db[name].count for name in
                ("sources", "articles", "incidents", "entities", "mentions", "runs")}


def ensure_schema(db: sqlite_utils.Database) -> None:
    """Create tables, indexes, full-text search and views if they are missing."""
    from aggregator.incidents import ensure_incident_schema

    if "sources" in db.table_names() and db["meta"].exists():
        ensure_collection_schema(db)
        ensure_incident_schema(db)
        ensure_publish_views(db)
        return
    with db.atomic():
        db["sources"].create({
            "id": str, "name": str, "url": str, "type": str, "tags": str, "poll_minutes": int,
            "enabled": int, "etag": str, "last_modified": str, "body_hash": str,
            "final_url": str, "ttl_minutes": int, "last_attempt": str, "last_success": str,
            "last_status": int, "last_error": str, "consecutive_failures": int,
            "items_last_poll": int, "items_total": int, "next_poll": str,
        }, pk="id", if_not_exists=True, defaults={"consecutive_failures": 0, "items_total": 0})
        db["runs"].create({
            "id": int, "started_at": str, "finished_at": str, "status": str, "sources": str,
            "sources_ok": int, "sources_failed": int, "sources_skipped": int,
            "articles_new": int, "articles_seen": int, "pages_fetched": int, "error": str,
        }, pk="id", if_not_exists=True)
        db["fetch_log"].create({
            "id": int, "run_id": int, "source_id": str, "url": str, "status": int,
            "outcome": str, "message": str, "elapsed_ms": int, "at": str,
        }, pk="id", foreign_keys=[("run_id", "runs", "id"), ("source_id", "sources", "id")],
            if_not_exists=True)
        db["articles"].create({
            "id": int, "url": str, "final_url": str, "source_id": str, "title": str,
            "published": str, "fetched_at": str, "summary": str, "text": str, "word_count": int,
            "is_incident": int, "incident_score": float, "incident_date": str,
            "service_status": str, "extracted_by": str, "extractor_version": str,
            "content_hash": str,
        }, pk="id", foreign_keys=[("source_id", "sources", "id")], if_not_exists=True,
            not_null={"url"})
        db["article_sources"].create({"article_id": int, "source_id": str, "first_seen": str},
                                     pk=("article_id", "source_id"),
                                     foreign_keys=[("article_id", "articles", "id"),
                                                   ("source_id", "sources", "id")],
                                     if_not_exists=True)
        db["documents"].create({"article_id": int, "html_gz": bytes, "extractor_version": str,
                                "stored_at": str}, pk="article_id",
                               foreign_keys=[("article_id", "articles", "id")], if_not_exists=True)
        db["entities"].create({"id": int, "type": str, "name": str, "kind": str}, pk="id",
                              if_not_exists=True)
        db["mentions"].create({
            "id": int, "article_id": int, "entity_id": int, "role": str, "status": str,
            "text": str, "start": int, "end": int, "sentence": str, "extractor_version": str,
        }, pk="id", foreign_keys=[("article_id", "articles", "id"),
                                  ("entity_id", "entities", "id")], if_not_exists=True)
        db["incidents"].create({
            "id": int, "title": str, "started_at": str, "first_reported": str,
            "last_reported": str, "status": str, "primary_cause": str, "suspected_causes": str,
            "ruled_out_causes": str, "victims": str, "suppliers": str, "systems": str,
            "locations": str, "article_count": int, "sources": str,
        }, pk="id", if_not_exists=True)
        db["incident_articles"].create({"incident_id": int, "article_id": int},
                                       pk=("incident_id", "article_id"),
                                       foreign_keys=[("incident_id", "incidents", "id"),
                                                     ("article_id", "articles", "id")],
                                       if_not_exists=True)
        db["articles"].create_index(["url"], unique=True, if_not_exists=True)
        for table, columns in (
                ("articles", ["source_id"]), ("articles", ["published"]),
                ("articles", ["is_incident"]), ("articles", ["final_url"]),
                ("entities", ["type", "name"]), ("mentions", ["article_id"]),
                ("mentions", ["entity_id", "role"]), ("mentions", ["entity_id", "status"]),
                ("incidents", ["primary_cause"]), ("incidents", ["started_at"]),
                ("incidents", ["status"]), ("incident_articles", ["article_id"]),
                ("fetch_log", ["run_id"]), ("fetch_log", ["source_id"])):
            db[table].create_index(columns, if_not_exists=True,
                                   unique=(table == "entities"))
        db.create_view("article_mentions", """
            select m.id, m.article_id, a.title as article, a.published, e.type, e.name,
                   m.role, m.status, m.text, m.sentence, m.extractor_version
            from mentions m join entities e on e.id = m.entity_id
                            join articles a on a.id = m.article_id""", replace=True)
        db["meta"].insert({"key": "schema_version", "value": str(SCHEMA_VERSION)}, pk="key",
                          replace=True)
    if not db["articles"].detect_fts():
        db["articles"].enable_fts(["title", "text"], create_triggers=True, tokenize="porter")
    if not db["incidents"].detect_fts():
        db["incidents"].enable_fts(["title", "victims", "suppliers", "systems", "primary_cause",
                                    "locations"], create_triggers=True, tokenize="porter")
    ensure_collection_schema(db)
    ensure_incident_schema(db)
    ensure_publish_views(db)


# Views read by Datasette (aggregator/publish/metadata.yml). They are (re)created on every
# open, so a database made by an older version gains them at its next ingest; create_view
# does nothing when the SQL is unchanged.
INCIDENT_ALERTS_VIEW = """
    select i.id, i.title, i.status, i.primary_cause, i.victims, i.suppliers, i.systems,
           i.sources, i.started_at, i.first_reported, i.last_reported, i.article_count,
           'tag:incident-aggregator,2024:incident/' || i.id as atom_id,
           i.title as atom_title,
           coalesce(i.last_reported, i.started_at) || 'T00:00:00+00:00' as atom_updated,
           'Status: ' || coalesce(i.status, 'unknown')
             || '. Cause: ' || coalesce(i.primary_cause, 'unknown')
             || '. Victims: ' || coalesce(nullif(i.victims, '[]'), 'none named')
             || '. Suppliers: ' || coalesce(nullif(i.suppliers, '[]'), 'none named')
             || '. Systems: ' || coalesce(nullif(i.systems, '[]'), 'none named')
             || '. Started ' || coalesce(i.started_at, 'unknown') || '.' as atom_content,
           (select url from (select a.url, max(a.published) from incident_articles ia
              join articles a on a.id = ia.article_id where ia.incident_id = i.id))
             as atom_link
    from incidents i"""


# One row per incident for post-incident reviews (Datasette's review table and CSV, and the
# default `aggregator export`). The first and latest links are kept on the incident row by the
# clusterer (incidents.fill_links), and the view has no ORDER BY of its own, so SQLite
# flattens it into a plain scan of incidents: the streamed CSV of 40k incidents runs at
# Datasette's own streaming rate.
INCIDENT_REVIEW_VIEW = """
    select i.id, i.title, i.started_at, i.first_reported, i.last_reported, i.status,
           i.victims, i.suppliers, i.systems, i.primary_cause, i.suspected_causes,
           i.ruled_out_causes, i.locations, i.article_count, i.sources,
           i.first_link, i.latest_link
    from incidents i"""


def ensure_publish_views(db: sqlite_utils.Database) -> None:
    """Views for the analysts' Datasette: reviews, and incidents as Atom entries."""
    db.create_view("incident_review", INCIDENT_REVIEW_VIEW, replace=True)
    db.create_view("incident_alerts", INCIDENT_ALERTS_VIEW, replace=True)


# Source health for `aggregator status` and Datasette's ingestion-health page.
SOURCE_HEALTH_VIEW = """
    select s.id as source, s.name, s.type, s.enabled,
           case when s.enabled = 0 then 'disabled'
                when s.last_attempt is null then 'never polled'
                when s.last_success is null then 'never succeeded'
                when coalesce(s.consecutive_failures, 0) > 0 then 'failing'
                when s.last_success < strftime('%Y-%m-%dT%H:%M:%S', 'now', '-2 days')
                  then 'stale'
                else 'ok' end as health,
           s.last_success, s.last_attempt, s.consecutive_failures, s.last_status,
           s.last_error, s.next_poll, s.items_last_poll, s.items_total,
           (select count(*) from article_sources x where x.source_id = s.id
             and x.first_seen >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-7 days'))
             as items_last_7_days,
           round((select count(*) from article_sources x where x.source_id = s.id
             and x.first_seen >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-28 days')) / 4.0, 1)
             as items_per_week_last_4_weeks,
           (select count(*) from fetch_log f where f.source_id = s.id and f.outcome = 'error'
             and f.at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-7 days'))
             as failed_fetches_last_7_days,
           (select count(*) from fetch_log f where f.source_id = s.id
             and f.at >= strftime('%Y-%m-%dT%H:%M:%S', 'now', '-7 days'))
             as fetches_last_7_days,
           (select max(a.published) from article_sources x join articles a
             on a.id = x.article_id where x.source_id = s.id) as newest_article,
           s.poll_minutes, s.ttl_minutes, s.url, s.final_url
    from sources s"""


def ensure_collection_schema(db: sqlite_utils.Database) -> None:
    """Collection additions, for new and existing databases alike (idempotent, versioned):
    the fetch-log error kind and final URL, pages failed per run, an index for per-source
    counts and the ``source_health`` view."""
    row = db.execute("select value from meta where key = 'collection_schema'").fetchone()
    if row and int(row[0]) >= COLLECTION_SCHEMA:
        return
    with db.atomic():
        for table, column, type_ in (("fetch_log", "kind", str), ("fetch_log", "final_url", str),
                                     ("runs", "pages_failed", int)):
            if column not in db[table].columns_dict:
                db[table].add_column(column, type_)
        db["article_sources"].create_index(["source_id", "first_seen"], if_not_exists=True)
        db["fetch_log"].create_index(["source_id", "at"], if_not_exists=True)
        db.create_view("source_health", SOURCE_HEALTH_VIEW, replace=True)
        db["meta"].insert({"key": "collection_schema", "value": str(COLLECTION_SCHEMA)},
                          pk="key", replace=True)
