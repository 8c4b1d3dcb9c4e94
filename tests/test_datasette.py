"""The analysts' Datasette, in-process (httpx over ASGI): metadata, facets, canned queries, the
review CSV stream, Atom alerts, dashboards, the public profile and escaping of hostile feed text.

The database comes from ingesting a copy of the fixture site over real local HTTP, with one
article made hostile: its headline and a sentence of its body carry a ``<script>`` tag.
"""

from __future__ import annotations

import asyncio
import csv
import io
import shutil
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from conftest import FIXTURE_CONFIG, FIXTURE_SITE

from aggregator.config import load_config
from aggregator.demo.server import SiteServer
from aggregator.ingest import ingest
from aggregator.publish.datasette_app import METADATA_PATH, build_datasette
from aggregator.publish.plugin import coalesce_body
from aggregator.store import Store

DB = "analyst-copy"  # the database file's stem, deliberately not "incidents"
HOSTILE = '<script>alert("xss")</script>'
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def db_path(tmp_path_factory, extractor) -> Path:
    root = tmp_path_factory.mktemp("datasette")
    site = root / "site"
    shutil.copytree(FIXTURE_SITE, site)
    page = site / "articles" / "wales-datacentre.html"
    escaped = "&lt;script&gt;alert(&quot;xss&quot;)&lt;/script&gt; "
    html = page.read_text(encoding="utf-8")
    html = html.replace("Welsh GP practices lose", escaped + "Welsh GP practices lose")
    html = html.replace("<p>BMA Wales", f"<p>Engineers found {escaped} in the firewalls "
                        "log.</p>\n<p>BMA Wales")
    page.write_text(html, encoding="utf-8")
    feed = site / "feeds" / "news.rss"
    feed.write_text(feed.read_text(encoding="utf-8").replace(
        "<title>Welsh GP practices lose", f"<title>{escaped}Welsh GP practices lose"),
        encoding="utf-8")
    path = root / f"{DB}.db"
    with SiteServer(site) as server:
        config_path = root / "feeds.yaml"
        config_path.write_text(FIXTURE_CONFIG.replace("{{base_url}}", server.base_url),
                               encoding="utf-8")
        store = Store(path)
        ingest(load_config(config_path), store, force=True, extractor=extractor)
        store.close()
    conn = sqlite3.connect(path)
    with conn:  # and one hostile incident title, whatever the clustering named it
        conn.execute("update incidents set title = ? || title where id = "
                     "(select min(id) from incidents)", [HOSTILE + " "])
    conn.close()
    return path


def get(ds, path: str, **kwargs):
    return asyncio.run(ds.client.get(path, **kwargs))


@pytest.fixture(scope="module")
def ds(db_path):
    return build_datasette(db_path)


@pytest.fixture(scope="module")
def public(db_path):
    return build_datasette(db_path, public=True)


def query(db_path: Path, sql: str, params=()) -> list[tuple]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


# ----------------------------------------------------------------------------- metadata

def test_metadata_describes_every_table_and_column(db_path, ds):
    metadata = get(ds, "/-/metadata.json").json()
    assert metadata["title"] == "UK public-sector IT incidents"
    assert metadata["license"] and metadata["source"] and metadata["description_html"]
    tables = metadata["databases"][DB]["tables"]  # re-keyed to the file's name
    conn = sqlite3.connect(db_path)
    names = [r[0] for r in conn.execute(
        "select name from sqlite_master where type in ('table', 'view') "
        "and name not like '%\\_fts%' escape '\\' and name not like 'sqlite_%'")]
    missing = []
    for name in names:
        described = tables.get(name, {})
        if not described.get("description"):
            missing.append(name)
        columns = [r[1] for r in conn.execute(f"pragma table_info([{name}])")]
        missing += [f"{name}.{c}" for c in columns if c not in described.get("columns", {})]
    conn.close()
    assert not missing, f"describe these in aggregator/publish/metadata.yml: {missing}"


