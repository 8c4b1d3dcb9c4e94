"""Main text, title, publication date and canonical link of an article page.

A cascade: the source's own ``content`` CSS selector when feeds.yaml gives one; otherwise
trafilatura on a copy of the page with its furniture removed (comment threads, share bars,
newsletter and "related" boxes, captions, bylines, cookie banners, standfirsts...), then a
clean-up of the lines it returns (headline, datelines, "Read more" links, repeated pull quotes);
and a block-density extractor over the same de-furnished page, chosen instead when
trafilatura's result is short or misses most of the page's running text.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from copy import deepcopy
from datetime import UTC, datetime

import lxml.html
import trafilatura
from lxml import etree

from aggregator.models import Document
from aggregator.parse import html_to_text

log = logging.getLogger(__name__)

MIN_WORDS = 60  # below this an extractor's result is treated as a failure

def _split(words: str) -> list[str]:
    return words.split()


# --- furniture: elements removed before extraction -------------------------------------------

_ALWAYS_DROP = ("script", "style", "noscript", "template", "svg", "iframe", "object", "embed",
                "canvas", "select", "option", "input", "textarea", "button", "figcaption",
                "dialog", "amp-ad", "amp-sidebar", "amp-consent", "amp-analytics",
                "amp-social-share", "amp-carousel")
# structural tags dropped unless they hold the main text (some sites wrap everything in <form>)
_DROP_UNLESS_MAIN = ("nav", "aside", "footer", "header", "form", "menu")
# class/id tokens (split on -, _ and camelCase) that mark furniture
_FURNITURE_TOKENS = frozenset(_split("""
    comment comments commentlist disqus respond discussion replies
    related recommended recommendations recirculation outbrain taboola onward
    promo sponsored advert adverts advertisement advertising ad ads adslot adunit
    dfp gpt mpu leaderboard billboard
    newsletter newsletters subscribe subscription signup
    share shares sharing sharebar sharedaddy addthis social
    cookie cookies consent gdpr onetrust cmp
    breadcrumb breadcrumbs caption captions credit copyright
    pullquote tags topics keywords
    sidebar toc pagination pager
    feedback survey helpful modal popup overlay
    search login
    trending popular mostread mostpopular mostviewed dropdown
    """))
# words that usually mark a byline, standfirst or date block but that some sites also put on
# part of the body (a metered site's "paywall" remainder): such an element stays when it
# holds two or more real paragraphs
_WEAK_TOKENS = frozenset(_split("""
    paywall byline bylines dateline timestamp meta metadata author authors banner
    standfirst subtitle strap strapline deck dek excerpt
    """))
_FURNITURE_TOKENS = _FURNITURE_TOKENS | _WEAK_TOKENS
# what carries other pages' dates (dropped for the date search, which keeps datelines)
_OTHER_PAGES_TOKENS = frozenset(_split("""
    comment comments commentlist disqus respond discussion replies related recommended
    recommendations recirculation outbrain taboola onward promo sidebar trending popular
    mostread mostpopular mostviewed dropdown
    """))
_FURNITURE_ROLES = frozenset(_split(
    "navigation complementary contentinfo banner search dialog alertdialog"))
_FURNITURE_RAW = re.compile(
    r"(?:^|[\s_-])(?:read-?more|more-(?:stories|from|like|on|news|articles)|most-(?:read|popular|"
    r"viewed)|sign-up|sub-title|pull-quote|sr-only|visually-hidden|screen-reader|off-?screen|"
    r"hide-visually|u-hide|print-only|skip-link|post-navigation|nav-links|author-bio|key-events|"
    r"tag-?(?:list|cloud|links))"
    r"(?:$|[\s_-])", re.I)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# --- lines removed from the extracted text ---------------------------------------------------

# cue words that introduce a link or a widget when followed by a colon ("Read more: ...")
_CUE_COLON = re.compile(
    r"^\W*(?:read more|read next|more|related|see also|also read|watch|listen|recommended|"
    r"more on this(?: story)?|most read|don'?t miss|sponsored|advertisement|image|photograph|"
    r"picture|source)\s*:", re.I)
# phrases that are furniture wherever they open a short line
_CUE_PHRASE = re.compile(
    r"^\W*(?:read more\b|sign up (?:to|for)\b|subscribe (?:to|for|now)\b|follow us\b|"
    r"share this(?: article| page| story| post)?\b|share on\b|skip past\b|"
    r"after newsletter promotion|most read\b|don'?t miss\b|more on this story\b|"
    r"you may also like\b|image (?:caption|copyright|source)\b|reuse this content|"
    r"explore more on these topics|related (?:articles|stories|content|topics)\b)", re.I)
# a whole line that is nothing but a widget label
_LABEL_LINE = re.compile(r"^\W*(?:advertisement|sponsored|share|related|print|email|comments?|"
                         r"(?:\d+\s+)?comments?)\W*$", re.I)
_DATE_WORDS = (r"(?:\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
               r"[a-z]*\.?(?:\s+\d{4})?|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*"
               r"\.?\s+\d{1,2}(?:st|nd|rd|th)?,?(?:\s+\d{4})?|\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4})")
_DATE_LINE = re.compile(
    rf"^(?:(?:posted|published|updated|last updated|first published|date|created|modified)"
    rf"(?: on| at)?:?\s+)?(?:[a-z]+day,?\s+)?(?:\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]m)?\s*,?\s*)?"
    rf"{_DATE_WORDS}(?:\s*(?:[-–,|]|at)?\s*\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]m|bst|gmt|utc|et)?,?)?"
    rf"(?:\s*(?:,\s*)?(?:uk|bst|gmt|utc))?\W*$", re.I)
_BYLINE = re.compile(r"^[Bb]y\s+[A-Z][\w'’.-]+(?:\s+(?:[A-Z][\w'’.-]+|and|&|,))*\W*$")


# --- entry point -----------------------------------------------------------------------------

def extract_document(html: str, url: str, *, content_selector: str | None = None,
                     title: str | None = None, published: str | None = None) -> Document:
    """Extract a :class:`Document` from a page. ``title`` and ``published`` (from the feed)
    take precedence over what the page itself says."""
    tree = parse_html(html)
    meta = page_metadata(tree) if tree is not None else {}
    text, method = "", "none"
    if content_selector:
        text, method = _by_selector(html, content_selector), "selector"
    if _words(text) < MIN_WORDS and tree is not None:
        text, method = main_text(tree, url, meta)
    return Document(
        url=url,
        title=title or meta.get("title"),
        text=text,
        published=published or meta.get("published"),
        html=html,
        canonical_url=meta.get("canonical"),
        extracted_by=method,
    )


def parse_html(html: str) -> lxml.html.HtmlElement | None:
    """The page as an lxml tree, or None when there is nothing to parse. The page is already
    text, so a ``<meta charset>`` or XML encoding declaration inside it is ignored."""
    if not html or not html.strip():
        return None
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        return lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError) as exc:
        log.debug("unparsable page: %s", exc)
        return None


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def main_text(tree: lxml.html.HtmlElement, url: str,
              meta: dict[str, str] | None = None) -> tuple[str, str]:
    """The article body of a parsed page, and which extractor produced it."""
    meta = meta if meta is not None else page_metadata(tree)
    cleaned = strip_furniture(deepcopy(tree))
    best_lines = tidy_lines(_by_trafilatura(cleaned, url).splitlines(), meta)
    if _words("\n".join(best_lines)) < MIN_WORDS:  # short: let trafilatura favour recall
        recall = tidy_lines(_by_trafilatura(cleaned, url, favor_recall=True).splitlines(), meta)
        if _words("\n".join(recall)) > _words("\n".join(best_lines)):
            best_lines = recall
    method = "trafilatura"
    if _words("\n".join(best_lines)) < MIN_WORDS:
        density_lines = tidy_lines(_by_density(cleaned).splitlines(), meta)
        if _prefer_density(best_lines, density_lines):
            best_lines, method = density_lines, "density"
    return "\n\n".join(best_lines), method


# --- furniture removal -----------------------------------------------------------------------

def strip_furniture(tree: lxml.html.HtmlElement,
                    tokens: frozenset[str] | None = None) -> lxml.html.HtmlElement:
    """Remove (in place) what is never article text: scripts, form widgets, captions, and
    elements whose tag, class, id, role or visibility marks them as furniture (``tokens``:
    the class/id words that do). The element holding the page's main run of text is never
    removed, nor are its ancestors, whatever their names say."""
    tokens = _FURNITURE_TOKENS if tokens is None else tokens
    etree.strip_elements(tree, etree.Comment, etree.ProcessingInstruction, with_tail=False)
    for element in list(tree.iter(*_ALWAYS_DROP)):
        if element.getparent() is not None:
            element.drop_tree()
    body = tree.find("body")
    if body is None:
        return tree
    marks = {el: _furniture_mark(el, tokens) for el in body.iter()
             if isinstance(el.tag, str) and el is not body}
    flagged = [el for el, mark in marks.items() if mark]
    protected = _protected(body, set(flagged))
    for element in flagged:
        if element in protected or element.getparent() is None:
            continue
        if marks[element] == "weak" and _paragraphs(element) >= 2:
            continue  # body text under a byline-like name
        element.drop_tree()
    return tree


def _paragraphs(element: lxml.html.HtmlElement) -> int:
    """How many blocks of running text (12 words or more outside links) an element holds."""
    return sum(1 for node in element.iter() if isinstance(node.tag, str)
               and node.tag in _BLOCKS and _own_words(node) >= 12)


def _protected(body: lxml.html.HtmlElement,
               flagged: set[lxml.html.HtmlElement]) -> set[lxml.html.HtmlElement]:
    """The main text container and its ancestors. It is looked for outside the flagged
    elements first; if what is left there is much thinner than the page's densest text, the
    page's own wrapper must carry a furniture-like name, and the densest text is kept."""
    (node_all, score_all), (node_clean, score_clean) = _densest(body, skip=flagged)
    node = node_clean if node_clean is not None and score_clean >= 0.5 * score_all else node_all
    return set() if node is None else {node, *node.iterancestors()}


