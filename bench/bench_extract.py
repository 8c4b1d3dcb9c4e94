"""Extraction throughput: the full extractor against plain ``nlp.pipe`` with the same model.

Both run over the same texts in the same process (the labelled development set and the demo
articles, repeated to --docs documents). The reference is the base spaCy model alone
(tok2vec, tagger, parser, lemmatizer, NER); ours adds the gazetteer ruler, the organisation,
system and cause components and the article-level summary. Also reported: the page-to-facts
path including main-text extraction from HTML, and n_process=2.

    .venv/bin/python bench/bench_extract.py [--docs 150] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import sys
import time
import warnings
from pathlib import Path

import spacy
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.demo import DEMO_SITE  # noqa: E402
from aggregator.extract.nlp import resolve_model_name  # noqa: E402
from aggregator.extract.pipeline import Extractor, normalise_text  # noqa: E402
from aggregator.extract.text import extract_document  # noqa: E402
from aggregator.models import Document  # noqa: E402

warnings.filterwarnings("ignore")


def corpus(n: int) -> tuple[list[Document], list[str]]:
    docs = []
    for path in sorted((ROOT / "tests" / "devset" / "articles").glob("*.yaml")):
        item = yaml.safe_load(path.read_text(encoding="utf-8"))
        docs.append(Document(url=item["id"], title=item["title"], text=item["text"],
                             published=str(item["published"])))
    paths = sorted((DEMO_SITE / "articles").rglob("*.html"))
    pages = [p.read_text(encoding="utf-8") for p in paths]
    for html in pages:
        docs.append(extract_document(html, "http://127.0.0.1/x"))
    repeated = [docs[i % len(docs)] for i in range(n)]
    html_pages = [pages[i % len(pages)] for i in range(n)]
    return repeated, html_pages


def rate(count: int, seconds: float) -> float:
    return count / seconds if seconds else float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=150)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    docs, pages = corpus(args.docs)
    texts = [normalise_text(d.text) for d in docs]
    model = resolve_model_name()
    plain = spacy.load(model)
    extractor = Extractor(model)
    # warm up both (first batches pay for lazy initialisation)
    list(plain.pipe(texts[:20]))
    list(extractor.extract_many(docs[:20]))

    # alternate the two in rounds, so a busy neighbour on the machine slows both alike;
    # the ratio is the median of the per-round ratios
    plain_times, ours_times = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        for _ in plain.pipe(texts, batch_size=32):
            pass
        plain_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        results = list(extractor.extract_many(docs, batch_size=32))
        ours_times.append(time.perf_counter() - start)
        assert len(results) == len(docs)
    plain_s, ours_s = statistics.median(plain_times), statistics.median(ours_times)
    ratio = statistics.median(p / o for p, o in zip(plain_times, ours_times, strict=True))

    start = time.perf_counter()
    from_html = [extract_document(html, "http://127.0.0.1/x") for html in pages]
    list(extractor.extract_many(from_html, batch_size=32))
    html_s = time.perf_counter() - start

    start = time.perf_counter()
    list(extractor.extract_many(docs, batch_size=32, n_process=2))
    two_s = time.perf_counter() - start

    words = sum(len(t.split()) for t in texts)
    figures = {
        "documents": len(docs),
        "words_per_doc": round(words / len(docs)),
        "model": model,
        "plain_nlp_pipe_docs_per_s": round(rate(len(docs), plain_s), 1),
        "extractor_docs_per_s": round(rate(len(docs), ours_s), 1),
        "ratio_extractor_vs_plain": round(ratio, 3),
        "rounds": args.rounds,
        "html_to_facts_docs_per_s": round(rate(len(pages), html_s), 1),
        "extractor_n_process_2_docs_per_s": round(rate(len(docs), two_s), 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }
    if args.json:
        print(json.dumps(figures))
        return
    for key, value in figures.items():
        print(f"{key:<36} {value}")


if __name__ == "__main__":
    main()