def test_internal_tables_are_hidden_and_analyst_tables_are_not(ds):
    data = get(ds, f"/{DB}.json").json()
    hidden = {t["name"] for t in data["tables"] if t["hidden"]}
    visible = {t["name"] for t in data["tables"] if not t["hidden"]} | \
        {v["name"] for v in data.get("views", [])}
    assert {"documents", "meta", "incident_articles", "article_sources", "articles_fts"} <= hidden
    assert {"incidents", "articles", "sources", "runs", "fetch_log", "entities"} <= visible


def test_home_page_leads_to_search_review_charts_and_health(ds):
    home = get(ds, "/")
    assert home.status_code == 200
    text = home.text
    assert "UK public-sector IT incidents" in text
    for link in (f'action="/{DB}/search_incidents"', f'href="/{DB}/incident_review"',
                 'href="/-/dashboards"', f'href="/{DB}/source_health"',
                 f'href="/{DB}/incidents_by_organisation"', f'href="/{DB}/incidents/'):
        assert link in text, link
    assert "Ingestion health" in text and "fixture-rss" in text


def test_sorts_labels_and_search_from_metadata(ds):
    incidents = get(ds, f"/{DB}/incidents.json?_shape=objects").json()
    assert incidents["human_description_en"] == "sorted by started_at descending"
    started = [r["started_at"] for r in incidents["rows"]]
    assert started == sorted(started, reverse=True)
    searched = get(ds, f"/{DB}/articles.json?_search=firewalls&_shape=array").json()
    assert len(searched) == 1 and searched[0]["url"].endswith("wales-datacentre.html")
    review = get(ds, f"/{DB}/incident_review.json?_search=wales&_shape=array").json()
    assert review, "incident_review is searchable through incidents_fts"
    labelled = get(ds, f"/{DB}/incident_articles.json?_labels=on&_shape=array").json()
    assert isinstance(labelled[0]["incident_id"], dict) and labelled[0]["incident_id"]["label"]


# ----------------------------------------------------------------------------- facets

def test_configured_facets_including_year(db_path, ds):
    data = get(ds, f"/{DB}/incidents.json?_size=0").json()
    facets = data["facet_results"]
    assert {"status", "primary_cause", "started_at", "victims", "systems"} <= set(facets)
    years = facets["started_at"]
    assert years["type"] == "year" and years["results"]
    year = years["results"][0]
    assert len(year["value"]) == 4 and "started_at__startswith=" in year["toggle_url"]
    filtered = get(ds, f"/{DB}/incidents.json?started_at__startswith={year['value']}").json()
    assert filtered["filtered_table_rows_count"] == year["count"]
    selected = filtered["facet_results"]["started_at"]["results"][0]
    assert selected["selected"] is True
    cause = facets["primary_cause"]["results"][0]
    by_cause = get(ds, f"/{DB}/incidents.json?primary_cause={cause['value']}").json()
    assert by_cause["filtered_table_rows_count"] == cause["count"]
    # the list facet counts what Datasette's array facet counts, and filters the same way
    assert facets["victims"]["type"] == "list"
    builtin = get(ds, f"/{DB}/incidents.json?_size=0&_facet_array=victims").json()
    expected = {r["value"]: r["count"] for r in builtin["facet_results"]["victims_2"]["results"]}
    assert {r["value"]: r["count"] for r in facets["victims"]["results"]} == expected
    victim = facets["victims"]["results"][0]
    assert "victims__arraycontains=" in victim["toggle_url"]
    by_victim = get(ds, f"/{DB}/incidents.json", params={
        "victims__arraycontains": victim["value"], "_size": "0"}).json()
    assert by_victim["filtered_table_rows_count"] == victim["count"]


