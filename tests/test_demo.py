"""The bundled demo site, ingested over real HTTP, checked against its MANIFEST.md.

The demo articles were written separately from the development set, so they are also a
held-out check of relevance and incident dates.
"""

from __future__ import annotations

import re

import pytest

from aggregator.config import load_config
from aggregator.demo import DEMO_CONFIG, DEMO_SITE
from aggregator.demo.server import SiteServer
from aggregator.ingest import ingest
from aggregator.store import Store


def manifest_rows() -> dict[str, dict[str, str]]:
    rows = {}
    for line in (DEMO_SITE / "MANIFEST.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 9 and cells[0].startswith("`articles/"):
            rows[cells[0].strip("`")] = {"incident": cells[3], "date": cells[6]}
    return rows


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, extractor):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with SiteServer(DEMO_SITE) as site:
        config = load_config(DEMO_CONFIG, {"base_url": site.base_url})
        store = Store(path)
        report = ingest(config, store, force=True, extractor=extractor)
        store.close()
    assert report.exit_code == 0, report.failed
    return Store(path)


def test_demo_stores_every_article_once(demo_db):
    manifest = manifest_rows()
    assert len(manifest) == 32
    assert demo_db.counts()["articles"] == len(manifest)
    shared = list(demo_db.db.query(
        "select count(*) as n from article_sources s join articles a on a.id = s.article_id "
        "where a.url like '%synnovis-qilin-data-published-nhs-england.html'"))
    assert shared[0]["n"] == 2
    assert not list(demo_db.db.query("select url from articles where url like '%utm_%'"))
    undated = demo_db.db["articles"].count_where("published is null")
    assert undated == 0


def test_demo_relevance_and_dates_match_manifest(demo_db):
    manifest = manifest_rows()
    found = {re.sub(r"^https?://[^/]+/", "", r["url"]): r for r in demo_db.db.query(
        "select url, is_incident, incident_date from articles")}
    agree = sum((manifest[path]["incident"] == "yes") == bool(found[path]["is_incident"])
                for path in manifest)
    assert agree / len(manifest) >= 0.85, f"relevance agreement {agree}/{len(manifest)}"
    dated = [p for p, m in manifest.items() if re.match(r"\d{4}-\d{2}-\d{2}", m["date"])]
    correct = sum(found[p]["incident_date"] == manifest[p]["date"] for p in dated)
    assert correct / len(dated) >= 0.6, f"incident dates {correct}/{len(dated)}"
