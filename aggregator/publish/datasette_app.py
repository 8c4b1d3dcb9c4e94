"""Build and run the Datasette instance with the project's metadata, templates and profile."""

from __future__ import annotations

import asyncio
import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

METADATA_PATH = Path(__file__).parent / "metadata.yml"
TEMPLATES_DIR = Path(__file__).parent / "templates"
METADATA_DB_NAME = "incidents"

# Local use (the analyst's own machine): generous limits, SQL allowed. Facets are curated in
# metadata.yml, so Datasette's speculative suggestions (one query per column per page, slow on
# 200k articles) are off.
LOCAL_SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 5000,
    "max_returned_rows": 5000,
    "facet_time_limit_ms": 1000,
    "suggest_facets": False,
    "truncate_cells_html": 300,
}
# `--public`: an instance exposed beyond the analyst's machine. Arbitrary SQL is off unless
# `allow_sql=True`; canned queries, facets, search, CSV/JSON/Atom and the dashboards' own
# chart queries still work.
PUBLIC_SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 1500,       # any one query, canned or not
    "max_returned_rows": 1000,       # rows per page / per query result
    "facet_time_limit_ms": 500,
    "suggest_facets": False,         # no speculative facet queries per page
    "allow_download": False,         # no download of the whole .db file
    "max_csv_mb": 50,                # streamed CSV stops at 50 MB
    "default_page_size": 50,
    "num_sql_threads": 3,
    "truncate_cells_html": 300,
}


@cache
def _base_metadata() -> dict[str, Any]:
    return yaml.safe_load(METADATA_PATH.read_text(encoding="utf-8"))


def database_name(db_path: str | Path) -> str:
    """The name Datasette gives a database file (its stem)."""
    return Path(db_path).stem


def metadata_for(db_path: str | Path, *, public: bool = False,
                 allow_sql: bool | None = None) -> dict[str, Any]:
    """The packaged metadata, keyed to this database's name (Datasette uses the file stem).

    ``allow_sql`` defaults to True locally and False in the public profile.
    """
    metadata = copy.deepcopy(_base_metadata())
    name = database_name(db_path)
    databases = metadata.setdefault("databases", {})
    if METADATA_DB_NAME in databases and name != METADATA_DB_NAME:
        databases[name] = databases.pop(METADATA_DB_NAME)
    plugins = metadata.setdefault("plugins", {})
    for dashboard in (plugins.get("datasette-dashboards") or {}).values():
        for part in ("charts", "filters"):
            for item in (dashboard.get(part) or {}).values():
                if item.get("db") == METADATA_DB_NAME:
                    item["db"] = name
    if allow_sql is None:
        allow_sql = not public
    plugins["aggregator"] = {"database": name, "public": public}
    if not allow_sql:
        # No arbitrary SQL for anyone; the dashboards' chart queries are let through by the
        # `aggregator` plugin (publish/plugin.py), which gives only them this actor.
        metadata["allow_sql"] = {"id": "public-dashboards"}
    return metadata


def build_datasette(db_path: str | Path, *, public: bool = False, allow_sql: bool | None = None,
                    settings: dict[str, Any] | None = None) -> Datasette:
    """A Datasette instance over ``db_path`` with the project's metadata and templates.

    It never writes: queries run on read-only connections, no canned query writes, and no
    plugin in use writes. ``settings`` override the profile's Datasette settings.
    """
    path = Path(db_path)
    if not path.exists():
        raise FileNotFoundError(f"database {path} does not exist: run `aggregator ingest` "
                                "or `aggregator demo` first")
    settings = {**(PUBLIC_SETTINGS if public else LOCAL_SETTINGS), **(settings or {})}
    return Datasette([str(path)], metadata=metadata_for(path, public=public, allow_sql=allow_sql),
                     settings=settings, template_dir=str(TEMPLATES_DIR), cors=False)


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001,
          public: bool = False, allow_sql: bool | None = None) -> None:
    """Run Datasette in the foreground until interrupted."""
    import uvicorn

    datasette = build_datasette(db_path, public=public, allow_sql=allow_sql)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