def test_facets_on_articles_mentions_and_health(ds):
    articles = get(ds, f"/{DB}/articles.json?_size=0").json()["facet_results"]
    assert {"source_id", "is_incident", "published"} <= set(articles)
    mentions = get(ds, f"/{DB}/article_mentions.json?_size=0").json()["facet_results"]
    assert {"type", "role", "status", "name"} <= set(mentions)
    assert {"victim"} <= {r["value"] for r in mentions["role"]["results"]}
    health = get(ds, f"/{DB}/source_health.json?_shape=array").json()
    assert {r["source"] for r in health} == {"fixture-rss", "fixture-listing"}
    assert all(r["health"] == "ok" and r["items_last_7_days"] >= 1 for r in health)


# ----------------------------------------------------------------------------- canned queries

def test_every_canned_query_is_titled_documented_and_runs(ds):
    metadata = yaml.safe_load(METADATA_PATH.read_text(encoding="utf-8"))
    queries = metadata["databases"]["incidents"]["queries"]
    assert {"search_incidents", "incidents_by_organisation", "causes_by_year",
            "most_affected_systems", "ruled_out_cyber_attacks", "ongoing_incidents",
            "articles_about_incident"} <= set(queries)
    samples = {"q": "data", "organisation": "a", "days": "", "incident": "1"}
    for name, spec in queries.items():
        assert spec.get("title") and (spec.get("description") or spec.get("description_html"))
        assert not spec.get("write"), f"{name} must not write"
        for param in spec.get("params", []):
            assert f"<code>{param}</code>" in spec["description_html"], (name, param)
        args = "&".join(f"{p}={samples[p]}" for p in spec.get("params", []))
        response = get(ds, f"/{DB}/{name}.json?_shape=objects&{args}")
        assert response.status_code == 200, (name, response.text[:300])
        assert response.json()["ok"] is not False, name


def test_search_ranks_by_bm25_and_highlights(ds):
    rows = get(ds, f"/{DB}/search_incidents.json?q=data+centres&_shape=array").json()
    assert rows and "<mark>" in rows[0]["snippet"].lower()
    assert rows[0]["url"].endswith("wales-datacentre.html")
    # punctuation an analyst may type does not break FTS5 syntax
    quoted = get(ds, f"/{DB}/search_incidents.json?q=%22data-centres%22++(Wales)"
                     "&_shape=array")
    assert quoted.status_code == 200 and quoted.json()
    assert get(ds, f"/{DB}/search_incidents.json?q=&_shape=array").json() == []
    page = get(ds, f"/{DB}/search_incidents?q=data+centres").text
    assert "<mark>" in page  # rendered as highlighting, not as the text "&lt;mark&gt;"
    assert f'href="/{DB}/incidents/{rows[0]["incident_id"]}"' in page


def test_organisation_ruled_out_and_timeline_queries(db_path, ds):
    victim = query(db_path, "select v.value from incidents i, json_each(i.victims) v "
                            "limit 1")[0][0]
    rows = get(ds, f"/{DB}/incidents_by_organisation.json",
               params={"organisation": victim[:6].lower(), "_shape": "array"}).json()
    assert rows and any(victim in r["involved"] for r in rows)
    ruled_out = get(ds, f"/{DB}/ruled_out_cyber_attacks.json?_shape=array").json()
    assert ruled_out and all("cyber_attack" in r["ruled_out_causes"]
                             or "ransomware" in r["ruled_out_causes"] for r in ruled_out)
    incident = query(db_path, "select incident_id, count(*) from incident_articles "
                              "group by incident_id limit 1")[0]
    timeline = get(ds, f"/{DB}/articles_about_incident.json?incident={incident[0]}"
                       "&_shape=array").json()
    assert len(timeline) == incident[1]
    causes = get(ds, f"/{DB}/causes_by_year.json?_shape=array").json()
    assert sum(r["incidents"] for r in causes) == query(
        db_path, "select count(*) from incidents")[0][0]


# ----------------------------------------------------------------------------- CSV and Atom