def _furniture_mark(element: lxml.html.HtmlElement, tokens: frozenset[str]) -> str:
    """"strong" for furniture, "weak" for a name that only suggests it, "" otherwise."""
    if element.tag in _DROP_UNLESS_MAIN:
        return "strong"
    if element.get("hidden") is not None or element.get("aria-hidden") == "true":
        return "strong"
    if (element.get("role") or "") in _FURNITURE_ROLES:
        return "strong"
    style = element.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return "strong"
    names = " ".join(filter(None, (element.get("class"), element.get("id"),
                                   element.get("data-component"))))
    if not names or element.tag in ("article", "main") or element.get("role") == "main" \
            or element.get("itemprop") == "articleBody":
        return ""  # containers that declare themselves the content keep their odd names
    if tokens is _FURNITURE_TOKENS and _FURNITURE_RAW.search(names):
        return "strong"
    words = {part.lower() for word in names.split()
             for part in re.split(r"[-_]+", _CAMEL.sub("-", word))}
    found = words & tokens
    if not found:
        return ""
    return "weak" if found <= _WEAK_TOKENS else "strong"


# --- extractors ------------------------------------------------------------------------------

def _by_selector(html: str, selector: str) -> str:
    from bs4 import BeautifulSoup  # soupsieve semantics, as feeds.yaml selectors are validated

    nodes = BeautifulSoup(html, "lxml").select(selector)
    return "\n\n".join(html_to_text(str(node)) for node in nodes).strip()


