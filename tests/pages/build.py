# ruff: noqa: E501
"""Render the labelled page set: ``src/NAME.yaml`` ► ``NAME.html`` + ``NAME.txt`` + ``NAME.json``.

Each source file holds one article written for this project (title, date, body blocks and the
furniture around it) and names a layout that imitates the markup of a kind of real site: a
WordPress/Elementor trade title, a Next.js public broadcaster, a GOV.UK press release, an
Atlassian status page and so on. The gold text (``NAME.txt``) is the article body only: body
paragraphs, subheadings, list items, in-body quotes and table rows; never the title, byline,
standfirst, captions, pull quotes, inline "read more" links, promos, comments or furniture.

    .venv/bin/python tests/pages/build.py
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sys
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
SRC = HERE / "src"

_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])_(.+?)_(?!\w)")


def inline(text: str) -> str:
    """Escaped HTML of a text with [links](href), **bold** and _emphasis_."""
    out = html.escape(text, quote=False)
    out = _LINK.sub(lambda m: f'<a href="{m.group(2)}">{m.group(1)}</a>', out)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    return _EM.sub(r"<em>\1</em>", out)


def plain(text: str) -> str:
    """The text a reader sees: markup removed."""
    text = _LINK.sub(r"\1", text)
    text = _BOLD.sub(r"\1", text)
    return _EM.sub(r"\1", text)


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def when(article: dict) -> datetime:
    return datetime.fromisoformat(str(article["date"]))


def dfmt(value: datetime, pattern: str) -> str:
    """strftime without zero-padded days (portable %-d)."""
    return value.strftime(pattern.replace("%-d", str(value.day)))


def slug(article: dict) -> str:
    return article["name"]


# ---------------------------------------------------------------- gold text

def gold_blocks(blocks: list) -> list[str]:
    """The gold text of body blocks, one string per paragraph-like block."""
    out: list[str] = []
    for block in blocks:
        if isinstance(block, str):
            out.append(plain(block))
            continue
        kind, value = next(iter(block.items()))
        if kind in ("h", "h3", "quote", "callout"):
            out.append(plain(value))
        elif kind in ("ul", "ol"):
            out.extend(plain(item) for item in value)
        elif kind == "table":
            out.extend(" | ".join(plain(c) for c in row) for row in value)
        elif kind == "entry":
            if value.get("title"):
                out.append(plain(value["title"]))
            out.extend(gold_blocks(value["body"]))
    return out


def gold_text(article: dict) -> str:
    blocks = list(article.get("body", []))
    for entry in article.get("entries", []):
        blocks.append({"entry": entry})
    for page_block in article.get("body_after", []):
        blocks.append(page_block)
    return "\n\n".join(gold_blocks(blocks)) + "\n"


# ---------------------------------------------------------------- block rendering

class Blocks:
    """Default HTML for body blocks; layouts override what their site does differently."""

    def __init__(self, article: dict):
        self.article = article
        self.n_ads = 0

    def p(self, text: str) -> str:
        return f"<p>{inline(text)}</p>"

    def h(self, text: str) -> str:
        return f"<h2>{inline(text)}</h2>"

    def h3(self, text: str) -> str:
        return f"<h3>{inline(text)}</h3>"

    def ul(self, items: list[str]) -> str:
        return "<ul>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>"

    def ol(self, items: list[str]) -> str:
        return "<ol>" + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ol>"

    def quote(self, text: str) -> str:
        return f"<blockquote><p>{inline(text)}</p></blockquote>"

    def callout(self, text: str) -> str:
        return f'<div class="callout"><p>{inline(text)}</p></div>'

    def table(self, rows: list[list[str]]) -> str:
        head = "".join(f"<th>{inline(c)}</th>" for c in rows[0])
        body = "".join("<tr>" + "".join(f"<td>{inline(c)}</td>" for c in row) + "</tr>"
                       for row in rows[1:])
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def figure(self, caption: str) -> str:
        return (f'<figure><img src="/images/{slug(self.article)}-{len(caption)}.jpg" alt="">'
                f"<figcaption>{inline(caption)}</figcaption></figure>")

    def pull(self, text: str) -> str:
        return f'<aside class="pullquote"><p>{inline(text)}</p></aside>'

    def readmore(self, headline: str) -> str:
        return f'<p><strong>Read more: <a href="/news/{_slugify(headline)}">{inline(headline)}</a></strong></p>'

    def ad(self, _value: object = None) -> str:
        self.n_ads += 1
        return f'<div class="ad-slot" id="ad-inline-{self.n_ads}"><span class="ad-label">Advertisement</span></div>'

    def promo(self, _value: object = None) -> str:
        return ('<div class="newsletter-promo"><p>Get the day\'s public sector technology news '
                "in your inbox every morning.</p><a href=\"/newsletter\">Sign up</a></div>")

    def related(self, headlines: list[str]) -> str:
        items = "".join(f'<li><a href="/news/{_slugify(h)}">{inline(h)}</a></li>' for h in headlines)
        return f'<div class="related-inline"><h3>Related</h3><ul>{items}</ul></div>'

    def render(self, blocks: list) -> str:
        parts = []
        for block in blocks:
            if isinstance(block, str):
                parts.append(self.p(block))
                continue
            kind, value = next(iter(block.items()))
            parts.append(getattr(self, kind)(value))
        return "\n".join(parts)


def _slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", plain(text).lower()).strip("-")[:60]


def related_list(headlines: list[str], cls: str = "related", title: str = "Related stories",
                 tag: str = "h2", with_dates: datetime | None = None) -> str:
    items = []
    for i, h in enumerate(headlines):
        date = ""
        if with_dates is not None:
            day = with_dates.replace(day=max(1, with_dates.day - i - 1))
            date = f' <time datetime="{day.date().isoformat()}">{dfmt(day, "%-d %B %Y")}</time>'
        items.append(f'<li><a href="/news/{_slugify(h)}">{inline(h)}</a>{date}</li>')
    return f'<section class="{cls}"><{tag}>{title}</{tag}><ul>{"".join(items)}</ul></section>'


def json_ld(article: dict, kind: str = "NewsArticle", publisher: str | None = None,
            body: str | None = None, graph: bool = False, modified_first: bool = False) -> str:
    data: dict = {"@context": "https://schema.org", "@type": kind,
                  "headline": article.get("seo_title") or article["title"]}
    if modified_first and article.get("updated"):
        data["dateModified"] = str(article["updated"])
    data["datePublished"] = str(article["date"])
    if article.get("updated") and not modified_first:
        data["dateModified"] = str(article["updated"])
    if article.get("author"):
        data["author"] = {"@type": "Person", "name": article["author"]}
    data["publisher"] = {"@type": "Organization", "name": publisher or article["site"]}
    if article.get("standfirst"):
        data["description"] = article["standfirst"]
    if body:
        data["articleBody"] = body
    if graph:
        data = {"@context": "https://schema.org", "@graph": [
            {"@type": "WebSite", "name": article["site"], "url": article["base"] + "/"},
            {"@type": "WebPage", "name": article["title"], "url": article["url"],
             "datePublished": str(article["date"])},
            {k: v for k, v in data.items() if k != "@context"},
            {"@type": "BreadcrumbList", "itemListElement": [
                {"@type": "ListItem", "position": 1, "name": "Home"},
                {"@type": "ListItem", "position": 2, "name": article.get("section", "News")}]}]}
    return f'<script type="application/ld+json">{json.dumps(data, ensure_ascii=False)}</script>'


def head(article: dict, *, title_tag: str | None = None, og: bool = True, published_meta: bool = True,
         extra: str = "", ld: str = "", lang: str = "en-GB", html_attrs: str = "") -> str:
    og_title = article.get("seo_title") or article["title"]
    title_tag = title_tag or f'{og_title} | {article["site"]}'
    metas = ['<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
             f"<title>{esc(title_tag)}</title>",
             f'<link rel="canonical" href="{article["url"]}">']
    if article.get("standfirst"):
        metas.append(f'<meta name="description" content="{esc(plain(article["standfirst"]))}">')
    if og and article.get("og", True):
        metas += [f'<meta property="og:site_name" content="{esc(article["site"])}">',
                  '<meta property="og:type" content="article">',
                  f'<meta property="og:title" content="{esc(og_title)}">',
                  f'<meta property="og:url" content="{article["url"]}">']
    if published_meta:
        metas.append(f'<meta property="article:published_time" content="{article["date"]}">')
        if article.get("updated"):
            metas.append(f'<meta property="article:modified_time" content="{article["updated"]}">')
    metas.append('<link rel="stylesheet" href="/assets/site.css">')
    metas.append('<script src="/assets/analytics.js" async></script>')
    return (f'<!DOCTYPE html>\n<html lang="{lang}"{html_attrs}>\n<head>\n' + "\n".join(metas)
            + f"\n{extra}\n{ld}\n</head>\n")


def nav(items: list[str], cls: str = "site-nav") -> str:
    links = "".join(f'<li><a href="/{_slugify(i)}">{esc(i)}</a></li>' for i in items)
    return f'<nav class="{cls}" aria-label="Main"><ul>{links}</ul></nav>'


def comments_html(comments: list[list[str]], article: dict, *, wrapper: str = "comments-area") -> str:
    if not comments:
        return ""
    items = []
    base = when(article)
    for i, (name, text) in enumerate(comments):
        stamp = base.replace(hour=min(23, base.hour + i + 1))
        items.append(
            f'<li class="comment" id="comment-{1000 + i}"><article class="comment-body">'
            f'<footer class="comment-meta"><div class="comment-author vcard"><b class="fn">{esc(name)}</b> <span class="says">says:</span></div>'
            f'<div class="comment-metadata"><time datetime="{stamp.isoformat()}">{dfmt(stamp, "%-d %B %Y at %H:%M")}</time></div></footer>'
            f'<div class="comment-content"><p>{inline(text)}</p></div>'
            f'<div class="reply"><a class="comment-reply-link" href="#respond">Reply</a></div></article></li>')
    count = len(comments)
    return (f'<div id="comments" class="{wrapper}"><h2 class="comments-title">{count} thoughts on &ldquo;{esc(article["title"])}&rdquo;</h2>'
            f'<ol class="comment-list">{"".join(items)}</ol>'
            '<div id="respond" class="comment-respond"><h3 id="reply-title" class="comment-reply-title">Leave a Reply</h3>'
            '<form action="/wp-comments-post.php" method="post" id="commentform"><p class="comment-notes">Your email address will not be published. Required fields are marked *</p>'
            '<p class="comment-form-comment"><label for="comment">Comment *</label><textarea id="comment" name="comment"></textarea></p>'
            '<p class="form-submit"><input type="submit" value="Post Comment"></p></form></div></div>')


COOKIE_BANNER = ('<div id="cookie-notice" class="cookie-banner" role="dialog" aria-label="Cookie consent">'
                 "<p>We use cookies to make this site work and to understand how you use it. Some are set by "
                 "third parties to show you relevant advertising. You can accept all cookies or choose which ones "
                 'you allow in your settings.</p><button>Accept all</button><button>Manage settings</button></div>')


# ---------------------------------------------------------------- layouts

def wp_elementor(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def p(self, text: str) -> str:
            return f"<p>{inline(text)}</p>"

        def quote(self, text: str) -> str:
            return f'<blockquote class="wp-block-quote"><p>{inline(text)}</p></blockquote>'

        def ul(self, items: list[str]) -> str:
            return '<ul class="wp-block-list">' + "".join(f"<li>{inline(i)}</li>" for i in items) + "</ul>"

        def figure(self, caption: str) -> str:
            return (f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" height="576" src="/wp-content/uploads/{d.year}/{d.month:02d}/{slug(a)}.jpg" alt="" class="wp-image-{len(caption)}">'
                    f'<figcaption class="wp-element-caption">{inline(caption)}</figcaption></figure>')

        def readmore(self, headline: str) -> str:
            return f'<p><em>Read more: <a href="/news/{_slugify(headline)}/">{inline(headline)}</a></em></p>'

    body = B(a).render(a["body"])
    cards = "".join(
        f'<article class="elementor-post elementor-grid-item post type-post"><div class="elementor-post__text">'
        f'<h3 class="elementor-post__title"><a href="/news/{_slugify(h)}/">{inline(h)}</a></h3>'
        f'<div class="elementor-post__excerpt"><p>{inline(e)}</p></div>'
        f'<a class="elementor-post__read-more" href="/news/{_slugify(h)}/">Read More »</a></div></article>'
        for h, e in a.get("related_excerpts", []))
    ld = json_ld(a, graph=True)
    return head(a, title_tag=f'{a["title"]} - {a["site"]}', ld=ld) + f"""<body class="post-template-default single single-post postid-48213 single-format-standard elementor-default elementor-kit-7 elementor-page-311">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<div data-elementor-type="header" data-elementor-id="25" class="elementor elementor-25 elementor-location-header">
