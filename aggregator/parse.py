"""Turn fetched feed and listing-page bytes into :class:`FeedItem` lists.

Feeds go through feedparser (RSS 0.9x/1.0/2.0 and Atom); listing pages through
beautifulsoup4 with the source's CSS selector. Nothing here touches the network or the database.

Feed bytes are decoded with :func:`aggregator.fetch.detect_charset` (BOM, header, XML
declaration, and valid utf-8 over a wrongly declared legacy charset) and handed to feedparser
as utf-8, so a feed and a page from the same server are decoded by the same rules.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

import feedparser
from bs4 import BeautifulSoup

from aggregator.fetch import detect_charset
from aggregator.models import FeedItem
from aggregator.urls import safe_canonical_url

FULL_TEXT_MIN_WORDS = 120
_XML_DECL_ENCODING = re.compile(
    rb"""^(\s*<\?xml\b[^>]*?\bencoding\s*=\s*)(["'])[A-Za-z0-9._:-]+\2""", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html|head|body)\b",
                         re.IGNORECASE | re.DOTALL)


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
    """Parse RSS/Atom bytes. An empty feed is valid; a body that is not a feed raises.

    Items whose link is not an http(s) URL are dropped; the same article linked twice
    (with different tracking parameters, say) is one item.
    """
    body, feed_headers = _as_utf8(body, _feed_headers(url, headers))
    parsed = feedparser.parse(io.BytesIO(body), response_headers=feed_headers)
    version = parsed.get("version") or ""
    if not parsed.entries and not version:
        reason = parsed.get("bozo_exception")
        snippet = " ".join(body[:100].decode("utf-8", "replace").split())
        if _HTML_START.match(body[:4096]):
            shell = " (a JavaScript shell?)" if b"javascript" in body[:20000].lower() else ""
            raise ParseError(f"expected an RSS/Atom feed but got an HTML page{shell}; "
                             f"body starts {snippet!r}")
        raise ParseError(f"not an RSS/Atom feed ({reason or 'no feed elements'}); "
                         f"body starts {snippet!r}")
    warnings = []
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        warnings.append(f"feed is not well-formed, parsed leniently: {problem}")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        item_url = safe_canonical_url(entry.get("link") or _first_alternate(entry), base=url)
        if item_url is None or item_url in seen:
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
        snippet = " ".join(body[:80].split())
        raise ParseError(f"listing page is not HTML; body starts {snippet!r}")
    soup = BeautifulSoup(body, "lxml")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for anchor in soup.select(selector):
        href = anchor.get("href")
        if not isinstance(href, str) or href.strip().startswith("#"):
            continue
        item_url = safe_canonical_url(href, base=url)
        if item_url is None or item_url in seen:
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


def _as_utf8(body: bytes, headers: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    """The feed re-encoded as utf-8 (BOM dropped, XML declaration and header to match)."""
    charset = detect_charset(body, headers.get("content-type"))
    if charset == "utf-8" and not body.startswith(b"\xef\xbb\xbf"):
        text_bytes = body
    else:
        text_bytes = body.decode(charset, errors="replace").lstrip("\ufeff").encode("utf-8")
    text_bytes = _XML_DECL_ENCODING.sub(rb"\1\2utf-8\2", text_bytes, count=1)
    media_type = (headers.get("content-type") or "application/xml").split(";", 1)[0].strip()
    return text_bytes, {**headers, "content-type": f"{media_type}; charset=utf-8"}


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
