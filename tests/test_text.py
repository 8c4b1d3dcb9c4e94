"""Main-text extraction (aggregator/extract/text.py): behaviour, and the labelled page set."""

from __future__ import annotations

import json
import re
import statistics
from collections import Counter
from pathlib import Path

import pytest

from aggregator.extract import text as text_module
from aggregator.extract.text import extract_document, normalise_date, page_metadata

PAGES = Path(__file__).parent / "pages"
URL = "https://news.example/story"

BODY = [
    "The county's ambulance service moved its control room to paper on Monday night after the "
    "computer-aided dispatch system failed during a routine database upgrade.",
    "Call handlers logged 999 calls on paper forms and used radio to send crews, the service "
    "said, and the system was restored just after four in the morning.",
    "The service said there was no evidence that any patient had come to harm, and that the "
    "failure was caused by a fault in the upgrade rather than by a cyber attack.",
    "Union representatives said staff had coped well but that the backup procedures had not "
    "been rehearsed since the previous winter, and asked for regular practice sessions.",
]


def page(body: str, *, head: str = "", before: str = "", after: str = "") -> str:
    return (f"<!DOCTYPE html><html><head>{head}</head><body>{before}"
            f"<article>{body}</article>{after}</body></html>")


def paragraphs(items: list[str]) -> str:
    return "".join(f"<p>{p}</p>" for p in items)


# --- furniture removed, body kept ------------------------------------------------------------

FURNITURE_PAGE = page(
    f"""<h1>Ambulance control room back on paper after dispatch failure</h1>
    <p class="standfirst">Crews were sent by radio for five hours overnight</p>
    <div class="byline">By Jo Bloggs, health reporter</div>
    <div class="share-bar"><a href="#">Share on X</a> <a href="#">Share on Facebook</a></div>
    <figure><img src="a.jpg"><figcaption>The control room in happier times.</figcaption></figure>
    <div class="article-body">
      <p>{BODY[0]}</p>
      <aside class="pullquote"><p>the system was restored just after four in the morning</p></aside>
      <p>{BODY[1]}</p>
      <p><strong>Read more: <a href="/x">Hospital declares critical incident</a></strong></p>
      <blockquote class="pull-quote"><p>{BODY[2][:60]}</p></blockquote>
      <p>{BODY[2]}</p>
      <div class="newsletter-signup"><p>Get our free daily briefing on NHS technology news
        delivered to your inbox every weekday morning.</p></div>
      <ul><li>Calls answered within target: 92%</li><li>Longest wait: 14 minutes</li></ul>
      <p>{BODY[3]}</p>
    </div>
    <div class="related-stories"><h3>Related stories</h3><ul>
      <li><a href="/a">Trust fined over missed ambulance targets</a></li></ul></div>
    <section id="comments" class="comments-area"><h2>3 comments</h2>
      <div class="comment"><p>I work in a control room and paper is fine for a few hours
        but it does not scale to a whole weekend of calls.</p></div></section>""",
    head='<meta property="og:title" content="Ambulance control room back on paper after '
         'dispatch failure"><title>Ambulance control room back on paper | County News</title>',
    before='<div id="cookie-banner"><p>We use cookies to improve your experience of our '
           "website and to show you relevant advertising.</p></div>",
    after="<footer><p>Copyright County News Ltd. All rights reserved.</p></footer>")


@pytest.fixture(scope="module")
def furniture_doc():
    return extract_document(FURNITURE_PAGE, URL)


def test_body_paragraphs_and_list_items_kept(furniture_doc):
    for paragraph in BODY:
        assert paragraph in furniture_doc.text
    assert "Calls answered within target: 92%" in furniture_doc.text
    assert furniture_doc.extracted_by == "trafilatura"