<section class="elementor-section elementor-top-section"><div class="elementor-container">
<div class="elementor-widget elementor-widget-image"><a href="/"><img src="/logo.svg" alt="{esc(a['site'])}"></a></div>
<div class="elementor-widget elementor-widget-nav-menu">{nav(["News", "Cyber security", "Interoperability", "Digital patient", "Clinical safety", "Infrastructure", "Events", "Awards", "Jobs", "Podcasts"], "elementor-nav-menu--main")}</div>
<div class="elementor-widget elementor-widget-button"><a class="elementor-button" href="/subscribe/">Subscribe</a></div>
</div></section></div>
<div data-elementor-type="single-post" data-elementor-id="311" class="elementor elementor-311 elementor-location-single post-48213 post type-post status-publish format-standard has-post-thumbnail hentry category-news">
<section class="elementor-section elementor-top-section"><div class="elementor-container elementor-column-gap-default">
<div class="elementor-column elementor-col-66 elementor-top-column"><div class="elementor-widget-wrap elementor-element-populated">
<div class="elementor-element elementor-widget elementor-widget-breadcrumbs"><p id="breadcrumbs"><span><a href="/">Home</a> » <a href="/news/">News</a> » {esc(a['title'])}</span></p></div>
<div class="elementor-element elementor-widget elementor-widget-theme-post-title elementor-page-title elementor-widget-heading"><div class="elementor-widget-container"><h1 class="elementor-heading-title elementor-size-default">{esc(a['title'])}</h1></div></div>
<div class="elementor-element elementor-widget elementor-widget-post-info"><div class="elementor-widget-container"><ul class="elementor-inline-items elementor-icon-list-items elementor-post-info">
<li class="elementor-icon-list-item elementor-repeater-item-a1 elementor-inline-item" itemprop="author"><span class="elementor-icon-list-text elementor-post-info__item elementor-post-info__item--type-author">{esc(a['author'])}</span></li>
<li class="elementor-icon-list-item elementor-repeater-item-a2 elementor-inline-item" itemprop="datePublished"><span class="elementor-icon-list-text elementor-post-info__item elementor-post-info__item--type-date">{dfmt(d, '%-d %B %Y')}</span></li></ul></div></div>
<div class="elementor-element elementor-widget elementor-widget-theme-post-featured-image elementor-widget-image"><div class="elementor-widget-container"><figure class="wp-caption"><img src="/wp-content/uploads/{slug(a)}-hero.jpg" alt=""><figcaption class="widget-image-caption wp-caption-text">{inline(a.get('lead_caption', ''))}</figcaption></figure></div></div>
<div class="elementor-element elementor-share-buttons--view-icon elementor-widget elementor-widget-share-buttons"><div class="elementor-widget-container"><div class="elementor-grid">
<div class="elementor-grid-item"><div class="elementor-share-btn elementor-share-btn_linkedin" role="button" aria-label="Share on linkedin"><span class="elementor-screen-only">Share on linkedin</span></div></div>
<div class="elementor-grid-item"><div class="elementor-share-btn elementor-share-btn_twitter" role="button" aria-label="Share on twitter"><span class="elementor-screen-only">Share on twitter</span></div></div>
<div class="elementor-grid-item"><div class="elementor-share-btn elementor-share-btn_email" role="button" aria-label="Share on email"><span class="elementor-screen-only">Share on email</span></div></div></div></div></div>
<div class="elementor-element elementor-widget elementor-widget-theme-post-content"><div class="elementor-widget-container">
{body}
</div></div>
<div class="elementor-element elementor-widget elementor-widget-author-box"><div class="elementor-widget-container"><div class="elementor-author-box"><div class="elementor-author-box__text">
<h4 class="elementor-author-box__name">{esc(a['author'])}</h4><div class="elementor-author-box__bio"><p>{inline(a.get('author_bio', ''))}</p></div></div></div></div></div>
<div class="elementor-element elementor-widget elementor-widget-post-navigation"><div class="elementor-post-navigation">
<div class="elementor-post-navigation__prev"><a href="/news/previous/" rel="prev"><span class="post-navigation__prev--label">Previous</span><span class="post-navigation__prev--title">{inline(a['related'][0])}</span></a></div>
<div class="elementor-post-navigation__next"><a href="/news/next/" rel="next"><span class="post-navigation__next--label">Next</span><span class="post-navigation__next--title">{inline(a['related'][1])}</span></a></div></div></div>
<div class="elementor-element elementor-widget elementor-widget-heading"><h2 class="elementor-heading-title">Related News</h2></div>
<div class="elementor-element elementor-widget elementor-widget-posts"><div class="elementor-posts-container elementor-posts elementor-grid">{cards}</div></div>
{comments_html(a.get('comments', []), a)}
</div></div>
<div class="elementor-column elementor-col-33 elementor-top-column"><div class="elementor-widget-wrap">
<div class="elementor-widget elementor-widget-heading"><h3 class="elementor-heading-title">Newsletter</h3></div>
<div class="elementor-widget elementor-widget-text-editor"><p>Sign up to our free daily newsletter for the latest health IT news, analysis and events, delivered straight to your inbox.</p></div>
<div class="elementor-widget elementor-widget-form"><form class="elementor-form"><input type="email" placeholder="Email address"><button type="submit">Subscribe</button></form></div>
<div class="elementor-widget elementor-widget-heading"><h3 class="elementor-heading-title">Most read</h3></div>
<div class="elementor-widget elementor-widget-posts">{related_list(a['related'][2:], 'elementor-posts', 'Most read', 'h4')}</div>
<div class="elementor-widget elementor-widget-wp-widget-custom_html"><div class="advert-mpu"><ins class="adsbygoogle" data-ad-slot="4410"></ins></div></div>
</div></div></div></section></div>
<div data-elementor-type="footer" class="elementor elementor-location-footer"><section class="elementor-section"><div class="elementor-container">
<div class="elementor-widget elementor-widget-text-editor"><p>{esc(a['site'])} is published by Pellington Media Ltd, registered in England and Wales. All rights reserved.</p></div>
{nav(["About us", "Contact", "Advertise", "Privacy policy", "Cookie policy", "Terms and conditions"], "footer-menu")}</div></section></div>
{COOKIE_BANNER}
<script>window.dataLayer = window.dataLayer || []; dataLayer.push({{"postId": 48213, "category": "news"}});</script>
</body></html>
"""


def bbc_next(a: dict) -> str:
    d = when(a)
    uid = int(hashlib.md5(a["name"].encode()).hexdigest()[:6], 16)

    class B(Blocks):
        first = True

        def p(self, text: str) -> str:
            inner = inline(text)
            if self.first:
                inner = f'<b class="ssrcss-1xjjfut-BoldText e5tfeyi3">{inner}</b>'
                self.first = False
            return (f'<div data-component="text-block" class="ssrcss-uf6wea-RichTextComponentWrapper ep2nwvo0">'
                    f'<div class="ssrcss-7uxr49-RichTextContainer e5tfeyi1"><p class="ssrcss-1q0x1qg-Paragraph e1jhz7w10">{inner}</p></div></div>')

        def h(self, text: str) -> str:
            return (f'<div data-component="subheadline-block" class="ssrcss-uf6wea-RichTextComponentWrapper ep2nwvo0">'
                    f'<h2 class="ssrcss-y6cgvl-StyledHeading e10rt3ze0">{inline(text)}</h2></div>')

        def ul(self, items: list[str]) -> str:
            lis = "".join(f'<li class="ssrcss-1r5uzve-ListItem"><p class="ssrcss-1q0x1qg-Paragraph">{inline(i)}</p></li>' for i in items)
            return (f'<div data-component="unordered-list-block" class="ssrcss-uf6wea-RichTextComponentWrapper ep2nwvo0">'
                    f'<div class="ssrcss-7uxr49-RichTextContainer e5tfeyi1"><ul class="ssrcss-1s2wr4r-BulletListContainer">{lis}</ul></div></div>')

        def figure(self, caption: str) -> str:
            return (f'<div data-component="image-block" class="ssrcss-1cnh2qa-ComponentWrapper ep2nwvo0"><figure class="ssrcss-5zjbvl-StyledFigure">'
                    f'<div class="ssrcss-ab5fd8-StyledFigureContainer"><img sizes="(min-width: 1280px) 50vw, 100vw" src="https://ichef.example/ace/standard/976/cpsprodpb/{uid}/{slug(a)}.jpg" alt="{esc(plain(caption))}" width="976" height="549">'
                    f'<span class="ssrcss-68pt20-Text-TextContributorName">Getty Images</span></div>'
                    f'<figcaption class="ssrcss-1jwyt6v-Caption e1i1pz6s0"><span class="visually-hidden ssrcss-1f39n02-VisuallyHidden">Image caption, </span>{inline(caption)}</figcaption></figure></div>')

        def related(self, headlines: list[str]) -> str:
            lis = "".join(f'<li><a href="/news/articles/{_slugify(h)}" class="ssrcss-pgaqia-PromoLink"><span>{inline(h)}</span></a></li>' for h in headlines)
            return f'<div data-component="links-block" class="ssrcss-1cnh2qa-ComponentWrapper"><ul class="ssrcss-1ok5u4t-Stack">{lis}</ul></div>'

    body = B(a).render(a["body"])
    topics = "".join(f'<li class="ssrcss-1frmqc5-StyledTagListItem"><a href="/news/topics/{_slugify(t)}" class="ssrcss-1ef12hb-StyledLink">{esc(t)}</a></li>' for t in a.get("tags", []))
    more = "".join(
        f'<li class="ssrcss-xrg4ap-StyledListItem"><div class="ssrcss-tq7xfh-PromoContent"><a href="/news/articles/{_slugify(h)}" class="ssrcss-9haqql-LinkPostLink"><p class="ssrcss-1b1mki6-PromoHeadline"><span>{inline(h)}</span></p></a>'
        f'<div class="ssrcss-1hizfh0-MetadataSnippet"><span class="visually-hidden">Published</span><span>{i + 1} days ago</span></div></div></li>'
        for i, h in enumerate(a.get("related", [])))
    next_data = json.dumps({"props": {"pageProps": {"page": {"@\"news\",\"articles\"": {"contents": [{"type": "headline", "model": {"text": a["title"]}}, {"type": "timestamp", "model": {"firstPublished": int(d.timestamp() * 1000)}}], "metadata": {"lastUpdated": int(d.timestamp() * 1000), "locators": {"cpsUrn": f"urn:bbc:cps:{uid}"}}}}}}, "page": "/[[...slug]]", "buildId": "e7af3c9b"})
    return head(a, title_tag=f'{a["title"]} - {a["site"]}', ld=json_ld(a, kind="ReportageNewsArticle"), extra='<meta name="twitter:card" content="summary_large_image">') + f"""<body>
<div id="__next"><div class="ssrcss-1pvwh71-WwwContainer">
<header data-testid="header-banner" class="ssrcss-bmh5s-Banner"><a href="#main-content" class="ssrcss-1j6yl1o-SkipLink">Skip to content</a>
<div class="ssrcss-1uvz1m4-GlobalNavigation"><a href="/" class="ssrcss-logo">{esc(a['site'])}</a>
{nav(["Home", "News", "Sport", "Business", "Innovation", "Culture", "Travel", "Earth", "Video", "Live"], "ssrcss-global-nav")}
<form role="search" class="ssrcss-search"><input type="search" placeholder="Search news, topics and more"></form></div>
<nav aria-label="News" class="ssrcss-secondary-nav"><ul>{"".join(f'<li><a href="/news/{x.lower()}">{x}</a></li>' for x in ["England", "N. Ireland", "Scotland", "Wales", "Isle of Man", "Guernsey", "Jersey", "Local News"])}</ul></nav></header>
<div class="ssrcss-1ocoo3l-Wrap e42f8511"><main id="main-content" data-testid="main-content" class="ssrcss-1sk8rs1-Main">
<article class="ssrcss-pv1rh6-ArticleWrapper e1nh2i2l6">
<header data-component="headline-block" class="ssrcss-1eqcsb1-HeadingWrapper"><h1 id="main-heading" type="headline" tabindex="-1" class="ssrcss-1pl2zfy-StyledHeading e10rt3ze0"><span role="text">{esc(a['title'])}</span></h1></header>
<div data-component="byline-block" class="ssrcss-1lfc1ie-ComponentWrapper"><div class="ssrcss-1iqxzh2-MetadataStripContainer">
<time data-testid="timestamp" datetime="{a['date']}">{dfmt(d, '%-d %B %Y')}</time>
<div class="ssrcss-68pt20-Text-TextContributorName"><span>{esc(a['author'])}</span></div><div class="ssrcss-84ltp5-Text">{esc(a.get('author_role', 'BBC News'))}</div>
<button class="ssrcss-1nj4p9-ShareButton" aria-label="Share"><span>Share</span></button><button class="ssrcss-save-button"><span>Save</span></button></div></div>
{B(a).figure(a['lead_caption']) if a.get('lead_caption') else ''}
{body}
<div data-component="tag-list" class="ssrcss-1qmkvfu-ComponentWrapper"><div class="ssrcss-1szabdv-StyledTagContainer"><h2 class="ssrcss-1j26h6y-StyledHeading">Related topics</h2><ul class="ssrcss-1ygi9ml-StyledTagList">{topics}</ul></div></div>
</article>
<section data-component="related-content" class="ssrcss-1pntpp0-Section"><div class="ssrcss-1wrdwhz-StyledHeadingWrapper"><h2 class="ssrcss-1tavwn8-StyledHeading">More on this story</h2></div><ul class="ssrcss-1wdnmzo-Stack">{more}</ul></section>
<section data-component="most-read" class="ssrcss-1mbx8lp-MostReadSection"><h2>Most read</h2><ol>{"".join(f'<li><a href="/news/x{i}"><span>{esc(h)}</span></a></li>' for i, h in enumerate(a.get('most_read', [])))}</ol></section>
</main></div>
<footer data-testid="footer" class="ssrcss-footer"><nav><ul><li><a href="/terms">Terms of Use</a></li><li><a href="/about">About the {esc(a['site'])}</a></li><li><a href="/privacy">Privacy Policy</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/accessibility">Accessibility Help</a></li><li><a href="/contact">Contact</a></li></ul></nav>
<p class="ssrcss-copyright"><small>Copyright {d.year} {esc(a['site'])}. The {esc(a['site'])} is not responsible for the content of external sites. <a href="/linking">Read about our approach to external linking.</a></small></p></footer>
</div></div>
<script id="__NEXT_DATA__" type="application/json">{next_data}</script>
</body></html>
"""


def guardian(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def p(self, text: str) -> str:
            return f'<p class="dcr-s3ycb2">{inline(text)}</p>'

        def h(self, text: str) -> str:
            return f'<h2 id="{_slugify(text)}" class="dcr-1eu361v">{inline(text)}</h2>'

        def quote(self, text: str) -> str:
            return f'<blockquote class="dcr-zzndwp"><p>{inline(text)}</p></blockquote>'

        def figure(self, caption: str) -> str:
            return (f'<figure id="{hashlib.md5(caption.encode()).hexdigest()[:8]}" data-spacefinder-role="inline" class="dcr-173mewl"><div class="dcr-1t8m8f2"><picture><img src="https://i.guim.example/img/media/{slug(a)}/master/2000.jpg?width=620&amp;quality=85" alt="{esc(plain(caption))}" width="445" height="267.3"></picture></div>'
                    f'<figcaption class="dcr-1rmhzzd"><span class="dcr-1inf02i"><svg width="18" height="13" viewBox="0 0 18 13"><path d="M18 3.5v8l-1.5 1.5h-15l-1.5-1.5v-8l1.5-1.5h3.5l2-2h4l2 2h3.5l1.5 1.5zm-9 7.5c1.9 0 3.5-1.6 3.5-3.5s-1.6-3.5-3.5-3.5-3.5 1.6-3.5 3.5 1.6 3.5 3.5 3.5z"></path></svg></span>{inline(caption)} Photograph: Agency/Alamy</figcaption></figure>')

        def readmore(self, headline: str) -> str:
            return (f'<figure data-spacefinder-role="richLink" class="dcr-11ra563"><aside data-component="rich-link" class="dcr-1hzeicy"><div data-print-layout="hide" class="dcr-1xavkjn">'
                    f'<a data-link-name="rich-link-1 | 1" class="dcr-1d4iun8" href="/technology/{_slugify(headline)}" aria-label="{esc(plain(headline))}"><div class="dcr-15i6k3j"><div class="dcr-2jpsdm">Related: </div><div class="dcr-r8hsay"><span>{inline(headline)}</span></div></div></a></div></aside></figure>')

        def promo(self, _value: object = None) -> str:
            return ('<figure id="EmailSignup-skip-link-13" data-spacefinder-role="inline" class="dcr-173mewl"><a data-ignore="global-link-styling" href="#EmailSignup-skip-link-13" class="dcr-jzxpee">skip past newsletter promotion</a>'
                    '<div class="dcr-1wqzxl6"><div class="dcr-1nwn2kb"><div class="dcr-1jvpz3f"><p class="dcr-15wkrfg">Sign up to <span>TechScape</span></p></div>'
                    "<p class=\"dcr-1s73a4i\">A weekly dive in to how technology is shaping our lives</p>"
                    '<p class="dcr-1gxiep9"><b>Privacy Notice: </b>Newsletters may contain info about charities, online ads, and content funded by outside parties. For more information see our Privacy Policy. We use Google reCaptcha to protect our website and the Google Privacy Policy and Terms of Service apply.</p>'
                    '<button type="button" class="dcr-1rl3e5b">Sign up</button></div></div><p id="EmailSignup-skip-link-13" tabindex="0" aria-label="after newsletter promotion" role="note" class="dcr-15v8rot">after newsletter promotion</p></figure>')

    body = B(a).render(a["body"])
    most = "".join(f'<li class="dcr-1ld0xkk"><div class="dcr-1ex1dzh"><a href="/x/{i}" data-link-name="{i + 1} | text"><h4 class="dcr-wgjaa8"><span>{esc(h)}</span></h4></a></div></li>' for i, h in enumerate(a.get("most_read", [])))
    topics = "".join(f'<li class="dcr-1ewcvbc"><a href="/technology/{_slugify(t)}" class="dcr-1rqvtrr">{esc(t)}</a></li>' for t in a.get("tags", []))
    stamp = dfmt(d, "%a %-d %b %Y %H.%M BST")
    return head(a, title_tag=f'{a["title"]} | {a.get("section", "Technology")} | {a["site"]}', ld=json_ld(a)) + f"""<body>
