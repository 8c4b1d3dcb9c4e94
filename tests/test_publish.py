"""Datasette over an ingested database (in-process ASGI client) and CSV/JSON export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from aggregator.cli import cli
from aggregator.ingest import ingest
from aggregator.publish.datasette_app import build_datasette
from aggregator.store import Store


@pytest.fixture
def ingested(config, tmp_path, extractor):
    path = tmp_path / "any-name.db"
    store = Store(path)
    ingest(config, store, force=True, extractor=extractor)
    store.close()
    return path



def _get(ds, path):
    import asyncio

    return asyncio.run(ds.client.get(path))


def test_datasette_json_search_and_metadata(ingested):
    ds = build_datasette(ingested)
    response = _get(ds, "/any-name/articles.json?_search=firewalls&_shape=array")
    assert response.status_code == 200
    rows = response.json()
    assert len(rows) == 1 and rows[0]["url"].endswith("wales-datacentre.html")
    canned = _get(ds, "/any-name/search_incidents.json?q=ransomware&_shape=array").json()
    assert canned and "<mark>" in canned[0]["snippet"].lower()
    metadata = _get(ds, "/-/metadata.json").json()
    assert "any-name" in metadata["databases"]  # applied whatever the file is called
    home = _get(ds, "/")
    assert "UK public-sector IT incidents" in home.text


def test_datasette_incident_review_csv_stream(ingested):
    ds = build_datasette(ingested)
    response = _get(ds, "/any-name/incident_review.csv?_stream=on&_size=max")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2
    assert any("cyber_attack" in r["ruled_out_causes"] for r in rows)


def test_public_profile_disallows_arbitrary_sql(ingested):
    ds = build_datasette(ingested, public=True)
    response = _get(ds, "/any-name.json?sql=select+1")
    assert response.status_code == 403


def test_export_csv_and_manifest(ingested, tmp_path):
    out = tmp_path / "incidents.csv"
    result = CliRunner().invoke(cli, ["export", "--db", str(ingested), "--format", "csv",
                                      "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert len(rows) == 2
    assert {"title", "started_at", "victims", "systems", "primary_cause", "ruled_out_causes",
            "article_count", "first_link"} <= set(rows[0])
    manifest = json.loads((tmp_path / "incidents.csv.manifest.json").read_text())
    assert manifest["rows"] == 2 and manifest["table"] == "incident_review"
    assert manifest["extractor_versions"] and manifest["content_sha256"]


def test_export_json_sql_and_errors(ingested):
    runner = CliRunner()
    result = runner.invoke(cli, ["export", "--db", str(ingested), "--format", "json", "--sql",
                                 "select id, is_incident from articles order by id"])
    assert result.exit_code == 0, result.output
    assert [r["is_incident"] for r in json.loads(result.output)] == [1, 0, 1, 0]
    bad = runner.invoke(cli, ["export", "--db", str(ingested), "--table", "nope"])
    assert bad.exit_code == 1 and "no table or view named 'nope'" in bad.output


def test_export_filters_are_applied_and_recorded(ingested, tmp_path):
    out = tmp_path / "review.csv"
    result = CliRunner().invoke(cli, [
        "export", "--db", str(ingested), "-o", str(out),
        "--where", "ruled_out_causes like :cause", "-p", "cause", "%cyber_attack%"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open()))
    assert rows and all("cyber_attack" in r["ruled_out_causes"] for r in rows)
    manifest = json.loads((tmp_path / "review.csv.manifest.json").read_text())
    assert manifest["filters"] == {"where": "ruled_out_causes like :cause",
                                   "params": {"cause": "%cyber_attack%"}}
    assert manifest["query"].endswith("where ruled_out_causes like :cause "
                                      "order by started_at desc, id desc")
    assert manifest["rows"] == len(rows) and manifest["exported_at"]
    assert manifest["last_run_id"] == 1 and manifest["content_sha256"]
    again = tmp_path / "again.csv"
    CliRunner().invoke(cli, ["export", "--db", str(ingested), "-o", str(again), "--where",
                             "ruled_out_causes like :cause", "-p", "cause", "%cyber_attack%"])
    repeat = json.loads((tmp_path / "again.csv.manifest.json").read_text())
    assert repeat["content_sha256"] == manifest["content_sha256"]  # reproducible
    bad = CliRunner().invoke(cli, ["export", "--db", str(ingested), "--sql", "select 1",
                                   "--where", "1"])
    assert bad.exit_code == 1 and "--where filters a table" in bad.output