@pytest.mark.parametrize("furniture", [
    "Ambulance control room back on paper after dispatch failure",  # headline
    "Crews were sent by radio",  # standfirst
    "Jo Bloggs",  # byline
    "Share on",  # share bar
    "happier times",  # caption
    "Read more",  # inline link
    "daily briefing",  # newsletter box
    "Trust fined",  # related stories
    "paper is fine for a few hours",  # comment
    "cookies",  # cookie banner
    "Copyright",  # footer
])
def test_furniture_removed(furniture_doc, furniture):
    assert furniture not in furniture_doc.text


def test_pull_quotes_not_repeated(furniture_doc):
    assert furniture_doc.text.count("restored just after four in the morning") == 1
    assert furniture_doc.text.count(BODY[2][:60]) == 1


def test_identical_long_paragraphs_kept_short_repeats_dropped():
    long = f"{BODY[0]} {BODY[1]}"
    lines = [long, "Share this story on social media", long,
             "Share this story on social media", BODY[2]]
    assert text_module._dedupe(lines) == [long, lines[1], long, BODY[2]]


def test_wrapper_with_furniture_like_class_is_kept():
    """WordPress post classes ("tag-…", "category-social-care", "comments-open") must not
    take the article with them."""
    html = page("", after=f'<div class="post category-social-care tag-nhs comments-open">'
                          f'<h1>Title</h1>{paragraphs(BODY)}</div>'
                          '<div class="sidebar"><p>Sign up to our newsletter.</p></div>')
    doc = extract_document(html.replace("<article></article>", ""), URL)
    for paragraph in BODY:
        assert paragraph in doc.text
    assert "newsletter" not in doc.text


def test_body_under_a_byline_like_name_is_kept():
    """Metered sites put the rest of the story in a "paywall" block after the teaser: a weak
    furniture name only removes an element that does not hold real paragraphs."""
    more = [f"{p} Officials said more details would follow." for p in BODY[:2]]
    html = page(f'<div class="meta byline">By Jo Bloggs, 4 June 2024</div>'
                f'<div class="story"><div class="teaser">{paragraphs(BODY)}</div>'
                f'<div class="content paywall">{paragraphs(more)}</div></div>')
    doc = extract_document(html, URL)
    for paragraph in BODY + more:
        assert paragraph in doc.text
    assert "Jo Bloggs" not in doc.text


def test_dateline_and_label_lines_dropped():
    lines = ["Posted on Tuesday 21 November 2023", "Published 18 September 2024",
             "By Jane Smith", "Advertisement", "Read more: Council confirms data breach",
             "Recommended changes include a second data centre and quarterly restore tests.",
             "By Tuesday, the outage had spread to every practice in the county."]
    kept = text_module.tidy_lines(lines, {})
    assert kept == lines[-2:]


def test_headline_dropped_only_at_the_start():
    lines = ["Hospital restores systems", "Body text of the article that is long enough.",
             "Hospital restores systems"]
    assert text_module.tidy_lines(lines, {"title": "Hospital restores systems"}) == lines[1:]


# --- the cascade -----------------------------------------------------------------------------

def test_selector_first_when_given():
    html = page(f'<div class="story">{paragraphs(BODY)}</div><p>Footer text here.</p>')
    doc = extract_document(html, URL, content_selector="div.story")
    assert doc.extracted_by == "selector"
    assert BODY[0] in doc.text and "Footer text" not in doc.text


def test_falls_back_to_density_when_trafilatura_returns_little(monkeypatch):
    monkeypatch.setattr(text_module, "_by_trafilatura", lambda *args, **kwargs: "")
    html = page(paragraphs(BODY), after=
                "<nav><ul><li><a href='/'>Home</a></li><li><a href='/n'>News</a></li></ul></nav>")
    doc = extract_document(html, URL)
    assert doc.extracted_by == "density"
    for paragraph in BODY:
        assert paragraph in doc.text
    assert "Home" not in doc.text


