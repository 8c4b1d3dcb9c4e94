"""Score incident clustering against the labelled cluster set (``tests/clusters``).

The articles go through the real extractor and the real store (a temporary database), in
publication order, exactly as ingest would store them; the incidents that the store builds are
compared with the gold groups. Reported:

- pairwise precision and recall over article pairs (a pair is "together" when the two articles
  share at least one incident, so round-ups count naturally);
- B-cubed precision, recall and F1, in the extended form for overlapping clusters (Amigó et al.,
  2009), so an article in two incidents is scored on both;
- V-measure (homogeneity and completeness, scikit-learn) over the articles that have exactly one
  gold incident, each labelled with its first predicted incident;
- round-up recall: the share of the gold incident links of multi-incident articles that were made.

An article the extractor does not take for an incident report gets no incident, so it counts
as a singleton of its own.
"""

from __future__ import annotations

import copy
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

import yaml
from sklearn.metrics import homogeneity_completeness_v_measure

from aggregator.extract.pipeline import Extractor
from aggregator.models import Document, Extraction, FeedItem

CLUSTERS_DIR = Path(__file__).parent.parent / "tests" / "clusters"


def load_clusters(directory: Path = CLUSTERS_DIR) -> list[dict[str, Any]]:
    """Every labelled article, oldest first (ties by id)."""
    items = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for article in data.get("articles") or []:
            gold = article["incident"]
            article["gold"] = sorted(gold if isinstance(gold, list) else [gold])
            article["published"] = str(article["published"])
            items.append(article)
    if not items:
        raise FileNotFoundError(f"no labelled articles in {directory}")
    ids = [a["id"] for a in items]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise ValueError(f"duplicate article ids: {sorted(duplicates)}")
    return sorted(items, key=lambda a: (a["published"], a["id"]))


@dataclass
class ClusterScores:
    pairwise_precision: float
    pairwise_recall: float
    bcubed_precision: float
    bcubed_recall: float
    bcubed_f1: float
    homogeneity: float
    completeness: float
    v_measure: float
    roundup_recall: float
    articles: int
    gold_incidents: int
    predicted_incidents: int
    not_incidents: list[str] = field(default_factory=list)
    merged: list[str] = field(default_factory=list)  # predicted incidents mixing gold groups
    split: list[str] = field(default_factory=list)  # gold groups spread over incidents

    def summary(self) -> dict[str, Any]:
        return {k: round(v, 4) if isinstance(v, float) else v
                for k, v in self.__dict__.items()}


def documents_of(items: list[dict[str, Any]]) -> list[Document]:
    return [Document(url=f"https://{a['source']}.test/{a['id']}", title=a["title"],
                     text=a["text"], published=a["published"]) for a in items]


def cluster(items: list[dict[str, Any]], extractor: Extractor | None, *,
            assume_incidents: bool = False, db_path: Path | None = None,
            extractions: list[Extraction] | None = None) -> dict[str, list[int]]:
    """Store the articles in a fresh database; article id -> predicted incident ids.

    With ``assume_incidents`` every article is stored as an incident report whatever the
    extractor's relevance verdict, which isolates the clustering from relevance errors.
    ``extractions`` (from :func:`documents_of` through the extractor) skip the extraction."""
    from aggregator.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(db_path or Path(tmp) / "clusters.db")
        with store.db.conn:
            for source in sorted({a["source"] for a in items}):
                store.db.execute("insert or ignore into sources (id, name, url, type) values "
                                 "(?, ?, ?, 'feed')", [source, source, f"https://{source}.test/"])
        documents = documents_of(items)
        if extractions is None:
            extractions = list(extractor.extract_many(documents))
        predicted: dict[str, list[int]] = {}
        for item, document, extraction in zip(items, documents,
                                              copy.deepcopy(extractions), strict=True):
            if assume_incidents:
                extraction.is_incident = True
            feed_item = FeedItem(url=document.url, source_id=item["source"],
                                 title=item["title"], published=item["published"])
            article_id = store.save_article(feed_item, document, extraction)
            predicted[item["id"]] = [article_id]
        links: dict[int, list[int]] = {}
        for article_id, incident_id in store.db.execute(
                "select article_id, incident_id from incident_articles "
                "order by article_id, incident_id"):
            links.setdefault(article_id, []).append(incident_id)
        store.close()
    return {key: links.get(ids[0], []) for key, ids in predicted.items()}


