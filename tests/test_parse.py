"""Feed and listing parsing (real-world quirks from shared/research/feeds.md) and URL
canonicalisation. No network: these are the bytes the fetcher hands over."""

from __future__ import annotations

import codecs

import pytest

from aggregator.parse import ParseError, parse_feed, parse_listing
from aggregator.urls import canonical_url, host_key, is_tracking_param, safe_canonical_url

BASE = "https://news.example.org/feed/"
ARTICLE = "".join(f"<p>Paragraph {i} of the article about the pathology outage, with enough "
                  "words to count as the full text of a real article.</p>" for i in range(12))


def rss(items: str, channel_extra: str = "", encoding: str = "utf-8") -> str:
    return (f'<?xml version="1.0" encoding="{encoding}"?>\n'
            '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:sy="http://purl.org/rss/1.0/modules/syndication/"><channel>'
            f'<title>T</title><link>https://news.example.org/</link>{channel_extra}'
            f"{items}</channel></rss>")


def item(link: str, title: str = "A title", extra: str = "") -> str:
    return (f"<item><title>{title}</title><link>{link}</link>"
            f"<pubDate>Tue, 04 Jun 2024 08:00:00 GMT</pubDate>{extra}</item>")


# ----------------------------------------------------------------------------- feeds

def test_computer_weekly_body_element_is_the_full_text() -> None:
    """Computer Weekly puts the whole article, entity-escaped, in a non-standard <body>."""
    import html

    body = html.escape(ARTICLE)
    feed = rss(item("https://computerweekly.example.org/news/366/Pathology", extra=(
        "<description>The standfirst only.</description>"
        f"<body>{body}</body>")))
    parsed = parse_feed(feed.encode(), url=BASE, source_id="cw")
    [entry] = parsed.items
    assert entry.content_html and entry.content_html.startswith("<p>Paragraph 0")
    assert entry.summary == "The standfirst only."
    assert entry.published == "2024-06-04T08:00:00+00:00"


def test_content_encoded_full_text_and_short_content_is_not_full_text() -> None:
    feed = rss(item("https://n.example/a", extra=f"<content:encoded><![CDATA[{ARTICLE}]]>"
                                                 "</content:encoded>")
               + item("https://n.example/b",
                      extra="<content:encoded><![CDATA[<p>Read more</p>]]></content:encoded>"))
    a, b = parse_feed(feed.encode(), url=BASE, source_id="s").items
    assert a.content_html and b.content_html is None


def test_empty_feed_is_valid_not_an_error() -> None:
    """Azure status: an empty channel is the normal healthy state."""
    for body in (rss(""), '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom">'
                          "<title>x</title><id>urn:x</id><updated>2026-07-23T16:29:09Z</updated>"
                          "</feed>"):
        parsed = parse_feed(body.encode(), url=BASE, source_id="azure")
        assert parsed.items == []


def test_azure_bare_z_zone_pubdate() -> None:
    feed = rss("<item><title>Outage</title><link>https://azure.example/i/1</link>"
               "<pubDate>Thu, 23 Jul 2026 16:29:09 Z</pubDate></item>")
    [entry] = parse_feed(feed.encode(), url=BASE, source_id="azure").items
    assert entry.published == "2026-07-23T16:29:09+00:00"


def test_javascript_shell_instead_of_xml_is_a_clear_error() -> None:
    """NCSC has served 'You need to enable JavaScript to run this app.' instead of RSS."""
    shell = (b'<!doctype html><html lang="en"><head><title>NCSC</title></head><body>'
             b"<noscript>You need to enable JavaScript to run this app.</noscript>"
             b'<div id="root"></div><script src="/static/js/main.js"></script></body></html>')
    with pytest.raises(ParseError, match="expected an RSS/Atom feed but got an HTML page "
                                         r"\(a JavaScript shell\?\)"):
        parse_feed(shell, url=BASE, source_id="ncsc", headers={"content-type": "text/html"})


