"""Main-text extraction: our cascade against plain trafilatura, same pages, same run.

Scores ``extract_document`` (no CSS selectors: a held-out benchmark has none) and
``trafilatura.extract(html)`` with default settings on the labelled pages in tests/pages/,
using the shingle measure of the article-extraction benchmarks: word 4-gram shingles (as
multisets), precision and recall per page, each averaged over pages, F1 from the two averages.
Also reports the mean of per-page F1, title and date accuracy, and pages per second.

    .venv/bin/python bench/bench_text.py [--pages] [--split dev|holdout|demo] [--write]

``--pages`` prints per-page F1; ``--write`` replaces the ``## Main text`` section of
docs/BENCHMARKS.md with the figures.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import sys
import time
import unicodedata
import warnings
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aggregator.extract.text import extract_document  # noqa: E402

PAGES = ROOT / "tests" / "pages"
BENCHMARKS = ROOT / "docs" / "BENCHMARKS.md"
SECTION = "## Main text"
_TOKEN = re.compile(r"\w+")

warnings.filterwarnings("ignore")


@dataclass
class Page:
    name: str
    html: str
    gold: str
    title: str
    published: str
    url: str
    split: str


@dataclass
class Result:
    """One system's scores over the page set."""

    name: str
    precision: list[float] = field(default_factory=list)
    recall: list[float] = field(default_factory=list)
    per_page: dict[str, float] = field(default_factory=dict)
    titles: list[bool] = field(default_factory=list)
    dates: list[bool] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def p(self) -> float:
        return statistics.mean(self.precision)

    @property
    def r(self) -> float:
        return statistics.mean(self.recall)

    @property
    def f1(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    @property
    def mean_page_f1(self) -> float:
        return statistics.mean(self.per_page.values())


def load_pages(split: str | None = None) -> list[Page]:
    """The labelled pages (optionally one split), sorted by name."""
    pages = []
    for path in sorted(PAGES.glob("*.html")):
        meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
        if split and meta.get("split") != split:
            continue
        pages.append(Page(path.stem, path.read_text(encoding="utf-8"),
                          path.with_suffix(".txt").read_text(encoding="utf-8"),
                          meta["title"], meta["published"], meta["url"], meta.get("split", "")))
    return pages


DEMO_BODY = ("//div[@class='article-content'] | //div[@class='story-text'] "
             "| //div[@class='story-body']")
DEMO_FURNITURE = "//blockquote[contains(@class, 'pullquote')] | //aside[@class='inline-related']"


def load_demo_pages() -> list[Page]:
    """The demo site's articles (written by other contributors, not tuned on), with gold text
    from the body containers its MANIFEST documents, less the pull quotes and inline "Read
    more" links inside them."""
    import lxml.html

    from aggregator.demo import DEMO_SITE

    pages = []
    for path in sorted((DEMO_SITE / "articles").rglob("*.html")):
        html = path.read_text(encoding="utf-8")
        tree = lxml.html.document_fromstring(html)
        for element in tree.xpath(DEMO_FURNITURE):
            element.drop_tree()
        body = tree.xpath(DEMO_BODY)
        if not body:
            continue
        blocks = [" ".join(b.text_content().split())
                  for b in body[0].iter("p", "li", "h2", "h3", "blockquote")]
        meta = tree.xpath("//meta[@property='article:published_time']/@content")
        pages.append(Page(f"demo/{path.parent.name}/{path.stem}", html,
                          "\n\n".join(b for b in blocks if b),
                          " ".join(tree.xpath("//h1")[0].text_content().split()),
                          meta[0][:10] if meta else "", f"http://127.0.0.1/{path.name}", "demo"))
    return pages


def shingles(text: str, n: int = 4) -> Counter:
    """Multiset of word n-gram shingles (a text shorter than n is one shingle)."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1))
                   if tokens[i:i + n])


def shingle_scores(gold: str, predicted: str) -> tuple[float, float]:
    """Precision and recall of the predicted text's shingles against the gold text's."""
    true, pred = shingles(gold), shingles(predicted)
    tp = sum((true & pred).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    if fp == fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def same_title(found: str | None, gold: str) -> bool:
    """Titles match after normalising case, quotes, dashes and whitespace."""
    def norm(value: str) -> str:
        value = unicodedata.normalize("NFKC", value).lower()
        value = re.sub(r"[‘’`]", "'", value)
        value = re.sub(r"[“”]", '"', value)
        value = re.sub(r"[–—]", "-", value)
        return " ".join(value.split())
    return bool(found) and norm(found) == norm(gold)


def score(name: str, pages: list[Page],
          run: Callable[[Page], tuple[str, str | None, str | None]]) -> Result:
    """Run one system over every page and score it (timing is done by :func:`run_all`)."""
    result = Result(name)
    for page in pages:
        text, title, published = run(page)
        precision, recall = shingle_scores(page.gold, text)
        result.precision.append(precision)
        result.recall.append(recall)
        result.per_page[page.name] = (2 * precision * recall / (precision + recall)
                                      if precision + recall else 0.0)
        result.titles.append(same_title(title, page.title))
        result.dates.append(bool(published) and published[:10] == page.published)
    return result


def timed_pass(pages: list[Page], run: Callable[[Page], object]) -> float:
    start = time.perf_counter()
    for page in pages:
        run(page)
    return time.perf_counter() - start


def ours(page: Page) -> tuple[str, str | None, str | None]:
    document = extract_document(page.html, page.url)
    return document.text, document.title, document.published


def trafilatura_default(page: Page) -> tuple[str, str | None, str | None]:
    return trafilatura.extract(page.html) or "", None, None


def trafilatura_no_comments(page: Page) -> tuple[str, str | None, str | None]:
    return trafilatura.extract(page.html, include_comments=False) or "", None, None


def trafilatura_metadata(pages: list[Page], result: Result) -> None:
    """Title and date accuracy of trafilatura's own metadata extraction (not timed)."""
    result.titles, result.dates = [], []
    for page in pages:
        meta = trafilatura.extract_metadata(page.html, default_url=page.url)
        result.titles.append(same_title(meta.title if meta else None, page.title))
        result.dates.append(bool(meta and meta.date) and meta.date[:10] == page.published)


SYSTEMS: list[tuple[str, Callable[[Page], tuple[str, str | None, str | None]]]] = [
    ("ours: extract_document", ours),
    ("trafilatura.extract(html)", trafilatura_default),
    ("trafilatura, include_comments=False", trafilatura_no_comments),
]


def run_all(pages: list[Page], repeat: int = 3) -> list[Result]:
    """Score ours and trafilatura (default, and without comments) on the same pages. Timed
    passes alternate between the systems, so a busy machine slows them alike; each system's
    time is its fastest pass."""
    results = [score(name, pages, run) for name, run in SYSTEMS]
    times: list[list[float]] = [[] for _ in SYSTEMS]
    for _ in range(repeat):
        for index, (_name, run) in enumerate(SYSTEMS):
            times[index].append(timed_pass(pages, run))
    for result, passes in zip(results, times, strict=True):
        result.seconds = min(passes)
    trafilatura_metadata(pages, results[1])
    trafilatura_metadata(pages, results[2])
    return results


def table(results: list[Result], pages: list[Page]) -> str:
    lines = ["| system | F1 | precision | recall | mean page F1 | title | date | pages/s |",
             "|---|---|---|---|---|---|---|---|"]
    for r in results:
        lines.append(f"| {r.name} | {r.f1:.3f} | {r.p:.3f} | {r.r:.3f} | {r.mean_page_f1:.3f} "
                     f"| {sum(r.titles)}/{len(pages)} | {sum(r.dates)}/{len(pages)} "
                     f"| {len(pages) / r.seconds:.0f} |")
    return "\n".join(lines)


def split_rows(pages: list[Page], results: list[Result]) -> str:
    lines = ["| split | pages | ours F1 | trafilatura F1 |", "|---|---|---|---|"]
    for split in ("dev", "holdout"):
        names = {p.name for p in pages if p.split == split}
        if not names:
            continue
        row = [split, str(len(names))]
        for r in results[:2]:
            idx = [i for i, p in enumerate(pages) if p.name in names]
            prec = statistics.mean(r.precision[i] for i in idx)
            rec = statistics.mean(r.recall[i] for i in idx)
            row.append(f"{2 * prec * rec / (prec + rec):.3f}")
        lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines)


