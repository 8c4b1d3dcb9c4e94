"""Ingest end to end over real HTTP from the fixture site on 127.0.0.1."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aggregator.cli import cli
from aggregator.ingest import EXIT_LOCKED, LockedError, ingest, ingest_lock
from aggregator.store import Store


@pytest.fixture
def store(db_path):
    store = Store(db_path)
    yield store
    store.close()


def test_ingest_stores_every_article_once(config, store, extractor, site):
    report = ingest(config, store, force=True, extractor=extractor)
    assert report.exit_code == 0
    urls = sorted(r["url"].split("/")[-1] for r in store.db.query("select url from articles"))
    # the listing's link to the Wales article (with a #fragment) is the feed's article
    # (with utm_ parameters): one canonical URL, stored once
    assert urls == ["council-maintenance.html", "imaging-contract.html",
                    "pathology-ransomware.html", "wales-datacentre.html"]
    carried = {r["source_id"] for r in store.db.query(
        "select s.source_id from article_sources s join articles a on a.id = s.article_id "
        "where a.url like '%wales-datacentre.html'")}
    assert carried == {"fixture-rss", "fixture-listing"}
    # the feed carries the full ransomware article: its page is never fetched
    assert not site.requests_for("/articles/pathology-ransomware.html")
    assert report.pages_fetched == 3


def test_ingest_rerun_adds_nothing_and_uses_conditional_requests(config, store, extractor,
                                                                  site):
    ingest(config, store, force=True, extractor=extractor)
    before = store.counts()
    site.clear_requests()
    report = ingest(config, store, force=True, extractor=extractor)
    assert report.articles_new == 0
    assert store.counts()["articles"] == before["articles"]
    assert store.counts()["incidents"] == before["incidents"]
    assert not [r for r in site.requests if r.path.startswith("/articles/")]
    feed_requests = site.requests_for("/feeds/news.rss")
    assert feed_requests and all(r.headers.get("if-none-match") for r in feed_requests)


def test_ingest_classifies_and_extracts(config, store, extractor):
    ingest(config, store, force=True, extractor=extractor)
    rows = {r["url"].rsplit("/", 1)[-1]: r for r in store.db.query(
        "select url, is_incident, incident_date from articles")}
    assert rows["wales-datacentre.html"]["is_incident"] == 1
    assert rows["wales-datacentre.html"]["incident_date"] == "2018-01-24"
    assert rows["pathology-ransomware.html"]["is_incident"] == 1
    assert rows["imaging-contract.html"]["is_incident"] == 0
    assert rows["council-maintenance.html"]["is_incident"] == 0
    ruled_out = [r["name"] for r in store.db.query(
        "select name from article_mentions where type = 'cause' and status = 'negated'")]
    assert "cyber_attack" in ruled_out
    assert store.counts()["incidents"] == 2
    # full-text search finds the article
    hits = list(store.db.query("select rowid from articles_fts where articles_fts match "
                               "'\"data centres\"'"))
    assert len(hits) == 1


def test_schedule_skips_sources_not_due(config, store, extractor, site):
    ingest(config, store, force=True, extractor=extractor)
    site.clear_requests()
    report = ingest(config, store, extractor=extractor)
    assert all(r.skipped for r in report.results)
    assert not site.requests


def test_broken_source_does_not_stop_the_others(config_path, db_path, extractor, site):
    from aggregator.config import load_config

    text = config_path.read_text() + (
        "  - id: broken\n    name: Broken\n    url: \"" + site.base_url + "/missing.rss\"\n")
    config_path.write_text(text)
    store = Store(db_path)
    report = ingest(load_config(config_path), store, force=True, extractor=extractor)
    assert report.exit_code == 1
    assert [r.source_id for r in report.failed] == ["broken"]
    assert "404" in report.failed[0].message
    assert store.counts()["articles"] == 4
    state = store.source_state("broken")
    assert state["consecutive_failures"] == 1 and state["next_poll"] and state["last_error"]
    assert store.db["fetch_log"].count_where("outcome = 'error'") == 1


def test_lock_prevents_overlapping_runs(db_path, config_path):
    with ingest_lock(db_path):
        with pytest.raises(LockedError), ingest_lock(db_path):
            pass
        result = CliRunner().invoke(cli, ["ingest", "--config", str(config_path), "--db",
                                          str(db_path)])
        assert result.exit_code == EXIT_LOCKED
        assert "another ingest is running" in result.output


def test_cli_ingest_twice(config_path, db_path):
    runner = CliRunner()
    first = runner.invoke(cli, ["ingest", "--config", str(config_path), "--db", str(db_path)])
    assert first.exit_code == 0, first.output
    assert "4 new article(s)" in first.output
    second = runner.invoke(cli, ["ingest", "--config", str(config_path), "--db", str(db_path),
                                 "--force"])
    assert second.exit_code == 0, second.output
    assert "0 new article(s)" in second.output
    status = runner.invoke(cli, ["status", "--db", str(db_path)])
    assert "fixture-rss" in status.output and "fixture-listing" in status.output