@pytest.mark.parametrize("body", [b"", b'{"items": []}', b"\x00\x01\x02garbage",
                                  b"<html><body><p>Nothing here</p></body></html>"])
def test_bodies_that_are_not_feeds_raise(body: bytes) -> None:
    with pytest.raises(ParseError):
        parse_feed(body, url=BASE, source_id="s")


def test_malformed_xml_is_parsed_leniently_with_a_warning() -> None:
    broken = rss(item("https://n.example/a", "Fish &amp; chips & an unescaped ampersand")
                 + item("https://n.example/b", "Second <b>item")).replace("</channel></rss>", "")
    parsed = parse_feed(broken.encode(), url=BASE, source_id="s")
    assert [i.url for i in parsed.items] == ["https://n.example/a", "https://n.example/b"]
    assert parsed.warnings and "not well-formed" in parsed.warnings[0]


def test_windows_1252_feed() -> None:
    feed = rss(item("https://n.example/a", "Trust’s “outage” – café £5"), encoding="windows-1252")
    [entry] = parse_feed(feed.encode("cp1252"), url=BASE, source_id="s",
                         headers={"content-type": "application/rss+xml"}).items
    assert entry.title == "Trust’s “outage” – café £5"


def test_wrong_declared_charset_utf8_body_declared_latin1() -> None:
    """A server default (ISO-8859-1) on a utf-8 feed would give 'CafÃ©'."""
    feed = rss(item("https://n.example/a", "Café £5 – dash"), encoding="ISO-8859-1")
    for content_type in ("application/rss+xml; charset=ISO-8859-1",
                         "text/xml; charset=windows-1252", None):
        headers = {"content-type": content_type} if content_type else None
        [entry] = parse_feed(feed.encode("utf-8"), url=BASE, source_id="s",
                             headers=headers).items
        assert entry.title == "Café £5 – dash", content_type


def test_wrong_declared_charset_cp1252_body_declared_utf8() -> None:
    feed = rss(item("https://n.example/a", "Trust’s café"))
    [entry] = parse_feed(feed.encode("cp1252"), url=BASE, source_id="s",
                         headers={"content-type": "application/rss+xml; charset=utf-8"}).items
    assert entry.title == "Trust’s café"


def test_utf16_feed_with_bom() -> None:
    feed = rss(item("https://n.example/a", "Café"), encoding="utf-16")
    [entry] = parse_feed(codecs.BOM_UTF16_LE + feed.encode("utf-16-le"), url=BASE,
                         source_id="s").items
    assert entry.title == "Café"


def test_ttl_and_sy_update_period() -> None:
    assert parse_feed(rss("", "<ttl>90</ttl>").encode(), url=BASE, source_id="s"
                      ).ttl_minutes == 90
    daily = "<sy:updatePeriod>daily</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency>"
    assert parse_feed(rss("", daily).encode(), url=BASE, source_id="s").ttl_minutes == 720
    hourly = "<sy:updatePeriod>hourly</sy:updatePeriod>"
    assert parse_feed(rss("", hourly).encode(), url=BASE, source_id="s").ttl_minutes == 60
    assert parse_feed(rss("", "<ttl>soon</ttl>").encode(), url=BASE, source_id="s"
                      ).ttl_minutes is None


def test_items_are_canonical_deduplicated_and_junk_links_dropped() -> None:
    feed = rss(item("https://News.Example.org:443/a?utm_source=rss&amp;id=7#top")
               + item("https://news.example.org/a?id=7&amp;fbclid=XYZ")
               + item("/relative/b")
               + item("javascript:alert(1)")
               + item("mailto:editor@example.org")
               + item("http://bad:port/c")
               + "<item><title>no link</title></item>")
    urls = [i.url for i in parse_feed(feed.encode(), url=BASE, source_id="s").items]
    assert urls == ["https://news.example.org/a?id=7", "https://news.example.org/relative/b"]