def test_density_keeps_text_in_spans_and_line_breaks():
    """Status pages and old CMSs hold text in <span>s and <br>-separated runs, not <p>s."""
    updates = "".join(
        f'<div class="row update-row"><div class="update-title">{status}</div>'
        f'<div class="update-body"><span class="pre-wrap">{body}</span></div></div>'
        for status, body in zip(["Resolved", "Identified", "Investigating"], BODY, strict=False))
    html = ("<html><head><title>CareBook Status - Messages delayed</title></head><body>"
            '<div class="updates-dropdown"><p>Get email notifications whenever CareBook '
            "creates, updates or resolves an incident.</p></div>"
            f'<div class="incident-updates-container">{updates}</div></body></html>')
    doc = extract_document(html, URL)
    for paragraph in BODY[:3]:
        assert paragraph in doc.text
    assert "notifications" not in doc.text
    old = ("<html><body><table><tr><td><a href='/'>Home</a></td><td class='content'><font>"
           + "<br><br>".join(BODY) + "</font></td></tr></table></body></html>")
    doc = extract_document(old, URL)
    assert all(paragraph in doc.text for paragraph in BODY)


def test_short_result_only_replaced_by_a_longer_one_that_contains_it(monkeypatch):
    short = BODY[0]
    assert not text_module._prefer_density([short], ["Cookie policy text " * 20])
    assert text_module._prefer_density([short], [short, BODY[1], BODY[2]])
    assert not text_module._prefer_density([" ".join(BODY)], [" ".join(BODY), "more " * 50])


@pytest.mark.parametrize("html", ["", "   ", "<html><frameset></frameset></html>",
                                  "plain text, no markup at all"])
def test_degenerate_pages_do_not_raise(html):
    doc = extract_document(html, URL)
    assert isinstance(doc.text, str)


def test_page_text_is_not_redecoded_by_its_charset_declaration():
    html = ('<?xml version="1.0" encoding="utf-8"?><html><head><meta charset="iso-8859-1">'
            f"</head><body><p>Café – {BODY[0]}</p></body></html>")
    assert "Café –" in extract_document(html, URL).text


# --- title, date, canonical ------------------------------------------------------------------

def test_title_is_the_visible_headline_not_the_logo_or_seo_title():
    head = ('<meta property="og:title" content="Ambulance outage: control room on paper">'
            "<title>Ambulance outage: control room on paper | County News</title>")
    html = page(f"<h1>Ambulance control room back on paper after dispatch failure</h1>"
                f"{paragraphs(BODY)}", head=head, before='<h1 class="logo">County News</h1>')
    assert extract_document(html, URL).title == ("Ambulance control room back on paper after "
                                                 "dispatch failure")


def test_title_from_title_tag_without_site_name():
    html = ('<html><head><meta property="og:site_name" content="CareBook Status">'
            "<title>CareBook Status - Messages delayed for some practices</title></head>"
            f"<body>{paragraphs(BODY)}</body></html>")
    assert extract_document(html, URL).title == "Messages delayed for some practices"
    assert page_metadata("<html><head><title>Council news :: Bins delayed by snow</title>"
                         "</head><body></body></html>")["title"] == "Bins delayed by snow"


def test_feed_title_and_date_take_precedence():
    doc = extract_document(FURNITURE_PAGE, URL, title="Feed title", published="2024-01-02")
    assert (doc.title, doc.published) == ("Feed title", "2024-01-02")


def test_date_keeps_the_publishers_local_day():
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", '
            '"dateModified": "2024-06-05T09:00:00+01:00", '
            '"datePublished": "2024-06-04T00:30:00+01:00"}</script>')
    meta = page_metadata(page(paragraphs(BODY), head=head))
    assert meta["published"] == "2024-06-04T00:30:00+01:00"


@pytest.mark.parametrize(("raw", "expected"), [
    ("2024-06-04T00:30:00+01:00", "2024-06-04T00:30:00+01:00"),
    ("2024-06-04T10:00:00.000Z", "2024-06-04T10:00:00+00:00"),
    ("2019/06/05 09:12:00", "2019-06-05T09:12:00"),
    ("2024-06-04", "2024-06-04"),
    ("2024-06-04T00:00:00", "2024-06-04"),
    ("1717459200", "2024-06-04T00:00:00+00:00"),
    ("20th June", None),
])
def test_normalise_date(raw, expected):
    assert normalise_date(raw) == expected


