"""`aggregator reprocess`: re-extraction and re-clustering of stored documents, swapped in
atomically, keeping incident ids and analysts' overrides."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from aggregator.cli import cli
from aggregator.incidents import Clusterer, merge
from aggregator.ingest import ingest
from aggregator.reprocess import reprocess, select_articles, stage_path
from aggregator.store import Store


@pytest.fixture
def selectors(config):
    return {s.id: s.content for s in config.sources}


@pytest.fixture
def ingested(config, db_path, extractor):
    store = Store(db_path)
    ingest(config, store, force=True, extractor=extractor)
    store.close()
    return db_path


def snapshot(store: Store) -> dict:
    db = store.db
    return {
        "links": sorted(db.execute("select incident_id, article_id, relation from "
                                   "incident_articles")),
        "incidents": sorted(db.execute("select id, title, primary_cause, article_count from "
                                       "incidents")),
        "articles": sorted(db.execute("select id, is_incident, incident_date, text from "
                                      "articles")),
        "mentions": db.execute("select count(*) from mentions").fetchone()[0],
        "documents": sorted(db.execute("select article_id, html_gz from documents")),
    }


def test_reprocess_is_stable_and_keeps_documents(ingested, extractor, selectors):
    store = Store(ingested)
    before = snapshot(store)
    report = reprocess(store, ingested, workers=1, extractor=extractor, selectors=selectors)
    assert report.selected == report.extracted == report.swapped == 4
    assert not report.failed
    after = snapshot(store)
    assert after == before  # same pipeline: same results, same incident ids
    assert not stage_path(ingested).exists()
    store.close()


def test_interrupted_swap_leaves_old_results_and_resumes(ingested, extractor, selectors,
                                                         monkeypatch):
    store = Store(ingested)
    before = snapshot(store)
    calls = {"n": 0}
    original = Clusterer.add

    def failing_add(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise KeyboardInterrupt("interrupted mid-swap")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Clusterer, "add", failing_add)
    with pytest.raises(KeyboardInterrupt):
        reprocess(store, ingested, workers=1, extractor=extractor, selectors=selectors)
    store.close()
    store = Store(ingested)  # a fresh process would see exactly the old results
    assert snapshot(store) == before
    assert stage_path(ingested).exists()
    monkeypatch.setattr(Clusterer, "add", original)
    report = reprocess(store, ingested, workers=1, extractor=extractor, selectors=selectors)
    assert report.resumed == 4 and report.swapped == 4
    assert snapshot(store) == before
    store.close()


def test_reprocess_respects_merge_and_selects(ingested, extractor, selectors):
    store = Store(ingested)
    ids = [r[0] for r in store.db.execute("select id from incidents order by id")]
    assert len(ids) == 2
    merge(store.db, ids[0], [ids[1]])
    assert select_articles(store.db, source="fixture-listing")
    assert len(select_articles(store.db, since="2100-01-01")) == 0
    report = reprocess(store, ingested, workers=1, extractor=extractor, selectors=selectors)
    assert report.swapped == 4
    assert [r[0] for r in store.db.execute("select id from incidents")] == [ids[0]]
    assert store.db.execute("select article_count from incidents").fetchone()[0] == 2
    store.close()


def test_cli_reprocess_on_two_processes(ingested, config_path):
    result = CliRunner().invoke(cli, ["reprocess", "--db", str(ingested), "--workers", "2",
                                      "--config", str(config_path),
                                      "--since", "2000-01-01", "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "reprocessed 4 of 4 article(s)" in result.output
    assert "incidents 2 -> 2" in result.output


def test_reprocess_rebuilds_clustering_state_of_an_older_database(ingested, extractor,
                                                                  selectors):
    store = Store(ingested)
    ids = [r[0] for r in store.db.execute("select id from incidents order by id")]
    with store.db.atomic():  # as a database from before incidents were clustered
        for table in ("article_features", "article_lsh", "term_df", "incident_profiles",
                      "incident_keys"):
            store.db.execute(f"delete from {table}")
    report = reprocess(store, ingested, workers=1, extractor=extractor, selectors=selectors)
    assert report.swapped == 4
    assert [r[0] for r in store.db.execute("select id from incidents order by id")] == ids
    assert store.db.execute("select count(*) from article_features").fetchone()[0] == 2
    store.close()
