"""Turn fetched feed and listing-page bytes into :class:`FeedItem` lists.

Feeds go through feedparser (RSS 0.9x/1.0/2.0 and Atom); listing pages through
beautifulsoup4 with the source's CSS selector. Nothing here touches the network or the database.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser
from bs4 import BeautifulSoup

from aggregator.models import FeedItem
from aggregator.urls import canonical_url

FULL_TEXT_MIN_WORDS = 120


class ParseError(Exception):
    """A feed or page could not be understood (not XML, not HTML, nothing usable)."""


@dataclass
class ParsedFeed:
    title: str | None
    items: list[FeedItem]
    ttl_minutes: int | None = None  # the feed's own <ttl> or sy:updatePeriod floor
    warnings: list[str] = field(default_factory=list)


def parse_feed(body: bytes, *, url: str, source_id: str,
               headers: dict[str, str] | None = None) -> ParsedFeed:
    """Parse RSS/Atom bytes. An empty feed is valid; a body that is not a feed raises."""
    parsed = feedparser.parse(io.BytesIO(body), response_headers=_feed_headers(url, headers))
    version = parsed.get("version") or ""
    if not parsed.entries and not version:
        reason = parsed.get("bozo_exception")
        snippet = body[:80].decode("utf-8", "replace").strip().replace("\n", " ")
        raise ParseError(f"not an RSS/Atom feed ({reason or 'no feed elements'}); "
                         f"body starts {snippet!r}")
    warnings = []
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        warnings.append(f"feed is not well-formed, parsed leniently: {problem}")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link") or _first_alternate(entry)
        if not link:
            continue
        item_url = canonical_url(link, base=url)
        if item_url in seen:
            continue
        seen.add(item_url)
        summary_html = entry.get("summary") or ""
        items.append(FeedItem(
            url=item_url,
            source_id=source_id,
            title=_clean_title(entry.get("title")),
            published=_entry_date(entry),
            summary=html_to_text(summary_html) or None,
            content_html=_full_text(entry, summary_html),
            guid=entry.get("id"),
        ))
    return ParsedFeed(title=parsed.feed.get("title"), items=items,
                      ttl_minutes=_ttl_minutes(parsed.feed), warnings=warnings)


def parse_listing(body: str, *, url: str, source_id: str, selector: str) -> list[FeedItem]:
    """Article links on an HTML listing page, found with the source's CSS selector."""
    if not re.search(r"<(html|body|a|div)\b", body[:20000], re.IGNORECASE):
        raise ParseError("listing page is not HTML")
    soup = BeautifulSoup(body, "lxml")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for anchor in soup.select(selector):
        href = anchor.get("href")
        if not href or href.startswith(("#", "mailto:", "javascript:")):
            continue
        item_url = canonical_url(href, base=url)
        if item_url in seen or not item_url.startswith(("http://", "https://")):
            continue
        seen.add(item_url)
        items.append(FeedItem(url=item_url, source_id=source_id,
                              title=_clean_title(anchor.get_text(" ", strip=True))))
    return items


def html_to_text(fragment: str) -> str:
    """Plain text of an HTML fragment, paragraphs separated by blank lines."""
    if not fragment:
        return ""
    if "<" not in fragment:
        return _squash(html.unescape(fragment))
    soup = BeautifulSoup(fragment, "lxml")
    for tag in soup(["script", "style"]):
        tag.decompose()
    blocks = [b.get_text(" ", strip=True) for b in soup.find_all(
        ["p", "li", "h2", "h3", "h4", "blockquote"])]
    blocks = [b for b in blocks if b]
    text = "\n\n".join(blocks) if blocks else soup.get_text(" ", strip=True)
    return _squash(text)


def _squash(text: str) -> str:
    lines = [re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _feed_headers(url: str, headers: dict[str, str] | None) -> dict[str, str]:
    result = {"content-location": url}
    for key, value in (headers or {}).items():
        if key.lower() in ("content-type", "content-language"):
            result[key.lower()] = value
    return result


def _first_alternate(entry: dict) -> str | None:
    for link in entry.get("links", []):
        if link.get("rel", "alternate") == "alternate" and link.get("href"):
            return link["href"]
    return None


def _clean_title(title: str | None) -> str | None:
    if not title:
        return None
    return re.sub(r"\s+", " ", html.unescape(title)).strip() or None


def _entry_date(entry: dict) -> str | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            return datetime(*value[:6], tzinfo=UTC).isoformat()
    return None


def _full_text(entry: dict, summary_html: str) -> str | None:
    """The entry's full article HTML when the feed carries it, else None.

    Some feeds (Computer Weekly's ``<body>`` element) carry the article entity-escaped, so
    escaped markup is unescaped first.
    """
    best = ""
    for content in entry.get("content", []):
        value = content.get("value") or ""
        if "&lt;p" in value or "&lt;/p&gt;" in value:
            value = html.unescape(value)
        if len(value) > len(best):
            best = value
    if not best and len(summary_html) > 2000:
        best = summary_html
    if best and len(html_to_text(best).split()) >= FULL_TEXT_MIN_WORDS:
        return best
    return None


def _ttl_minutes(feed: dict) -> int | None:
    ttl = feed.get("ttl")
    if ttl and str(ttl).strip().isdigit():
        return int(str(ttl).strip())
    period = feed.get("sy_updateperiod")
    if period:
        minutes = {"hourly": 60, "daily": 1440, "weekly": 10080, "monthly": 43200,
                   "yearly": 525600}.get(str(period).strip().lower())
        if minutes:
            try:
                frequency = max(1, int(str(feed.get("sy_updatefrequency", 1)).strip()))
            except ValueError:
                frequency = 1
            return minutes // frequency
    return None