def test_visible_date_ignores_sidebar_dates():
    sidebar = ('<aside class="sidebar"><h2>Latest news</h2><ul><li><a href="/a">Other story</a>'
               '<time datetime="2024-08-05">5 August 2024</time></li></ul></aside>')
    html = page(f'<h1>Lab update</h1><p class="news-date">Posted on Wednesday 7 August 2024</p>'
                f"{paragraphs(BODY)}", before=sidebar)
    assert extract_document(html, URL).published.startswith("2024-08-07")


def test_canonical_link():
    html = page(paragraphs(BODY), head='<link rel="canonical" href="https://news.example/a">')
    assert extract_document(html, URL).canonical_url == "https://news.example/a"


# --- the labelled page set -------------------------------------------------------------------

def _shingles(text: str) -> Counter:
    tokens = re.findall(r"\w+", text)
    return Counter(tuple(tokens[i:i + 4]) for i in range(max(1, len(tokens) - 3)))


def _precision_recall(gold: str, predicted: str) -> tuple[float, float]:
    true, pred = _shingles(gold), _shingles(predicted)
    tp = sum((true & pred).values())
    return (tp / sum(pred.values()) if pred else 0.0), tp / sum(true.values())


@pytest.fixture(scope="module")
def page_set():
    names = sorted(p.stem for p in PAGES.glob("*.html"))
    out = []
    for name in names:
        meta = json.loads((PAGES / f"{name}.json").read_text(encoding="utf-8"))
        html = (PAGES / f"{name}.html").read_text(encoding="utf-8")
        gold = (PAGES / f"{name}.txt").read_text(encoding="utf-8")
        out.append((name, meta, gold, extract_document(html, meta["url"])))
    return out


def test_page_set_is_complete_and_varied(page_set):
    assert len(page_set) >= 40
    words = [len(gold.split()) for _, _, gold, _ in page_set]
    assert min(words) < 100 and max(words) > 800
    assert len({meta["layout"] for _, meta, _, _ in page_set}) >= 20
    assert {meta["split"] for _, meta, _, _ in page_set} == {"dev", "holdout"}


def test_page_set_matches_its_sources():
    """The committed pages are what tests/pages/build.py renders from tests/pages/src."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("build_pages", PAGES / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for source in sorted((PAGES / "src").glob("*.yaml")):
        for suffix, content in build.render(source.stem).items():
            assert (PAGES / f"{source.stem}{suffix}").read_text(encoding="utf-8") == content, \
                f"{source.stem}{suffix} is stale: run tests/pages/build.py"


def test_page_set_shingle_f1_floor(page_set):
    """Measured 0.984 (bench/bench_text.py; plain trafilatura 0.932 on the same pages)."""
    scores = {name: _precision_recall(gold, doc.text) for name, _, gold, doc in page_set}
    precision = statistics.mean(p for p, _ in scores.values())
    recall = statistics.mean(r for _, r in scores.values())
    f1 = 2 * precision * recall / (precision + recall)
    assert f1 >= 0.97, f"page-set shingle F1 fell to {f1:.3f}"
    worst = {name: 2 * p * r / (p + r) if p + r else 0.0 for name, (p, r) in scores.items()}
    collapsed = {name: round(f, 3) for name, f in worst.items() if f < 0.75}
    assert not collapsed, f"pages whose extraction collapsed: {collapsed}"


def test_page_set_titles_and_dates(page_set):
    titles = sum(doc.title == meta["title"] for _, meta, _, doc in page_set)
    dates = sum((doc.published or "")[:10] == meta["published"] for _, meta, _, doc in page_set)
    assert titles >= len(page_set) - 1
    assert dates >= len(page_set) - 1