def test_review_csv_streams_every_row_across_pages(db_path):
    # one row per page, so the stream has to follow every page to be complete
    small = build_datasette(db_path, settings={"max_returned_rows": 1,
                                               "default_page_size": 1})
    response = get(small, f"/{DB}/incident_review.csv?_stream=on&_size=max")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text)))
    expected = query(db_path, "select id from incidents order by id")
    assert sorted(int(r["id"]) for r in rows) == [e[0] for e in expected]
    assert {"title", "started_at", "status", "victims", "suppliers", "systems",
            "primary_cause", "ruled_out_causes", "article_count", "first_link",
            "latest_link"} <= set(rows[0])
    page = get(small, f"/{DB}/incident_review").text
    assert "_stream=on" in page and 'id="agg-review-csv"' in page


def asgi_messages(ds, path: str, query_string: str) -> list[dict]:
    """Every message the instance's ASGI app sends for one GET, as a server would see them."""
    scope = {"type": "http", "http_version": "1.1", "method": "GET", "scheme": "http",
             "path": path, "raw_path": path.encode(), "root_path": "",
             "query_string": query_string.encode(), "headers": [(b"host", b"localhost")],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    asyncio.run(ds.app()(scope, receive, send))
    return sent


def test_csv_stream_is_sent_in_large_pieces_with_the_same_bytes(db_path):
    # Datasette writes one message per row; ours gathers them, so a small export is one piece
    small = build_datasette(db_path, settings={"max_returned_rows": 2,
                                               "default_page_size": 2})
    sent = asgi_messages(small, f"/{DB}/incident_review.csv", "_stream=on&_size=max")
    bodies = [m for m in sent if m["type"] == "http.response.body"]
    assert sent[0]["type"] == "http.response.start" and sent[0]["status"] == 200
    assert len(bodies) <= 2 and bodies[-1].get("more_body", False) is False
    text = b"".join(m.get("body", b"") for m in bodies).decode()
    assert text == get(small, f"/{DB}/incident_review.csv?_stream=on&_size=max").text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == query(db_path, "select count(*) from incidents")[0][0]


def test_coalesced_send_keeps_order_and_flushes_at_the_limit():
    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def run():
        coalesced = coalesce_body(send, limit=10)
        await coalesced({"type": "http.response.start", "status": 200, "headers": []})
        for piece in (b"abcd", b"efgh", b"ijkl", b"mn"):
            await coalesced({"type": "http.response.body", "body": piece, "more_body": True})
        await coalesced({"type": "http.response.body", "body": b"op", "more_body": False})

    asyncio.run(run())
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body",
                                         "http.response.body"]
    assert sent[1] == {"type": "http.response.body", "body": b"abcdefghijkl", "more_body": True}
    assert sent[2]["body"] == b"mnop" and sent[2]["more_body"] is False


def test_atom_feeds_for_queries_and_saved_searches(db_path, ds):
    victim = query(db_path, "select v.value from incidents i, json_each(i.victims) v "
                            "limit 1")[0][0]
    feed = get(ds, f"/{DB}/incidents_by_organisation.atom", params={"organisation": victim})
    assert feed.status_code == 200
    root = ET.fromstring(feed.content)
    assert root.find(f"{ATOM}title").text == "Incidents involving an organisation"
    entries = root.findall(f"{ATOM}entry")
    assert entries and all(e.find(f"{ATOM}id").text.startswith("tag:") for e in entries)
    # a new subscription with nothing in it yet is a valid, empty feed (not an error)
    empty = get(ds, f"/{DB}/incidents_by_organisation.atom?organisation=zzzz-nobody")
    assert empty.status_code == 200
    assert ET.fromstring(empty.content).findall(f"{ATOM}entry") == []
    saved = get(ds, f"/{DB}/incident_alerts.atom", params={"victims__arraycontains": victim})
    assert saved.status_code == 200 and ET.fromstring(saved.content).findall(f"{ATOM}entry")
    for name in ("search_incidents.atom?q=data", "ruled_out_cyber_attacks.atom",
                 "ongoing_incidents.atom?days=", "causes_by_year.atom",
                 "most_affected_systems.atom", "articles_about_incident.atom?incident=1"):
        assert get(ds, f"/{DB}/{name}").status_code == 200, name


