"""Clustering quality on the labelled cluster set (tests/clusters) and on the demo site, with
the real extractor. Floors sit a little under the figures in docs/BENCHMARKS.md."""

from __future__ import annotations

import re

import pytest

from aggregator import cluster_eval
from aggregator.config import load_config
from aggregator.demo import DEMO_CONFIG, DEMO_SITE
from aggregator.demo.server import SiteServer
from aggregator.ingest import ingest
from aggregator.store import Store


@pytest.fixture(scope="module")
def labelled(extractor):
    items = cluster_eval.load_clusters()
    extractions = list(extractor.extract_many(cluster_eval.documents_of(items)))
    return items, extractions


def test_cluster_set_is_big_enough(labelled):
    items, _ = labelled
    sizes: dict[str, int] = {}
    for item in items:
        for group in item["gold"]:
            sizes[group] = sizes.get(group, 0) + 1
    assert sum(n >= 2 for n in sizes.values()) >= 15
    assert sum(n == 1 for n in sizes.values()) >= 10
    assert sum(len(item["gold"]) > 1 for item in items) >= 2


def test_clustering_end_to_end(labelled):
    items, extractions = labelled
    scores = cluster_eval.score(items, cluster_eval.cluster(items, None,
                                                            extractions=extractions))
    report = cluster_eval.format_scores(scores)
    assert scores.bcubed_f1 >= 0.94, report
    assert scores.v_measure >= 0.97, report
    assert scores.pairwise_precision >= 0.93, report
    assert scores.roundup_recall >= 0.85, report


def test_clustering_given_relevance(labelled):
    items, extractions = labelled
    scores = cluster_eval.score(items, cluster_eval.cluster(
        items, None, extractions=extractions, assume_incidents=True))
    report = cluster_eval.format_scores(scores)
    assert scores.bcubed_f1 >= 0.97, report
    assert scores.v_measure >= 0.98, report
    assert scores.pairwise_recall >= 0.97, report


def test_demo_site_multi_outlet_incidents(tmp_path, extractor):
    """The demo site was written separately (aggregator/demo/site/MANIFEST.md): a held-out
    check that each multi-outlet incident is one incident and that no incident mixes two."""
    path = tmp_path / "demo.db"
    with SiteServer(DEMO_SITE) as site:
        store = Store(path)
        ingest(load_config(DEMO_CONFIG, {"base_url": site.base_url}), store, force=True,
               extractor=extractor)
    groups = {"wales": "wales", "synnovis": "synnovis", "crowdstrike": "crowdstrike",
              "british-library": "british-library", "dumfries": "dumfries",
              "wirral": "wirral", "alder-hey": "alder-hey", "advanced": "advanced"}
    by_incident: dict[int, set[str]] = {}
    for incident_id, url in store.db.execute(
            "select ia.incident_id, a.url from incident_articles ia join articles a "
            "on a.id = ia.article_id"):
        slug = re.sub(r"^.*/articles/", "", url)
        label = next((g for key, g in groups.items() if key in slug), slug)
        if "emis" in slug or "crowdstrike" in slug:
            label = "crowdstrike"
        by_incident.setdefault(incident_id, set()).add(label)
    mixed = [labels for labels in by_incident.values() if len(labels) > 1]
    assert not mixed, mixed
    for label in ("wales", "synnovis", "crowdstrike", "british-library"):
        holding = [i for i, labels in by_incident.items() if label in labels]
        assert len(holding) == 1, (label, by_incident)
    store.close()
