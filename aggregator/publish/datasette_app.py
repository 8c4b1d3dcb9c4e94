"""Build and run the Datasette instance with the project's metadata."""

from __future__ import annotations

import asyncio
import copy
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette

METADATA_PATH = Path(__file__).parent / "metadata.yml"
METADATA_DB_NAME = "incidents"

# `--public`: limits for an instance exposed beyond the analyst's own machine
PUBLIC_SETTINGS = {
    "sql_time_limit_ms": 1500,
    "max_returned_rows": 1000,
    "max_csv_mb": 50,
    "allow_download": False,
    "allow_facet": True,
    "default_page_size": 50,
    "num_sql_threads": 3,
}
LOCAL_SETTINGS = {"sql_time_limit_ms": 5000, "max_returned_rows": 5000,
                  "facet_time_limit_ms": 1000}


@cache
def _base_metadata() -> dict[str, Any]:
    return yaml.safe_load(METADATA_PATH.read_text(encoding="utf-8"))


def metadata_for(db_path: str | Path, *, public: bool = False) -> dict[str, Any]:
    """The packaged metadata, keyed to this database's name (Datasette uses the file stem)."""
    metadata = copy.deepcopy(_base_metadata())
    name = Path(db_path).stem
    databases = metadata.get("databases", {})
    if METADATA_DB_NAME in databases and name != METADATA_DB_NAME:
        databases[name] = databases.pop(METADATA_DB_NAME)
        metadata["description_html"] = metadata["description_html"].replace(
            f"/{METADATA_DB_NAME}/", f"/{name}/")
    if public:
        metadata["allow_sql"] = False  # no arbitrary SQL; canned queries still work
    return metadata


def build_datasette(db_path: str | Path, *, public: bool = False) -> Datasette:
    """A Datasette instance over ``db_path``, read-only, with the project's metadata."""
    path = Path(db_path)
    if not path.exists():
        raise FileNotFoundError(f"database {path} does not exist: run `aggregator ingest` "
                                "or `aggregator demo` first")
    settings = dict(PUBLIC_SETTINGS if public else LOCAL_SETTINGS)
    return Datasette([str(path)], metadata=metadata_for(path, public=public),
                     settings=settings, cors=False)


def serve(db_path: str | Path, *, host: str = "127.0.0.1", port: int = 8001,
          public: bool = False) -> None:
    """Run Datasette in the foreground until interrupted."""
    import uvicorn

    datasette = build_datasette(db_path, public=public)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning", lifespan="on")
