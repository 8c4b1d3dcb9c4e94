"""Incident clustering: quality, assignment latency at 100k articles, memory, and reprocessing
throughput against plain extraction.

    .venv/bin/python bench/bench_incidents.py [--articles 100000] [--skip-quality]

1. Quality on the labelled cluster set (tests/clusters), end to end and given relevance.
2. Reprocessing: the same documents (development set as feed items, demo site as HTML pages,
   repeated to --docs) are extracted once in one process with ``Extractor.extract_many`` (the
   extraction benchmark's measure) and stored; then ``reprocess`` re-extracts them from the
   stored documents on two processes and swaps the results in. Reported as documents a second.
3. Assignment: a database of --articles generated incident articles (40% of incidents reported
   once, the rest 2 to 5 times, over 11 years; 12,000 organisations, 400 suppliers) is built
   in bulk, then --assign new articles go through the real ``Clusterer.add`` path in a fresh
   process, which reports per-article latency, its peak RSS and whether each new article joined
   the incident it was generated for. The same is done at a tenth of the size, to show that
   memory does not grow with the database.
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import random
import resource
import subprocess
import sys
import tempfile
import time
import warnings
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
warnings.filterwarnings("ignore")

SYSTEMS = ["GP clinical system", "electronic patient record", "pathology", "radiology imaging",
           "e-prescribing", "NHS 111", "telephony", "website", "network", "email", "data centre",
           "patient administration system", "ambulance dispatch", "cloud services",
           "appointment booking"]
CAUSES = ["cyber_attack", "ransomware", "ddos", "hardware_failure", "power_failure",
          "software_update", "software_bug", "network_failure", "configuration_change",
          "capacity", "data_centre_failure"]
KINDS = ["nhs_trust", "council", "health_board", "public_body", "icb"]
NCSC = "National Cyber Security Centre"


# ---------------------------------------------------------------- generated articles

def generate(n_articles: int, seed: int = 1) -> list[tuple[int, object]]:
    """(generating incident, Extraction) pairs in publication order."""
    from aggregator.models import Cause, Extraction, Mention, Organisation, System

    rng = random.Random(seed)
    vocab = [f"word{i}" for i in range(6000)]
    victims = [(f"Org{i:05d} {rng.choice(['NHS Trust', 'Council', 'Health Board'])}",
                rng.choice(KINDS)) for i in range(12000)]
    suppliers = [f"Supplier{i:04d} Ltd" for i in range(400)]
    start = date(2015, 1, 1)
    out: list[tuple[int, object]] = []
    incident = 0
    while len(out) < n_articles:
        incident += 1
        day0 = start + timedelta(days=rng.randrange(4000))
        victim = rng.choice(victims)
        supplier = rng.choice(suppliers) if rng.random() < 0.3 else None
        systems = rng.sample(SYSTEMS, rng.randint(1, 2))
        cause = rng.choice(CAUSES)
        rare = [f"rare{incident}x{j}" for j in range(8)]
        for k in range(min(rng.choice([1, 1, 2, 2, 3, 3, 4, 5]), n_articles - len(out))):
            day = day0 + timedelta(days=0 if k == 0 else rng.randint(1, 30))
            body = [*rng.sample(rare, 5), *systems, cause.replace("_", " "),
                    *(vocab[min(int(rng.paretovariate(1.1)), 5999)] for _ in range(90))]
            if supplier:
                body.append(supplier)
            if rng.random() < 0.5:
                body.append(NCSC)
            rng.shuffle(body)
            text = f"{victim[0]} said " + " ".join(body) + "."

            def mentions(name: str, text: str = text) -> list:
                i = text.find(name)
                return [Mention(name, i, i + len(name), name)] if i >= 0 else []

            orgs = [Organisation(victim[0], "victim", victim[1], mentions(victim[0]))]
            if supplier:
                orgs.append(Organisation(supplier, "supplier", "supplier", mentions(supplier)))
            if NCSC in text:
                orgs.append(Organisation(NCSC, "investigator", "investigator", mentions(NCSC)))
            out.append((incident, Extraction(
                title=f"{victim[0]} {systems[0]} outage {rare[0]}", published=day.isoformat(),
                text=text, is_incident=True, incident_score=0.9, organisations=orgs,
                systems=[System(s, mentions(s)) for s in systems],
                causes=[Cause(cause, "asserted", cause, cause, 0, 1)],
                incident_date=day0.isoformat() if rng.random() < 0.6 else None,
                extractor_version="bench")))
    out.sort(key=lambda pair: pair[1].published)
    return out


def bulk_load(path: Path, history: list[tuple[int, object]]) -> None:
    """Write generated articles and their (correct) incidents straight into the tables the
    clusterer reads, as ``Clusterer.add`` would have left them; far faster than adding them one
    by one, so the benchmark fits in minutes."""
    import numpy as np
    import scipy.sparse as sp
    from datasketch import MinHash
    from sklearn.preprocessing import normalize

    from aggregator import incidents as inc
    from aggregator.store import Store

    store = Store(path)
    db = store.db
    db.execute("insert into sources (id, name, url, type) values ('gen', 'gen', 'u', 'feed')")
    texts = [f"{x.title}\n{x.title}\n{x.text}" for _, x in history]
    tf = sp.csr_matrix(inc._vectorizer().transform(texts))
    df = np.bincount(tf.indices, minlength=inc.N_FEATURES)
    shingles = []
    for _, x in history:
        words = x.text.lower().split()
        shingles.append([" ".join(words[i:i + 3]).encode() for i in range(len(words) - 2)])
    hashes = MinHash.bulk(shingles, num_perm=inc.NUM_PERM, seed=1, scheme=inc.MINHASH_SCHEME)
    with db.atomic():
        db.conn.executemany(
            "insert into articles (id, url, source_id, title, published, text, is_incident, "
            "incident_score, extractor_version) values (?, ?, 'gen', ?, ?, ?, 1, 0.9, 'bench')",
            [(i, f"https://gen.test/{i}", x.title, x.published, x.text)
             for i, (_, x) in enumerate(history, start=1)])
        db.conn.executemany("insert into article_sources (article_id, source_id) values (?, 'gen')",
                            [(i,) for i in range(1, len(history) + 1)])
        rows, lsh = [], []
        for i, ((_, x), m) in enumerate(zip(history, hashes, strict=True), start=1):
            f = inc.ArticleFeatures(
                article_id=i, day=date.fromisoformat(x.published),
                incident_date=inc.parse_day(x.incident_date), title=x.title, service_status=None,
                orgs=[inc.OrgRef(o.name, o.kind, o.role, [mm.start for mm in o.mentions],
                                 inc.org_weight(o.kind, o.role, True)) for o in x.organisations],
                systems=[(s.name, [mm.start for mm in s.mentions]) for s in x.systems],
                causes=[(c.category, c.status, c.evidence, c.start) for c in x.causes],
                locations=[], tf=tf[i - 1])
            rows.append((i, x.published, f.to_json(), inc.pack_vector(tf[i - 1]),
                         np.asarray(m.hashvalues, dtype=np.uint32).tobytes()))
            lsh += [(k, i) for k in inc.band_keys(m)]
        db.conn.executemany("insert into article_features values (?, ?, ?, ?, ?)", rows)
        db.conn.executemany("insert into article_lsh (band, article_id) values (?, ?)", lsh)
        db.conn.executemany("insert into term_df (term, df) values (?, ?)",
                            [(int(t), int(n)) for t, n in enumerate(df) if n])
        db.execute("insert or replace into meta (key, value) values ('clustered_documents', ?)",
                   [len(history)])
        # incidents: the generator's groups, with profiles as rebuild() writes them
        weighted = inc.Clusterer(db).tfidf(tf)
        groups: dict[int, list[int]] = {}
        for i, (g, _) in enumerate(history):
            groups.setdefault(g, []).append(i)
        position = {g: k for k, g in enumerate(groups)}
        indicator = sp.csr_matrix(
            (np.ones(len(history), dtype=np.float32),
             ([position[g] for g, _ in history], np.arange(len(history)))),
            shape=(len(groups), len(history)))
        centroids = normalize(indicator @ weighted)
        for k, (g, members) in enumerate(groups.items()):
            xs = [history[i][1] for i in members]
            first, last = xs[0].published, xs[-1].published
            orgs = {o.name: inc.org_weight(o.kind, o.role, True) for x in xs
                    for o in x.organisations}
            systems = sorted({s.name for x in xs for s in x.systems})
            causes = sorted({c.category for x in xs for c in x.causes})
            centroid = centroids[k]
            if centroid.nnz > inc.CENTROID_TERMS:
                centroid = inc._centroid(centroid)
            db.execute("insert into incidents (id, title, started_at, first_reported, "
                       "last_reported, status, primary_cause, article_count, story_count, "
                       "settling) values (?, ?, ?, ?, ?, 'ongoing', ?, ?, ?, 0)",
                       [g, xs[0].title, first, first, last, causes[0], len(xs), len(xs)])
            db.conn.executemany("insert into incident_articles (incident_id, article_id, "
                                "relation) values (?, ?, 'member')",
                                [(g, i + 1) for i in members])
            bodies = [o.name for x in xs for o in x.organisations if o.kind in inc.PUBLIC_KINDS]
            db.execute("insert into incident_profiles values (?, ?, ?, ?)", [
                g, first, json.dumps({"orgs": orgs, "systems": systems, "causes": causes,
                                      "locations": [], "bodies": bodies}),
                inc.pack_vector(centroid)])
            keys = {f"o:{k}": w for k, w in orgs.items() if w > inc.W_GENERIC * 1.01}
            keys.update({f"s:{s}": 0.3 for s in systems})
            db.conn.executemany("insert into incident_keys values (?, ?, ?, ?, ?)",
                                [(k, g, w, first, last) for k, w in keys.items()])
    store.close()


ASSIGN_SCRIPT = """
import json, sys, time, warnings
warnings.filterwarnings("ignore")
sys.path.insert(0, {root!r})
sys.path.insert(0, {root!r} + "/bench")
from aggregator.store import Store
import pickle
from bench_incidents import peak_rss_mb
with open({pickle_path!r}, "rb") as handle:
    pairs, truth = pickle.load(handle)
