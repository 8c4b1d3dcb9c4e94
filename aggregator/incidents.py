"""Incidents: group the articles that report one event, incrementally, and keep them current.

Every incident article is attached to one incident (several for a round-up) when it is stored,
inside the article's own transaction:

1. **Near-duplicates.** A MinHash of the article's word 3-shingles (datasketch) is banded into
   ``article_lsh``; an earlier article sharing a band and with an estimated Jaccard of at
   least :data:`DUPLICATE_JACCARD` is the same story (a syndicated copy or a light rewrite) and
   the new article joins that article's incidents.
2. **Candidates.** Only incidents that share an organisation or a failed system with the article
   (``incident_keys``) and were reported within :data:`WINDOW_DAYS` are considered, never the
   whole history.
3. **Score.** Each candidate is scored on shared organisations (all roles, weighted by how
   specific and how prominent each is), TF-IDF cosine similarity with the incident's centroid
   (scikit-learn, hashed features with document frequencies kept in ``term_df``), shared systems
   and causes, agreement of the incident dates and the gap in time. The best candidate at or
   above :data:`LINK_THRESHOLD` wins; otherwise the article starts a new incident.
4. **Round-ups.** An article whose title says it is a round-up, or whose separate parts each
   match a different incident strongly, is split into segments by the organisations its
   paragraphs name, and each segment is assigned on its own.

Everything shown about an incident (title, dates, status, causes and their history, victims,
suppliers, keys and the text centroid) is rebuilt from its member articles whenever one joins
or leaves, so the result does not depend on the order articles arrive in. Analysts' merges and
splits are stored as overrides and pins (``incident_overrides``, ``incident_pins``) that the
clustering always obeys; incident ids are never renumbered, and a removed id leaves a row in
``incident_redirects``.

All SQL here is plain ``execute`` on the caller's connection, so it joins the caller's
transaction (sqlite-utils table helpers would commit it early).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp
import sqlite_utils

from aggregator.extract.dates import parse_day
from aggregator.models import Extraction

if TYPE_CHECKING:  # scikit-learn and datasketch are imported on first use: opening a
    from datasketch import MinHash  # database (schema only) must stay fast
    from sklearn.feature_extraction.text import HashingVectorizer

INCIDENT_SCHEMA = 2  # 2: first_link and latest_link kept on the incident row

# ---------------------------------------------------------------- tuning (see docs/ARCHITECTURE.md)
WINDOW_DAYS = 120  # an incident is a candidate while its last report is at most this old
MAX_CANDIDATES = 30  # best first: shared organisations before shared systems
LINK_THRESHOLD = 1.25  # score at which an article joins an existing incident
SEGMENT_THRESHOLD = 1.25  # the same for one segment of a round-up
SEGMENT_STRONG = 1.6  # without a round-up cue, every segment must match this well
SEGMENT_MIN_CHARS = 250
W_ORG, W_TEXT, W_SYSTEM, W_CAUSE, W_LOCATION = 1.6, 2.0, 0.4, 0.3, 0.1
W_DISJOINT = 1.0  # both sides name a prominent organisation, and none in common
DATE_AGREE, DATE_CONFLICT = 0.25, 0.8
GAP_FREE_DAYS, GAP_PER_DAY, GAP_MAX = 21, 0.004, 0.6
SETTLING_DAYS = 14  # early reports are often wrong about causes

NUM_PERM = 64
MINHASH_SCHEME = "affine32"  # datasketch's 32-bit hashing: 4 bytes a value in the database
LSH_THRESHOLD = 0.5  # MinHash LSH banding tuned so pairs at this Jaccard usually collide
DUPLICATE_JACCARD = 0.6  # estimated Jaccard of word 3-shingles: the same story
DUPLICATE_DATE_SLACK = 7
DUPLICATE_CANDIDATES = 20
N_FEATURES = 2 ** 18
CENTROID_TERMS = 300
CENTROID_ARTICLES = 50  # the centroid follows an incident's latest reports
IDF_REFRESH = 0.02  # recompute idf when the corpus grew by this share

# organisations that appear in many unrelated incidents: they count, but little
GENERIC_KINDS = {"investigator", "regulator", "police", "government", "national_nhs_body",
                 "union", "charity"}
GENERIC_SYSTEMS = {"IT systems"}
# two prominent public bodies of these kinds, none shared: two different victims
PUBLIC_KINDS = {"nhs_trust", "health_board", "icb", "council", "public_body"}
W_SPECIFIC, W_UNKNOWN_KIND, W_GENERIC = 1.0, 0.6, 0.15
W_COMMENTATOR, W_PASSING = 0.4, 0.4
LEAD_CHARS = 350
ROUNDUP_TITLE = re.compile(r"\b(round-?up|in brief|week in|weekly|digest|briefing|recap|"
                           r"catch-?up|news in numbers)\b", re.I)
CONSEQUENCE_CAUSES = {"data_breach", "unknown"}  # not primary while a real cause is confirmed
PARENT_CAUSES = {"cyber_attack": {"ransomware", "ddos"}}  # a parent yields to its subtype
STATE_OF = {"asserted": "confirmed", "hedged": "suspected", "negated": "ruled_out"}
RELATIONS = ("member", "duplicate", "roundup", "pinned")


def today() -> date:
    return datetime.now(UTC).date()


# ---------------------------------------------------------------- article features

@dataclass
class OrgRef:
    name: str
    kind: str | None
    role: str
    starts: list[int]
    weight: float = 0.0


@dataclass
class ArticleFeatures:
    """What clustering knows about one incident article (stored in ``article_features``)."""

    article_id: int
    day: date
    incident_date: date | None
    title: str
    service_status: str | None
    orgs: list[OrgRef]
    systems: list[tuple[str, list[int]]]
    causes: list[tuple[str, str, str, int]]  # category, status, sentence, start
    locations: list[tuple[str, list[int]]]
    tf: sp.csr_matrix  # hashed raw term counts of title + text
    minhash: MinHash | None = None
    paragraphs: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""

    def to_json(self) -> str:
        return json.dumps({
            "day": self.day.isoformat(),
            "incident_date": self.incident_date.isoformat() if self.incident_date else None,
            "title": self.title, "service_status": self.service_status,
            "orgs": [[o.name, o.kind, o.role, o.starts, round(o.weight, 3)] for o in self.orgs],
            "systems": self.systems, "causes": self.causes, "locations": self.locations,
        }, ensure_ascii=False)

    @classmethod
    def from_row(cls, article_id: int, data: str, tf: bytes | None) -> ArticleFeatures:
        d = json.loads(data)
        return cls(article_id=article_id, day=date.fromisoformat(d["day"]),
                   incident_date=parse_day(d["incident_date"]), title=d["title"] or "",
                   service_status=d["service_status"],
                   orgs=[OrgRef(n, k, r, s, w) for n, k, r, s, w in d["orgs"]],
                   systems=[(n, s) for n, s in d["systems"]],
                   causes=[tuple(c) for c in d["causes"]],
                   locations=[(n, s) for n, s in d["locations"]],
                   tf=unpack_vector(tf) if tf else sp.csr_matrix((1, N_FEATURES)))


@cache
def _vectorizer() -> HashingVectorizer:
    from sklearn.feature_extraction.text import HashingVectorizer

    return HashingVectorizer(n_features=N_FEATURES, alternate_sign=False, norm=None,
                             stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'’-]*\w\b",
                             dtype=np.float32)


@cache
def lsh_bands() -> tuple[int, int]:
    """(bands, rows) that datasketch chooses for :data:`LSH_THRESHOLD` and :data:`NUM_PERM`."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


