"""Main text, title, publication date and canonical link of an article page.

A cascade: the source's own ``content`` CSS selector when feeds.yaml gives one, then
trafilatura, then a paragraph-density fallback when trafilatura's result is short.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

import trafilatura
from bs4 import BeautifulSoup, Tag

from aggregator.models import Document
from aggregator.parse import html_to_text

log = logging.getLogger(__name__)

MIN_WORDS = 60  # below this an extractor's result is treated as a failure
FURNITURE = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
             "svg", "button", "figure"]
FURNITURE_HINTS = re.compile(
    r"cookie|consent|newsletter|subscribe|related|share|social|promo|advert|sidebar|"
    r"most-read|popular|comment|footer|breadcrumb|menu|nav|signup|sign-up|tags", re.I)


def extract_document(html: str, url: str, *, content_selector: str | None = None,
                     title: str | None = None, published: str | None = None) -> Document:
    """Extract a :class:`Document` from a page. ``title`` and ``published`` (from the feed)
    take precedence over what the page itself says."""
    soup = BeautifulSoup(html, "lxml")
    meta = page_metadata(soup)
    text, method = "", ""
    if content_selector:
        text, method = _by_selector(soup, content_selector), "selector"
    if _words(text) < MIN_WORDS:
        text, method = _by_trafilatura(html, url), "trafilatura"
    if _words(text) < MIN_WORDS:
        fallback = _by_density(soup)
        if _words(fallback) > _words(text):
            text, method = fallback, "density"
    return Document(
        url=url,
        title=title or meta.get("title"),
        text=text,
        published=published or meta.get("published"),
        html=html,
        canonical_url=meta.get("canonical"),
        extracted_by=method,
    )


def page_metadata(soup: BeautifulSoup) -> dict[str, str]:
    """Title, publication date and canonical URL from the page's own metadata."""
    found: dict[str, str] = {}
    canonical = soup.find("link", rel="canonical")
    if canonical and canonical.get("href"):
        found["canonical"] = canonical["href"].strip()
    og_title = soup.find("meta", property="og:title")
    h1 = soup.find("h1")
    if og_title and og_title.get("content"):
        found["title"] = og_title["content"].strip()
    elif h1 and h1.get_text(strip=True):
        found["title"] = h1.get_text(" ", strip=True)
    elif soup.title and soup.title.string:
        found["title"] = soup.title.string.strip()
    date = _json_ld_date(soup)
    if not date:
        for attrs in ({"property": "article:published_time"}, {"name": "article:published_time"},
                      {"itemprop": "datePublished"}, {"name": "date"}, {"name": "pubdate"},
                      {"name": "dc.date"}, {"name": "DC.date.issued"}):
            tag = soup.find("meta", attrs=attrs)
            if tag and tag.get("content"):
                date = tag["content"]
                break
    if not date:
        time_tag = soup.find("time", attrs={"datetime": True})
        if time_tag:
            date = time_tag["datetime"]
    normalised = normalise_date(date) if date else None
    if normalised:
        found["published"] = normalised
    return found


def normalise_date(value: str) -> str | None:
    """An ISO 8601 string for a date or date-time written in a common machine format."""
    value = value.strip()
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        match = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
        return "-".join(match.groups()) if match else None
    if parsed.tzinfo:
        parsed = parsed.astimezone(UTC)
        return parsed.isoformat()
    return parsed.isoformat() if (parsed.hour or parsed.minute) else parsed.date().isoformat()


def _json_ld_date(soup: BeautifulSoup) -> str | None:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except (json.JSONDecodeError, TypeError):
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                if node.get("datePublished"):
                    return str(node["datePublished"])
                stack.extend(v for v in node.values() if isinstance(v, list | dict))
    return None


def _by_selector(soup: BeautifulSoup, selector: str) -> str:
    nodes = soup.select(selector)
    return "\n\n".join(html_to_text(str(node)) for node in nodes).strip()


def _by_trafilatura(html: str, url: str) -> str:
    try:
        text = trafilatura.extract(html, url=url, include_comments=False, include_tables=False,
                                   favor_precision=True, deduplicate=False)
    except Exception as exc:  # trafilatura may raise on pathological markup
        log.warning("trafilatura failed on %s: %s", url, exc)
        return ""
    return (text or "").strip()


def _by_density(soup: BeautifulSoup) -> str:
    """Fallback: strip furniture, then take the container with the most paragraph text."""
    soup = BeautifulSoup(str(soup), "lxml")  # work on a copy
    for tag in soup(FURNITURE):
        tag.decompose()
    for tag in soup.find_all(True):
        if not isinstance(tag, Tag) or tag.attrs is None:
            continue
        hint = " ".join(tag.get("class", [])) + " " + (tag.get("id") or "")
        if hint.strip() and FURNITURE_HINTS.search(hint):
            tag.decompose()
    scores: dict[int, tuple[int, Tag]] = {}
    for paragraph in soup.find_all("p"):
        words = len(paragraph.get_text(" ", strip=True).split())
        parent = paragraph.parent
        if parent is not None:
            current = scores.get(id(parent), (0, parent))
            scores[id(parent)] = (current[0] + words, parent)
    if not scores:
        return ""
    _, best = max(scores.values(), key=lambda pair: pair[0])
    return html_to_text(str(best))


def _words(text: str) -> int:
    return len(text.split())
