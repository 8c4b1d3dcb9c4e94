"""Score the extractor against the labelled development set (``tests/devset``).

Prints precision, recall and F1 per field. Organisation names on both sides are mapped
through the gazetteer's aliases first, so "BMA Wales" and "British Medical Association" match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from aggregator.extract.gazetteers import Gazetteers, normalise_name
from aggregator.extract.pipeline import Extractor
from aggregator.models import Document, Extraction

DEVSET_DIR = Path(__file__).parent.parent / "tests" / "devset" / "articles"
FIELDS = ("relevance", "organisations", "roles", "systems", "cause_category", "cause_status",
          "locations", "incident_date")


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, gold: set, predicted: set, where: str) -> None:
        self.tp += len(gold & predicted)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)
        if gold != predicted:
            self.errors.append(f"{where}: missing {sorted(map(str, gold - predicted))} "
                               f"extra {sorted(map(str, predicted - gold))}")

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


LABEL_KEYS = {"organisations": {"name", "role"}, "causes": {"category", "status"}}


def load_devset(directory: Path = DEVSET_DIR) -> list[dict[str, Any]]:
    """The labelled articles of a folder, each checked for entries whose keys are wrong."""
    items = []
    for path in sorted(directory.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        _check_labels(path, data)
        data["_path"] = str(path)
        items.append(data)
    if not items:
        raise FileNotFoundError(f"no labelled articles in {directory}")
    return items


def _check_labels(path: Path, data: Any) -> None:
    """A flow mapping with an unquoted comma ('{name: Department for Business, Energy and
    Industrial Strategy, role: official}') parses as a different name and a stray key:
    refuse it, rather than score against the wrong label."""
    labels = data.get("labels") if isinstance(data, dict) else None
    if not isinstance(labels, dict) or "text" not in data:
        raise ValueError(f"{path}: a labelled article needs 'text' and 'labels'")
    for name, keys in LABEL_KEYS.items():
        for entry in labels.get(name) or []:
            if not isinstance(entry, dict) or set(entry) != keys:
                raise ValueError(f"{path}: {name} entry {entry!r} should have exactly the keys "
                                 f"{sorted(keys)} (quote names that contain a comma)")


def evaluate(items: list[dict[str, Any]], extractor: Extractor) -> dict[str, Score]:
    documents = [Document(url=item["id"], title=item.get("title"), text=item["text"],
                          published=str(item["published"])) for item in items]
    scores = {name: Score() for name in FIELDS}
    for item, extraction in zip(items, extractor.extract_many(documents), strict=True):
        score_article(item, extraction, scores, extractor.gazetteers)
    return scores


REGULARISATION = (0.1, 0.3, 1.0, 3.0, 10.0)  # inverse strengths tried by the fits
# cross-validated F1s closer than this are a tie (about one article in 500 relevance calls)
CV_TIE = 0.002


def _most_regularised(scored: list[tuple[float, float]]) -> tuple[float, float]:
    """Of (cross-validated F1, C) pairs, the strongest regularisation (smallest C) whose F1 ties
    with the best: milder weights that score as well, and do not swing on short texts."""
    best = max(f1 for f1, _ in scored)
    return min(((f1, c) for f1, c in scored if f1 >= best - CV_TIE), key=lambda pair: pair[1])


def fit_relevance(items: list[dict[str, Any]], extractor: Extractor, *,
                  cs: tuple[float, ...] = REGULARISATION,
                  folds: int = 5) -> tuple[dict[str, float], float, float]:
    """Logistic-regression weights for the relevance features, fitted on labelled articles:
    the regularisation with the best cross-validated F1 (each article scored by a model that
    did not see it), that F1, and the regularisation chosen."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import f1_score
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    from aggregator.extract.facts import RELEVANCE_FEATURES, features_for
    from aggregator.extract.pipeline import normalise_text

    rows, labels = [], []
    texts = ((normalise_text(item["text"]), item) for item in items)
    for doc, item in extractor.nlp.pipe(texts, as_tuples=True):
        features = features_for(doc, item.get("title"), str(item["published"]),
                                extractor.gazetteers)
        rows.append([features[name] for name in RELEVANCE_FEATURES])
        labels.append(int(bool(item["labels"]["is_incident"])))
    x, y = np.array(rows), np.array(labels)
    split = StratifiedKFold(folds, shuffle=True, random_state=0)
    scored = [(float(f1_score(y, cross_val_predict(LogisticRegression(C=c, max_iter=1000),
                                                   x, y, cv=split))), c) for c in cs]
    cv_f1, c = _most_regularised(scored)
    model = LogisticRegression(C=c, max_iter=1000).fit(x, y)
    weights = {"bias": round(float(model.intercept_[0]), 3)}
    weights.update({name: round(float(w), 3) for name, w in zip(RELEVANCE_FEATURES,
                                                                model.coef_[0], strict=True)})
    return weights, cv_f1, c