def _by_trafilatura(tree: lxml.html.HtmlElement, url: str, favor_recall: bool = False) -> str:
    try:
        text = trafilatura.extract(tree, url=url, include_comments=False, include_tables=True,
                                   deduplicate=False, favor_recall=favor_recall)
    except Exception as exc:  # trafilatura may raise on pathological markup
        log.warning("trafilatura failed on %s: %s", url, exc)
        return ""
    return (text or "").strip()


_BLOCKS = frozenset(_split("p div li ul ol h1 h2 h3 h4 h5 h6 blockquote td th tr table section "
                           "article main pre dd dt dl figure br hr center"))


def _by_density(tree: lxml.html.HtmlElement) -> str:
    """Fallback: the container with the most running text (paragraphs, and text separated by
    line breaks or held directly in divs and spans), as lines."""
    body = tree.find("body")
    if body is None:
        return ""
    best, _score = _densest(body)[0]
    if best is None:
        return ""
    parent = best.getparent()
    if parent is not None and best is not body and any(
            sibling is not best and sibling.tag == best.tag
            and sibling.get("class") == best.get("class") and _words(sibling.text_content()) >= 6
            for sibling in parent):
        best = parent  # repeated blocks (status updates, live-blog posts): take them all
    return "\n".join(_lines(best))