<div data-gu-name="top-bar" class="dcr-skip"><a href="#maincontent" class="dcr-1iwgnua">Skip to main content</a><a href="#navigation" class="dcr-1iwgnua">Skip to navigation</a></div>
<header data-gu-name="header" class="dcr-header"><div class="dcr-support"><p>Support the {esc(a['site'])}</p><p>Fund independent journalism</p><a href="/contribute">Support us</a></div>
<div id="navigation">{nav(["News", "Opinion", "Sport", "Culture", "Lifestyle"], "dcr-pillars")}{nav(["UK", "World", "Climate crisis", "Ukraine", "Environment", "Science", "Global development", "Football", "Tech", "Business", "Obituaries"], "dcr-subnav")}</div></header>
<main data-layout="StandardLayout" class="dcr-main"><div class="dcr-grid">
<div data-gu-name="title" class="dcr-section-label"><a href="/technology" class="dcr-1l1jkk9"><span>{esc(a.get('section', 'Technology'))}</span></a></div>
<div data-gu-name="headline" class="dcr-headline"><div class="dcr-1bcquh7"><h1 class="dcr-u0152o">{esc(a['title'])}</h1></div></div>
<div data-gu-name="standfirst" class="dcr-standfirst"><div data-format-theme="0" class="dcr-1yi1cnj"><p>{inline(a.get('standfirst', ''))}</p></div></div>
<div data-gu-name="media" class="dcr-media"><figure data-component="image" class="dcr-fe0tq2"><picture><img src="https://i.guim.example/img/{slug(a)}-main.jpg" alt="" width="620"></picture><figcaption class="dcr-lead-caption"><span>{inline(a.get('lead_caption', ''))} Photograph: PA</span></figcaption></figure></div>
<div data-gu-name="meta" class="dcr-meta"><div class="dcr-1s4q8hc"><address aria-label="Contributor info" data-component="meta-byline"><div class="dcr-1cfpnlw"><a rel="author" data-link-name="auto tag link" href="/profile/{_slugify(a['author'])}">{esc(a['author'])}</a></div></address>
<div class="dcr-1j2cn1r"><details class="dcr-1u77w1v"><summary class="dcr-1ybxn6r"><span class="dcr-u0h1qy">{stamp}</span></summary></details></div></div>
<div class="dcr-share"><button data-testid="share-button" class="dcr-share-btn">Share</button><a href="#comments" data-testid="comment-counts" aria-label="{a.get('n_comments', 212)} Comments" class="dcr-comment-count"><span>{a.get('n_comments', 212)}</span></a></div></div>
<div data-gu-name="body" class="dcr-body"><div id="maincontent" class="dcr-1frbj6a"><div class="article-body-commercial-selector article-body-viewer-selector dcr-1g5o3j6">
{body}
</div>
<div id="slot-body-end" class="dcr-epic"><div class="dcr-epic-inner"><p class="dcr-epic-title">You've read {a.get('n_comments', 212) % 40 + 12} articles in the last year</p>
<p>... we have a small favour to ask. Tens of millions have placed their trust in our fearless journalism since we started publishing 200 years ago, turning to us in moments of crisis, uncertainty, solidarity and hope. We do not have a billionaire owner, so our reporting is free from commercial and political influence, and we can keep it open for everyone to read.</p>
<p>If there were ever a time to join us, it is now. Every contribution, however big or small, powers our journalism and sustains our future. Support us from as little as £1. Thank you.</p><a href="/contribute" class="dcr-epic-button">Support us</a></div></div>
<div data-gu-name="submeta" class="dcr-submeta"><span class="dcr-submeta-title">Explore more on these topics</span><ul class="dcr-1a6ohd8">{topics}</ul>
<div class="dcr-share-bottom"><a href="mailto:?subject={esc(a['title'])}">Share</a><a href="https://syndication.example/?url={a['url']}" class="dcr-reuse">Reuse this content</a></div></div></div></div>
</div>
<section data-component="more-on-this-story" class="dcr-onward"><h2>More on this story</h2>{related_list(a.get('related', []), 'dcr-onward-list', 'More on this story', 'h3')}</section>
<section id="comments" data-component="discussion" class="dcr-discussion"><h2>comments ({a.get('n_comments', 212)})</h2><p>Sign in or create your {esc(a['site'])} account to join the discussion.</p><p>This discussion is closed for comments.</p></section>
<section data-component="most-popular" class="dcr-most-popular"><h2 class="dcr-1mgh2gj">Most viewed</h2><ol class="dcr-1o8ohxk">{most}</ol></section>
</main>
<footer data-gu-name="footer" class="dcr-footer">{nav(["About us", "Contact us", "Complaints & corrections", "SecureDrop", "Work for us", "Privacy policy", "Cookie policy", "Terms & conditions", "Help"], "dcr-footer-links")}
<p class="dcr-copyright">© {d.year} {esc(a['site'])} News &amp; Media Limited or its affiliated companies. All rights reserved.</p></footer>
</body></html>
"""


def register(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def pull(self, text: str) -> str:
            return f'<div class="blockextract"><p>{inline(text)}</p></div>'

        def h(self, text: str) -> str:
            return f"<h3>{inline(text)}</h3>"

        def ad(self, _value: object = None) -> str:
            self.n_ads += 1
            return f'<div class="adun" data-pos="mid" data-raptor="condor" data-xsm="mpu" data-sm="mpu" data-md="mpu" data-lg="mpu" data-xlg="mpu" data-mq="{self.n_ads}"><noscript><a href="https://pubads.example/gampad/jump?iu=/6978/reg_software"><img src="https://pubads.example/gampad/ad?sz=300x250" alt=""></a></noscript></div>'

        def readmore(self, headline: str) -> str:
            return f'<p><strong>Read more:</strong> <a href="/{d.year}/{_slugify(headline)}/">{inline(headline)}</a></p>'

    body = B(a).render(a["body"])
    similar = "".join(f'<li><a href="/tag/{_slugify(t)}/">{esc(t)}</a></li>' for t in a.get("tags", []))
    related = "".join(f'<article><a href="/{d.year}/{d.month:02d}/{_slugify(h)}/"><div class="article_text_elements"><h4>{esc(h)}</h4></div></a></article>' for h in a.get("related", []))
    sub = a.get("subhead", "")
    return head(a, title_tag=f'{a["title"]} • {a["site"]}', ld=json_ld(a), extra='<meta name="robots" content="max-image-preview:large">') + f"""<body class="story">
<div id="page"><div id="top_bar"><a href="/" class="logo"><img src="/design_picker/logo.svg" alt="{esc(a['site'])}"></a>
<div id="top_nav">{nav(["Security", "Off-Prem", "On-Prem", "Software", "Offbeat", "Special Features", "Vendor Voice", "Resources"], "main_nav")}</div>
<div class="top_bar_links"><a href="/Week_in_review/">Week in review</a><a href="/Profile/contact/">Send us news</a></div></div>
<div id="main_content"><article class="story_main">
<div class="header_right"><h1>{esc(a['title'])}</h1><h2>{esc(sub)}</h2>
<div class="byline_and_dateline"><div class="byline"><a href="/Author/{_slugify(a['author'])}" class="author">{esc(a['author'])}</a></div>
<span class="dateline">Wed {dfmt(d, '%-d %b %Y')} // {d.strftime('%H:%M')} UTC</span></div>
<div class="social_share"><a class="share_twitter" href="https://x.example/intent/tweet?text={esc(a['title'])}">Share on X</a><a class="share_linkedin" href="#">LinkedIn</a><a class="comments" href="https://forums.example/forum/all/{d.year}/{_slugify(a['title'])}/"><span class="comments_count">{a.get('n_comments', 37)}</span>&nbsp;<span>comment bubble</span></a></div></div>
<div id="body">
{body}
<div class="wptl btm"><h3>Get our</h3><a href="/whitepapers/">Tech Resources</a></div>
</div>
<div id="article_footer"><div class="share_buttons_bottom"><a href="#">Share</a></div>
<div class="similar_topics"><h3>Similar topics</h3><ul>{similar}</ul></div>
<div id="comment_bottom_box"><a href="https://forums.example/forum/all/{d.year}/">{a.get('n_comments', 37)} Comments</a></div></div>
<div id="related_stories"><h3 class="header_right">More like these</h3><div class="more_like_these">{related}</div></div>
<div id="tip_us_off" class="tipus"><p><strong>TIP US OFF</strong></p><p>Send us news</p></div>
</article>
<div id="right_column"><div class="rhs_most_read"><h3>Most read</h3><ol>{"".join(f'<li><a href="/x{i}">{esc(h)}</a></li>' for i, h in enumerate(a.get('most_read', [])))}</ol></div></div>
</div>
<footer id="footer"><div class="footer_section"><p>The {esc(a['site'])} Biting the hand that feeds IT © 1998–{d.year}</p>
{nav(["About Us", "Contact us", "Advertise with us", "Who we are", "Privacy", "Cookies", "Do not sell my personal information", "Syndication"], "footer_nav")}</div></footer></div>
<script src="/design_picker/js/reg.js"></script>
</body></html>
"""


def govuk(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def h(self, text: str) -> str:
            return f'<h2 id="{_slugify(text)}">{inline(text)}</h2>'

        def quote(self, text: str) -> str:
            return f"<blockquote><p>{inline(text)}</p></blockquote>"

    body = B(a).render(a["body"])
    pub = dfmt(d, "%-d %B %Y")
    ld = json_ld(a, publisher="GOV.UK") if a.get("jsonld", True) else ""
    related = "".join(f'<li class="gem-c-related-navigation__link"><a class="govuk-link" href="/government/news/{_slugify(h)}">{esc(h)}</a></li>' for h in a.get("related", []))
    return head(a, title_tag=f'{a["title"]} - GOV.UK', published_meta=False, ld=ld,
                extra=f'<meta name="govuk:first-published-at" content="{a["date"]}"><meta name="govuk:updated-at" content="{a.get("updated") or a["date"]}"><meta name="govuk:public-updated-at" content="{a["date"]}"><meta name="govuk:format" content="news_article"><meta name="govuk:primary-publishing-organisation" content="{esc(a["org"])}">') + f"""<body class="govuk-template__body">
<script>document.body.className += ' js-enabled';</script>
<div id="global-cookie-message" class="gem-c-cookie-banner govuk-clearfix" data-module="cookie-banner" role="region" aria-label="Cookies on GOV.UK"><div class="govuk-cookie-banner js-banner-wrapper" role="region" aria-label="Cookies on GOV.UK"><div class="gem-c-cookie-banner__message govuk-cookie-banner__message govuk-width-container"><div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds"><h2 class="govuk-cookie-banner__heading govuk-heading-m">Cookies on GOV.UK</h2><div class="govuk-cookie-banner__content">
<p class="govuk-body">We use some essential cookies to make this website work.</p><p class="govuk-body">We’d like to set additional cookies to understand how you use GOV.UK, remember your settings and improve government services.</p><p class="govuk-body">We also use cookies set by other sites to help us deliver content from their services.</p></div></div></div>
<div class="govuk-button-group"><button class="govuk-button" type="button" data-accept-cookies="true">Accept additional cookies</button><button class="govuk-button" type="button" data-reject-cookies="true">Reject additional cookies</button><a class="govuk-link" href="/help/cookies">View cookies</a></div></div></div></div>
<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">Skip to main content</a>
<header role="banner" class="gem-c-layout-super-navigation-header"><div class="gem-c-layout-super-navigation-header__container govuk-width-container"><a class="gem-c-layout-super-navigation-header__header-logo" href="/">GOV.UK</a>
<nav aria-labelledby="super-navigation-menu-heading" class="gem-c-layout-super-navigation-header__content"><h2 id="super-navigation-menu-heading" class="govuk-visually-hidden">Navigation menu</h2><button class="gem-c-layout-super-navigation-header__navigation-top-toggle-button">Menu</button>
<ul class="gem-c-layout-super-navigation-header__navigation-items"><li><a href="/browse/benefits">Benefits</a></li><li><a href="/browse/business">Business and self-employed</a></li><li><a href="/browse/childcare-parenting">Childcare and parenting</a></li><li><a href="/browse/citizenship">Citizenship and living in the UK</a></li><li><a href="/browse/justice">Crime, justice and the law</a></li><li><a href="/browse/disabilities">Disabled people</a></li><li><a href="/browse/driving">Driving and transport</a></li><li><a href="/browse/education">Education and learning</a></li><li><a href="/browse/employing-people">Employing people</a></li><li><a href="/browse/environment-countryside">Environment and countryside</a></li><li><a href="/browse/housing-local-services">Housing and local services</a></li><li><a href="/browse/tax">Money and tax</a></li><li><a href="/browse/abroad">Passports, travel and living abroad</a></li><li><a href="/browse/visas-immigration">Visas and immigration</a></li><li><a href="/browse/working">Working, jobs and pensions</a></li></ul></nav></div></header>
<div class="govuk-width-container"><div class="gem-c-contextual-breadcrumbs"><nav class="gem-c-breadcrumbs govuk-breadcrumbs" aria-label="Breadcrumb"><ol class="govuk-breadcrumbs__list"><li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/">Home</a></li><li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/health-and-social-care">Health and social care</a></li><li class="govuk-breadcrumbs__list-item"><a class="govuk-breadcrumbs__link" href="/health-and-social-care/nhs">National Health Service</a></li></ol></nav></div>
<main role="main" id="main-content" class="govuk-main-wrapper govuk-main-wrapper--auto-spacing" lang="en">
<div class="govuk-grid-row gem-print-columns-none"><div class="govuk-grid-column-two-thirds">
<div class="gem-c-heading gem-c-heading--mobile-top-margin govuk-!-margin-bottom-8"><span class="govuk-caption-xl gem-c-heading__context">{esc(a.get('doc_type', 'Press release'))}</span><h1 class="gem-c-heading__text govuk-heading-l">{esc(a['title'])}</h1></div></div>
<div class="govuk-grid-column-two-thirds"><p class="gem-c-lead-paragraph">{inline(a.get('standfirst', ''))}</p></div></div>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds"><div class="gem-c-metadata" data-module="gem-toggle metadata"><dl class="gem-c-metadata__list"><dt class="gem-c-metadata__term">From:</dt><dd class="gem-c-metadata__definition"><a href="/government/organisations/{_slugify(a['org'])}" class="govuk-link">{esc(a['org'])}</a></dd>
<dt class="gem-c-metadata__term">Published</dt><dd class="gem-c-metadata__definition">{pub}</dd></dl></div></div></div>
<div class="govuk-grid-row"><div class="govuk-grid-column-two-thirds"><div class="responsive-bottom-margin">
<div class="gem-c-govspeak govuk-govspeak" data-module="govspeak"><div class="govspeak">
{body}
</div></div>
<div class="gem-c-published-dates" lang="en"><p>Published {pub}</p></div>
<div class="gem-c-single-page-notification-button"><form class="gem-c-single-page-notification-button" action="/email/subscriptions/single-page/new" method="POST"><button class="govuk-body-s gem-c-single-page-notification-button__submit" type="submit">Get emails about this page</button></form></div>
<div class="gem-c-share-links govuk-!-display-none-print"><h2 class="gem-c-share-links__title">Share this page</h2><ul class="gem-c-share-links__list"><li><a href="https://www.facebook.example/sharer/sharer.php?u={a['url']}" class="govuk-link">Share on Facebook</a></li><li><a href="https://x.example/share?url={a['url']}" class="govuk-link">Share on Twitter</a></li></ul></div>
</div></div>
<div class="govuk-grid-column-one-third"><div class="gem-c-contextual-sidebar"><div class="gem-c-related-navigation"><h2 id="related-nav-related_items" class="gem-c-related-navigation__main-heading">Related content</h2>
<nav role="navigation" class="gem-c-related-navigation__nav-section" aria-labelledby="related-nav-related_items"><ul class="gem-c-related-navigation__link-list">{related}</ul></nav>
<h3 class="gem-c-related-navigation__sub-heading">Explore the topic</h3><ul class="gem-c-related-navigation__link-list"><li><a href="/health-and-social-care/nhs">National Health Service</a></li><li><a href="/crime-justice-and-law/cyber-security">Cyber security</a></li></ul></div></div></div></div>
<div class="gem-c-feedback govuk-!-display-none-print" data-module="feedback"><div class="gem-c-feedback__prompt"><div class="gem-c-feedback__prompt-content"><div class="gem-c-feedback__prompt-questions"><h2 class="gem-c-feedback__prompt-question">Is this page useful?</h2><ul class="gem-c-feedback__option-list"><li><button class="govuk-button">Yes<span class="govuk-visually-hidden"> this page is useful</span></button></li><li><button class="govuk-button">No<span class="govuk-visually-hidden"> this page is not useful</span></button></li></ul></div>
<button class="govuk-button govuk-button--secondary">Report a problem with this page</button></div></div></div>
</main></div>
<footer class="gem-c-layout-footer govuk-footer" role="contentinfo"><div class="govuk-width-container"><div class="govuk-footer__navigation"><div class="govuk-footer__section govuk-grid-column-two-thirds"><h2 class="govuk-footer__heading govuk-heading-m">Services and information</h2><ul class="govuk-footer__list govuk-footer__list--columns-2"><li><a class="govuk-footer__link" href="/browse/benefits">Benefits</a></li><li><a class="govuk-footer__link" href="/browse/births-deaths-marriages">Births, death, marriages and care</a></li><li><a class="govuk-footer__link" href="/browse/business">Business and self-employed</a></li><li><a class="govuk-footer__link" href="/browse/tax">Money and tax</a></li></ul></div>
<div class="govuk-footer__section govuk-grid-column-one-third"><h2 class="govuk-footer__heading govuk-heading-m">Government activity</h2><ul class="govuk-footer__list"><li><a class="govuk-footer__link" href="/government/organisations">Departments</a></li><li><a class="govuk-footer__link" href="/search/news-and-communications">News</a></li><li><a class="govuk-footer__link" href="/search/transparency-and-freedom-of-information-releases">Transparency</a></li></ul></div></div>
<div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow"><h2 class="govuk-visually-hidden">Support links</h2><ul class="govuk-footer__inline-list"><li><a href="/help">Help</a></li><li><a href="/help/privacy-notice">Privacy</a></li><li><a href="/help/cookies">Cookies</a></li><li><a href="/help/accessibility-statement">Accessibility statement</a></li><li><a href="/contact">Contact</a></li></ul>
<span class="govuk-footer__licence-description">All content is available under the <a class="govuk-footer__link" href="https://www.nationalarchives.example/doc/open-government-licence/version/3/" rel="license">Open Government Licence v3.0</a>, except where otherwise stated</span></div>
<div class="govuk-footer__meta-item"><a class="govuk-footer__link govuk-footer__copyright-logo" href="https://www.nationalarchives.example/information-management/re-using-public-sector-information/uk-government-licensing-framework/crown-copyright/">© Crown copyright</a></div></div></div></footer>
<script src="/assets/static/application.js" type="module"></script>
</body></html>
"""


def nhs_trust(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def p(self, text: str) -> str:
            return f"<p>{inline(text)}</p>\n<p>&nbsp;</p>" if a.get("spacers") else f"<p>{inline(text)}</p>"

        def h(self, text: str) -> str:
            return f"<h3><strong>{inline(text)}</strong></h3>"

    body = B(a).render(a["body"])
    sidebar = f"""<aside class="sidebar col-md-4" role="complementary"><div class="widget latest-news"><h2 class="widget-title">Latest news</h2>