def term_counts(text: str) -> sp.csr_matrix:
    return sp.csr_matrix(_vectorizer().transform([text]))


def minhash_of(text: str) -> MinHash:
    from datasketch import MinHash

    words = re.findall(r"\w+", text.lower())
    shingles = {" ".join(words[i:i + 3]) for i in range(max(1, len(words) - 2))}
    m = MinHash(num_perm=NUM_PERM, seed=1, scheme=MINHASH_SCHEME)
    m.update_batch([s.encode("utf-8") for s in shingles])
    return m


def band_keys(m: MinHash) -> list[int]:
    """One 63-bit key per LSH band of the signature (stored in ``article_lsh``)."""
    b, r = lsh_bands()
    values = np.asarray(m.hashvalues, dtype=np.uint32)
    keys = []
    for i in range(b):
        digest = hashlib.blake2b(values[i * r:(i + 1) * r].tobytes(), digest_size=8,
                                 person=i.to_bytes(2, "big")).digest()
        keys.append(int.from_bytes(digest, "big") >> 1)
    return keys


def pack_vector(v: sp.csr_matrix) -> bytes:
    v = sp.csr_matrix(v)
    n = v.nnz
    return (np.int32(n).tobytes() + v.indices.astype(np.int32).tobytes()
            + v.data.astype(np.float32).tobytes())


def unpack_vector(blob: bytes) -> sp.csr_matrix:
    n = int(np.frombuffer(blob[:4], dtype=np.int32)[0])
    indices = np.frombuffer(blob[4:4 + 4 * n], dtype=np.int32)
    data = np.frombuffer(blob[4 + 4 * n:4 + 8 * n], dtype=np.float32)
    return sp.csr_matrix((data, indices, np.array([0, n])), shape=(1, N_FEATURES))