def test_dashboards_charts_run_their_queries(ds):
    page = get(ds, "/-/dashboards/incidents")
    assert page.status_code == 200 and "Incidents per month by cause" in page.text
    config = get(ds, "/-/metadata.json").json()["plugins"]["datasette-dashboards"]
    for slug, chart in config["incidents"]["charts"].items():
        assert chart["db"] == DB
        response = get(ds, f"/{DB}.json", params={"sql": chart["query"], "_shape": "objects"})
        assert response.status_code == 200, (slug, response.text[:200])


# ----------------------------------------------------------------------------- safety

def test_serve_never_writes(db_path, ds):
    before = query(db_path, "select count(*) from incidents")[0][0]
    for sql in ("delete from incidents", "update incidents set title = 'x'",
                "drop table incidents"):
        response = get(ds, f"/{DB}.json", params={"sql": sql})
        assert response.status_code >= 400
    post = asyncio.run(ds.client.post(f"/{DB}/search_incidents", data={"q": "x"}))
    assert post.status_code >= 400
    assert query(db_path, "select count(*) from incidents")[0][0] == before


def test_public_profile_limits_and_no_arbitrary_sql(public):
    assert get(public, f"/{DB}.json?sql=select+1").status_code == 403
    assert get(public, f"/{DB}.db").status_code == 403  # no whole-database download
    settings = get(public, "/-/settings.json").json()
    assert settings["sql_time_limit_ms"] <= 2000 and settings["max_returned_rows"] <= 1000
    assert settings["allow_download"] is False and settings["max_csv_mb"] <= 50
    # canned queries, facets, feeds and the dashboards' own chart queries still work
    assert get(public, f"/{DB}/search_incidents.json?q=data").status_code == 200
    assert get(public, f"/{DB}/incidents.json?_facet=status").status_code == 200
    assert get(public, f"/{DB}/ruled_out_cyber_attacks.atom").status_code == 200
    assert get(public, "/-/dashboards/incidents").status_code == 200
    config = get(public, "/-/metadata.json").json()["plugins"]["datasette-dashboards"]
    chart = config["incidents"]["charts"]["per-month"]["query"]
    assert get(public, f"/{DB}.json", params={"sql": chart}).status_code == 200
    assert get(public, f"/{DB}.json", params={"sql": chart + " "}).status_code == 403
    allowed = build_datasette(public.files[0], public=True, allow_sql=True)
    assert get(allowed, f"/{DB}.json?sql=select+1").status_code == 200


def test_hostile_feed_text_is_escaped_everywhere(db_path, ds):
    raw = '<script>alert("xss")</script>'
    assert query(db_path, "select count(*) from articles where title like ?",
                 [f"%{raw}%"])[0][0] == 1, "the hostile headline was stored as text"
    incident = query(db_path, "select id from incidents where title like ?", [f"%{raw}%"])[0][0]
    article = query(db_path, "select id from articles where title like ?", [f"%{raw}%"])[0][0]
    pages = ["/", f"/{DB}/incidents", f"/{DB}/incidents/{incident}", f"/{DB}/articles",
             f"/{DB}/articles/{article}", f"/{DB}/incident_review",
             f"/{DB}/search_incidents?q=firewalls", f"/{DB}/search_incidents?q=script",
             f"/{DB}/incident_alerts", f"/{DB}/article_mentions", "/-/search?q=script",
             f"/{DB}/incidents_by_organisation?organisation=a"]
    for path in pages:
        response = get(ds, path)
        assert response.status_code == 200, path
        assert "<script>alert" not in response.text, path
    assert "&lt;script&gt;alert" in get(ds, f"/{DB}/incidents/{incident}").text
    snippet = get(ds, f"/{DB}/search_incidents?q=engineers+firewalls").text
    assert "<mark>" in snippet and "&lt;script&gt;" in snippet
    feed = get(ds, f"/{DB}/incident_alerts.atom").text
    assert "<script>" not in feed and "&lt;script&gt;" in feed
