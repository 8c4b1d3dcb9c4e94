"""CSV and JSON exports (by default one row per incident, the review table)."""

from __future__ import annotations

import csv
import hashlib
import json
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from aggregator import __version__

DEFAULT_TABLE = "incident_review"
DEFAULT_ORDER = "started_at desc, id desc"  # newest first, as in Datasette


class ExportError(Exception):
    """The export's table or SQL is not valid for this database."""


def export(db_path: str | Path, out: IO[str], *, fmt: str = "csv", table: str | None = None,
           sql: str | None = None, where: str | None = None,
           params: dict[str, str] | None = None) -> dict[str, Any]:
    """Write rows as CSV or JSON (one array) to ``out`` and return a manifest describing them.

    ``where`` filters the table (a SQL condition, such as ``primary_cause = :cause``) and
    ``params`` fills its (or ``sql``'s) named parameters. The database is opened read-only.
    """
    path = Path(db_path)
    if not path.exists():
        raise ExportError(f"database {path} does not exist")
    if fmt not in ("csv", "json"):
        raise ExportError(f"unknown format {fmt!r}: use csv or json")
    if sql and where:
        raise ExportError("--where filters a table; put the condition in --sql instead")
    params = dict(params or {})
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        query = sql or f"select * from [{(table or DEFAULT_TABLE)}]"
        if where:
            query += f" where {where}"
        if not sql and not table:
            query += f" order by {DEFAULT_ORDER}"
        if not sql and table:
            names = {r[0] for r in conn.execute(
                "select name from sqlite_master where type in ('table', 'view')")}
            if table not in names:
                raise ExportError(f"no table or view named {table!r}; "
                                  f"choose from: {', '.join(sorted(names))}")
        try:
            cursor = conn.execute(query, params)
        except sqlite3.Error as exc:
            raise ExportError(f"SQL error: {exc}") from exc
        columns = [c[0] for c in cursor.description]
        digest = hashlib.sha256()
        count = 0
        if fmt == "csv":
            writer = csv.writer(out)
            writer.writerow(columns)
            for row in cursor:
                writer.writerow(row)
                digest.update(repr(row).encode())
                count += 1
        elif fmt == "json":
            out.write("[")
            for row in cursor:
                out.write(("," if count else "") + "\n" +
                          json.dumps(dict(zip(columns, row, strict=True)), ensure_ascii=False))
                digest.update(repr(row).encode())
                count += 1
            out.write("\n]\n")
        last_run = conn.execute("select max(id) from runs").fetchone()[0] \
            if _has_table(conn, "runs") else None
        versions = [r[0] for r in conn.execute(
            "select distinct extractor_version from articles where extractor_version is not null")
        ] if _has_table(conn, "articles") else []
    finally:
        conn.close()
    return {
        "query": query, "table": None if sql else (table or DEFAULT_TABLE),
        "filters": {"where": where, "params": params}, "format": fmt,
        "rows": count, "columns": columns, "content_sha256": digest.hexdigest(),
        "last_run_id": last_run, "extractor_versions": versions,
        "aggregator_version": __version__, "database": str(path.resolve()),
        "exported_at": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("select 1 from sqlite_master where name = ?", [name]).fetchone() is not None