<ul class="news-list">{"".join(f'<li class="news-list__item"><a href="/news/{_slugify(h)}"><span class="news-list__title">{esc(h)}</span></a><time class="news-list__date" datetime="{d.replace(day=max(1, d.day - i - 2)).date().isoformat()}">{dfmt(d.replace(day=max(1, d.day - i - 2)), "%-d %B %Y")}</time></li>' for i, h in enumerate(a.get('related', [])))}</ul></div>
<div class="widget contact-box"><h2 class="widget-title">Media enquiries</h2><p>Communications team: 01632 960{len(a['site']) % 10}{len(a['title']) % 10}0</p><p>Out of hours, contact the switchboard and ask for the on-call communications manager.</p></div></aside>"""
    date_line = f'<p class="news-date">Posted on {dfmt(d, "%A %-d %B %Y")}</p>'
    main = f"""<div class="col-md-8"><article class="news-article">
<h1 class="page-title">{esc(a['title'])}</h1>
{date_line}
{'<div class="news-article__image"><img src="/media/' + slug(a) + '.jpg" alt=""><p class="image-caption">' + inline(a['lead_caption']) + '</p></div>' if a.get('lead_caption') else ''}
<div class="news-article__body">
{body}
</div>
<div class="share-this"><span>Share this page:</span> <a href="#" class="share-facebook">Facebook</a> <a href="#" class="share-twitter">X</a> <a href="#" class="share-email">Email</a></div>
</article></div>"""
    layout = sidebar + main if a.get("sidebar_first") else main + sidebar
    return head(a, title_tag=f'{a["title"]} :: {a["site"]}', published_meta=a.get("meta_date", False), og=a.get("og", True)) + f"""<body class="page-news">
<div class="alert-banner" role="alert"><div class="container"><p><strong>Visiting:</strong> {esc(a.get('banner', 'Please check our visiting guidance before coming to our hospitals. Face masks are available at all entrances.'))} <a href="/visiting">Find out more</a></p></div></div>
<header class="site-header"><div class="container"><a class="site-logo" href="/"><img src="/images/nhs-logo.svg" alt="{esc(a['site'])}"></a>
<form class="site-search" action="/search"><label for="q">Search</label><input id="q" name="q" type="search"><button>Search</button></form>
<ul class="header-links"><li><a href="/contact-us">Contact us</a></li><li><a href="/careers">Careers</a></li><li><a href="/accessibility">Accessibility</a></li></ul></div></header>
{nav(["Home", "Our hospitals", "Patients and visitors", "Services A-Z", "About us", "Working for us", "News and media", "Get involved", "Contact us"], "main-nav navbar")}
<div class="breadcrumbs container"><ol><li><a href="/">Home</a></li><li><a href="/news">News</a></li><li>{esc(a['title'])}</li></ol></div>
<main class="page-content" id="maincontent"><div class="container"><div class="row">
{layout}
</div></div>
<section class="feedback container"><h2>Did you find this page useful?</h2><form><button name="useful" value="yes">Yes</button><button name="useful" value="no">No</button></form></section></main>
<footer class="site-footer"><div class="container"><div class="footer-col"><h3>{esc(a['site'])}</h3><p>{esc(a.get('address', 'Trust Headquarters, Hospital Road'))}</p><p>Switchboard: 01632 960000</p></div>
<div class="footer-col"><h3>Useful links</h3><ul><li><a href="/foi">Freedom of information</a></li><li><a href="/privacy">Privacy notice</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/modern-slavery">Modern slavery statement</a></li><li><a href="/sitemap">Site map</a></li></ul></div>
<p class="copyright">© {esc(a['site'])} {d.year}</p></div></footer>
</body></html>
"""


def drupal_council(a: dict) -> str:
    d = when(a)
    body = Blocks(a).render(a["body"])
    related = "".join(f'<div class="field__item"><a href="/{_slugify(h)}">{esc(h)}</a></div>' for h in a.get("related_links", []))
    latest = "".join(f'<div class="views-row"><div class="views-field views-field-title"><span class="field-content"><a href="/news/{_slugify(h)}">{esc(h)}</a></span></div><div class="views-field views-field-created"><span class="field-content">{dfmt(d.replace(day=max(1, d.day - i - 1)), "%-d %B %Y")}</span></div></div>' for i, h in enumerate(a.get("related", [])))
    date_html = (f'<span property="dc:date dc:created" content="{a["date"]}" class="field field--name-created field--type-created">{dfmt(d, "%-d %B %Y")}</span>'
                 if a.get("rdfa_date") else f'<time datetime="{a["date"]}" class="datetime">{dfmt(d, "%-d %B %Y")}</time>')
    return head(a, title_tag=f'{a["title"]} | {a["site"]}', og=a.get("og", True), published_meta=a.get("meta_date", False),
                extra='<meta name="Generator" content="Drupal 10 (https://www.drupal.org)"><meta name="MobileOptimized" content="width">') + f"""<body class="path-node page-node-type-news">
<a href="#main-content" class="visually-hidden focusable skip-link">Skip to main content</a>
<div class="dialog-off-canvas-main-canvas" data-off-canvas-main-canvas>
<div id="block-civiccookiecontrol" class="block block-civiccookiecontrol"><div class="ccc-notify"><h2>This site uses cookies to store information on your computer.</h2><p>Some of these cookies are essential, while others help us to improve your experience by providing insights into how the site is being used. For more detailed information on the cookies we use, please check our Privacy and Cookie Policy.</p><button>Accept recommended settings</button><button>Reject all</button></div></div>
<header role="banner" class="site-header"><div class="region region-header"><div id="block-sitebranding" class="block block-system block-system-branding-block"><a href="/" rel="home"><img src="/themes/custom/council/logo.svg" alt="Home"></a></div>
<div class="search-block-form block block-search" role="search"><form action="/search/node" method="get"><label for="edit-keys">Search</label><input type="search" id="edit-keys" name="keys"><input type="submit" value="Search"></form></div></div>
<div class="region region-primary-menu">{nav(["Bins and recycling", "Council tax", "Benefits", "Housing", "Planning and building control", "Parking and roads", "Schools and learning", "Adult social care", "Children and families", "Jobs", "Your council"], "menu--main")}</div></header>
<div class="region region-highlighted"><div data-drupal-messages-fallback class="hidden"></div></div>
<div class="region region-breadcrumb"><nav class="breadcrumb" role="navigation" aria-labelledby="system-breadcrumb"><h2 id="system-breadcrumb" class="visually-hidden">Breadcrumb</h2><ol><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ol></nav></div>
<main role="main"><a id="main-content" tabindex="-1"></a><div class="layout-content">
<div class="region region-content">
<div id="block-council-page-title" class="block block-core block-page-title-block"><h1 class="page-title"><span class="field field--name-title field--type-string field--label-hidden">{esc(a['title'])}</span></h1></div>
<div id="block-council-content" class="block block-system block-system-main-block">
<article data-history-node-id="{len(a['title']) * 37}" role="article" about="/news/{_slugify(a['title'])}" class="node node--type-news node--promoted node--view-mode-full">
<div class="node__meta">{date_html}</div>
<div class="node__content">
<div class="clearfix text-formatted field field--name-body field--type-text-with-summary field--label-hidden field__item">
{body}
</div>
{'<div class="field field--name-field-related-links field--type-link field--label-above"><div class="field__label">Related links</div><div class="field__items">' + related + '</div></div>' if related else ''}
</div></article></div></div></div>
<aside class="layout-sidebar-second" role="complementary"><div class="region region-sidebar-second"><div class="views-element-container block block-views block-views-blocknews-block-1"><h2>Latest news</h2><div class="view view-news view-id-news view-display-id-block_1"><div class="view-content">{latest}</div><div class="more-link"><a href="/news">More news</a></div></div></div></div></aside>
<div id="block-webform-was-this-page-helpful" class="block block-webform"><h2>Was this page helpful?</h2><form class="webform-submission-form"><fieldset><legend>Was this page helpful?</legend><label><input type="radio" name="helpful" value="yes"> Yes</label><label><input type="radio" name="helpful" value="no"> No</label></fieldset><label for="why">Tell us how we could improve this page (optional). Do not include personal information; we cannot reply to comments left here.</label><textarea id="why"></textarea><input type="submit" value="Submit"></form></div>
</main>
<footer role="contentinfo" class="site-footer"><div class="region region-footer">{nav(["Contact us", "Accessibility statement", "Privacy and cookies", "Freedom of information", "Complaints", "Jobs and careers", "Newsroom"], "menu--footer")}<p>© {esc(a['site'])} {d.year}</p>
<div class="social-links"><a href="#">Facebook</a><a href="#">X</a><a href="#">Instagram</a><a href="#">LinkedIn</a><a href="#">YouTube</a></div></div></footer></div>
</body></html>
"""


def statuspage(a: dict) -> str:
    rows = []
    for entry in a["entries"]:
        stamp = datetime.fromisoformat(str(entry["time"]))
        text = "<br><br>".join(inline(p) for p in entry["body"] if isinstance(p, str))
        rows.append(f"""<div class="row update-row"><div class="update-title span3 font-large">{esc(entry['status'])}</div>
<div class="update-body span9"><span class="whitespace-pre-wrap">{text}</span>
<div class="update-timestamp font-small color-secondary">Posted <span class="ago" data-datetime-unix="{int(stamp.timestamp() * 1000)}"></span>{stamp.strftime('%b %d, %Y - %H:%M')} BST</div></div></div>""")
    svc = a["site"]
    return head(a, title_tag=f'{svc} Status - {a["title"]}', published_meta=False, og=False,
                extra='<meta name="issued" content="' + str(int(when(a).timestamp())) + '">') + f"""<body class="status index status-none">
<div class="layout-content status status-incident">
<div class="masthead-container basic"><div class="masthead has-logo"><div class="logo-container"><a href="/"><img src="https://statuspage.example/{_slugify(svc)}/logo.png" alt="{esc(svc)} Logo"></a></div>
<div class="updates-dropdown-container"><a class="show-updates-dropdown">Subscribe to Updates</a>
<div class="updates-dropdown-section" id="updates-dropdown-section-email"><p>Get email notifications whenever {esc(svc)} <strong>creates</strong>, <strong>updates</strong> or <strong>resolves</strong> an incident.</p><form><label for="email">Email address:</label><input type="text" id="email"><p class="disclaimer">By subscribing you agree to our Privacy Policy. This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of Service apply.</p><button type="submit">Subscribe via Email</button></form></div>
<div class="updates-dropdown-section" id="updates-dropdown-section-sms"><p>Get text message notifications whenever {esc(svc)} <strong>creates</strong> or <strong>resolves</strong> an incident.</p><form><label>Country code:</label><select><option>United Kingdom (+44)</option><option>Ireland (+353)</option></select><label>Phone number:</label><input type="text"><p class="disclaimer">Message and data rates may apply. By subscribing you agree to the Atlassian Terms of Service, and the Atlassian Privacy Policy.</p><button type="submit">Subscribe via Text Message</button></form></div>
<div class="updates-dropdown-section" id="updates-dropdown-section-webhook"><p>Get webhook notifications whenever {esc(svc)} <strong>creates</strong> an incident, <strong>updates</strong> an incident, <strong>resolves</strong> an incident or <strong>changes</strong> a component status.</p></div>
<div class="updates-dropdown-section" id="updates-dropdown-section-rss"><p>Get the <a href="/history.atom">Atom Feed</a> or <a href="/history.rss">RSS Feed</a>.</p></div></div></div></div>
<div class="container">
<div class="page-title"><div class="incident-name impact-{a.get('impact', 'major')}">{esc(a['title'])}</div><div class="subheader">Incident Report for <strong>{esc(svc)}</strong></div></div>
<div class="incident-updates-container">
{"".join(rows)}
</div>
<div class="components-affected font-small color-secondary border-color">This incident affected: {esc(a.get('affected', 'Core services'))}.</div>
</div>
<div class="page-footer"><a href="/">&larr; Current Status</a><span class="powered-by"><a href="https://statuspage.example/?utm_source=status">Powered by Atlassian Statuspage</a></span></div>
</div>
<script>var statusPageConfig = {{"page_id": "{hashlib.md5(svc.encode()).hexdigest()[:12]}", "incident": true}};</script>
</body></html>
"""


def liveblog(a: dict) -> str:
    d = when(a)
    blocks = []
    keys = []
    for i, entry in enumerate(a["entries"]):
        stamp = datetime.fromisoformat(str(entry["time"]))
        bid = f"block-{hashlib.md5((a['name'] + str(i)).encode()).hexdigest()[:12]}"
        body = Blocks(a).render(entry["body"])
        title = f'<h2 class="block-title">{inline(entry["title"])}</h2>' if entry.get("title") else ""
        blocks.append(f"""<article id="{bid}" class="block{' is-key-event' if entry.get('key') else ''}" data-block-id="{bid}">
<header class="block-header"><a href="#{bid}" class="block-time"><time datetime="{entry['time']}">{stamp.strftime('%H.%M')} BST</time></a>{'<span class="key-event-label">Key event</span>' if entry.get('key') else ''}</header>
<div class="block-elements">{title}{body}</div>
<footer class="block-footer"><span class="updated">Updated at {stamp.strftime('%H.%M')} BST</span><button class="block-share">Share</button></footer></article>""")
        if entry.get("key"):
            keys.append(f'<li><a href="#{bid}"><time>{stamp.strftime("%H.%M")} BST</time> <span>{inline(entry.get("title") or plain(entry["body"][0])[:60])}</span></a></li>')
    return head(a, title_tag=f'{a["title"]} – live updates | {a["site"]}', ld=json_ld(a, kind="LiveBlogPosting")) + f"""<body class="liveblog">
<header class="masthead">{nav(["Home", "UK", "World", "Politics", "Business", "Technology", "Health", "Live"], "topnav")}</header>
<main id="main"><article class="liveblog-article">
<div class="live-badge"><span class="pulse"></span>LIVE</div>
<h1 class="headline">{esc(a['title'])}</h1>
<div class="standfirst"><ul>{"".join(f'<li>{inline(x)}</li>' for x in a.get('summary_points', []))}</ul></div>
<div class="meta"><span class="byline">{esc(a['author'])}</span> <time datetime="{a['date']}">{dfmt(d, '%a %-d %b %Y %H.%M BST')}</time></div>
<div class="key-events"><h2>Key events</h2><ul>{"".join(keys)}</ul><button>Show key events only</button></div>
<div id="liveblog-body" class="liveblog-body">
<div class="liveblog-navigation"><a href="?page=1">Newest</a><a href="?page=1" class="disabled">Previous</a><span>1 of 3</span><a href="?page=2">Next</a><a href="?page=3">Oldest</a></div>
{"".join(blocks)}
<div class="liveblog-navigation bottom"><a href="?page=1">Newest</a><span>1 of 3</span><a href="?page=2">Next</a><a href="?page=3">Oldest</a></div>
</div></article>
<aside class="most-read"><h2>Most read</h2><ol>{"".join(f'<li><a href="/x{i}">{esc(h)}</a></li>' for i, h in enumerate(a.get('most_read', [])))}</ol></aside></main>
<footer class="site-footer"><p>© {d.year} {esc(a['site'])}. Registered in England and Wales.</p>{nav(["Terms", "Privacy", "Cookies", "Contact"], "footnav")}</footer>
</body></html>
"""


def amp(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def figure(self, caption: str) -> str:
            return (f'<figure class="amp-fig"><amp-img src="/img/{slug(a)}-{len(caption)}.jpg" width="800" height="450" layout="responsive" alt=""></amp-img>'
                    f'<figcaption class="amp-caption">{inline(caption)}</figcaption></figure>')

        def ad(self, _value: object = None) -> str:
            return '<amp-ad width="300" height="250" type="doubleclick" data-slot="/1234/news/amp_mpu"><div placeholder>Advertisement</div><div fallback>Advertisement</div></amp-ad>'

        def related(self, headlines: list[str]) -> str:
            items = "".join(f'<li><a href="/news/{_slugify(h)}.amp">{inline(h)}</a></li>' for h in headlines)
            return f'<div class="amp-related-inline"><h4>Read more</h4><ul>{items}</ul></div>'

    body = B(a).render(a["body"])
    cards = "".join(f'<div class="card"><a href="/news/{_slugify(h)}.amp"><amp-img src="/img/t{i}.jpg" width="300" height="170" layout="responsive"></amp-img><h3>{esc(h)}</h3></a></div>' for i, h in enumerate(a.get("related", [])))
    return f"""<!doctype html>