def paragraphs_of(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in re.finditer(r"\n\s*", text):
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return spans or [(0, len(text))]


def org_weight(kind: str | None, role: str, prominent: bool) -> float:
    """How much sharing this organisation says two reports are about one event."""
    if kind in GENERIC_KINDS or (kind is None and role in ("investigator", "official")):
        base = W_GENERIC
    else:
        base = W_SPECIFIC if kind else W_UNKNOWN_KIND
    if role == "commentator":
        base *= W_COMMENTATOR
    return base * (1.0 if prominent else W_PASSING)


def features_of(article_id: int, x: Extraction, *, published: str | None = None) -> ArticleFeatures:
    """Clustering features of one extracted article."""
    text = x.text or ""
    title = x.title or ""
    paragraphs = paragraphs_of(text)
    lead_end = max(LEAD_CHARS, paragraphs[0][1]) if paragraphs else LEAD_CHARS
    title_lower = title.lower()
    orgs = []
    for org in x.organisations:
        starts = [m.start for m in org.mentions]
        in_title = org.name.lower() in title_lower or any(
            m.text.lower() in title_lower for m in org.mentions if len(m.text) > 3)
        prominent = in_title or len(starts) >= 2 or any(s < lead_end for s in starts)
        orgs.append(OrgRef(org.name, org.kind, org.role, starts,
                           org_weight(org.kind, org.role, prominent)))
    day = parse_day(published or x.published) or today()
    return ArticleFeatures(
        article_id=article_id, day=day, incident_date=parse_day(x.incident_date), title=title,
        service_status=x.service_status, orgs=orgs,
        systems=[(s.name, [m.start for m in s.mentions]) for s in x.systems],
        causes=[(c.category, c.status, c.evidence, c.start) for c in x.causes],
        locations=[(loc.name, [m.start for m in loc.mentions]) for loc in x.locations],
        tf=term_counts(f"{title}\n{title}\n{text}"), minhash=minhash_of(text),
        paragraphs=paragraphs, text=text)


@dataclass
class View:
    """The facts of an article, or of one segment of it, as the scorer sees them."""

    day: date
    incident_date: date | None
    orgs: dict[str, float]
    systems: set[str]
    causes: dict[str, str]
    locations: set[str]
    vector: sp.csr_matrix  # l2-normalised tf-idf
    bodies: set[str] = field(default_factory=set)  # prominent public bodies
    chars: int = 0
    span: tuple[int, int] | None = None

    @property
    def keys(self) -> dict[str, float]:
        keys = {f"o:{name}": w for name, w in self.orgs.items() if w >= W_GENERIC * 1.01}
        keys.update({f"s:{s}": 0.3 for s in self.systems if s not in GENERIC_SYSTEMS})
        return keys


def _in(starts: Iterable[int], span: tuple[int, int] | None) -> bool:
    return span is None or any(span[0] <= s < span[1] for s in starts)


def view_of(f: ArticleFeatures, vector: sp.csr_matrix,
            span: tuple[int, int] | None = None) -> View:
    orgs: dict[str, float] = {}
    bodies: set[str] = set()
    for o in f.orgs:
        if _in(o.starts, span):
            orgs[o.name] = max(orgs.get(o.name, 0.0), o.weight)
            if o.kind in PUBLIC_KINDS and o.weight >= 0.9:
                bodies.add(o.name)
    return View(
        day=f.day, incident_date=f.incident_date if span is None else None, orgs=orgs,
        systems={n for n, starts in f.systems if _in(starts, span)},
        causes={c: s for c, s, _, start in f.causes if _in([start], span)},
        locations={n for n, starts in f.locations if _in(starts, span)},
        vector=vector, bodies=bodies, chars=(span[1] - span[0]) if span else len(f.text),
        span=span)


# ---------------------------------------------------------------- incident profiles

@dataclass
class Profile:
    """An incident as candidates are scored against it (``incident_profiles``)."""

    incident_id: int
    first: date
    last: date
    started: date | None
    orgs: dict[str, float]
    systems: set[str]
    causes: set[str]
    locations: set[str]
    centroid: sp.csr_matrix
    bodies: set[str] = field(default_factory=set)


@dataclass
class Decision:
    incident_id: int | None  # None: a new incident
    relation: str
    score: float | None = None
    duplicate_of: int | None = None
    span: tuple[int, int] | None = None
    view: View | None = None


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def score(v: View, p: Profile, cosine: float) -> float:
    """How strongly the article (or segment) ``v`` belongs to incident ``p``."""
    shared = sum(min(w, p.orgs[name]) for name, w in v.orgs.items() if name in p.orgs)
    denominator = max(0.8, min(sum(v.orgs.values()), sum(p.orgs.values())))
    org_sim = min(1.0, shared / denominator)
    disjoint = bool(v.bodies and p.bodies and not v.bodies & p.bodies)
    active = {c for c, s in v.causes.items() if s in ("asserted", "hedged")}
    total = (W_ORG * org_sim + W_TEXT * cosine
             + W_SYSTEM * _jaccard(v.systems - GENERIC_SYSTEMS, p.systems - GENERIC_SYSTEMS)
             + W_CAUSE * _jaccard(active, p.causes)
             + W_LOCATION * _jaccard(v.locations, p.locations)
             - W_DISJOINT * disjoint)
    if v.incident_date and p.started:
        apart = abs((v.incident_date - p.started).days)
        if apart <= 2:
            total += DATE_AGREE
        elif apart > 30:
            total -= DATE_CONFLICT
    gap = max((v.day - p.last).days, (p.first - v.day).days, 0)
    total -= min(GAP_MAX, GAP_PER_DAY * max(0, gap - GAP_FREE_DAYS))
    return total


# ---------------------------------------------------------------- the clusterer

class Clusterer:
    """Assigns articles to incidents and rebuilds incidents, on one sqlite-utils database."""

    def __init__(self, db: sqlite_utils.Database):
        self.db = db
        self._df: np.ndarray | None = None
        self._n_docs = 0
        self._idf_docs = -1
        self._tfidf: Any = None
        self.reuse: dict[int, list[int]] = {}  # reprocess: article -> its former incident ids

    def execute(self, sql: str, params: Iterable[Any] = ()) -> Any:
        return self.db.execute(sql, list(params))

    # -- tf-idf
    def _load_df(self) -> None:
        if self._df is not None:
            return
        self._df = np.zeros(N_FEATURES, dtype=np.int32)
        rows = self.execute("select term, df from term_df").fetchall()
        if rows:
            terms, counts = zip(*rows, strict=True)
            self._df[np.array(terms)] = np.array(counts)
        row = self.execute("select value from meta where key = 'clustered_documents'").fetchone()
        self._n_docs = int(row[0]) if row else 0

    def _count_terms(self, tf: sp.csr_matrix, sign: int) -> None:
        self._load_df()
        terms = [int(t) for t in tf.indices]
        self._df[tf.indices] += sign
        self._n_docs += sign
        self.db.conn.executemany(
            "insert into term_df (term, df) values (?, ?) on conflict(term) do update "
            "set df = df + excluded.df", [(t, sign) for t in terms])
        self.execute("insert into meta (key, value) values ('clustered_documents', ?) "
                     "on conflict(key) do update set value = excluded.value", [self._n_docs])

    def tfidf(self, tf: sp.csr_matrix) -> sp.csr_matrix:
        """l2-normalised tf-idf (sublinear tf, smoothed idf as scikit-learn computes it)."""
        self._load_df()
        if self._tfidf is None:
            from sklearn.feature_extraction.text import TfidfTransformer

            self._tfidf = TfidfTransformer(sublinear_tf=True, norm="l2")
        if self._idf_docs < 0 or \
                abs(self._n_docs - self._idf_docs) > max(20, IDF_REFRESH * self._idf_docs):
            n = max(self._n_docs, 0)
            self._tfidf.idf_ = np.log((1 + n) / (1 + np.maximum(self._df, 0))) + 1
            self._idf_docs = self._n_docs
        return sp.csr_matrix(self._tfidf.transform(tf))

    # -- storing an article's features
    def _store_features(self, f: ArticleFeatures) -> None:
        self.execute("insert or replace into article_features (article_id, day, data, tf, "
                     "minhash) values (?, ?, ?, ?, ?)",
                     [f.article_id, f.day.isoformat(), f.to_json(), pack_vector(f.tf),
                      np.asarray(f.minhash.hashvalues, dtype=np.uint32).tobytes()])
        self.db.conn.executemany("insert into article_lsh (band, article_id) values (?, ?)",
                                 [(k, f.article_id) for k in band_keys(f.minhash)])
        self._count_terms(f.tf, +1)

    def forget(self, article_id: int) -> list[int]:
        """Remove an article's features and its unpinned incident links; returns the incidents
        it left (not rebuilt: the caller does that)."""
        row = self.execute("select tf from article_features where article_id = ?",
                           [article_id]).fetchone()
        if row:
            self._count_terms(unpack_vector(row[0]), -1)
        self.execute("delete from article_lsh where article_id = ?", [article_id])
        self.execute("delete from article_features where article_id = ?", [article_id])
        left = [r[0] for r in self.execute(
            "select incident_id from incident_articles where article_id = ? and incident_id "
            "not in (select incident_id from incident_pins where article_id = ?)",
            [article_id, article_id])]
        self.execute("delete from incident_articles where article_id = ? and incident_id not in "
                     "(select incident_id from incident_pins where article_id = ?)",
                     [article_id, article_id])
        return left

    # -- assignment
    def add(self, article_id: int, extraction: Extraction, *,
            published: str | None = None) -> list[int]:
        """Attach a stored incident article to its incident(s); returns their ids."""
        f = features_of(article_id, extraction, published=published)
        return self.add_features(f)

    def add_features(self, f: ArticleFeatures) -> list[int]:
        """Attach an article, given its features (one transaction, or a savepoint in the
        caller's)."""
        with self.db.atomic():
            return self._add_features(f)

    def reset(self) -> None:
        """Forget cached document frequencies (after a rollback)."""
        self._df, self._idf_docs = None, -1

    def _add_features(self, f: ArticleFeatures) -> list[int]:
        pins = [r[0] for r in self.execute(
            "select incident_id from incident_pins where article_id = ? order by incident_id",
            [f.article_id])]
        decisions = ([Decision(i, "pinned") for i in pins] if pins else self.decide(f))
        self._store_features(f)
        linked: list[int] = []
        for d in decisions:
            incident_id = d.incident_id
            if incident_id is None:
                incident_id = self._new_incident(f)
            elif not self.execute("select 1 from incidents where id = ?",
                                  [incident_id]).fetchone():
                self._create_incident(incident_id, f)
            if incident_id in linked:
                continue
            self.execute(
                "insert or replace into incident_articles (incident_id, article_id, relation, "
                "score, duplicate_of, segment_start, segment_end) values (?, ?, ?, ?, ?, ?, ?)",
                [incident_id, f.article_id, d.relation,
                 round(d.score, 3) if d.score is not None else None, d.duplicate_of,
                 d.span[0] if d.span else None, d.span[1] if d.span else None])
            linked.append(incident_id)
        for incident_id in linked:
            self.rebuild(incident_id)
        self.refresh_settling()
        return linked

    def decide(self, f: ArticleFeatures) -> list[Decision]:
        """Where the article belongs (without writing anything)."""
        vector = self.tfidf(f.tf)
        whole = view_of(f, vector)
        duplicate = self._duplicate_of(f)
        if duplicate:
            original, similarity, incidents = duplicate
            return [Decision(i, "duplicate", similarity, duplicate_of=original)
                    for i in incidents]
        profiles = self._candidates(whole, f)
        best = self._best(whole, profiles)
        segments = self._segments(f) if len(f.paragraphs) > 1 else []
        cue = bool(ROUNDUP_TITLE.search(f.title))
        if len(segments) >= 2:
            decisions = self._segment_decisions(f, segments, profiles, cue)
            if decisions:
                return decisions
        if best and best[1] >= LINK_THRESHOLD:
            return [Decision(best[0].incident_id, "member", best[1])]
        return [Decision(None, "member", best[1] if best else None)]

    def _best(self, v: View, profiles: list[Profile]) -> tuple[Profile, float] | None:
        if not profiles:
            return None
        from sklearn.utils.extmath import safe_sparse_dot

        # cosine similarity: both sides are l2-normalised
        cosines = np.asarray(safe_sparse_dot(v.vector, sp.vstack([p.centroid for p in profiles]).T,
                                             dense_output=True)).ravel()
        scored = [(p, score(v, p, float(c))) for p, c in zip(profiles, cosines, strict=True)]
        return max(scored, key=lambda pair: (pair[1], -pair[0].incident_id))

    def _segments(self, f: ArticleFeatures) -> list[tuple[int, int]]:
        """Split by the organisations paragraphs name: a paragraph that names specific
        organisations, none of them in the current segment, starts a new one."""
        segments: list[list[Any]] = []  # [start, end, anchors]
        for start, end in f.paragraphs:
            anchors = {o.name for o in f.orgs if o.kind not in GENERIC_KINDS
                       and o.role != "commentator" and _in(o.starts, (start, end))}
            if segments and (not anchors or not segments[-1][2] or anchors & segments[-1][2]):
                segments[-1][1] = end
                segments[-1][2] |= anchors
            else:
                segments.append([start, end, set(anchors)])
        return [(s, e) for s, e, anchors in segments if anchors]

    def _segment_decisions(self, f: ArticleFeatures, segments: list[tuple[int, int]],
                           profiles: list[Profile], cue: bool) -> list[Decision]:
        decisions: list[Decision] = []
        vectors = self.tfidf(sp.vstack([term_counts(f.text[s:e]) for s, e in segments]))
        for n, span in enumerate(segments):
            view = view_of(f, vectors[n], span)
            best = self._best(view, profiles)
            if best and best[1] >= (SEGMENT_THRESHOLD if cue else SEGMENT_STRONG):
                decisions.append(Decision(best[0].incident_id, "roundup", best[1], span=span,
                                          view=view))
            elif cue and (view.causes or view.systems) and view.chars >= 80:
                decisions.append(Decision(None, "roundup", best[1] if best else None,
                                          span=span, view=view))
            elif not cue:
                return []
        if not cue and (len({d.incident_id for d in decisions}) < 2
                        or any(d.view.chars < SEGMENT_MIN_CHARS for d in decisions)):
            return []
        merged: dict[Any, Decision] = {}
        for d in decisions:  # two segments about one incident: keep one link, widest span
            key = d.incident_id if d.incident_id is not None else id(d)
            if key in merged:
                previous = merged[key]
                previous.span = (min(previous.span[0], d.span[0]), max(previous.span[1],
                                                                        d.span[1]))
            else:
                merged[key] = d
        result = list(merged.values())
        return result if len(result) >= 2 else []

    def _duplicate_of(self, f: ArticleFeatures) -> tuple[int, float, list[int]] | None:
        keys = band_keys(f.minhash)
        marks = ",".join("?" * len(keys))
        rows = self.execute(  # the articles sharing most bands are the likeliest copies
            f"select af.article_id, af.minhash, af.day, af.data from article_features af "
            f"join (select article_id, count(*) as shared from article_lsh "
            f"where band in ({marks}) and article_id != ? group by article_id "
            f"order by shared desc, article_id limit {DUPLICATE_CANDIDATES}) hits "
            f"on hits.article_id = af.article_id order by hits.shared desc, af.article_id",
            [*keys, f.article_id]).fetchall()
        best: tuple[float, int] | None = None
        for article_id, blob, day, data in rows:
            if abs((date.fromisoformat(day) - f.day).days) > WINDOW_DAYS:
                continue
            from datasketch import LeanMinHash

            other = LeanMinHash(seed=1, scheme=MINHASH_SCHEME,
                                hashvalues=np.frombuffer(blob, dtype=np.uint32))
            similarity = f.minhash.jaccard(other)
            if similarity < DUPLICATE_JACCARD:
                continue
            other_date = parse_day(json.loads(data).get("incident_date"))
            if f.incident_date and other_date and \
                    abs((f.incident_date - other_date).days) > DUPLICATE_DATE_SLACK:
                continue
            if best is None or similarity > best[0]:
                best = (similarity, article_id)
        if best is None:
            return None
        incidents = [r[0] for r in self.execute(
            "select incident_id from incident_articles where article_id = ? order by incident_id",
            [best[1]])]
        return (best[1], best[0], incidents) if incidents else None

    def _candidates(self, v: View, f: ArticleFeatures) -> list[Profile]:
        keys = v.keys
        if not keys:
            return []
        low = (f.day - timedelta(days=WINDOW_DAYS)).isoformat()
        high = (f.day + timedelta(days=WINDOW_DAYS)).isoformat()
        marks = ",".join("?" * len(keys))
        rows = self.execute(
            f"select incident_id from incident_keys where key in ({marks}) and "
            f"last_reported >= ? and first_reported <= ? group by incident_id "
            f"order by sum(weight) desc, incident_id desc limit ?",
            [*keys, low, high, MAX_CANDIDATES]).fetchall()
        return self.profiles([r[0] for r in rows])

    def profiles(self, incident_ids: list[int]) -> list[Profile]:
        if not incident_ids:
            return []
        marks = ",".join("?" * len(incident_ids))
        result = []
        for row in self.execute(
                f"select p.incident_id, i.first_reported, i.last_reported, p.started, p.data, "
                f"p.centroid from incident_profiles p join incidents i on i.id = p.incident_id "
                f"where p.incident_id in ({marks}) order by p.incident_id", incident_ids):
            data = json.loads(row[4])
            result.append(Profile(
                incident_id=row[0], first=date.fromisoformat(row[1]),
                last=date.fromisoformat(row[2]), started=parse_day(row[3]), orgs=data["orgs"],
                systems=set(data["systems"]), causes=set(data["causes"]),
                locations=set(data["locations"]), centroid=unpack_vector(row[5]),
                bodies=set(data.get("bodies", []))))
        return result

    # -- incidents
    def _new_incident(self, f: ArticleFeatures) -> int:
        for previous in self.reuse.get(f.article_id, []):
            exists = self.execute("select 1 from incidents where id = ?", [previous]).fetchone()
            empty = not self.execute("select 1 from incident_articles where incident_id = ?",
                                     [previous]).fetchone()
            if exists and empty:
                return previous
        cursor = self.execute(
            "insert into incidents (title, started_at, first_reported, last_reported, status, "
            "article_count, story_count) values (?, ?, ?, ?, 'ongoing', 0, 0)",
            [f.title or "Untitled incident", f.day.isoformat(), f.day.isoformat(),
             f.day.isoformat()])
        return cursor.lastrowid

    def _create_incident(self, incident_id: int, f: ArticleFeatures) -> None:
        self.execute(
            "insert into incidents (id, title, started_at, first_reported, last_reported, "
            "status, article_count, story_count) values (?, ?, ?, ?, ?, 'ongoing', 0, 0)",
            [incident_id, f.title or "Untitled incident", f.day.isoformat(), f.day.isoformat(),
             f.day.isoformat()])

    def members(self, incident_id: int) -> list[tuple[ArticleFeatures, str, tuple | None, str]]:
        """(features, relation, segment, source) for each member, oldest first."""
        rows = self.execute(
            "select ia.article_id, ia.relation, ia.segment_start, ia.segment_end, af.data, af.tf, "
            "a.source_id from incident_articles ia "
            "join article_features af on af.article_id = ia.article_id "
            "join articles a on a.id = ia.article_id where ia.incident_id = ? "
            "order by af.day, ia.article_id", [incident_id]).fetchall()
        return [(ArticleFeatures.from_row(r[0], r[4], r[5]), r[1],
                 (r[2], r[3]) if r[2] is not None else None, r[6]) for r in rows]

    def rebuild(self, incident_id: int) -> None:
        """Recompute everything shown about an incident from its member articles."""
        members = self.members(incident_id)
        for table in ("incident_keys", "incident_organisations", "incident_causes",
                      "incident_profiles"):
            self.execute(f"delete from {table} where incident_id = ?", [incident_id])
        if not members:
            self.execute("update incidents set article_count = 0, story_count = 0, "
                         "first_link = null, latest_link = null where id = ?", [incident_id])
            return
        summary = summarise_incident(members)
        override = self.execute(
            "select title from incident_overrides where action = 'rename' and incident_id = ? "
            "order by id desc limit 1", [incident_id]).fetchone()
        sources = [r[0] for r in self.execute(
            "select s.source_id from incident_articles ia join article_sources s "
            "on s.article_id = ia.article_id join articles a on a.id = ia.article_id "
            "where ia.incident_id = ? group by s.source_id "
            "order by min(a.published), min(s.first_seen), s.source_id", [incident_id])]
        for _, _, _, source in members:
            if source and source not in sources:
                sources.append(source)
        first, last = summary["first_reported"], summary["last_reported"]
        settling = int(date.fromisoformat(first) > today() - timedelta(days=SETTLING_DAYS))
        self.execute(
            """update incidents set title = ?, started_at = ?, first_reported = ?,
                 last_reported = ?, status = ?, primary_cause = ?, suspected_causes = ?,
                 ruled_out_causes = ?, victims = ?, suppliers = ?, systems = ?, locations = ?,
                 article_count = ?, story_count = ?, sources = ?, settling = ?, updated_at = ?
               where id = ?""",
            [override[0] if override else summary["title"], summary["started_at"], first, last,
             summary["status"], summary["primary_cause"], json.dumps(summary["suspected"]),
             json.dumps(summary["ruled_out"]), json.dumps(summary["victims"]),
             json.dumps(summary["suppliers"]), json.dumps(summary["systems"]),
             json.dumps(summary["locations"]), len(members),
             sum(rel != "duplicate" for _, rel, _, _ in members), json.dumps(sources),
             settling, _now(), incident_id])
        fill_links(self.db, incident_id)
        self.db.conn.executemany(
            "insert into incident_causes (incident_id, cause, state, previous_state, changed_on, "
            "article_id, sentence) values (?, ?, ?, ?, ?, ?, ?)",
            [(incident_id, *h) for h in summary["history"]])
        self.db.conn.executemany(
            "insert into incident_organisations (incident_id, organisation, kind, role, "
            "articles) values (?, ?, ?, ?, ?)",
            [(incident_id, *o) for o in summary["organisations"]])
        # the profile that later articles are scored against
        profile_orgs: dict[str, float] = {}
        bodies: set[str] = set()
        texts = []
        for f, relation, segment, _ in members:
            for o in f.orgs:
                if _in(o.starts, segment):
                    profile_orgs[o.name] = max(profile_orgs.get(o.name, 0.0), o.weight)
                    if o.kind in PUBLIC_KINDS and o.weight >= 0.9:
                        bodies.add(o.name)
            if relation != "roundup":
                texts.append(f.tf)
        if not texts:  # only round-ups: their text is all we have
            texts = [f.tf for f, _, _, _ in members]
        centroid = _centroid(self.tfidf(sp.vstack(texts[-CENTROID_ARTICLES:])))
        profile = {
            "orgs": {k: round(w, 3) for k, w in profile_orgs.items()},
            "systems": summary["all_systems"], "causes": summary["active_causes"],
            "locations": summary["locations"], "bodies": sorted(bodies),
        }
        self.execute("insert into incident_profiles (incident_id, started, data, centroid) "
                     "values (?, ?, ?, ?)",
                     [incident_id, summary["started_at"], json.dumps(profile),
                      pack_vector(centroid)])
        keys = {f"o:{n}": w for n, w in profile_orgs.items() if w >= W_GENERIC * 1.01}
        keys.update({f"s:{s}": 0.3 for s in summary["all_systems"] if s not in GENERIC_SYSTEMS})
        self.db.conn.executemany(
            "insert into incident_keys (key, incident_id, weight, first_reported, last_reported) "
            "values (?, ?, ?, ?, ?)",
            [(k, incident_id, w, first, last) for k, w in keys.items()])

    def refresh_settling(self) -> None:
        """Incidents first reported over :data:`SETTLING_DAYS` ago are no longer settling."""
        cutoff = (today() - timedelta(days=SETTLING_DAYS)).isoformat()
        self.execute("update incidents set settling = 0 where settling = 1 and "
                     "first_reported <= ?", [cutoff])


def _centroid(vectors: sp.csr_matrix) -> sp.csr_matrix:
    """The normalised sum of the members' tf-idf vectors, keeping the heaviest terms."""
    from sklearn.preprocessing import normalize

    total = sp.csr_matrix(sp.csr_matrix(np.ones((1, vectors.shape[0]), dtype=np.float32))
                          @ vectors)
    if total.nnz > CENTROID_TERMS:
        keep = np.argsort(total.data)[-CENTROID_TERMS:]
        total = sp.csr_matrix((total.data[keep], total.indices[keep], [0, len(keep)]),
                              shape=total.shape)
    return sp.csr_matrix(normalize(total))


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat()


# ---------------------------------------------------------------- summarising an incident

def summarise_incident(members: list[tuple[ArticleFeatures, str, tuple | None, str]]
                       ) -> dict[str, Any]:
    """Title, dates, status, organisations, systems and cause history from the members."""
    days = [f.day for f, _, _, _ in members]
    first, last = min(days), max(days)
    role_votes: dict[str, Counter] = {}
    kinds: dict[str, str | None] = {}
    weights: Counter = Counter()
    systems: Counter = Counter()
    locations: Counter = Counter()
    incident_dates: list[date] = []
    status = None
    for f, _, segment, _ in members:
        for o in f.orgs:
            if not _in(o.starts, segment):
                continue
            role_votes.setdefault(o.name, Counter())[o.role] += 1
            kinds.setdefault(o.name, o.kind)
            weights[o.name] += o.weight
        for name, starts in f.systems:
            if _in(starts, segment):
                systems[name] += 1
        for name, starts in f.locations:
            if _in(starts, segment):
                locations[name] += 1
        if segment is None and f.incident_date and \
                first - timedelta(days=400) <= f.incident_date <= first + timedelta(days=1):
            incident_dates.append(f.incident_date)
        if f.service_status and segment is None:
            status = f.service_status
    precedence = ("victim", "supplier", "investigator", "official", "commentator")

    def role_of(name: str) -> str:
        votes = role_votes[name]
        return max(votes, key=lambda r: (votes[r], -precedence.index(r)
                                         if r in precedence else -9))

    ordered = sorted(role_votes, key=lambda n: (-weights[n], n))
    victims = [n for n in ordered if role_of(n) == "victim"]
    suppliers = [n for n in ordered if role_of(n) == "supplier"]
    history, current = cause_history(members)
    support = Counter(c for f, _, segment, _ in members for c, status, _, start in f.causes
                      if status == "asserted" and _in([start], segment))
    primary = primary_cause(history, current, support)
    suspected = [c for c, (state, _, _) in current.items() if state == "suspected"]
    ruled_out = [c for c, (state, _, _) in current.items() if state == "ruled_out"]
    system_names = [n for n, _ in systems.most_common()]
    shown_systems = [s for s in system_names if s not in GENERIC_SYSTEMS] or system_names
    started = min(incident_dates) if incident_dates else first
    fallback = members[0][0].title
    return {
        "first_reported": first.isoformat(), "last_reported": last.isoformat(),
        "started_at": started.isoformat(), "status": status or "ongoing",
        "primary_cause": primary, "suspected": suspected, "ruled_out": ruled_out,
        "victims": victims, "suppliers": suppliers, "systems": shown_systems,
        "all_systems": system_names, "locations": [n for n, _ in locations.most_common()],
        "active_causes": sorted(c for c, (state, _, _) in current.items()
                                if state in ("confirmed", "suspected")),
        "history": history,
        "organisations": [(n, kinds.get(n), role_of(n), sum(role_votes[n].values()))
                          for n in ordered],
        "title": incident_title(victims, suppliers, shown_systems, primary,
                                suspected, fallback),
    }


def cause_history(members: list[tuple[ArticleFeatures, str, tuple | None, str]]
                  ) -> tuple[list[tuple], dict[str, tuple[str, str, int]]]:
    """Every change of state of every cause hypothesis, in publication order.

    asserted = confirmed, hedged = suspected, negated = ruled out; historical mentions are about
    other events and are ignored. A hedge never undoes a confirmation or a ruling-out; a later
    confirmation or ruling-out replaces either. Returns the history rows (cause, state,
    previous state, date, article id, sentence) and the current state of each cause
    (state, since, article id).
    """
    current: dict[str, tuple[str, str, int]] = {}
    rows: list[tuple] = []
    for f, _, segment, _ in members:
        for category, status, sentence, start in f.causes:
            state = STATE_OF.get(status)
            if state is None or not _in([start], segment):
                continue
            previous = current.get(category)
            if previous and (previous[0] == state or state == "suspected"):
                continue
            on = f.day.isoformat()
            current[category] = (state, on, f.article_id)
            rows.append((category, state, previous[0] if previous else None, on,
                         f.article_id, sentence))
    return rows, current


def primary_cause(history: list[tuple], current: dict[str, tuple[str, str, int]],
                  support: Counter | None = None) -> str | None:
    """The latest confirmed cause among those that most articles assert (so one stray
    assertion in a follow-up does not displace the cause every report gives), the first named
    on a tie; a consequence (data breach) or a parent (cyber attack) only when nothing more
    specific is confirmed."""
    support = support or Counter()
    confirmed_at: dict[str, tuple[int, str, int]] = {}
    for seq, (cause, state, _, on, _, _) in enumerate(history):
        if state == "confirmed" and current[cause][0] == "confirmed":
            confirmed_at[cause] = (support[cause], on, -seq)
    candidates = {c: v for c, v in confirmed_at.items() if c not in CONSEQUENCE_CAUSES} \
        or confirmed_at
    for parent, children in PARENT_CAUSES.items():
        if parent in candidates and children & set(candidates):
            del candidates[parent]
    if not candidates:
        return None
    return max(candidates, key=lambda c: candidates[c])


def incident_title(victims: list[str], suppliers: list[str], systems: list[str],
                   cause: str | None, suspected: list[str], fallback: str | None) -> str:
    """A generated title: victim (and supplier), what failed, cause."""
    who = victims[0] if victims else (suppliers[0] if suppliers else None)
    if who and victims and suppliers and suppliers[0] != who:
        who = f"{who} via {suppliers[0]}"
    if who and len(victims) > 1:
        who = f"{who} and {len(victims) - 1} other{'s' if len(victims) > 2 else ''}"
    what = ", ".join(systems[:2]) + " disrupted" if systems else None
    why = cause.replace("_", " ") if cause else (
        "suspected " + suspected[0].replace("_", " ") if suspected else None)
    parts = [p for p in (what, why) if p]
    if who and parts:
        return f"{who}: {' - '.join(parts)}"
    return fallback or who or (parts[0] if parts else "Untitled incident")


# ---------------------------------------------------------------- analyst overrides

class OverrideError(Exception):
    """An override names an incident or article that does not exist."""


def resolve(db: sqlite_utils.Database, incident_id: int) -> int:
    """Follow ``incident_redirects`` from a removed id to the incident that holds its articles."""
    seen = set()
    while incident_id not in seen:
        seen.add(incident_id)
        row = db.execute("select new_id from incident_redirects where old_id = ?",
                         [incident_id]).fetchone()
        if not row or row[0] is None:
            break
        incident_id = row[0]
    return incident_id


def _require(db: sqlite_utils.Database, incident_id: int) -> int:
    resolved = resolve(db, incident_id)
    if not db.execute("select 1 from incidents where id = ?", [resolved]).fetchone():
        raise OverrideError(f"no incident {incident_id}")
    return resolved


def _override(db: sqlite_utils.Database, action: str, incident_id: int, *,
              other: int | None = None, articles: list[int] | None = None,
              title: str | None = None) -> int:
    cursor = db.execute(
        "insert into incident_overrides (action, incident_id, other_incident_id, article_ids, "
        "title, created_at) values (?, ?, ?, ?, ?, ?)",
        [action, incident_id, other, json.dumps(articles) if articles is not None else None,
         title, _now()])
    return cursor.lastrowid


def _pin(db: sqlite_utils.Database, article_ids: Iterable[int], incident_id: int,
         override_id: int) -> None:
    db.conn.executemany(
        "insert or replace into incident_pins (article_id, incident_id, override_id) "
        "values (?, ?, ?)", [(a, incident_id, override_id) for a in article_ids])


def _article_ids(db: sqlite_utils.Database, incident_id: int) -> list[int]:
    return [r[0] for r in db.execute(
        "select article_id from incident_articles where incident_id = ? order by article_id",
        [incident_id])]


def remove_incident(db: sqlite_utils.Database, incident_id: int, new_id: int | None,
                    reason: str) -> None:
    """Delete an incident that has no articles left, leaving a redirect to ``new_id``."""
    for table in ("incident_keys", "incident_organisations", "incident_causes",
                  "incident_profiles", "incident_articles"):
        db.execute(f"delete from {table} where incident_id = ?", [incident_id])
    db.execute("delete from incident_pins where incident_id = ?", [incident_id])
    db.execute("delete from incidents where id = ?", [incident_id])
    db.execute("insert or replace into incident_redirects (old_id, new_id, reason, at) "
               "values (?, ?, ?, ?)", [incident_id, new_id, reason, _now()])
    db.execute("update incident_redirects set new_id = ? where new_id = ?", [new_id, incident_id])


def merge(db: sqlite_utils.Database, keep: int, absorb: Iterable[int]) -> int:
    """Merge incidents into ``keep``: their articles are pinned to it and they redirect to it."""
    clusterer = Clusterer(db)
    with db.atomic():
        keep = _require(db, keep)
        others = [i for i in dict.fromkeys(_require(db, a) for a in absorb) if i != keep]
        if not others:
            raise OverrideError("nothing to merge: give two different incidents")
        moving = {other: _article_ids(db, other) for other in others}
        override = _override(db, "merge", keep, other=others[0],
                             articles=sorted(a for ids in moving.values() for a in ids))
        articles = set(_article_ids(db, keep))
        for other in others:
            moved = moving[other]
            for article_id in moved:
                db.execute("insert or ignore into incident_articles (incident_id, article_id, "
                           "relation) values (?, ?, 'pinned')", [keep, article_id])
            db.execute("delete from incident_pins where incident_id = ?", [other])
            articles.update(moved)
            remove_incident(db, other, keep, f"merged into {keep} (override {override})")
        db.execute("update incident_articles set relation = 'pinned' where incident_id = ?",
                   [keep])
        _pin(db, articles, keep, override)
        clusterer.rebuild(keep)
    return keep


def split(db: sqlite_utils.Database, incident_id: int, article_ids: Iterable[int]) -> int:
    """Move articles out of an incident into a new one; both sides are pinned so clustering
    never joins them again. Returns the new incident's id."""
    clusterer = Clusterer(db)
    article_ids = list(dict.fromkeys(article_ids))
    with db.atomic():
        incident_id = _require(db, incident_id)
        members = set(_article_ids(db, incident_id))
        missing = [a for a in article_ids if a not in members]
        if missing:
            raise OverrideError(f"article(s) {', '.join(map(str, missing))} are not in "
                                f"incident {incident_id}")
        if not article_ids or set(article_ids) == members:
            raise OverrideError("name some, but not all, of the incident's articles")
        cursor = db.execute(
            "insert into incidents (title, started_at, first_reported, last_reported, status, "
            "article_count, story_count) select title, started_at, first_reported, "
            "last_reported, status, 0, 0 from incidents where id = ?", [incident_id])
        new_id = cursor.lastrowid
        override = _override(db, "split", incident_id, other=new_id, articles=article_ids)
        marks = ",".join("?" * len(article_ids))
        db.execute(f"update incident_articles set incident_id = ?, relation = 'pinned' where "
                   f"incident_id = ? and article_id in ({marks})",
                   [new_id, incident_id, *article_ids])
        db.execute(f"delete from incident_pins where incident_id = ? and article_id in ({marks})",
                   [incident_id, *article_ids])
        db.execute("update incident_articles set relation = 'pinned' where incident_id = ?",
                   [incident_id])
        _pin(db, article_ids, new_id, override)
        _pin(db, members - set(article_ids), incident_id, override)
        clusterer.rebuild(incident_id)
        clusterer.rebuild(new_id)
    return new_id


def rename(db: sqlite_utils.Database, incident_id: int, title: str) -> int:
    """Give an incident a title that rebuilding will not overwrite."""
    title = title.strip()
    if not title:
        raise OverrideError("the title is empty")
    with db.atomic():
        incident_id = _require(db, incident_id)
        _override(db, "rename", incident_id, title=title)
        db.execute("update incidents set title = ? where id = ?", [title, incident_id])
    return incident_id


# ---------------------------------------------------------------- schema

def ensure_incident_schema(db: sqlite_utils.Database) -> None:
    """Incident tables, columns, indexes and views, for new and existing databases alike
    (additive and idempotent; versioned by ``meta.incident_schema``)."""
    row = db.execute("select value from meta where key = 'incident_schema'").fetchone() \
        if db["meta"].exists() else None
    if row and int(row[0]) >= INCIDENT_SCHEMA:
        return
    with db.atomic():
        for column, type_ in (("story_count", int), ("settling", int), ("updated_at", str),
                              ("first_link", str), ("latest_link", str)):
            if column not in db["incidents"].columns_dict:
                db["incidents"].add_column(column, type_)
        for column, type_ in (("relation", str), ("score", float), ("duplicate_of", int),
                              ("segment_start", int), ("segment_end", int)):
            if column not in db["incident_articles"].columns_dict:
                db["incident_articles"].add_column(column, type_)
        db["article_features"].create({"article_id": int, "day": str, "data": str, "tf": bytes,
                                       "minhash": bytes}, pk="article_id",
                                      foreign_keys=[("article_id", "articles", "id")],
                                      if_not_exists=True)
        db["article_lsh"].create({"band": int, "article_id": int}, if_not_exists=True)
        db["term_df"].create({"term": int, "df": int}, pk="term", if_not_exists=True)
        db["incident_profiles"].create({"incident_id": int, "started": str, "data": str,
                                        "centroid": bytes}, pk="incident_id",
                                       if_not_exists=True)
        db["incident_keys"].create({"key": str, "incident_id": int, "weight": float,
                                    "first_reported": str, "last_reported": str},
                                   if_not_exists=True)
        db["incident_organisations"].create({
            "incident_id": int, "organisation": str, "kind": str, "role": str, "articles": int,
        }, pk=("incident_id", "organisation"), foreign_keys=[("incident_id", "incidents", "id")],
            if_not_exists=True)
        db["incident_causes"].create({
            "id": int, "incident_id": int, "cause": str, "state": str, "previous_state": str,
            "changed_on": str, "article_id": int, "sentence": str,
        }, pk="id", foreign_keys=[("incident_id", "incidents", "id"),
                                  ("article_id", "articles", "id")], if_not_exists=True)
        db["incident_overrides"].create({
            "id": int, "action": str, "incident_id": int, "other_incident_id": int,
            "article_ids": str, "title": str, "created_at": str,
        }, pk="id", if_not_exists=True)
        db["incident_pins"].create({"article_id": int, "incident_id": int, "override_id": int},
                                   pk=("article_id", "incident_id"), if_not_exists=True)
        db["incident_redirects"].create({"old_id": int, "new_id": int, "reason": str, "at": str},
                                        pk="old_id", if_not_exists=True)
        for table, columns in (
                ("article_lsh", ["band"]), ("article_lsh", ["article_id"]),
                ("article_features", ["day"]),
                ("incident_keys", ["key", "last_reported"]), ("incident_keys", ["incident_id"]),
                ("incident_causes", ["incident_id"]), ("incident_causes", ["cause", "state"]),
                ("incident_organisations", ["organisation", "role"]),
                ("incident_pins", ["incident_id"]), ("incidents", ["first_reported"]),
                ("incidents", ["settling"])):
            db[table].create_index(columns, if_not_exists=True)
        db.create_view("incident_timeline", """
            select ia.incident_id, i.title as incident, a.published, a.id as article_id,
                   a.title, a.source_id, ia.relation, ia.duplicate_of, a.service_status,
                   a.incident_date, a.url
            from incident_articles ia join incidents i on i.id = ia.incident_id
                                      join articles a on a.id = ia.article_id
            order by ia.incident_id, a.published, a.id""", replace=True)
        db.create_view("incident_cause_history", """
            select c.incident_id, i.title as incident, c.cause, c.state, c.previous_state,
                   c.changed_on, c.sentence, c.article_id, a.title as article, a.url
            from incident_causes c join incidents i on i.id = c.incident_id
                                   join articles a on a.id = c.article_id
            order by c.incident_id, c.changed_on, c.id""", replace=True)
        db.create_view("supplier_impact", """
            select s.organisation as supplier, i.id as incident_id, i.title, i.started_at,
                   i.status, i.primary_cause, v.organisation as affected_organisation,
                   v.kind as affected_kind
            from incident_organisations s join incidents i on i.id = s.incident_id
            left join incident_organisations v on v.incident_id = s.incident_id
                                               and v.role = 'victim'
            where s.role = 'supplier'
            order by s.organisation, i.started_at""", replace=True)
        fill_links(db)
        db.execute("insert or replace into meta (key, value) values ('incident_schema', ?)",
                   [str(INCIDENT_SCHEMA)])


LINKS_SQL = """
    update incidents set
      first_link = (select a.url from incident_articles ia join articles a on a.id = ia.article_id
                    where ia.incident_id = incidents.id order by a.published, a.id limit 1),
      latest_link = (select a.url from incident_articles ia join articles a on a.id = ia.article_id
                     where ia.incident_id = incidents.id order by a.published desc, a.id desc
                     limit 1)"""


def fill_links(db: Any, incident_id: int | None = None) -> None:
    """Store each incident's first and latest article links on its row, so the review table
    and its CSV read one row per incident with no per-row subqueries."""
    if incident_id is None:
        db.execute(LINKS_SQL)
    else:
        db.execute(LINKS_SQL + " where id = ?", [incident_id])