def write_section(body: str) -> None:
    """Replace (or add) our section of docs/BENCHMARKS.md, leaving the others alone."""
    text = BENCHMARKS.read_text(encoding="utf-8") if BENCHMARKS.exists() else "# Benchmarks\n"
    pattern = re.compile(rf"^{re.escape(SECTION)}\n.*?(?=^## |\Z)", re.S | re.M)
    section = f"{SECTION}\n\n{body.strip()}\n\n"
    text = pattern.sub(lambda _m: section, text) if pattern.search(text) else (
        text.rstrip("\n") + "\n\n" + section)
    BENCHMARKS.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", action="store_true", help="per-page F1")
    parser.add_argument("--split", choices=["dev", "holdout", "demo"],
                        help="one split of tests/pages, or the demo site's articles")
    parser.add_argument("--repeat", type=int, default=3, help="timed passes (fastest counts)")
    parser.add_argument("--write", action="store_true", help="update docs/BENCHMARKS.md")
    args = parser.parse_args()
    pages = load_demo_pages() if args.split == "demo" else load_pages(args.split)
    for page in pages:  # warm up: lazy initialisation (justext stop lists, htmldate) is not timed
        ours(page)
        trafilatura_default(page)
    results = run_all(pages, args.repeat)
    if args.pages:
        width = max(len(p.name) for p in pages) + 1
        print(f"{'page':<{width}} {'split':<8} {'ours':>6} {'traf':>6}")
        for page in pages:
            print(f"{page.name:<{width}} {page.split:<8} {results[0].per_page[page.name]:6.3f} "
                  f"{results[1].per_page[page.name]:6.3f}")
        print()
    summary = table(results, pages)
    splits = split_rows(pages, results)
    print(summary, splits, sep="\n\n")
    if not args.write:
        return
    if args.split:
        parser.error("--write scores the whole page set: leave out --split")
    lengths = [len(p.gold.split()) for p in pages]
    low, high = min(lengths), max(lengths)
    demo = load_demo_pages()
    demo_summary = table(run_all(demo, args.repeat), demo)
    print("\ndemo site\n" + demo_summary)
    write_section(f"""Main-text extraction on the labelled page set in `tests/pages/`: {len(pages)}
pages written for this project in the markup of real kinds of site (WordPress/Elementor trade
press, Next.js and legacy public-broadcaster pages, a Guardian-like and a Register-like page,
GOV.UK, NHS trust and Drupal council news, Atlassian status pages, live blogs, AMP, consent
walls, a paywall, Substack, Ghost, Wix, a table-layout CMS...), {low} to {high} words of body.
Ours is `extract_document` **without** CSS selectors; trafilatura runs with default settings
in the same process on the same pages. Shingle F1 as in the article-extraction benchmarks: word
4-gram shingles, precision and recall per page averaged over pages, F1 of the two averages
("mean page F1" averages per-page F1 instead). Title and date: exact match with the gold
headline and the publisher's local publication date; trafilatura's come from
`trafilatura.extract_metadata` (not timed). Pages/s: fastest of {args.repeat} passes, one process,
after a warm-up pass, passes alternating between systems; our figure includes the metadata.
The machine is shared, so pages/s move by a third between runs; the ratio between the systems
is steadier. At this rate main-text extraction is a small share of ingest, whose spaCy stage
handles 5 to 8 documents/s; on a 370 KB live blog with 600 entries it takes about 0.5 s,
1.5 times trafilatura's time.

{summary}

Per split: `dev` pages' extracted text was inspected page by page while the cascade was
developed; `holdout` pages' extracted text never was (their per-page scores were seen twice:
in the first baseline run, where the table-layout CMS page scored 0 for the old cascade, and
when setting the test suite's per-page floor).

{splits}

The same systems on the demo site's {len(demo)} articles, written by other contributors (gold:
the body container documented in its MANIFEST, less the pull quotes and inline "Read more"
links inside it). They were first scored once the cascade was otherwise finished (ours 0.981,
trafilatura 0.938); looking at the misses, "strap" (the British newsroom word for a standfirst)
was then added to the furniture names:

{demo_summary}

Both page sets are project-written, so these are in-sample figures, not a substitute for a
public benchmark of real pages. Reproduce with
`.venv/bin/python bench/bench_text.py --write` (add `--pages` for per-page F1,
`--split dev|holdout|demo` for one set).""")
    print(f"\nwrote {BENCHMARKS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