def test_atom_alternate_link_and_register_api_rss() -> None:
    atom = ('<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Reg</title>'
            "<id>urn:reg</id><updated>2026-01-01T00:00:00Z</updated><entry><title>DC fire"
            '</title><id>urn:1</id><link rel="alternate" href="https://www.theregister.com/2026'
            '/01/01/dc_fire/"/><updated>2026-01-01T00:00:00Z</updated></entry></feed>')
    [entry] = parse_feed(atom.encode(), url=BASE, source_id="reg").items
    assert entry.url == "https://www.theregister.com/2026/01/01/dc_fire/"
    assert entry.published == "2026-01-01T00:00:00+00:00"


# --------------------------------------------------------------------------- listings

LISTING = """<html><body><main>
<a class="story-link" href="/news/one?utm_campaign=x">One</a>
<a class="story-link" href="/news/one#comments">One again</a>
<a class="story-link" href="https://other.example/two">Two</a>
<a class="story-link" href="#top">Top</a>
<a class="story-link" href="mailto:press@example.org">Mail</a>
<a class="story-link" href="javascript:void(0)">JS</a>
<a class="story-link">No href</a>
<a class="nav" href="/about">About</a>
</main></body></html>"""


def test_listing_links_by_selector() -> None:
    items = parse_listing(LISTING, url="https://site.example/news/", source_id="l",
                          selector="a.story-link")
    assert [(i.url, i.title) for i in items] == [("https://site.example/news/one", "One"),
                                                 ("https://other.example/two", "Two")]


def test_listing_that_is_not_html_raises() -> None:
    with pytest.raises(ParseError, match="not HTML"):
        parse_listing('{"stories": []}', url="https://s.example/", source_id="l", selector="a")


# ------------------------------------------------------------------------------ URLs

@pytest.mark.parametrize(("url", "expected"), [
    ("HTTPS://WWW.Example.COM/Path/Page?b=2&a=1", "https://www.example.com/Path/Page?b=2&a=1"),
    ("http://example.com:80/a", "http://example.com/a"),
    ("https://example.com:443/a", "https://example.com/a"),
    ("http://example.com:8080/a", "http://example.com:8080/a"),
    ("https://example.com", "https://example.com/"),
    ("https://example.com/a?utm_source=x&utm_MEDIUM=y&UTM_campaign=z", "https://example.com/a"),
    ("https://example.com/a?id=1&gclid=1&mc_cid=2&CMP=share_btn&WT.mc_id=3",
     "https://example.com/a?id=1"),
    ("https://example.com/a?q=a%20b&x=1+2", "https://example.com/a?q=a%20b&x=1+2"),
    ("https://example.com/a?123", "https://example.com/a?123"),
    ("https://example.com/a?", "https://example.com/a"),
    ("https://example.com/a#section-2", "https://example.com/a"),
    ("https://example.com./a", "https://example.com/a"),
    ("http://[::1]:8000/a", "http://[::1]:8000/a"),
])
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


def test_canonical_url_resolves_relative_links() -> None:
    assert canonical_url("../b?utm_source=x", base="https://e.org/news/a/") == \
        "https://e.org/news/b"


def test_safe_canonical_url_refuses_junk() -> None:
    for junk in (None, "", "  ", "mailto:a@b.c", "javascript:x()", "ftp://e.org/f",
                 "data:text/html,hi", "http://host:notaport/", "http://[::1/"):
        assert safe_canonical_url(junk) is None, junk
    assert safe_canonical_url("b", base="https://e.org/a/") == "https://e.org/a/b"


def test_tracking_params_and_host_key() -> None:
    assert is_tracking_param("utm_content") and is_tracking_param("FBCLID")
    assert not is_tracking_param("id") and not is_tracking_param("page")
    assert host_key("https://E.org/a") == "e.org:443"
    assert host_key("http://127.0.0.1:8001/x") == "127.0.0.1:8001"