store = Store({path!r})
times, correct = [], 0
for n, (g, x) in enumerate(pairs, start={start} + 1):
    store.db.execute("insert into articles (id, url, source_id, title, published, text, "
                     "is_incident) values (?, ?, 'gen', ?, ?, ?, 1)",
                     [n, f"https://gen.test/{{n}}", x.title, x.published, x.text])
    started = time.perf_counter()
    with store.db.atomic():
        linked = store.clusterer.add(n, x, published=x.published)
    times.append((time.perf_counter() - started) * 1000)
    members = {{r[0] for r in store.db.execute(
        "select article_id from incident_articles where incident_id = ?", linked[:1])}}
    expected = truth.get(g, set())
    correct += (members - {{n}}) == expected if expected else members == {{n}}
    truth.setdefault(g, set()).add(n)
times = times[20:]  # the first calls pay for imports and caches
times.sort()
print(json.dumps({{
    "p50_ms": round(times[len(times) // 2], 1), "p95_ms": round(times[int(len(times) * .95)], 1),
    "max_ms": round(times[-1], 1), "assigned": len(pairs),
    "correct_share": round(correct / len(pairs), 3),
    "peak_rss_mb": peak_rss_mb()}}))
"""


def peak_rss_mb() -> int:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, it is not inherited
    from the parent across fork and exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024)
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def assignment(total: int, assign: int, workdir: Path) -> dict:
    path = workdir / f"gen-{total}.db"
    start = total - assign
    everything = generate(total, seed=1)
    wanted = {g for g, _ in everything[start:]}
    truth: dict[int, set[int]] = {}
    for i, (g, _) in enumerate(everything[:start], start=1):
        if g in wanted:
            truth.setdefault(g, set()).add(i)
    pickle_path = workdir / f"new-{total}.pickle"
    pickle_path.write_bytes(pickle.dumps((everything[start:], truth)))
    started = time.perf_counter()
    bulk_load(path, everything[:start])
    built = time.perf_counter() - started
    del everything
    script = ASSIGN_SCRIPT.format(root=str(ROOT), start=start, path=str(path),
                                  pickle_path=str(pickle_path))
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            check=True)
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["history_articles"] = start
    figures["bulk_build_s"] = round(built, 1)
    figures["db_mb"] = round(path.stat().st_size / 2 ** 20)
    return figures


# ---------------------------------------------------------------- reprocessing throughput

def corpus(n: int) -> list:
    """Development-set articles as feed items (HTML bodies) and demo pages, repeated."""
    import yaml

    from aggregator.demo import DEMO_SITE
    from aggregator.extract.text import extract_document
    from aggregator.models import Document
    from aggregator.parse import html_to_text

    docs = []
    for path in sorted((ROOT / "tests" / "devset" / "articles").glob("*.yaml")):
        item = yaml.safe_load(path.read_text(encoding="utf-8"))
        html = "".join(f"<p>{p}</p>" for p in item["text"].split("\n\n"))
        docs.append(Document(url="", title=item["title"], text=html_to_text(html),
                             published=str(item["published"]), html=html, extracted_by="feed"))
    for path in sorted((DEMO_SITE / "articles").rglob("*.html")):
        docs.append(extract_document(path.read_text(encoding="utf-8"), "http://127.0.0.1/x"))
    out = []
    for i in range(n):
        d = docs[i % len(docs)]
        out.append(Document(url=f"https://bench.test/{i}", title=d.title, text=d.text,
                            published=d.published, html=d.html, extracted_by=d.extracted_by))
    return out


def reprocessing(n: int, workdir: Path) -> dict:
    from aggregator.extract.pipeline import Extractor
    from aggregator.models import FeedItem
    from aggregator.reprocess import reprocess
    from aggregator.store import Store

    docs = corpus(n)
    extractor = Extractor()
    list(extractor.extract_many(docs[:16]))  # warm up
    started = time.perf_counter()
    extractions = list(extractor.extract_many(docs, batch_size=32))
    extract_s = time.perf_counter() - started
    path = workdir / "reprocess.db"
    store = Store(path)
    store.db.execute("insert into sources (id, name, url, type) values ('b', 'b', 'u', 'feed')")
    for d, x in zip(docs, extractions, strict=True):
        store.save_article(FeedItem(url=d.url, source_id="b", title=d.title,
                                    published=d.published), d, x)
    stored = sum(len(gzip.decompress(r[0])) for r in store.db.execute(
        "select html_gz from documents"))
    started = time.perf_counter()
    report = reprocess(store, path, workers=2)
    total_s = time.perf_counter() - started
    store.close()
    extract_rate = len(docs) / extract_s
    reprocess_rate = report.swapped / total_s
    return {"documents": len(docs), "html_mb_stored": round(stored / 2 ** 20, 1),
            "extract_many_docs_per_s": round(extract_rate, 1),
            "reprocess_2_workers_docs_per_s": round(reprocess_rate, 1),
            "reprocess_ratio": round(reprocess_rate / extract_rate, 2),
            "reprocess_swap_s": round(report.swap_seconds, 1),
            "incidents": report.incidents_after}


def quality() -> dict:
    from aggregator import cluster_eval
    from aggregator.extract.pipeline import Extractor

    items = cluster_eval.load_clusters()
    extractions = list(Extractor().extract_many(cluster_eval.documents_of(items)))
    out = {}
    for label, assume in (("end_to_end", False), ("given_relevance", True)):
        s = cluster_eval.score(items, cluster_eval.cluster(items, None, extractions=extractions,
                                                           assume_incidents=assume))
        out[label] = {k: round(v, 3) for k, v in s.summary().items()
                      if k in ("pairwise_precision", "pairwise_recall", "bcubed_precision",
                               "bcubed_recall", "bcubed_f1", "v_measure", "roundup_recall",
                               "predicted_incidents", "gold_incidents", "articles")}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--assign", type=int, default=500)
    parser.add_argument("--docs", type=int, default=160)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    figures: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if not args.skip_quality:
            figures["quality"] = quality()
        figures["reprocessing"] = reprocessing(args.docs, workdir)
        figures[f"assign_{args.articles}"] = assignment(args.articles, args.assign, workdir)
        small = max(args.assign * 2, args.articles // 10)
        figures[f"assign_{small}"] = assignment(small, args.assign, workdir)
    figures["bench_peak_rss_mb"] = peak_rss_mb()
    if args.json:
        print(json.dumps(figures))
        return
    for section, values in figures.items():
        if isinstance(values, dict):
            print(f"[{section}]")
            for key, value in values.items():
                print(f"  {key:<34} {value}")
        else:
            print(f"{section:<36} {values}")


if __name__ == "__main__":
    main()