def _densest(body: lxml.html.HtmlElement, skip: set[lxml.html.HtmlElement] | None = None
             ) -> tuple[tuple[lxml.html.HtmlElement | None, float],
                        tuple[lxml.html.HtmlElement | None, float]]:
    """The element whose children hold the most running text (outside links), readability
    style: each text block scores its parent in full and its grandparent by half. Returns the
    best over the whole page and the best counting no text inside ``skip`` elements."""
    scores: Counter = Counter()
    clean: Counter = Counter()
    nodes: dict[int, lxml.html.HtmlElement] = {}
    stack: list[tuple[lxml.html.HtmlElement, bool]] = [(body, False)]
    while stack:
        element, skipped = stack.pop()
        skipped = skipped or (skip is not None and element in skip)
        stack.extend((child, skipped) for child in element if isinstance(child.tag, str))
        words = _own_words(element)
        if words < 6:
            continue
        parent = element.getparent()
        grandparent = parent.getparent() if parent is not None else None
        for node, weight in ((parent, 1.0), (grandparent, 0.5)):
            if node is not None:
                scores[id(node)] += words * weight
                if not skipped:
                    clean[id(node)] += words * weight
                nodes[id(node)] = node

    def best(counter: Counter) -> tuple[lxml.html.HtmlElement | None, float]:
        if not counter:
            return None, 0.0
        key, score = counter.most_common(1)[0]
        return nodes[key], score

    return best(scores), best(clean)


def _own_words(element: lxml.html.HtmlElement) -> int:
    """Words in text that sits directly in the element (not in child blocks or links)."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag not in _BLOCKS and child.tag != "a":
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return len(" ".join(parts).split())


def _lines(element: lxml.html.HtmlElement) -> list[str]:
    """Text of an element with a line break at every block boundary."""
    out: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = " ".join(" ".join(buffer).split())
        if line:
            out.append(line)
        buffer.clear()

    def walk(node: lxml.html.HtmlElement) -> None:
        block = isinstance(node.tag, str) and node.tag in _BLOCKS
        if block:
            flush()
        if isinstance(node.tag, str):
            buffer.append(node.text or "")
            for child in node:
                walk(child)
        if block:
            flush()
        buffer.append(node.tail or "")

    walk(element)
    flush()
    return out


def _prefer_density(chosen: list[str], density: list[str]) -> bool:
    """Whether the density extractor's lines should replace trafilatura's: only when
    trafilatura's are short, and the density extractor's are longer and either contain them
    (trafilatura stopped short in the right place) or trafilatura found next to nothing."""
    ours, theirs = _words("\n".join(chosen)), _words("\n".join(density))
    if ours >= MIN_WORDS or theirs <= ours:
        return False
    if ours < 20:
        return True
    mine, other = _shingles("\n".join(chosen)), _shingles("\n".join(density))
    return sum((mine & other).values()) >= 0.8 * sum(mine.values())


def _shingles(text: str, n: int = 4) -> Counter:
    tokens = re.findall(r"\w+", text.lower())
    return Counter(tuple(tokens[i:i + n]) for i in range(max(1, len(tokens) - n + 1)))


# --- line clean-up ---------------------------------------------------------------------------

def tidy_lines(lines: list[str], meta: dict[str, str]) -> list[str]:
    """Drop furniture lines an extractor let through: the headline, datelines and bylines,
    "Read more"-style cue lines, and lines repeated elsewhere in the text (pull quotes)."""
    titles = {_norm(t) for t in (meta.get("title"), meta.get("og_title"), meta.get("h1")) if t}
    kept: list[str] = []
    for raw in lines:
        line = " ".join(raw.split())
        line = re.sub(r"^[-*•]\s+", "- ", line)
        if not line:
            continue
        plain = line.lstrip("-• ").strip()
        words = len(plain.split())
        if not kept and titles and _norm(plain) in titles:
            continue
        if words <= 12 and (_DATE_LINE.match(plain) or _BYLINE.match(plain)):
            continue
        if (words <= 25 and (_CUE_COLON.match(plain) or _CUE_PHRASE.match(plain))) \
                or _LABEL_LINE.match(plain):
            continue
        kept.append(line)
    return _dedupe(kept)


def _dedupe(lines: list[str], n: int = 6) -> list[str]:
    """Drop lines of ``n`` words or more whose every run of ``n`` words also occurs in a
    different line (pull quotes, repeated summaries), and later copies of identical short
    lines (repeated labels); identical long paragraphs are kept. Linear in the text's length."""
    normed = [_norm(line) for line in lines]
    grams: dict[str, set[tuple[str, ...]]] = {}
    for norm in normed:
        if norm not in grams:
            words = norm.split()
            grams[norm] = {tuple(words[i:i + n]) for i in range(len(words) - n + 1)}
    counts = Counter(g for line_grams in grams.values() for g in line_grams)
    seen: set[str] = set()
    out = []
    for line, norm in zip(lines, normed, strict=True):
        line_grams = grams[norm]
        repeated = norm in seen and len(norm.split()) <= 25
        if line_grams and (repeated or all(counts[g] > 1 for g in line_grams)):
            continue
        seen.add(norm)
        out.append(line)
    return out