def score(items: list[dict[str, Any]], predicted: dict[str, list[int]]) -> ClusterScores:
    """Compare predicted incident links with the gold groups."""
    gold = {a["id"]: set(a["gold"]) for a in items}
    pred = {key: {f"p{i}" for i in ids} or {f"none:{key}"} for key, ids in predicted.items()}
    keys = [a["id"] for a in items]
    tp = fp = fn = 0
    for a, b in combinations(keys, 2):
        together_gold = bool(gold[a] & gold[b])
        together_pred = bool(pred[a] & pred[b])
        tp += together_gold and together_pred
        fp += together_pred and not together_gold
        fn += together_gold and not together_pred
    bp, br = _bcubed(keys, gold, pred)
    single = [k for k in keys if len(gold[k]) == 1]
    h, c, v = homogeneity_completeness_v_measure(
        [next(iter(gold[k])) for k in single], [sorted(pred[k])[0] for k in single])
    roundups = [k for k in keys if len(gold[k]) > 1]
    wanted = found = 0
    for key in roundups:  # a gold link is made when the predicted incidents include one that
        for group in gold[key]:  # holds another article of that gold group
            wanted += 1
            found += any(pred[key] & pred[other] for other in keys
                         if other != key and group in gold[other] and len(gold[other]) == 1)
    merged, split = _errors(keys, gold, pred)
    return ClusterScores(
        pairwise_precision=tp / (tp + fp) if tp + fp else 1.0,
        pairwise_recall=tp / (tp + fn) if tp + fn else 1.0,
        bcubed_precision=bp, bcubed_recall=br,
        bcubed_f1=2 * bp * br / (bp + br) if bp + br else 0.0,
        homogeneity=h, completeness=c, v_measure=v,
        roundup_recall=found / wanted if wanted else 1.0,
        articles=len(keys), gold_incidents=len(set().union(*gold.values())),
        predicted_incidents=len({p for ps in pred.values() for p in ps}),
        not_incidents=[k for k in keys if not predicted[k]], merged=merged, split=split)


def _bcubed(keys: list[str], gold: dict[str, set], pred: dict[str, set]) -> tuple[float, float]:
    """Extended B-cubed (multiplicity precision and recall, Amigó et al. 2009)."""
    precision = recall = 0.0
    for a in keys:
        p_terms, r_terms = [], []
        for b in keys:
            shared_pred = len(pred[a] & pred[b])
            shared_gold = len(gold[a] & gold[b])
            if shared_pred:
                p_terms.append(min(shared_pred, shared_gold) / shared_pred)
            if shared_gold:
                r_terms.append(min(shared_pred, shared_gold) / shared_gold)
        precision += sum(p_terms) / len(p_terms)
        recall += sum(r_terms) / len(r_terms)
    return precision / len(keys), recall / len(keys)


def _errors(keys: list[str], gold: dict[str, set], pred: dict[str, set]
            ) -> tuple[list[str], list[str]]:
    by_pred: dict[str, list[str]] = {}
    for key in keys:
        for p in pred[key]:
            by_pred.setdefault(p, []).append(key)
    merged = []
    for members in by_pred.values():
        groups = set().union(*(gold[k] for k in members))
        if not any(all(g in gold[k] for k in members) for g in groups):
            merged.append(", ".join(f"{k} [{'/'.join(sorted(gold[k]))}]" for k in members))
    split = []
    for group in sorted(set().union(*gold.values())):
        members = [k for k in keys if group in gold[k]]
        parts = {frozenset(pred[k]) for k in members}
        if not set.intersection(*(set(p) for p in parts)):
            split.append(f"{group}: " + "; ".join(
                ", ".join(k for k in members if frozenset(pred[k]) == part) for part in parts))
    return merged, split


def evaluate(extractor: Extractor, directory: Path = CLUSTERS_DIR, *,
             assume_incidents: bool = False) -> ClusterScores:
    items = load_clusters(directory)
    return score(items, cluster(items, extractor, assume_incidents=assume_incidents))


def format_scores(s: ClusterScores) -> str:
    lines = [
        f"articles {s.articles}, gold incidents {s.gold_incidents}, predicted incidents "
        f"{s.predicted_incidents}",
        f"pairwise  precision {s.pairwise_precision:.3f}  recall {s.pairwise_recall:.3f}",
        f"B-cubed   precision {s.bcubed_precision:.3f}  recall {s.bcubed_recall:.3f}  "
        f"F1 {s.bcubed_f1:.3f}",
        f"V-measure {s.v_measure:.3f}  (homogeneity {s.homogeneity:.3f}, completeness "
        f"{s.completeness:.3f})",
        f"round-up links found {s.roundup_recall:.3f}",
    ]
    lines += _listing("not taken for incidents", s.not_incidents)
    lines += _listing("merged (one incident, several gold groups)", s.merged)
    lines += _listing("split (one gold group, several incidents)", s.split)
    return "\n".join(lines)


def _listing(heading: str, entries: Iterable[str]) -> list[str]:
    entries = list(entries)
    return [f"{heading}:"] + [f"  {e}" for e in entries] if entries else []