def fit_system_selection(items: list[dict[str, Any]], extractor: Extractor, *,
                         cs: tuple[float, ...] = REGULARISATION, folds: int = 5,
                         threshold: float = 0.5) -> tuple[dict[str, float], float, float]:
    """Logistic-regression weights that pick, among the systems an incident article names,
    those that failed. One row per candidate system of each article the extractor takes for
    an incident; folds never split an article. Returns the weights, the cross-validated
    systems F1 (every labelled system counts, found as a candidate or not) and the
    regularisation chosen."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold, cross_val_predict

    from aggregator.extract import facts
    from aggregator.extract.pipeline import normalise_text

    rows, labels, groups = [], [], []
    gold_total = 0
    texts = ((normalise_text(item["text"]), item) for item in items)
    for doc, item in extractor.nlp.pipe(texts, as_tuples=True):
        x = facts.summarise(doc, title=item.get("title"), published=str(item["published"]),
                            gazetteers=extractor.gazetteers, version="fit")
        gold = set(item["labels"].get("systems") or [])
        gold_total += len(gold)
        if not x.is_incident:
            continue
        published = facts.parse_day(str(item["published"]))
        candidates, chosen = facts.system_candidates(doc, published)
        for name in candidates:
            features = facts.system_features(doc, item.get("title"), name, candidates, chosen,
                                             x.incident_score)
            rows.append([features[f] for f in facts.SYSTEM_FEATURES])
            labels.append(int(name in gold))
            groups.append(item["id"])
    x_rows, y = np.array(rows), np.array(labels)

    def f1(predicted: np.ndarray) -> float:
        tp = int(((predicted == 1) & (y == 1)).sum())
        fp = int(((predicted == 1) & (y == 0)).sum())
        precision, recall = tp / max(1, tp + fp), tp / max(1, gold_total)
        return 2 * precision * recall / (precision + recall) if tp else 0.0

    split = GroupKFold(folds)
    scored = []
    for c in cs:
        model = LogisticRegression(C=c, max_iter=2000)
        probability = cross_val_predict(model, x_rows, y, cv=split, groups=groups,
                                        method="predict_proba")[:, 1]
        scored.append((f1((probability >= threshold).astype(int)), c))
    cv_f1, c = _most_regularised(scored)
    model = LogisticRegression(C=c, max_iter=2000).fit(x_rows, y)
    weights = {"bias": round(float(model.intercept_[0]), 3)}
    weights.update({name: round(float(w), 3) for name, w in zip(facts.SYSTEM_FEATURES,
                                                                model.coef_[0], strict=True)})
    return weights, cv_f1, c


def score_article(item: dict[str, Any], x: Extraction, scores: dict[str, Score],
                  gazetteers: Gazetteers) -> None:
    labels = item["labels"]
    where = item["id"]

    def org(name: str) -> str:
        entry = gazetteers.org_for(name)
        return entry.name if entry else normalise_name(name)

    gold_incident = bool(labels["is_incident"])
    scores["relevance"].add({where} if gold_incident else set(),
                            {where} if x.is_incident else set(), where)
    gold_orgs = {org(o["name"]): o["role"] for o in labels.get("organisations") or []}
    predicted_orgs = {org(o.name): o.role for o in x.organisations}
    scores["organisations"].add(set(gold_orgs), set(predicted_orgs), where)
    scores["roles"].add(set(gold_orgs.items()), set(predicted_orgs.items()), where)
    scores["systems"].add(set(labels.get("systems") or []), {s.name for s in x.systems}, where)
    gold_causes = {c["category"]: c["status"] for c in labels.get("causes") or []}
    predicted_causes = {c.category: c.status for c in x.causes}
    scores["cause_category"].add(set(gold_causes), set(predicted_causes), where)
    # status is judged only where the category itself was found
    shared = set(gold_causes) & set(predicted_causes)
    scores["cause_status"].add({(c, gold_causes[c]) for c in shared},
                               {(c, predicted_causes[c]) for c in shared}, where)
    scores["locations"].add({_place(p) for p in labels.get("locations") or []},
                            {_place(loc.name) for loc in x.locations}, where)
    gold_date = labels.get("incident_date")
    scores["incident_date"].add({str(gold_date)} if gold_date else set(),
                                {x.incident_date} if x.incident_date else set(), where)


def _place(name: str) -> str:
    """A place's name for comparison: "south-east London" and "South East London" (the
    gazetteer's spelling, which the extractor reports so that facets agree) are one place."""
    return normalise_name(name).replace("-", " ")


def format_table(scores: dict[str, Score], n: int) -> str:
    lines = [f"{'field':<16} {'precision':>9} {'recall':>7} {'F1':>6}   (tp/fp/fn)   n={n}"]
    for name, s in scores.items():
        lines.append(f"{name:<16} {s.precision:>9.3f} {s.recall:>7.3f} {s.f1:>6.3f}   "
                     f"({s.tp}/{s.fp}/{s.fn})")
    return "\n".join(lines)


def summary(scores: dict[str, Score]) -> dict[str, dict[str, float]]:
    return {name: {"precision": round(s.precision, 4), "recall": round(s.recall, 4),
                   "f1": round(s.f1, 4)} for name, s in scores.items()}


def errors(scores: dict[str, Score], fields: Iterable[str]) -> list[str]:
    return [f"[{name}] {e}" for name in fields for e in scores[name].errors]