_QUOTES = str.maketrans({"‘": "'", "’": "'", "`": "'", "“": " ", "”": " ", '"': " "})
_NON_WORD = re.compile(r"[^\w']+")


def _norm(text: str) -> str:
    """Lower-case words (apostrophes kept, other punctuation dropped), space-separated."""
    return _NON_WORD.sub(" ", text.lower().translate(_QUOTES)).strip()


# --- metadata --------------------------------------------------------------------------------

_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished",
                   "govuk:first-published-at", "dc.date.issued", "dcterms.issued",
                   "dcterms.created", "dc.date.created", "originalpublicationdate",
                   "rnews:datepublished", "date", "pubdate", "publishdate", "publish-date",
                   "parsely-pub-date", "sailthru.date", "dc.date", "dcterms.date")


def page_metadata(tree: lxml.html.HtmlElement | str) -> dict[str, str]:
    """Title, publication date and canonical URL from the page's own metadata (also its
    og:title and first headline, used to recognise the headline in the text)."""
    if isinstance(tree, str):
        parsed = parse_html(tree)
        if parsed is None:
            return {}
        tree = parsed
    found: dict[str, str] = {}
    canonical = tree.xpath("//link[@rel='canonical']/@href")
    if canonical and canonical[0].strip():
        found["canonical"] = canonical[0].strip()
    metas = _meta_tags(tree)
    headline = _headline(tree, metas)
    if headline:
        found["title"] = headline
    if metas.get("og:title"):
        found["og_title"] = metas["og:title"]
    h1 = tree.xpath("(//h1)[1]")
    if h1:
        found["h1"] = " ".join(h1[0].text_content().split())
    date = _json_ld_date(tree) or next((metas[k] for k in _PUBLISHED_META if metas.get(k)), None)
    normalised = normalise_date(date) if date else None
    if not normalised:
        normalised = _visible_date(tree)
    if normalised:
        found["published"] = normalised
    return found


def _meta_tags(tree: lxml.html.HtmlElement) -> dict[str, str]:
    """First content of each <meta> name/property/itemprop, lower-cased keys."""
    metas: dict[str, str] = {}
    for tag in tree.iter("meta"):
        key = tag.get("property") or tag.get("name") or tag.get("itemprop")
        value = tag.get("content")
        if key and value and value.strip():
            metas.setdefault(key.strip().lower(), " ".join(value.split()))
    for tag in tree.xpath("//*[@itemprop='datePublished'][@content or @datetime]"):
        metas.setdefault("datepublished", tag.get("content") or tag.get("datetime"))
    return metas