<html ⚡ lang="en">
<head><meta charset="utf-8"><script async src="https://cdn.ampproject.example/v0.js"></script>
<script async custom-element="amp-ad" src="https://cdn.ampproject.example/v0/amp-ad-0.1.js"></script>
<script async custom-element="amp-sidebar" src="https://cdn.ampproject.example/v0/amp-sidebar-0.1.js"></script>
<title>{esc(a['title'])} - {esc(a['site'])}</title>
<link rel="canonical" href="{a['url']}">
<meta name="viewport" content="width=device-width">
<meta property="og:title" content="{esc(a.get('seo_title') or a['title'])}">
<meta property="og:site_name" content="{esc(a['site'])}">
{json_ld(a)}
<style amp-boilerplate>body{{-webkit-animation:-amp-start 8s steps(1,end) 0s 1 normal both;animation:-amp-start 8s steps(1,end) 0s 1 normal both}}@keyframes -amp-start{{from{{visibility:hidden}}to{{visibility:visible}}}}</style><noscript><style amp-boilerplate>body{{-webkit-animation:none;animation:none}}</style></noscript>
<style amp-custom>.amp-article{{max-width:700px;margin:0 auto}}.amp-caption{{font-size:13px;color:#555}}</style>
</head>
<body>
<amp-sidebar id="sidebar" layout="nodisplay" side="left"><button on="tap:sidebar.close">Close</button>{nav(["Home", "News", "Sport", "What's On", "Business", "Opinion", "Jobs", "Family notices"], "amp-menu")}</amp-sidebar>
<header class="amp-header"><button on="tap:sidebar.toggle" class="hamburger">Menu</button><a href="/" class="amp-logo">{esc(a['site'])}</a></header>
<amp-consent id="site-consent" layout="nodisplay"><div class="consent-popup" id="consent-ui"><p>We and our partners use cookies and similar technologies to personalise content and ads, to provide social media features and to analyse our traffic.</p><button on="tap:site-consent.accept">Accept</button><button on="tap:site-consent.reject">Reject</button></div></amp-consent>
<article class="amp-article">
<p class="kicker">{esc(a.get('section', 'News'))}</p>
<h1 class="amp-title">{esc(a['title'])}</h1>
<p class="amp-standfirst">{inline(a.get('standfirst', ''))}</p>
<div class="amp-byline">By <span class="author">{esc(a['author'])}</span> <span class="sep">|</span> <time datetime="{a['date']}">{dfmt(d, '%-d %B %Y, %H:%M')}</time></div>
<div class="amp-share"><amp-social-share type="twitter" width="40" height="40"></amp-social-share><amp-social-share type="facebook" width="40" height="40"></amp-social-share><amp-social-share type="email" width="40" height="40"></amp-social-share></div>
{B(a).figure(a['lead_caption']) if a.get('lead_caption') else ''}
<div class="amp-body">
{body}
</div>
<div class="amp-tags">{"".join(f'<a href="/tag/{_slugify(t)}">{esc(t)}</a>' for t in a.get('tags', []))}</div>
<section class="amp-related"><h2>More stories</h2><amp-carousel height="220" layout="fixed-height" type="carousel">{cards}</amp-carousel></section>
</article>
<footer class="amp-footer"><a href="{a['url']}">View full site</a><p>© {d.year} {esc(a['site'])}</p></footer>
<amp-analytics type="googleanalytics"><script type="application/json">{{"vars": {{"account": "UA-000000-1"}}}}</script></amp-analytics>
</body></html>
"""


CONSENT_WALL = """<div id="onetrust-consent-sdk"><div class="onetrust-pc-dark-filter ot-fade-in"></div>
<div id="onetrust-banner-sdk" class="otFlat" role="region" aria-label="Cookie banner"><div class="ot-sdk-container"><div class="ot-sdk-row"><div id="onetrust-group-container" class="ot-sdk-eight ot-sdk-columns"><div class="banner_logo"></div><div id="onetrust-policy">
<h2 id="onetrust-policy-title">We value your privacy</h2><div id="onetrust-policy-text">We and our 843 partners store and access information on your device, such as cookies, and process personal data, such as unique identifiers and standard information sent by a device, for personalised advertising and content, advertising and content measurement, audience research and services development. With your permission we and our partners may use precise geolocation data and identification through device scanning. You may click to consent to our and our partners' processing as described above. Alternatively you may access more detailed information and change your preferences before consenting or to refuse consenting. Please note that some processing of your personal data may not require your consent, but you have a right to object to such processing. Your preferences will apply to this website only. You can change your preferences at any time by returning to this site or visiting our privacy policy.</div></div></div>
<div id="onetrust-button-group-parent" class="ot-sdk-three ot-sdk-columns"><div id="onetrust-button-group"><button id="onetrust-pc-btn-handler">More options</button><button id="onetrust-reject-all-handler">Reject all</button><button id="onetrust-accept-btn-handler">Accept all</button></div></div></div></div></div>
<div id="onetrust-pc-sdk" class="otPcCenter ot-hide ot-fade-in" role="region" aria-label="Preference center"><div class="ot-pc-header"><h2 id="ot-pc-title">Privacy Preference Center</h2></div><div id="ot-pc-content" class="ot-pc-scrollbar"><div id="ot-pc-desc">When you visit any website, it may store or retrieve information on your browser, mostly in the form of cookies. This information might be about you, your preferences or your device and is mostly used to make the site work as you expect it to. The information does not usually directly identify you, but it can give you a more personalized web experience. Because we respect your right to privacy, you can choose not to allow some types of cookies.</div>
<h3 id="ot-category-title">Manage Consent Preferences</h3>
<div class="ot-accordion-layout ot-cat-item"><h4 class="ot-cat-header">Strictly Necessary Cookies</h4><div class="ot-always-active">Always Active</div><p class="ot-category-desc">These cookies are necessary for the website to function and cannot be switched off in our systems. They are usually only set in response to actions made by you which amount to a request for services, such as setting your privacy preferences, logging in or filling in forms.</p></div>
<div class="ot-accordion-layout ot-cat-item"><h4 class="ot-cat-header">Performance Cookies</h4><p class="ot-category-desc">These cookies allow us to count visits and traffic sources so we can measure and improve the performance of our site. They help us to know which pages are the most and least popular and see how visitors move around the site.</p></div>
<div class="ot-accordion-layout ot-cat-item"><h4 class="ot-cat-header">Targeting Cookies</h4><p class="ot-category-desc">These cookies may be set through our site by our advertising partners. They may be used by those companies to build a profile of your interests and show you relevant adverts on other sites. They do not store directly personal information, but are based on uniquely identifying your browser and internet device.</p></div>
</div><div class="ot-pc-footer"><button class="save-preference-btn-handler onetrust-close-btn-handler">Confirm My Choices</button><div class="ot-pc-footer-logo"><a href="https://www.onetrust.example/products/cookie-consent/" target="_blank" rel="noopener noreferrer" aria-label="Powered by OneTrust">Powered by OneTrust</a></div></div></div></div>"""


def consent_wall(a: dict) -> str:
    d = when(a)
    inner = a.get("inner", "reach_local")
    page = LAYOUTS[inner](a)
    if a.get("wall_first"):
        return _insert_after_body(page, CONSENT_WALL + f'<div class="sp-message-open"><!-- consent {d.year} --></div>')
    return page.replace("</body>", CONSENT_WALL + "\n</body>")


def _insert_after_body(page: str, fragment: str) -> str:
    start = page.index("<body")
    end = page.index(">", start) + 1
    return page[:end] + "\n" + fragment + page[end:]


def substack(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def promo(self, _value: object = None) -> str:
            return (f'<div class="subscription-widget-wrap-editor" data-attrs="{{&quot;url&quot;:&quot;{a["base"]}/subscribe&quot;,&quot;text&quot;:&quot;Subscribe&quot;}}" data-component-name="SubscribeWidgetToDOM"><div class="subscription-widget show-subscribe"><div class="preamble"><p class="cta-caption">Thanks for reading {esc(a["site"])}! Subscribe for free to receive new posts and support my work.</p></div>'
                    '<form class="subscription-widget-subscribe"><input type="email" class="email-input" name="email" placeholder="Type your email…"><input type="submit" class="button primary" value="Subscribe"></form></div></div>')

        def readmore(self, headline: str) -> str:
            return f'<p class="button-wrapper" data-attrs="{{}}" data-component-name="ButtonCreateButton"><a class="button primary" href="{a["base"]}/p/{_slugify(headline)}"><span>{inline(headline)}</span></a></p>'

    body = B(a).render(a["body"])
    comments = "".join(
        f'<div class="comment"><div class="comment-content"><div class="comment-meta"><a class="commenter-name" href="/@{_slugify(n)}">{esc(n)}</a><a class="comment-date" href="#comment-{i}">{dfmt(d, "%b %-d")}</a></div>'
        f'<div class="comment-body"><p>{inline(t)}</p></div><div class="comment-actions"><button>Like ({(i * 7) % 13})</button><button>Reply</button><button>Share</button></div></div></div>'
        for i, (n, t) in enumerate(a.get("comments", [])))
    return head(a, title_tag=f'{a["title"]} - by {a["author"]}', ld=json_ld(a, kind="NewsArticle")) + f"""<body><div id="entry"><div id="main" class="main typography use-theme-bg">
<div class="topbar"><div class="navbar-title"><a href="/">{esc(a['site'])}</a></div><div class="topbar-buttons"><a class="button primary" href="/subscribe">Subscribe</a><a class="button" href="/sign-in">Sign in</a></div></div>
<div class="container"><div class="single-post-container"><div class="single-post"><article class="typography newsletter-post post">
<div class="post-header"><h1 class="post-title published">{esc(a['title'])}</h1><h3 class="subtitle">{inline(a.get('standfirst', ''))}</h3>
<div class="post-meta"><div class="profile-hover-card-target"><a href="/@{_slugify(a['author'])}">{esc(a['author'])}</a></div><div class="post-date">{dfmt(d, '%b %-d, %Y')}</div></div>
<div class="post-ufi"><button class="like-button">{len(a.get('comments', [])) * 9}</button><a class="comment-button" href="#comments">{len(a.get('comments', []))}</a><button class="share-button">Share</button></div></div>
<div class="available-content"><div dir="auto" class="body markup">
{body}
</div></div>
<div class="post-footer"><div class="post-ufi"><button class="like-button">Like</button><a class="comment-button" href="#comments">Comments</a><button class="restack-button">Restack</button><button class="share-button">Share</button></div></div>
<div class="subscribe-footer"><p>Discussion about this post</p></div>
<div id="comments" class="comments-page"><div class="comment-list">{comments}</div></div>
</article></div></div></div>
<div class="footer-wrap"><div class="footer"><p>© {d.year} {esc(a['author'])}</p><ul><li><a href="/privacy">Privacy</a></li><li><a href="/tos">Terms</a></li><li><a href="/collection-notice">Collection notice</a></li></ul><p>Start writing. Get the app. Substack is the home for great culture.</p></div></div>
</div></div>
<script>window._preloads = JSON.parse("{{\\"isEU\\":false,\\"language\\":\\"en\\"}}")</script>
</body></html>
"""


def reach_local(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def readmore(self, headline: str) -> str:
            return f'<p><strong>READ MORE: <a href="/news/local-news/{_slugify(headline)}-{len(headline) * 1234}">{inline(headline)}</a></strong></p>'

        def related(self, headlines: list[str]) -> str:
            links = "".join(f'<a href="/news/{_slugify(h)}" class="read-more-link">{inline(h)}</a>' for h in headlines)
            return f'<div class="read-more-links"><span class="read-more-links-title">Read More</span><div class="read-more-links-list">Related Articles{links}</div></div>'

        def ad(self, _value: object = None) -> str:
            self.n_ads += 1
            return f'<div class="ad-placeholder ad-slot-{self.n_ads}" id="div-gpt-ad-inline-{self.n_ads}" data-ad-type="inline"></div>'

        def promo(self, _value: object = None) -> str:
            return (f'<div class="inline-newsletter"><form class="newsletter-form"><h3>Get the biggest stories from {esc(a["site"])} straight to your inbox</h3>'
                    '<p>Sign up for our free daily newsletter. We use your sign-up to provide content in ways you\'ve consented to and to improve our understanding of you. This may include adverts from us and 3rd parties based on our understanding. You can unsubscribe at any time.</p>'
                    '<input type="email" placeholder="Enter email"><button>Subscribe</button></form></div>')

        def figure(self, caption: str) -> str:
            return (f'<figure class="in-article-image"><div class="img-container"><img src="https://i2-prod.example/incoming/article{len(caption)}.ece/ALTERNATES/s615/0_{slug(a)}.jpg" alt="{esc(plain(caption))}"></div>'
                    f'<figcaption><span class="caption">{inline(caption)}</span> <span class="credit">(Image: Reach)</span></figcaption></figure>')

    body = B(a).render(a["body"])
    ld_body = "\n".join(gold_blocks(a["body"])) if a.get("ld_body") else None
    most = "".join(f'<li class="teaser"><a href="/news/x{i}"><span class="teaser-index">{i + 1}</span><span class="headline">{esc(h)}</span></a></li>' for i, h in enumerate(a.get("most_read", [])))
    dont_miss = "".join(f'<li><a href="/news/{_slugify(h)}">{esc(h)}</a></li>' for h in a.get("related", []))
    upd = datetime.fromisoformat(str(a["updated"])) if a.get("updated") else None
    return head(a, title_tag=f'{a["title"]} - {a["site"]}', ld=json_ld(a, body=ld_body, modified_first=True)) + f"""<body class="mod-article">
<header class="mast-header"><a href="/" class="publication-logo">{esc(a['site'])}</a>{nav(["News", "Sport", "What's On", "Food & Drink", "In Your Area", "Business", "Family Notices", "Traffic", "Crime", "Health", "Politics"], "primary")}
<div class="header-actions"><a href="/newsletter-signup">Newsletters</a><a href="/login">Sign in</a></div></header>
<main><article itemscope itemtype="http://schema.org/NewsArticle" class="article-main">
<div class="article-information">
<div class="breadcrumbs"><a href="/news">News</a> <span>&gt;</span> <a href="/news/{_slugify(a.get('section', 'Local News'))}">{esc(a.get('section', 'Local News'))}</a></div>
<h1 class="publication-font section-theme-background-indicator">{esc(a['title'])}</h1>
<p class="sub-title">{inline(a.get('standfirst', ''))}</p>
<div class="article-information-inner"><div class="author"><span class="author-name"><a href="/authors/{_slugify(a['author'])}/" rel="author">{esc(a['author'])}</a></span><span class="author-role">{esc(a.get('author_role', 'Health Reporter'))}</span></div>
<ul class="time-info"><li><span class="date-published"><time itemprop="datePublished" datetime="{a['date']}">{d.strftime('%H:%M')}, {dfmt(d, '%-d %b %Y')}</time></span></li>{f'<li><span class="time-updated">Updated<time datetime="{a["updated"]}">{upd.strftime("%H:%M")}, {dfmt(upd, "%-d %b %Y")}</time></span></li>' if upd else ''}</ul></div>
<div class="social-share-bar"><a class="share-facebook" href="#">Facebook</a><a class="share-x" href="#">X</a><a class="share-whatsapp" href="#">WhatsApp</a><a class="share-email" href="#">Email</a><a href="#comments-wrapper" class="comment-count-link"><span>{len(a.get('comments', [])) or 'Comments'}</span></a></div></div>
<figure class="lead-image"><img src="https://i2-prod.example/incoming/lead-{slug(a)}.jpg" alt=""><figcaption><span class="caption">{inline(a.get('lead_caption', ''))}</span> <span class="credit">(Image: Colin Lane)</span></figcaption></figure>
<div class="article-body" itemprop="articleBody">
{body}
</div>
<div class="topic-tags"><span>Follow</span>{"".join(f'<a href="/all-about/{_slugify(t)}">{esc(t)}</a>' for t in a.get('tags', []))}</div>
<div class="dont-miss"><h3>Don't Miss</h3><ul>{dont_miss}</ul></div>
<div id="comments-wrapper" class="comments-widget"><h3>Comments</h3>{''.join(f'<div class="vf-comment"><span class="vf-author">{esc(n)}</span><p class="vf-comment-text">{inline(t)}</p><span class="vf-like">Like</span></div>' for n, t in a.get('comments', []))}</div>
</article>
<aside class="sidebar"><div class="most-read"><h2>Most Read</h2><ol>{most}</ol></div><div class="ad-placeholder" id="div-gpt-ad-sidebar"></div></aside></main>
<footer class="mast-footer"><p>{esc(a['site'])} is part of a large regional publisher. © {d.year} All rights reserved.</p>{nav(["How to complain", "Corrections & clarifications", "Privacy notice", "Cookie notice", "Terms & conditions", "Advertising", "Contact us", "Our rights and duties"], "footer-links")}</footer>
</body></html>
"""


def techtarget(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def h(self, text: str) -> str:
            return f'</section><section class="section main-article-chapter" data-menu-title="{esc(plain(text))}"><h3 class="section-title"><i class="icon" data-icon="1"></i>{inline(text)}</h3>'

        def related(self, headlines: list[str]) -> str:
            items = "".join(f'<li><a href="/news/{len(h) * 36571}/{_slugify(h)}">{inline(h)}</a></li>' for h in headlines)
            return f'<div class="content-center"><h3>Read more about {esc(a.get("readmore_topic", "public sector IT"))}</h3><ul>{items}</ul></div>'

    body = B(a).render(a["body"])
    return head(a, title_tag=f'{a["title"]} | {a["site"]}', ld=json_ld(a)) + f"""<body class="news-article">
<div id="site-header"><div class="header-logo"><a href="/">{esc(a['site'])}</a></div>{nav(["Latest News", "In Depth", "Opinion", "Tech Guides", "Features", "E-Guides", "Podcasts", "Videos"], "header-nav")}
<div class="header-search"><form><input type="text" placeholder="Search the site"></form></div><div class="header-login"><a href="/login">Login</a><a href="/register">Register</a></div></div>
<div class="main-content-wrapper"><div id="main-content" class="main-article">
<section id="content-header"><div class="content-header-inner"><ul class="topics-list">{"".join(f'<li><a href="/resources/{_slugify(t)}">{esc(t)}</a></li>' for t in a.get('tags', []))}</ul>
<h1 class="main-article-title">{esc(a['title'])}</h1><h2 class="main-article-subtitle">{inline(a.get('standfirst', ''))}</h2>
<div class="main-article-author-date"><div class="author-info"><span class="author-name">By <a href="/contributor/{_slugify(a['author'])}">{esc(a['author'])}</a>,</span> <span class="author-title">{esc(a.get('author_role', 'Senior Reporter'))}</span></div><span class="main-article-published"><span class="published-label">Published:</span> <time>{dfmt(d, '%d %b %Y %H:%M')}</time></span></div></div></section>
<div class="main-article-image"><img src="https://cdn.ttgtmedia.example/rms/onlineimages/{slug(a)}.jpg" alt=""><span class="caption">{inline(a.get('lead_caption', ''))}</span></div>
<div class="content-columns"><div class="content-left"><div class="main-article-share"><ul><li><a class="social-sprite facebook" href="#">Facebook</a></li><li><a class="social-sprite x" href="#">X</a></li><li><a class="social-sprite linkedin" href="#">LinkedIn</a></li></ul></div></div>
<div class="content-center"><section id="content-body" class="main-article-body"><section class="section main-article-chapter" data-menu-title="">
{body}
</section></section>
<section class="read-more-related-content"><h3 class="section-title">Read more on {esc(a.get('readmore_topic', 'Public sector IT'))}</h3><ul class="read-more-list">{"".join(f'<li class="read-more-link"><div class="read-more-link-content"><span class="read-more-link-type">News</span><a href="/news/{_slugify(h)}">{esc(h)}</a><div class="read-more-link-author">By: <a href="#">Staff</a></div></div></li>' for h in a.get('related', []))}</ul></section>
</div><div class="content-right"><div class="ad-wrapper ad-embedded"><div id="mpu-ad" class="ad"></div></div><div class="whitepaper-promo"><h4>Download this free guide</h4><p>Download our free guide on building resilience into public sector IT, with advice from chief information officers on incident response and recovery planning.</p></div></div></div>
</div></div>
<footer id="site-footer"><div class="footer-about"><p>{esc(a['site'])} is a leading online magazine for IT professionals in the UK. All rights reserved. Copyright 2000 - {d.year}, TechTarget</p></div>{nav(["About Us", "Contact Us", "Privacy Policy", "Advertisers", "Business Partners", "Events", "E-Products", "Cookie Preferences", "Do Not Sell or Share My Personal Information"], "footer-nav")}</footer>
</body></html>
"""


def thinktank_blog(a: dict) -> str:
    d = when(a)
    notes = "".join(f'<li id="fn{i + 1}"><p>{inline(n)} <a href="#fnref{i + 1}" class="footnote-back">↩</a></p></li>' for i, n in enumerate(a.get("footnotes", [])))

    class B(Blocks):
        def p(self, text: str) -> str:
            out = inline(text)
            out = re.sub(r"\^(\d+)", lambda m: f'<sup id="fnref{m.group(1)}"><a href="#fn{m.group(1)}">{m.group(1)}</a></sup>', out)
            return f"<p>{out}</p>"

    body = B(a).render(a["body"])
    return head(a, title_tag=f'{a["title"]} | {a["site"]}', ld=json_ld(a, kind="BlogPosting"), published_meta=a.get("meta_date", True)) + f"""<body class="node--type-blog">
<div class="site-banner"><p>Our new report on digital infrastructure is out now. <a href="/publications">Read the report</a></p></div>
<header class="site-header">{nav(["Our work", "Insight and analysis", "Publications", "Events", "Data and charts", "Leadership and development", "About us"], "main-menu")}<a href="/donate" class="donate">Support our work</a></header>
<main class="main-container"><div class="content-hero"><p class="content-type">{esc(a.get('kind', 'Blog'))}</p><h1 class="content-title">{esc(a['title'])}</h1>
<div class="content-meta"><span class="authors"><a href="/people/{_slugify(a['author'])}">{esc(a['author'])}</a></span><span class="date">{dfmt(d, '%-d %B %Y')}</span><span class="reading-time">{len(gold_text(a).split()) // 230 + 1} min read</span></div></div>
<div class="content-layout"><div class="content-sidebar"><nav class="toc"><h2>On this page</h2><ul>{"".join(f'<li><a href="#{_slugify(b["h"])}">{esc(b["h"])}</a></li>' for b in a["body"] if isinstance(b, dict) and "h" in b)}</ul></nav>
<div class="share"><h2>Share this page</h2><ul><li><a href="#">LinkedIn</a></li><li><a href="#">Bluesky</a></li><li><a href="#">Email</a></li></ul></div></div>
<div class="content-main"><div class="rich-text field--name-body">
{body}
</div>
{'<div class="footnotes"><h2>Notes</h2><ol>' + notes + '</ol></div>' if notes else ''}
<div class="author-bio"><img src="/people/{_slugify(a['author'])}.jpg" alt=""><div><h3>{esc(a['author'])}</h3><p>{inline(a.get('author_bio', ''))}</p></div></div>
<div class="citation"><h2>Suggested citation</h2><p>{esc(a['author'])} ({d.year}) ‘{esc(a['title'])}’. {esc(a['site'])} blog.</p></div>
</div></div>
<section class="related-content"><h2>Related content</h2><div class="cards">{"".join(f'<div class="card"><p class="card-type">Report</p><h3><a href="/publications/{_slugify(h)}">{esc(h)}</a></h3><p class="card-summary">{esc(s)}</p></div>' for h, s in a.get('related_excerpts', []))}</div></section>
<section class="newsletter-signup"><h2>Get the latest from {esc(a['site'])}</h2><p>Sign up to our weekly newsletter for our latest analysis, events and publications on health and care policy.</p><form><input type="email"><button>Sign up</button></form></section></main>
<footer class="site-footer"><p>{esc(a['site'])} is an independent charity. Registered charity number 1000001.</p>{nav(["Contact", "Media enquiries", "Jobs", "Privacy", "Cookies", "Accessibility"], "footer-menu")}</footer>
</body></html>
"""


def prwire(a: dict) -> str:
    d = when(a)
    paras = list(a["body"])
    dateline = f'{a.get("dateline_city", "LONDON")}, {dfmt(d, "%B %-d, %Y")} /PRNewswire/ -- '
    first = f"<p>{esc(dateline)}{inline(paras[0])}</p>"
    body = first + Blocks(a).render(paras[1:])
    return head(a, title_tag=f'{a["title"]}', ld=json_ld(a)) + f"""<body>
<header class="prn-header">{nav(["News", "Products", "Contact", "Blog", "Journalists", "Send a release"], "prn-nav")}</header>
<main class="release-main"><header class="release-header container"><div class="row"><div class="col-sm-12"><h1>{esc(a['title'])}</h1><h2 class="subtitle">{inline(a.get('standfirst', ''))}</h2>
<div class="release-meta"><p class="mb-no">News provided by</p><a href="/news/{_slugify(a['org'])}/" class="release-meta-org">{esc(a['org'])}</a><p class="mb-no">{dfmt(d, '%b %d, %Y, %H:%M ET')}</p></div>
<div class="social-share"><a href="#">Share this article</a></div></div></div></header>
<section class="release-body container"><div class="row"><div class="col-lg-10 col-lg-offset-1">
{body}
<p>SOURCE {esc(a['org'])}</p>
</div></div></section>
<section class="release-more container"><h3>Also from this source</h3>{related_list(a.get('related', []), 'also-from', 'Also from this source', 'h4')}</section>
<section class="explore container"><h3>Explore</h3><ul><li><a href="/news-releases/computer-electronics-latest-news/">Computer &amp; Electronics</a></li><li><a href="/news-releases/health-latest-news/">Health Care &amp; Hospitals</a></li></ul></section></main>
<footer class="prn-footer"><p>Do not sell or share my personal information. Copyright © {d.year} Cision US Inc.</p></footer>
</body></html>
"""


def bbc_legacy(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        first = True

        def p(self, text: str) -> str:
            if self.first:
                self.first = False
                return f'<p class="story-body__introduction">{inline(text)}</p>'
            return f"<p>{inline(text)}</p>"

        def h(self, text: str) -> str:
            return f'<h2 class="story-body__crosshead">{inline(text)}</h2>'

        def ul(self, items: list[str]) -> str:
            return '<ul class="story-body__unordered-list">' + "".join(f'<li class="story-body__list-item">{inline(i)}</li>' for i in items) + "</ul>"

        def figure(self, caption: str) -> str:
            return (f'<figure class="media-landscape has-caption full-width"><span class="image-and-copyright-container"><img class="js-image-replace" alt="{esc(plain(caption))}" src="https://ichef.example/news/320/cpsprodpb/{len(caption)}/production/_{slug(a)}.jpg" width="976" height="549">'
                    '<span class="off-screen">Image copyright</span><span class="story-image-copyright">PA Media</span></span>'
                    f'<figcaption class="media-caption"><span class="off-screen">Image caption</span><span class="media-caption__text">{inline(caption)}</span></figcaption></figure>')

        def ad(self, _value: object = None) -> str:
            self.n_ads += 1
            return f'<div id="bbccom_mpu_1_2_3_{self.n_ads}" class="bbccom_slot mpu-ad" aria-hidden="true"><div class="bbccom_advert"><script>/*<![CDATA[*/ (function() {{ if (window.bbcdotcom && bbcdotcom.adverts) {{ bbcdotcom.slot("mpu", [1,2,3]); }} }})(); /*]]>*/</script></div></div>'

        def related(self, headlines: list[str]) -> str:
            items = "".join(f'<li class="story-body__list-item"><a href="/news/uk-{len(h) * 4241}" class="story-body__link">{inline(h)}</a></li>' for h in headlines)
            return f'<ul class="story-body__unordered-list">{items}</ul>'

    body = B(a).render(a["body"])
    extra = f'<meta name="OriginalPublicationDate" content="{d.strftime("%Y/%m/%d %H:%M:%S")}">' + ('<meta property="rnews:datePublished" content="' + d.strftime("%Y/%m/%d %H:%M:%S") + '">' if a.get("rnews") else "")
    related = "".join(f'<li class="unordered-list__item"><a class="unordered-list__link" href="/news/{i}">{esc(h)}</a><time class="date" data-seconds="{int(d.timestamp()) - 86400 * (i + 3)}">{dfmt(d.replace(day=max(1, d.day - i - 3)), "%-d %B %Y")}</time></li>' for i, h in enumerate(a.get("related", [])))
    return head(a, title_tag=f'{a["title"]} - {a["site"]}', published_meta=False, og=True, ld=json_ld(a) if a.get("jsonld") else "", extra=extra) + f"""<body class="news">
<div id="orb-banner" role="banner"><div id="orb-header" class="orb-nav-pri orb-nav-pri-white"><div class="orb-nav-pri-container b-r b-g-p"><div class="orb-nav-section orb-nav-blocks"><a href="/">Home</a></div>
{nav(["Home", "News", "Sport", "Weather", "iPlayer", "Sounds", "CBBC", "CBeebies", "Food", "Bitesize"], "orb-nav-links")}</div></div></div>
<div id="site-container" role="main"><div class="site-brand site-brand--height" role="banner"><a href="/news" class="navigation__section">News</a>{nav(["Home", "Coronavirus", "Brexit", "UK", "World", "Business", "Politics", "Tech", "Science", "Health", "Family & Education"], "navigation-wide-list")}</div>
<div class="container-width-only"><div class="container--primary-and-secondary-columns column-clearfix">
<div class="column--primary"><div class="story-body">
<h1 class="story-body__h1">{esc(a['title'])}</h1>
<div class="byline"><span class="byline__name">By {esc(a['author'])}</span><span class="byline__title">{esc(a.get('author_role', 'BBC News'))}</span></div>
<div class="with-extracted-share-icons"><div class="date-and-share"><ul class="mini-info-list"><li class="mini-info-list__item"><div class="date date--v2" data-seconds="{int(d.timestamp())}" data-datetime="{dfmt(d, '%-d %B %Y')}">{dfmt(d, '%-d %B %Y')}</div></li></ul>
<div id="share-tools-top" class="share-tools-top"><ul class="share-tools-list"><li><a href="#">Share this with Facebook</a></li><li><a href="#">Share this with Messenger</a></li><li><a href="#">Share this with Twitter</a></li><li><a href="#">Share this with Email</a></li></ul></div></div></div>
<div class="story-body__inner" property="articleBody">
{body}
</div></div>
<div id="topic-tags"><div class="tags-container"><h2 class="tags-title">Related Topics</h2><ul class="tags-list">{"".join(f'<li class="tags-list__tags"><a href="/news/topics/{_slugify(t)}">{esc(t)}</a></li>' for t in a.get('tags', []))}</ul></div></div>
<div class="story-more"><div class="group story-more__group"><h2 class="group__title">More on this story</h2><ul class="units-list">{related}</ul></div></div>
</div>
<div class="column--secondary"><div class="most-popular"><h2 class="most-popular__header">Top Stories</h2><ol>{"".join(f'<li><a href="/news/{i}">{esc(h)}</a></li>' for i, h in enumerate(a.get('most_read', [])))}</ol></div></div>
</div></div></div>
<div id="orb-footer" class="orb-footer orb-footer-grey"><div class="orb-footer-inner"><ul class="orb-footer-links"><li><a href="/terms">Terms of Use</a></li><li><a href="/aboutthebbc">About the BBC</a></li><li><a href="/privacy">Privacy Policy</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/accessibility">Accessibility Help</a></li><li><a href="/guidance">Parental Guidance</a></li><li><a href="/contact">Contact the BBC</a></li></ul>
<small>Copyright © {d.year} BBC. The BBC is not responsible for the content of external sites. <a href="/help/web/links">Read about our approach to external linking.</a></small></div></div>
</body></html>
"""


def paywall(a: dict) -> str:
    d = when(a)
    body = Blocks(a).render(a["body"])
    return head(a, title_tag=f'{a["title"]} | News | {a["site"]}', ld=json_ld(a)) + f"""<body class="article paywalled">
<header>{nav(["News", "Comment", "Leadership", "Finance", "Technology", "Workforce", "Quality and safety", "Events", "Awards", "Jobs"], "main-nav")}<div class="account"><a href="/sign-in">Sign in</a><a href="/subscribe" class="btn">Subscribe</a></div></header>
<main><div class="story-wrap"><div class="story-header"><p class="section-label">Technology</p><h1 class="story-title">{esc(a['title'])}</h1>
<p class="story-summary">{inline(a.get('standfirst', ''))}</p>
<div class="byline"><span class="author">By {esc(a['author'])}</span><span class="date">{dfmt(d, '%-d %B %Y')}</span></div></div>
<div class="story-body"><div class="body-text">
{body}
</div>
<div class="paywall-box" id="paywall"><h2>To read the full story, subscribe or sign in</h2><p>Subscribe to access all of our news, analysis and data on the health service, including our exclusive coverage of technology and digital leadership.</p>
<ul><li>Unlimited access to all content</li><li>Daily and weekly email briefings</li><li>Full archive of more than 20 years of coverage</li></ul><a class="btn" href="/subscribe">Subscribe now</a><p>Already a subscriber? <a href="/sign-in">Sign in</a></p>
<p>Is your organisation a subscriber? <a href="/corporate">Find out about group access</a></p></div></div></div>
<aside class="most-read"><h2>Most read</h2><ol>{"".join(f'<li><a href="/x{i}">{esc(h)}</a></li>' for i, h in enumerate(a.get('most_read', [])))}</ol></aside></main>
<footer><p>© {d.year} {esc(a['site'])}. All rights reserved.</p></footer>
</body></html>
"""


def scotgov(a: dict) -> str:
    d = when(a)
    body = Blocks(a).render(a["body"])
    return head(a, title_tag=f'{a["title"]} - {a["site"]}', ld=json_ld(a, kind="NewsArticle"), published_meta=False,
                extra=f'<meta name="dc.date.issued" content="{d.date().isoformat()}"><meta name="dc.title" content="{esc(a["title"])}">') + f"""<body class="fontawesome site-header__container">
<div class="ds_page"><div class="ds_page__top"><div id="cookie-notice" class="ds_notification ds_reversed" data-module="ds-cookie-notification"><div class="ds_wrapper"><div class="ds_notification__content"><h2 class="visually-hidden">Information</h2><div class="ds_notification__text"><p>We use <a href="/cookies">cookies</a> to collect anonymous data to help us improve your site browsing experience.</p><p>Click 'Accept all cookies' to agree to all cookies that collect anonymous data. To only allow the cookies that make the site work, click 'Use essential cookies only.' Visit 'Set cookie preferences' to control specific cookies.</p></div>
<div class="ds_button-group"><button class="ds_button">Accept all cookies</button><button class="ds_button">Use essential cookies only</button><a href="/cookies">Set cookie preferences</a></div></div></div></div>
<header class="ds_site-header" role="banner"><div class="ds_wrapper"><a href="/" class="ds_site-branding__link">{esc(a['site'])}</a>{nav(["About", "Topics", "Publications", "Statistics and research", "Consultations", "News"], "ds_site-navigation")}</div></header>
<div class="ds_phase-banner"><p>Beta: This is a new site. <a href="/feedback">Your feedback will help us to improve it.</a></p></div></div>
<div class="ds_page__middle"><div class="ds_wrapper"><nav aria-label="Breadcrumb"><ol class="ds_breadcrumbs"><li class="ds_breadcrumbs__item"><a class="ds_breadcrumbs__link" href="/">Home</a></li><li class="ds_breadcrumbs__item"><a class="ds_breadcrumbs__link" href="/news">News</a></li></ol></nav>
<main id="main-content" class="ds_layout ds_layout--article"><div class="ds_layout__header"><header class="ds_page-header"><span class="ds_page-header__label ds_content-label">News</span><h1 class="ds_page-header__title">{esc(a['title'])}</h1>
<dl class="ds_page-header__metadata ds_metadata"><div class="ds_metadata__item"><dt class="ds_metadata__key">Published</dt><dd class="ds_metadata__value">{dfmt(d, '%-d %B %Y')}</dd></div><div class="ds_metadata__item"><dt class="ds_metadata__key">Part of</dt><dd class="ds_metadata__value"><a href="/health">Health and social care</a></dd></div></dl></header></div>
<div class="ds_layout__content"><div class="body-content leader--first-para">
<p class="ds_leader">{inline(a.get('standfirst', ''))}</p>
{body}
</div></div>
<div class="ds_layout__sidebar"><aside class="ds_article-aside"><h2>Contact</h2><p>Media enquiries: <a href="mailto:media@example.scot">media@example.scot</a></p></aside><aside class="ds_article-aside"><h2>Related</h2><ul>{"".join(f'<li><a href="/news/{_slugify(h)}">{esc(h)}</a></li>' for h in a.get('related', []))}</ul></aside></div>
<div class="ds_layout__feedback"><section class="ds_feedback"><h2>Is this page useful?</h2><button>Yes</button><button>No</button><button>Report a problem</button></section></div></main></div></div>
<footer class="ds_site-footer"><div class="ds_wrapper"><ul class="ds_site-footer__site-items"><li><a href="/accessibility">Accessibility</a></li><li><a href="/contact">Contact</a></li><li><a href="/cookies">Cookies</a></li><li><a href="/crown-copyright">Crown Copyright</a></li><li><a href="/privacy">Privacy</a></li></ul>
<p>All content is available under the Open Government Licence v3.0, except for graphic assets and where otherwise stated</p><p>© Crown Copyright</p></div></footer></div>
</body></html>
"""


def ghost(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def callout(self, text: str) -> str:
            return f'<div class="kg-card kg-callout-card kg-callout-card-yellow"><div class="kg-callout-emoji">⚠️</div><div class="kg-callout-text">{inline(text)}</div></div>'

        def related(self, headlines: list[str]) -> str:
            return "".join(
                f'<figure class="kg-card kg-bookmark-card"><a class="kg-bookmark-container" href="{a["base"]}/{_slugify(h)}/"><div class="kg-bookmark-content"><div class="kg-bookmark-title">{inline(h)}</div>'
                f'<div class="kg-bookmark-description">An earlier write-up from this blog, with indicators and a timeline of the intrusion.</div><div class="kg-bookmark-metadata"><span class="kg-bookmark-author">{esc(a["site"])}</span><span class="kg-bookmark-publisher">{esc(a["author"])}</span></div></div></a></figure>'
                for h in headlines)

        def table(self, rows: list[list[str]]) -> str:
            return '<div class="kg-card kg-html-card">' + super().table(rows) + "</div>"

    body = B(a).render(a["body"])
    cards = "".join(f'<article class="post-card post"><a class="post-card-content-link" href="/{_slugify(h)}/"><header class="post-card-header"><h2 class="post-card-title">{esc(h)}</h2></header><div class="post-card-excerpt">{esc(e)}</div></a></article>' for h, e in a.get("related_excerpts", []))
    return head(a, title_tag=a["title"], ld=json_ld(a, kind="Article"), extra='<meta name="generator" content="Ghost 5.82">') + f"""<body class="post-template tag-ransomware">
<div class="viewport"><header id="gh-head" class="gh-head outer"><div class="gh-head-inner inner"><div class="gh-head-brand"><a class="gh-head-logo" href="/">{esc(a['site'])}</a></div>
<nav class="gh-head-menu"><ul class="nav"><li class="nav-home"><a href="/">Home</a></li><li class="nav-research"><a href="/tag/research/">Research</a></li><li class="nav-about"><a href="/about/">About</a></li></ul></nav><div class="gh-head-actions"><a class="gh-head-button" href="#/portal/signup">Subscribe</a></div></div></header>
<div class="site-content"><main id="site-main" class="site-main"><article class="article post tag-ransomware tag-healthcare">
<header class="article-header gh-canvas"><div class="article-tag post-card-tags"><span class="post-card-primary-tag"><a href="/tag/ransomware/">Ransomware</a></span></div>
<h1 class="article-title">{esc(a['title'])}</h1><p class="article-excerpt">{inline(a.get('standfirst', ''))}</p>
<div class="article-byline"><div class="article-byline-content"><div class="article-byline-meta"><h4 class="author-name"><a href="/author/{_slugify(a['author'])}/">{esc(a['author'])}</a></h4>
<div class="byline-meta-content"><time class="byline-meta-date" datetime="{d.date().isoformat()}">{dfmt(d, '%b %-d, %Y')}</time><span class="byline-reading-time"><span class="bull">•</span> {len(gold_text(a).split()) // 250 + 1} min read</span></div></div></div></div></header>
<section class="gh-content gh-canvas">
{body}
</section></article>
<section class="footer-cta outer"><div class="inner"><h2 class="footer-cta-title">Sign up for more like this.</h2><a class="footer-cta-button" href="#/portal"><div class="footer-cta-input">Enter your email</div><span>Subscribe</span></a></div></section>
<aside class="read-more-wrap outer"><div class="read-more inner"><h2>Read more</h2>{cards}</div></aside></main></div>
<footer class="site-footer outer"><div class="inner"><section class="copyright"><a href="/">{esc(a['site'])}</a> © {d.year}</section><nav class="site-footer-nav"><ul><li><a href="/rss/">RSS</a></li></ul></nav><div class="gh-powered-by"><a href="https://ghost.example/" target="_blank" rel="noopener">Powered by Ghost</a></div></div></footer></div>
</body></html>
"""


def sky(a: dict) -> str:
    d = when(a)

    class B(Blocks):
        def related(self, headlines: list[str]) -> str:
            items = "".join(f'<li class="sdc-article-related-stories__item"><a class="sdc-article-related-stories__link" href="/story/{_slugify(h)}-{len(h) * 1117}"><span class="sdc-article-related-stories__link-text">{inline(h)}</span></a></li>' for h in headlines)
            return f'<div class="sdc-article-related-stories" data-component-name="sdc-article-related-stories"><h3 class="sdc-article-related-stories__title">Read more:</h3><ul class="sdc-article-related-stories__list">{items}</ul></div>'

        def figure(self, caption: str) -> str:
            return (f'<div class="sdc-article-widget sdc-article-image"><figure class="sdc-article-image__figure"><div class="sdc-article-image__wrapper"><img class="sdc-article-image__item" src="https://e3.365dm.example/24/06/768x432/{slug(a)}.jpg" alt=""></div>'
                    f'<figcaption class="sdc-article-image__caption ui-media-caption"><span class="u-hide-visually">Image:</span><span class="ui-media-caption__caption-text">{inline(caption)}</span></figcaption></figure></div>')

        def promo(self, _value: object = None) -> str:
            return ('<div class="sdc-article-widget callfwd-promo-box" data-component-name="sdc-article-callfwd"><div class="callfwd-promo-box__content"><h3>Listen to the Daily podcast</h3>'
                    '<p>Subscribe to the Daily wherever you get your podcasts, and hear the story behind the headlines every weekday morning.</p></div></div>')

    body = B(a).render(a["body"])
    ld_body = "\n".join(gold_blocks(a["body"])) if a.get("ld_body") else None
    return head(a, title_tag=f'{a["title"]} | UK News | {a["site"]}', ld=json_ld(a, body=ld_body)) + f"""<body class="sdc-site-layout">
<header class="sdc-site-header"><a href="/" class="sdc-site-header__logo">{esc(a['site'])}</a><nav class="sdc-site-header__nav"><ul>{"".join(f'<li><a href="/{x.lower()}">{x}</a></li>' for x in ["Home", "UK", "Politics", "World", "US", "Money", "Science & Tech", "Climate", "Business", "Ents & Arts", "Offbeat", "Analysis", "Data & Forensics", "Videos", "Watch Live"])}</ul></nav></header>
<div class="sdc-site-layout__body"><main id="main" class="sdc-site-layout__col1"><div class="sdc-article-header"><div class="sdc-article-header__wrap"><div class="sdc-article-header__main">
<div class="sdc-article-header__titles"><h1 class="sdc-article-header__long-title">{esc(a['title'])}</h1><p class="sdc-article-header__sub-title">{inline(a.get('standfirst', ''))}</p></div>
<div class="sdc-article-date"><p class="sdc-article-date__date-time">{dfmt(d, '%A %-d %B %Y %H:%M')}, UK</p></div>
<div class="sdc-article-author"><p class="sdc-article-author__byline">By {esc(a['author'])}, {esc(a.get('author_role', 'news reporter'))}</p></div></div></div></div>
<div class="sdc-article-image"><figure class="sdc-article-image__figure"><img src="https://e3.365dm.example/lead-{slug(a)}.jpg" alt=""><figcaption class="sdc-article-image__caption ui-media-caption"><span class="u-hide-visually">Image:</span><span class="ui-media-caption__caption-text">{inline(a.get('lead_caption', ''))}</span><span class="ui-media-caption__credit">Pic: Reuters</span></figcaption></figure></div>
<div class="sdc-article-strapline"><p class="sdc-article-strapline__text">{esc(a.get('strapline', ''))}</p></div>
<div class="sdc-site-component sdc-article-share"><a href="#">Share</a></div>
<div class="sdc-article-body sdc-article-body--story sdc-article-body--lead" data-component-name="sdc-article-body" data-highlight-intro="true">
{body}
</div>
<div class="sdc-article-tags"><ul class="sdc-article-tags__list">{"".join(f'<li class="sdc-article-tags__item"><a href="/topic/{_slugify(t)}">{esc(t)}</a></li>' for t in a.get('tags', []))}</ul></div>
<div class="sdc-site-component sdc-site-outbrain"><h2>Related Topics</h2><ul>{"".join(f'<li><a href="/topic/{_slugify(t)}">{esc(t)}</a></li>' for t in a.get('tags', []))}</ul></div>
</main>
<aside class="sdc-site-layout__col2"><div class="sdc-site-tiles"><h2>Top Stories</h2><ul>{"".join(f'<li class="sdc-site-tile"><a href="/story/x{i}"><span class="sdc-site-tile__headline-text">{esc(h)}</span></a></li>' for i, h in enumerate(a.get('related', [])))}</ul></div></aside></div>
<footer class="sdc-site-footer"><ul>{"".join(f'<li><a href="#">{x}</a></li>' for x in ["About Sky News", "About Us", "Sky News International", "Sky News Profiles", "Sky Academy Studios", "Sky News Library Sales", "Site Map", "Editorial Guidelines", "Terms & Conditions", "Privacy & Cookies", "Privacy Options", "Accessibility", "Contact Us"])}</ul><p>© {d.year} Sky UK</p></footer>
</body></html>
"""


def ico(a: dict) -> str:
    d = when(a)
    body = Blocks(a).render(a["body"])
    return head(a, title_tag=f'{a["title"]} | {a["site"]}', published_meta=False, og=False) + f"""<body>
<div id="cookie-banner" class="cookie-banner" role="region"><div class="cookie-banner__inner"><h2>Cookies on {esc(a['site'])} website</h2><p>We use necessary cookies to make our site work. We'd also like to set optional analytics cookies to help us improve it. We won't set optional cookies unless you enable them. Using this tool will set a cookie on your device to remember your preferences.</p><button>Accept analytics cookies</button><button>Reject analytics cookies</button><a href="/cookies">Control cookies</a></div></div>
<header class="header"><a class="header__logo" href="/">{esc(a['site'])}</a>{nav(["For the public", "For organisations", "Make a complaint", "Action we've taken", "About the ICO"], "header__nav")}<form class="header__search"><input type="search" placeholder="Search this website"></form></header>
<main id="main-content"><div class="container"><nav class="breadcrumb"><ol><li><a href="/">Home</a></li><li><a href="/about-the-ico/">About the ICO</a></li><li><a href="/about-the-ico/media-centre/">Media centre</a></li><li><a href="/about-the-ico/media-centre/news-and-blogs/">News and blogs</a></li></ol></nav>
<div class="article"><h1 class="article__title">{esc(a['title'])}</h1>
<dl class="article-meta"><div class="article-meta__item"><dt>Date</dt><dd>{d.strftime('%d %B %Y')}</dd></div><div class="article-meta__item"><dt>Type</dt><dd>{esc(a.get('doc_type', 'News'))}</dd></div></dl>
<div class="article-content">
{body}
</div>
<div class="share"><h2 class="share__title">Share this page</h2><ul><li><a href="#">LinkedIn</a></li><li><a href="#">Facebook</a></li><li><a href="#">Email</a></li></ul></div></div>
<div class="page-feedback"><h2>Was this page helpful?</h2><button>Yes</button><button>No</button></div></div></main>
<footer class="footer"><div class="footer__inner"><ul><li><a href="/contact-us/">Contact us</a></li><li><a href="/jobs/">Jobs</a></li><li><a href="/privacy-notice/">Privacy notice</a></li><li><a href="/accessibility/">Accessibility</a></li><li><a href="/cookies/">Cookies</a></li><li><a href="/terms-and-conditions/">Terms and conditions</a></li></ul><p>{esc(a['site'])}, Wycliffe House, Water Lane, Wilmslow, Cheshire, SK9 5AF</p></div></footer>
</body></html>
"""


def wp_classic(a: dict) -> str:
    d = when(a)
    body = Blocks(a).render(a["body"])
    return head(a, title_tag=f'{a["title"]} &#8211; {a["site"]}', ld=json_ld(a, kind="BlogPosting", graph=True)) + f"""<body class="post-template-default single single-post postid-{len(a['title']) * 17} single-format-standard">
<div id="page" class="site"><a class="skip-link screen-reader-text" href="#primary">Skip to content</a>
<header id="masthead" class="site-header"><div class="site-branding">{'<h1' if a.get('logo_h1') else '<p'} class="site-title"><a href="/" rel="home">{esc(a['site'])}</a>{'</h1>' if a.get('logo_h1') else '</p>'}<p class="site-description">{esc(a.get('tagline', 'Notes from a busy practice'))}</p></div>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu">Menu</button><ul id="primary-menu" class="menu"><li><a href="/">Home</a></li><li><a href="/about/">About</a></li><li><a href="/category/practice-life/">Practice life</a></li><li><a href="/category/it/">IT and systems</a></li><li><a href="/contact/">Contact</a></li></ul></nav></header>
<main id="primary" class="site-main">
<article id="post-{len(a['title']) * 17}" class="post-{len(a['title']) * 17} post type-post status-publish format-standard hentry category-it">
<header class="entry-header"><h1 class="entry-title">{esc(a['title'])}</h1><div class="entry-meta"><span class="posted-on">Posted on <a href="{a['url']}" rel="bookmark"><time class="entry-date published" datetime="{a['date']}">{dfmt(d, '%B %-d, %Y')}</time><time class="updated" datetime="{a.get('updated') or a['date']}">{dfmt(d, '%B %-d, %Y')}</time></a></span><span class="byline"> by <span class="author vcard"><a class="url fn n" href="/author/{_slugify(a['author'])}/">{esc(a['author'])}</a></span></span></div></header>
<div class="entry-content">
{body}
<div class="sharedaddy sd-sharing-enabled"><div class="robots-nocontent sd-block sd-social sd-social-icon-text sd-sharing"><h3 class="sd-title">Share this:</h3><div class="sd-content"><ul><li class="share-facebook"><a rel="nofollow noopener noreferrer" class="share-facebook sd-button share-icon" href="?share=facebook" target="_blank"><span>Facebook</span></a></li><li class="share-x"><a class="share-x sd-button share-icon" href="?share=x"><span>X</span></a></li><li class="share-end"></li></ul></div></div></div>
<div id="jp-relatedposts" class="jp-relatedposts"><h3 class="jp-relatedposts-headline"><em>Related</em></h3>{"".join(f'<div class="jp-relatedposts-post"><h4 class="jp-relatedposts-post-title"><a href="/{_slugify(h)}/">{esc(h)}</a></h4><p class="jp-relatedposts-post-excerpt">{esc(e)}</p><p class="jp-relatedposts-post-date">{dfmt(d.replace(day=max(1, d.day - 5)), "%B %-d, %Y")}</p></div>' for h, e in a.get('related_excerpts', []))}</div>
</div>
<footer class="entry-footer"><span class="cat-links">Posted in <a href="/category/it/" rel="category tag">IT and systems</a></span><span class="tags-links">Tagged {", ".join(f'<a href="/tag/{_slugify(t)}/" rel="tag">{esc(t)}</a>' for t in a.get('tags', []))}</span></footer>
{comments_html(a.get('comments', []), a)}
</article>
<nav class="navigation post-navigation" aria-label="Posts"><h2 class="screen-reader-text">Post navigation</h2><div class="nav-links"><div class="nav-previous"><a href="/prev/" rel="prev"><span class="meta-nav">Previous:</span> <span class="post-title">{esc(a['related'][0])}</span></a></div><div class="nav-next"><a href="/next/" rel="next"><span class="meta-nav">Next:</span> <span class="post-title">{esc(a['related'][1])}</span></a></div></div></nav>
</main>
<aside id="secondary" class="widget-area"><section id="search-2" class="widget widget_search"><form role="search" class="search-form"><label><span class="screen-reader-text">Search for:</span><input type="search" class="search-field" placeholder="Search &hellip;"></label><input type="submit" class="search-submit" value="Search"></form></section>
<section id="recent-posts-2" class="widget widget_recent_entries"><h2 class="widget-title">Recent Posts</h2><ul>{"".join(f'<li><a href="/{_slugify(h)}/">{esc(h)}</a></li>' for h in a.get('related', []))}</ul></section>
<section id="archives-2" class="widget widget_archive"><h2 class="widget-title">Archives</h2><ul><li><a href="/2024/07/">July 2024</a></li><li><a href="/2024/06/">June 2024</a></li><li><a href="/2024/05/">May 2024</a></li></ul></section></aside>
<footer id="colophon" class="site-footer"><div class="site-info"><a href="https://wordpress.example/">Proudly powered by WordPress</a><span class="sep"> | </span>Theme: Underscores.</div></footer></div>
</body></html>
"""


def paginated(a: dict) -> str:
    d = when(a)
    body = Blocks(a).render(a["body"])
    return head(a, title_tag=f'{a["title"]} | Page 1 of 2 | {a["site"]}', ld=json_ld(a), extra=f'<link rel="next" href="{a["url"]}?page=2">') + f"""<body class="feature">
<div id="leaderboard" class="ad leaderboard"><span>Advertisement</span></div>
<header class="masthead"><a href="/" class="logo">{esc(a['site'])}</a>{nav(["News", "Features", "Analysis", "Reviews", "Jobs", "Whitepapers", "Events"], "nav-primary")}</header>
<div class="layout"><main class="main-col"><article class="feature-article">
<div class="article-kicker">Feature</div><h1 itemprop="headline">{esc(a['title'])}</h1>
<p class="article-deck">{inline(a.get('standfirst', ''))}</p>
<div class="article-byline"><span itemprop="author">{esc(a['author'])}</span><span class="pub-date" itemprop="datePublished" content="{a['date']}">{dfmt(d, '%-d %B %Y')}</span></div>
<div class="article-pages-nav top"><span class="current">Page 1</span> <a href="?page=2">Page 2</a></div>
<div class="article-text" itemprop="articleBody">
{body}
</div>
<div class="pagination"><span class="page-count">Page 1 of 2</span><ul class="pages"><li class="active"><span>1</span></li><li><a href="?page=2">2</a></li></ul><a class="next-page" href="?page=2" rel="next">Next page: {esc(a.get('next_title', 'Lessons for the next attack'))} &raquo;</a></div>
</article>
<section class="more-features"><h2>More features</h2>{"".join(f'<div class="feature-teaser"><h3><a href="/features/{_slugify(h)}">{esc(h)}</a></h3><p>{esc(e)}</p></div>' for h, e in a.get('related_excerpts', []))}</section></main>
<aside class="side-col"><div class="popular"><h3>Popular</h3><ol>{"".join(f'<li><a href="/x{i}">{esc(h)}</a></li>' for i, h in enumerate(a.get('most_read', [])))}</ol></div></aside></div>
<footer class="site-footer"><p>© {d.year} {esc(a['site'])} Media. All rights reserved.</p></footer>
</body></html>
"""


def oldcms(a: dict) -> str:
    d = when(a)
    paras = "<br><br>\n".join(inline(b) for b in a["body"] if isinstance(b, str))
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{esc(a['site'])} - News - {esc(a['title'])}</title>
<meta name="keywords" content="council, news, {esc(', '.join(a.get('tags', [])))}">
<meta name="DC.date.issued" content="{d.date().isoformat()}">
<link rel="stylesheet" type="text/css" href="/css/main.css"></head>
<body bgcolor="#ffffff" leftmargin="0" topmargin="0">
<table width="100%" border="0" cellspacing="0" cellpadding="0"><tr><td colspan="3" class="banner"><img src="/images/banner.gif" alt="{esc(a['site'])}" width="760" height="90"></td></tr>
<tr><td width="170" valign="top" class="leftnav"><table width="170" border="0" cellpadding="4"><tr><td><a href="/index.asp">Home</a></td></tr><tr><td><a href="/council/">Your Council</a></td></tr><tr><td><a href="/services/">Services A-Z</a></td></tr><tr><td><a href="/news/">News</a></td></tr><tr><td><a href="/jobs/">Jobs</a></td></tr><tr><td><a href="/contact/">Contact Us</a></td></tr><tr><td><a href="/a11y/">Accessibility</a></td></tr></table>
<p class="smallprint">Opening hours:<br>Monday to Friday<br>9am to 5pm</p></td>
<td width="420" valign="top" class="content"><p class="breadcrumb"><a href="/">Home</a> &gt; <a href="/news/">News</a> &gt; {dfmt(d, '%B %Y')}</p>
<h1><font face="Arial" color="#003366">{esc(a['title'])}</font></h1>
<p class="newsdate"><b>Date:</b> {d.strftime('%d/%m/%Y')}</p>
<div class="storytext"><font face="Arial" size="2">
{paras}
</font></div>
<p class="ref"><i>Ref: PR/{d.year}/{len(a['title'])}</i></p>
<p><a href="/news/">&lt; Back to news index</a> | <a href="javascript:window.print()">Print this page</a></p></td>
<td width="170" valign="top" class="rightcol"><table width="100%" cellpadding="4"><tr><td class="boxhead"><b>Latest news</b></td></tr>{"".join(f'<tr><td><a href="/news/{i}.asp">{esc(h)}</a></td></tr>' for i, h in enumerate(a.get('related', [])))}</table></td></tr>
<tr><td colspan="3" class="footer"><font size="1">&copy; {esc(a['site'])} {d.year} | <a href="/disclaimer.asp">Disclaimer</a> | <a href="/privacy.asp">Privacy</a> | <a href="/sitemap.asp">Site map</a> | Page last updated: {d.strftime('%d/%m/%Y')}</font></td></tr></table>
</body></html>
"""


def wix(a: dict) -> str:
    d = when(a)

    def p(text: str) -> str:
        return (f'<p class="font_8 wixui-rich-text__text" style="font-size:17px; line-height:1.6em;"><span style="font-size:17px;" class="wixui-rich-text__text">'
                f'<span style="font-family:helvetica-w01-light,sans-serif;" class="wixui-rich-text__text">{inline(text)}</span></span></p>'
                '<p class="font_8 wixui-rich-text__text" style="font-size:17px;"><span class="wixui-rich-text__text">\u200b</span></p>')

    def h(text: str) -> str:
        return f'<h2 class="font_2 wixui-rich-text__text"><span class="wixui-rich-text__text">{inline(text)}</span></h2>'

    parts = [p(b) if isinstance(b, str) else h(b["h"]) for b in a["body"]]
    return head(a, title_tag=f'{a["title"]} | {a["site"]}', ld=json_ld(a, kind="BlogPosting"), extra='<meta name="generator" content="Wix.com Website Builder">') + f"""<body>
<div id="SITE_CONTAINER"><div id="main_MF"><div id="BACKGROUND_GROUP"></div>
<header id="SITE_HEADER" class="wixui-header"><div data-testid="inline-content"><div id="comp-logo" class="wixui-image"><a href="/"><img src="https://static.wixstatic.example/media/logo.png" alt="{esc(a['site'])}"></a></div>
<nav id="comp-menu" class="wixui-dropdown-menu" aria-label="Site"><ul><li><a href="/">Home</a></li><li><a href="/solutions">Solutions</a></li><li><a href="/about">About</a></li><li><a href="/news">News</a></li><li><a href="/contact">Contact</a></li></ul></nav></div></header>
<main id="PAGES_CONTAINER" tabindex="-1"><div id="SITE_PAGES"><div class="wixui-page"><section class="wixui-section"><div data-testid="columns" class="wixui-column-strip"><div class="wixui-column-strip__column">
<div id="comp-title" class="wixui-rich-text" data-testid="richTextElement"><h1 class="font_0 wixui-rich-text__text"><span class="wixui-rich-text__text">{esc(a['title'])}</span></h1></div>
<div id="comp-date" class="wixui-rich-text" data-testid="richTextElement"><p class="font_9 wixui-rich-text__text"><span class="wixui-rich-text__text">{dfmt(d, '%-d %B %Y')}</span></p></div>
<div id="comp-body" class="wixui-rich-text" data-testid="richTextElement">
{"".join(parts)}
</div>
<div id="comp-button" class="wixui-button"><a href="/contact" class="wixui-button__link"><span class="wixui-button__label">Talk to our team</span></a></div>
<div id="comp-social" class="wixui-social-bar"><ul><li><a href="#"><img alt="LinkedIn"></a></li><li><a href="#"><img alt="X"></a></li></ul></div>
</div></div></section></div></div></main>
<footer id="SITE_FOOTER" class="wixui-footer"><div class="wixui-rich-text" data-testid="richTextElement"><p class="font_9">© {d.year} by {esc(a['site'])}. Registered in England and Wales. Proudly created with Wix.com</p></div></footer></div></div>
<script type="application/json" id="wix-warmup-data">{{"platform": {{"ssrPropsUpdates": []}}}}</script>
</body></html>
"""


def divpara(a: dict) -> str:
    d = when(a)
    parts = []
    for b in a["body"]:
        if isinstance(b, str):
            parts.append(f'<div class="para">{inline(b)}</div>')
        elif "h" in b:
            parts.append(f'<div class="subhead"><strong>{inline(b["h"])}</strong></div>')
        elif "ul" in b:
            parts.append('<div class="para">' + "<br>".join(f"• {inline(i)}" for i in b["ul"]) + "</div>")
    return head(a, title_tag=f'{a["title"]} | {a["site"]}', published_meta=False, ld=json_ld(a)) + f"""<body>
<div class="wrapper"><div class="top">{nav(["Home", "Latest", "Health", "Government", "Technology", "Security", "About"], "menu")}</div>
<div class="story"><div class="story-head"><div class="story-title">{esc(a['title'])}</div><div class="story-byline">{esc(a['author'])} · {dfmt(d, '%d.%m.%Y %H:%M')}</div></div>
<div class="story-summary">{inline(a.get('standfirst', ''))}</div>
<div class="story-content">
{chr(10).join(parts)}
</div>
<div class="story-tools"><span>Print</span> <span>Email</span> <span>Share</span></div>
<div class="story-related"><div class="label">Related</div>{"".join(f'<div class="item"><a href="/s/{_slugify(h)}">{esc(h)}</a></div>' for h in a.get('related', []))}</div></div>
<div class="bottom"><div class="copy">Copyright {d.year} {esc(a['site'])}. Distribution or reproduction of this material without written permission is prohibited.</div></div></div>
</body></html>
"""


LAYOUTS: dict[str, Callable[[dict], str]] = {
    "wp_elementor": wp_elementor, "bbc_next": bbc_next, "guardian": guardian, "register": register,
    "govuk": govuk, "nhs_trust": nhs_trust, "drupal_council": drupal_council,
    "statuspage": statuspage, "liveblog": liveblog, "amp": amp, "consent_wall": consent_wall,
    "substack": substack, "reach_local": reach_local, "techtarget": techtarget,
    "thinktank_blog": thinktank_blog, "prwire": prwire, "bbc_legacy": bbc_legacy,
    "paywall": paywall, "scotgov": scotgov, "ghost": ghost, "sky": sky, "ico": ico,
    "wp_classic": wp_classic, "paginated": paginated, "oldcms": oldcms, "wix": wix,
    "divpara": divpara,
}

DEFAULT_RELATED = ["Ambulance trust restores dispatch system after weekend outage",
                   "Council confirms data was taken in spring cyber attack",
                   "GP practices told to expect slower test results this week",
                   "Hospital group names new chief information officer",
                   "Supplier apologises for booking system failure"]
DEFAULT_MOST_READ = ["Rail fares to rise by more than inflation next year",
                     "Heatwave warning issued for much of England",
                     "Teachers vote to accept pay offer",
                     "Water company fined over sewage spills",
                     "Council tax bills set to rise again"]


def render(name: str) -> dict[str, str]:
    """One article's three files, by suffix: ``.html``, ``.txt`` (gold text), ``.json``
    (gold title and date, URL, layout, split)."""
    article = yaml.safe_load((SRC / f"{name}.yaml").read_text(encoding="utf-8"))
    article["name"] = name
    article.setdefault("related", DEFAULT_RELATED)
    article.setdefault("most_read", DEFAULT_MOST_READ)
    article.setdefault("author", "Staff reporter")
    base = article.setdefault("base", f"https://www.{_slugify(article['site']).replace('-', '')}.example")
    article.setdefault("url", f"{base}/news/{name}")
    meta = {"title": article["title"], "published": when(article).date().isoformat(),
            "url": article["url"], "layout": article["style"],
            "split": "holdout" if int(hashlib.sha1(name.encode()).hexdigest(), 16) % 3 == 0 else "dev"}
    return {".html": LAYOUTS[article["style"]](article), ".txt": gold_text(article),
            ".json": json.dumps(meta, indent=1) + "\n"}


def build(name: str) -> None:
    """Write one article's three files next to this script."""
    for suffix, content in render(name).items():
        (HERE / f"{name}{suffix}").write_text(content, encoding="utf-8")


def main(names: list[str]) -> None:
    names = names or sorted(p.stem for p in SRC.glob("*.yaml"))
    for name in names:
        build(name)
    print(f"built {len(names)} pages in {HERE}")


if __name__ == "__main__":
    main(sys.argv[1:])