def _headline(tree: lxml.html.HtmlElement, metas: dict[str, str]) -> str | None:
    """The visible headline: the <h1> that agrees with the page's declared titles (og:title,
    JSON-LD headline, <title> without the site name), else og:title, else the main <h1>, else
    the <title> without the site name."""
    title_tag = " ".join((tree.findtext(".//title") or "").split())
    page_title = _strip_site_name(title_tag, metas.get("og:site_name")) if title_tag else None
    declared = [metas.get("og:title"), metas.get("twitter:title"), _json_ld_headline(tree),
                page_title]
    declared_words = [set(_norm(d).split()) for d in declared if d]
    best, best_score = None, 0.0
    for h1 in tree.iter("h1"):
        text = " ".join(h1.text_content().split())
        words = set(_norm(text).split())
        if not words:
            continue
        agreement = max((len(words & d) / max(len(words), len(d)) for d in declared_words if d),
                        default=0.0)
        in_main = any(a.tag in ("article", "main") for a in h1.iterancestors())
        score = agreement + (0.2 if in_main else 0.0)
        if score > best_score:
            best, best_score = text, score
    if best and best_score >= 0.6:
        return best
    return metas.get("og:title") or best or page_title or None


def _strip_site_name(title: str, site: str | None) -> str:
    """A <title> without the site name: drop segments naming the site, else keep the
    longest segment."""
    parts = [p.strip() for p in re.split(r"\s+[|•:–—-]\s+|\s+::\s+", title) if p.strip()]
    if len(parts) < 2:
        return title
    if site:
        rest = [p for p in parts if _norm(site) not in _norm(p)]
        if rest and len(rest) < len(parts):
            return " - ".join(rest)
    return max(parts, key=len)


def _json_ld_nodes(tree: lxml.html.HtmlElement) -> list[dict]:
    nodes: list[dict] = []
    for script in tree.xpath("//script[@type='application/ld+json']"):
        try:
            data = json.loads(script.text or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                nodes.append(node)
                stack.extend(v for v in node.values() if isinstance(v, list | dict))
    return nodes


_ARTICLE_TYPES = re.compile(r"Article|Posting|Report|Blog|NewsArticle", re.I)


def _json_ld_date(tree: lxml.html.HtmlElement) -> str | None:
    dates = [(bool(_ARTICLE_TYPES.search(str(n.get("@type", "")))), str(n["datePublished"]))
             for n in _json_ld_nodes(tree) if n.get("datePublished")]
    dates.sort(key=lambda pair: not pair[0])  # article types first, then document order
    return dates[0][1] if dates else None


def _json_ld_headline(tree: lxml.html.HtmlElement) -> str | None:
    for node in _json_ld_nodes(tree):
        if node.get("headline") and _ARTICLE_TYPES.search(str(node.get("@type", ""))):
            return str(node["headline"])
    return None


def _visible_date(tree: lxml.html.HtmlElement) -> str | None:
    """The date from the page's markup (htmldate, no guessing from the text), looked for in a
    copy without sidebars, related lists and comments, whose dates belong to other pages."""
    try:
        import htmldate

        cleaned = strip_furniture(deepcopy(tree), _OTHER_PAGES_TOKENS)
        found = htmldate.find_date(cleaned, extensive_search=False, original_date=True)
    except Exception:  # htmldate may raise on pathological markup
        log.debug("htmldate failed", exc_info=True)
        return None
    return found or None


def normalise_date(value: str) -> str | None:
    """An ISO 8601 string for a date or date-time written in a common machine format. A
    date-time keeps the publisher's UTC offset, so its first ten characters are the
    publisher's local date (what "yesterday" in the text is relative to)."""
    value = value.strip()
    if re.fullmatch(r"\d{4}/\d{2}/\d{2}(?: \d{2}:\d{2}(?::\d{2})?)?", value):
        value = value.replace("/", "-", 2)  # 2019/06/05 09:12:00
    if re.fullmatch(r"\d{10}(?:\d{3})?", value):  # Unix seconds or milliseconds
        stamp = int(value) / (1000 if len(value) == 13 else 1)
        return datetime.fromtimestamp(stamp, UTC).isoformat()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        return "-".join(match.groups()) if match else None
    if parsed.tzinfo:
        return parsed.replace(microsecond=0).isoformat()
    return (parsed.replace(microsecond=0).isoformat() if (parsed.hour or parsed.minute)
            else parsed.date().isoformat())


def _words(text: str) -> int:
    return len(text.split())
