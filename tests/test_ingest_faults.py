"""Ingest against a fault-injecting HTTP server on 127.0.0.1: every way a source or a page
can fail is recorded (fetch_log, runs, sources) with a clear message, and the other sources
are stored. Also incremental polling, duplicates, manners and source health."""

from __future__ import annotations

import dataclasses
import html
import json
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from fixture_server import FaultServer, InFlight

from aggregator.cli import cli
from aggregator.config import Config, load_config
from aggregator.ingest import (
    MAX_BACKOFF_MINUTES,
    backoff_minutes,
    fetch_settings,
    ingest,
    ingest_lock,
)
from aggregator.models import Extraction
from aggregator.store import Store

WORDS = ("The trust said its pathology systems were unavailable after a failure at the data "
         "centre, and staff reverted to paper while engineers restored the service. ")


def page(title: str, head: str = "", paragraphs: int = 4) -> bytes:
    body = "".join(f"<p>{WORDS * 2}</p>" for _ in range(paragraphs))
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title>{head}"
            f"</head><body><article><h1>{title}</h1>{body}</article></body></html>").encode()


def rss(base: str, links: list[str], extra_item: str = "", channel: str = "",
        dated: bool = True) -> bytes:
    items = "".join(
        f"<item><title>Story {i}</title><link>{html.escape(link if '://' in link else base + link)}"
        f"</link><guid>g{i}-{link}</guid>"
        + ("<pubDate>Tue, 04 Jun 2024 08:00:00 GMT</pubDate>" if dated else "")
        + f"<description>Summary of story {i}.</description>{extra_item}</item>"
        for i, link in enumerate(links))
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>F</title>'
            f"<link>{base}/</link>{channel}{items}</channel></rss>").encode()


RSS_HEADERS = {"Content-Type": "application/rss+xml"}
HTML_HEADERS = {"Content-Type": "text/html; charset=utf-8"}


def make_config(tmp_path: Path, base: str, sources: list[dict], **top: object) -> Config:
    data = {"user_agent": "aggregator-tests/0.1 (+mailto:tests@example.invalid)",
            "allow_private_addresses": True, **top,
            "sources": [{"name": s["id"], "type": "feed", **s,
                         "url": s["url"] if "://" in s["url"] else base + s["url"]}
                        for s in sources]}
    path = tmp_path / "feeds.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return load_config(path)


def fast(config: Config, **overrides: object):
    """The config's fetch settings with short timeouts and backoff, for tests."""
    return dataclasses.replace(fetch_settings(config), connect_timeout=1.0, read_timeout=1.0,
                               total_timeout=1.0, backoff_base=0.01, max_retries=1,
                               max_bytes=1024 * 1024, max_retry_after=5.0, **overrides)


@pytest.fixture
def server():
    with FaultServer() as srv:
        yield srv


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "t.db")
    yield store
    store.close()


def serve_pages(server: FaultServer, paths: list[str]) -> None:
    for path in paths:
        server.route(path, body=page(path), headers=HTML_HEADERS)


def rows(store: Store, sql: str, params: list | None = None) -> list[dict]:
    return list(store.db.query(sql, params or []))


def log_for(store: Store, source_id: str) -> list[dict]:
    return rows(store, "select * from fetch_log where source_id = ? order by id", [source_id])


# ------------------------------------------------------------------ source failures

SOURCE_FAULTS = {  # source id -> (path, expected kind, words the message must contain)
    "missing": ("/missing.rss", "http", "HTTP status 404"),
    "error500": ("/error.rss", "http", "HTTP status 500"),
    "timeout": ("/slow.rss", "timeout", "[timeout]"),
    "reset": ("/reset.rss", "connection", "cannot fetch"),
    "truncated": ("/truncated.rss", "connection", "body incomplete"),
    "not-xml": ("/json.rss", "parse", "not an RSS/Atom feed"),
    "js-shell": ("/shell.rss", "parse", "got an HTML page (a JavaScript shell?)"),
    "loop": ("/loop.rss", "redirects", "redirect loop"),
    "oversized": ("/huge.rss", "too_large", "exceeds limit"),
    "gzip-bomb": ("/bomb.rss", "too_large", "after decompression"),
    "robots": ("/private/feed.rss", "robots", "disallowed by robots.txt"),
    "pdf-listing": ("/listing.pdf", "parse", "listing page is not HTML"),
}


def test_each_failing_source_is_recorded_and_the_others_are_stored(tmp_path, server, store,
                                                                    extractor):
    base = server.base_url
    server.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n")
    server.route("/good.rss", body=rss(base, ["/a/1.html", "/a/2.html"]), headers=RSS_HEADERS)
    serve_pages(server, ["/a/1.html", "/a/2.html"])
    server.route("/error.rss", status=500)
    server.fault("/slow.rss", "slow")
    server.fault("/reset.rss", "reset")
    server.fault("/truncated.rss", "truncate")
    server.route("/json.rss", body='{"items": []}', headers={"Content-Type": "application/json"})
    server.route("/shell.rss", headers=HTML_HEADERS, body=(
        "<!doctype html><html><head><title>NCSC</title></head><body><noscript>You need to "
        "enable JavaScript to run this app.</noscript><div id=root></div></body></html>"))
    server.fault("/loop.rss", "redirect_loop")
    server.fault("/huge.rss", "huge")
    server.fault("/bomb.rss", "gzip_bomb")
    server.route("/private/feed.rss", body=rss(base, ["/a/1.html"]), headers=RSS_HEADERS)
    server.route("/listing.pdf", body=b"%PDF-1.4 binary", headers={
        "Content-Type": "application/pdf"})
    sources = [{"id": "good", "url": "/good.rss"}] + [
        {"id": sid, "url": path} | ({"type": "html", "links": "a"} if sid == "pdf-listing"
                                    else {})
        for sid, (path, _, _) in SOURCE_FAULTS.items()]
    config = make_config(tmp_path, base, sources)

    report = ingest(config, store, force=True, extractor=extractor, settings=fast(config))

    assert report.exit_code == 1
    assert {r.source_id for r in report.failed} == set(SOURCE_FAULTS)
    assert {r["url"].rsplit("/", 1)[-1] for r in rows(store, "select url from articles")} == \
        {"1.html", "2.html"}
    run = rows(store, "select * from runs")[-1]
    assert run["status"] == "partial" and run["sources_failed"] == len(SOURCE_FAULTS)
    assert run["sources_ok"] == 1 and run["articles_new"] == 2
    for sid, (_, kind, words) in SOURCE_FAULTS.items():
        [entry] = log_for(store, sid)
        assert (entry["outcome"], entry["kind"]) == ("error", kind), (sid, entry)
        assert words in entry["message"], (sid, entry["message"])
        assert f"{sid}: " in run["error"]
        state = store.source_state(sid)
        assert state["consecutive_failures"] == 1 and words in state["last_error"]
        assert state["next_poll"] > datetime.now(UTC).isoformat()
        assert state["last_success"] is None and state["etag"] is None
    assert store.source_state("good")["consecutive_failures"] == 0
    # the robots-disallowed feed was never requested
    assert server.count("/private/feed.rss") == 0


def test_source_failures_back_off_and_recover(tmp_path, server, store, extractor):
    base = server.base_url
    server.route("/flaky.rss", status=503)
    config = make_config(tmp_path, base, [{"id": "flaky", "url": "/flaky.rss"}])
    settings = fast(config)
    intervals = []
    for _ in range(3):
        ingest(config, store, force=True, extractor=extractor, settings=settings)
        state = store.source_state("flaky")
        intervals.append(datetime.fromisoformat(state["next_poll"]) - datetime.now(UTC))
    assert store.source_state("flaky")["consecutive_failures"] == 3
    assert intervals[0] < intervals[1] < intervals[2] <= timedelta(minutes=4 * 30)
    # not due: a plain run skips it; then the feed recovers
    assert ingest(config, store, extractor=extractor, settings=settings).results[0].skipped
    server.route("/flaky.rss", body=rss(base, []), headers=RSS_HEADERS)
    report = ingest(config, store, force=True, extractor=extractor, settings=settings)
    assert report.exit_code == 0
    state = store.source_state("flaky")
    assert state["consecutive_failures"] == 0 and state["last_error"] is None


def test_backoff_is_exponential_jittered_capped_at_a_day_and_honours_retry_after():
    for failures in range(1, 40):
        minutes = backoff_minutes(30, failures)
        base = min(MAX_BACKOFF_MINUTES, 30 * 2 ** (failures - 1))
        assert 0.8 * base <= minutes <= base <= MAX_BACKOFF_MINUTES
    assert len({round(backoff_minutes(30, 3), 6) for _ in range(20)}) > 1  # jitter
    assert backoff_minutes(30, 1, retry_after=7200) == 120
    assert backoff_minutes(30, 1, retry_after=10**9) == MAX_BACKOFF_MINUTES


def test_429_with_retry_after_then_success(tmp_path, server, store, extractor):
    base = server.base_url
    server.route("/limited.rss", sequence=[
        {"status": 429, "headers": {"Retry-After": "1"}},
        {"status": 200, "body": rss(base, ["/a/1.html"]), "headers": RSS_HEADERS}])
    serve_pages(server, ["/a/1.html"])
    config = make_config(tmp_path, base, [{"id": "limited", "url": "/limited.rss"}])
    started = time.monotonic()
    report = ingest(config, store, force=True, extractor=extractor, settings=fast(config))
    assert report.exit_code == 0 and report.articles_new == 1
    requests = server.requests_for("/limited.rss")
    assert len(requests) == 2 and requests[1].time - requests[0].time >= 0.95
    assert time.monotonic() - started >= 1.0


def test_429_with_a_long_retry_after_sets_the_next_poll(tmp_path, server, store, extractor):
    server.route("/busy.rss", status=429, headers={"Retry-After": "7200"})
    config = make_config(tmp_path, server.base_url, [{"id": "busy", "url": "/busy.rss"}])
    report = ingest(config, store, force=True, extractor=extractor, settings=fast(config))
    assert report.exit_code == 1 and server.count("/busy.rss") == 1
    next_poll = datetime.fromisoformat(store.source_state("busy")["next_poll"])
    assert next_poll >= datetime.now(UTC) + timedelta(minutes=119)


def test_500_then_success(tmp_path, server, store, extractor):
    base = server.base_url
    server.route("/feed.rss", sequence=[
        {"status": 500}, {"status": 200, "body": rss(base, ["/a/1.html"]),
                          "headers": RSS_HEADERS}])
    server.route("/a/1.html", sequence=[{"status": 502}, {"body": page("one"),
                                                          "headers": HTML_HEADERS}])
    config = make_config(tmp_path, base, [{"id": "f", "url": "/feed.rss"}])
    report = ingest(config, store, force=True, extractor=extractor, settings=fast(config))
    assert report.exit_code == 0 and report.articles_new == 1
    assert server.count("/feed.rss") == 2 and server.count("/a/1.html") == 2
    [article] = rows(store, "select extracted_by, word_count from articles")
    assert article["extracted_by"] != "summary" and article["word_count"] > 50


# ------------------------------------------------------------------- page failures

def test_page_failures_are_logged_and_retried_or_summarised(tmp_path, server, store,
                                                            extractor):
    base = server.base_url
    server.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n")
    links = ["/p/ok.html", "/p/transient.html", "/p/gone.html", "/private/secret.html",
             "/p/report.pdf", "/p/reset.html", "/p/huge.html", "/p/bomb.html", "/p/loop.html",
             "/p/slow.html"]
    server.route("/feed.rss", body=rss(base, links), headers=RSS_HEADERS)
    serve_pages(server, ["/p/ok.html", "/private/secret.html"])
    server.route("/p/transient.html", status=500)
    server.route("/p/report.pdf", body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"})
    server.fault("/p/reset.html", "reset")
    server.fault("/p/huge.html", "huge")
    server.fault("/p/bomb.html", "gzip_bomb")
    server.fault("/p/loop.html", "redirect_loop")
    server.fault("/p/slow.html", "slow")
    config = make_config(tmp_path, base, [{"id": "f", "url": "/feed.rss"}])
    settings = fast(config)

    report = ingest(config, store, force=True, extractor=extractor, settings=settings)

    assert report.exit_code == 0  # page failures are not source failures
    assert report.results[0].message == "3 article(s) to retry next run"
    assert report.pages_failed == 9
    stored = {r["url"].removeprefix(base): "page" if r["extracted_by"] != "summary"
              else "summary" for r in rows(store, "select url, extracted_by from articles")}
    # transient failures (500, reset, timeout) are not stored, to be retried next run;
    # permanent ones keep the feed's summary
    assert stored == {"/p/ok.html": "page", "/p/gone.html": "summary",
                      "/private/secret.html": "summary", "/p/report.pdf": "summary",
                      "/p/huge.html": "summary", "/p/bomb.html": "summary",
                      "/p/loop.html": "summary"}
    assert server.count("/private/secret.html") == 0
    kinds = {r["url"].removeprefix(base): (r["kind"], r["message"])
             for r in log_for(store, "f") if r["outcome"] == "error"}
    assert kinds["/p/transient.html"][0] == "http"
    assert kinds["/p/transient.html"][1].endswith("will retry next run")
    assert kinds["/p/gone.html"][0] == "http"
    assert kinds["/p/gone.html"][1].endswith("stored the feed summary")
    assert kinds["/private/secret.html"][0] == "robots"
    assert kinds["/p/report.pdf"][0] == "not_html"
    assert kinds["/p/reset.html"][0] == "connection"
    assert kinds["/p/huge.html"][0] == "too_large"
    assert kinds["/p/bomb.html"][0] == "too_large"
    assert kinds["/p/loop.html"][0] == "redirects"
    assert kinds["/p/slow.html"][0] == "timeout"
    # the source's validators were not advanced, so the next poll sees the items again
    assert store.source_state("f")["body_hash"] is None

    serve_pages(server, ["/p/transient.html", "/p/reset.html", "/p/slow.html"])
    server.clear_requests()
    report = ingest(config, store, force=True, extractor=extractor, settings=settings)
    assert report.exit_code == 0 and report.articles_new == 3
    assert store.db["articles"].count == 10
    # only the three missing pages were fetched again
    assert sorted(r.path for r in server.requests if r.path.startswith("/p/")) == \
        ["/p/reset.html", "/p/slow.html", "/p/transient.html"]
    assert store.source_state("f")["body_hash"]


def test_private_address_links_refused_by_default(tmp_path, server, store, extractor):
    """The feed's own URL (written in feeds.yaml) is trusted; links found in it are not."""
    base = server.base_url
    server.route("/feed.rss", body=rss(base, ["/a/1.html", "http://localhost:1/x.html"]),
                 headers=RSS_HEADERS)
    serve_pages(server, ["/a/1.html"])
    config = make_config(tmp_path, base, [{"id": "f", "url": "/feed.rss"}],
                         allow_private_addresses=False)
    report = ingest(config, store, force=True, extractor=extractor)
    assert report.exit_code == 0
    assert server.count("/feed.rss") == 1 and server.count("/a/1.html") == 0
    errors = [r for r in log_for(store, "f") if r["outcome"] == "error"]
    assert {r["kind"] for r in errors} == {"private_address"}
    assert all("non-public address" in r["message"] for r in errors)
    assert {r["extracted_by"] for r in rows(store, "select extracted_by from articles")} == \
        {"summary"}


# ------------------------------------------------------------------ incremental polling

def test_304_and_unchanged_body_cost_no_page_fetches(tmp_path, server, store, extractor):
    base = server.base_url
    root = Path(server.root)
    (root / "feed.rss").write_bytes(rss(base, ["/a/1.html", "/a/2.html"]))  # ETag + 304
    server.route("/plain.rss", body=rss(base, ["/b/1.html"]), headers=RSS_HEADERS)  # no ETag
    serve_pages(server, ["/a/1.html", "/a/2.html", "/b/1.html"])
    config = make_config(tmp_path, base, [{"id": "etag", "url": "/feed.rss"},
                                          {"id": "plain", "url": "/plain.rss"}])
    first = ingest(config, store, force=True, extractor=extractor)
    assert first.articles_new == 3
    validators = store.source_state("etag")
    assert validators["etag"] and validators["last_modified"] and validators["body_hash"]
    server.clear_requests()

    second = ingest(config, store, force=True, extractor=extractor)

    assert second.articles_new == 0 and second.pages_fetched == 0
    # robots.txt is fetched once per host per run; then one request per feed
    assert sorted(r.path for r in server.requests) == ["/feed.rss", "/plain.rss", "/robots.txt"]
    [conditional] = server.requests_for("/feed.rss")
    assert conditional.headers["if-none-match"] == validators["etag"]
    assert conditional.headers["if-modified-since"] == validators["last_modified"]
    outcomes = {r["source_id"]: r["outcome"] for r in rows(
        store, "select * from fetch_log where run_id = ?", [second.run_id])}
    assert outcomes == {"etag": "not_modified", "plain": "unchanged"}
    assert store.source_state("etag")["etag"] == validators["etag"]
    assert store.source_state("etag")["items_last_poll"] == 0


def test_ttl_sets_a_floor_on_the_poll_interval(tmp_path, server, store, extractor):
    base = server.base_url
    server.route("/ttl.rss", body=rss(base, [], channel="<ttl>180</ttl>"), headers=RSS_HEADERS)
    server.route("/huge-ttl.rss", body=rss(base, [], channel="<ttl>100000</ttl>"),
                 headers=RSS_HEADERS)
    server.route("/plain.rss", body=rss(base, []), headers=RSS_HEADERS)
    config = make_config(tmp_path, base, [{"id": "ttl", "url": "/ttl.rss"},
                                          {"id": "huge-ttl", "url": "/huge-ttl.rss"},
                                          {"id": "plain", "url": "/plain.rss"}])
    ingest(config, store, force=True, extractor=extractor)

    def minutes(source_id: str) -> float:
        when = datetime.fromisoformat(store.source_state(source_id)["next_poll"])
        return (when - datetime.now(UTC)).total_seconds() / 60

    assert 178 < minutes("ttl") <= 180
    assert 1438 < minutes("huge-ttl") <= 1440  # a day at most
    assert 28 < minutes("plain") <= 30
    assert store.source_state("ttl")["ttl_minutes"] == 180


def test_empty_feed_is_healthy(tmp_path, server, store, extractor):
    """Azure status: an empty channel is its normal state, not a failure."""
    server.route("/azure.rss", body=rss(server.base_url, []), headers=RSS_HEADERS)
    config = make_config(tmp_path, server.base_url, [{"id": "azure", "url": "/azure.rss"}])
    report = ingest(config, store, force=True, extractor=extractor)
    assert report.exit_code == 0 and report.results[0].items == 0
    state = store.source_state("azure")
    assert state["consecutive_failures"] == 0 and state["last_success"]


def test_register_style_cross_path_redirect_records_the_final_url(tmp_path, server, store,
                                                                  extractor):
    """The Register's legacy .atom URLs answer 302 to an RSS API URL."""
    base = server.base_url
    root = Path(server.root)
    (root / "api").mkdir()
    (root / "api" / "article.rss").write_bytes(rss(base, ["/a/1.html"]))
    server.redirect("/data_centre/headlines.atom", "/api/article.rss?remapper=rss")
    serve_pages(server, ["/a/1.html"])
    config = make_config(tmp_path, base, [{"id": "reg", "url": "/data_centre/headlines.atom"}])
    ingest(config, store, force=True, extractor=extractor)
    final = base + "/api/article.rss?remapper=rss"
    assert store.source_state("reg")["final_url"] == final
    assert log_for(store, "reg")[0]["final_url"] == final
    second = ingest(config, store, force=True, extractor=extractor)
    assert [r["outcome"] for r in log_for(store, "reg")][-1] == "not_modified"
    assert second.articles_new == 0


# ------------------------------------------------------------------------ duplicates

def test_tracking_parameter_duplicates_across_feeds_and_a_listing(tmp_path, server, store,
                                                                  extractor):
    base = server.base_url
    server.route("/one.rss", body=rss(base, ["/story.html?utm_source=rss&utm_medium=feed"]),
                 headers=RSS_HEADERS)
    server.route("/two.rss", body=rss(base, ["/story.html?fbclid=abc#comments",
                                             "/story.html"]), headers=RSS_HEADERS)
    server.route("/news/", headers=HTML_HEADERS, body=(
        '<html><body><a class="s" href="/story.html?CMP=share&utm_campaign=x">Story</a>'
        f'<a class="s" href="HTTP://127.0.0.1:{server.port}/story.html#top">Again</a>'
        "</body></html>"))
    serve_pages(server, ["/story.html"])
    config = make_config(tmp_path, base, [
        {"id": "one", "url": "/one.rss"}, {"id": "two", "url": "/two.rss"},
        {"id": "listing", "url": "/news/", "type": "html", "links": "a.s"}])
    report = ingest(config, store, force=True, extractor=extractor)
    assert report.articles_new == 1 and server.count("/story.html") == 1
    [article] = rows(store, "select id, url from articles")
    assert article["url"] == base + "/story.html"
    carriers = {r["source_id"] for r in rows(
        store, "select source_id from article_sources where article_id = ?", [article["id"]])}
    assert carriers == {"one", "two", "listing"}
    # and on the next poll, with changed feeds, still no fetch and no duplicate
    server.route("/one.rss", body=rss(base, ["/story.html?utm_source=twitter"], dated=False),
                 headers=RSS_HEADERS)
    server.clear_requests()
    ingest(config, store, force=True, extractor=extractor)
    assert server.count("/story.html") == 0 and store.db["articles"].count == 1


def test_rel_canonical_merges_two_urls_of_one_article(tmp_path, server, store, extractor):
    base = server.base_url
    canonical = f'<link rel="canonical" href="{base}/news/story">'
    server.route("/news/story", body=page("Story", canonical), headers=HTML_HEADERS)
    server.route("/amp/story", body=page("Story", canonical), headers=HTML_HEADERS)
    server.route("/print/story", body=page("Story", canonical), headers=HTML_HEADERS)
    server.route("/a.rss", body=rss(base, ["/news/story", "/amp/story"]), headers=RSS_HEADERS)
    server.route("/b.rss", body=rss(base, []), headers=RSS_HEADERS)
    # a CMS that names the home page as every article's canonical must not merge them all
    server.route("/c/1", body=page("One", f'<link rel="canonical" href="{base}/">'),
                 headers=HTML_HEADERS)
    server.route("/c/2", body=page("Two", f'<link rel="canonical" href="{base}/">'),
                 headers=HTML_HEADERS)
    server.route("/c.rss", body=rss(base, ["/c/1", "/c/2"]), headers=RSS_HEADERS)
    config = make_config(tmp_path, base, [{"id": "a", "url": "/a.rss"},
                                          {"id": "b", "url": "/b.rss"},
                                          {"id": "c", "url": "/c.rss"}])
    ingest(config, store, force=True, extractor=extractor)
    assert store.db["articles"].count == 3  # /news/story (with /amp/story), /c/1, /c/2
    # a later run: another feed links the print version; it is the same article
    server.route("/b.rss", body=rss(base, ["/print/story"]), headers=RSS_HEADERS)
    report = ingest(config, store, force=True, extractor=extractor)
    assert report.articles_new == 0 and store.db["articles"].count == 3
    carriers = {r["source_id"] for r in rows(
        store, "select s.source_id from article_sources s join articles a "
               "on a.id = s.article_id where ? in (a.url, a.final_url)", [base + "/news/story"])}
    assert carriers == {"a", "b"}


# --------------------------------------------------------------- full text and dates

def test_full_text_in_the_feed_fetches_no_page(tmp_path, server, store, extractor):
    """Computer Weekly: the whole article, entity-escaped, in the item's <body>."""
    base = server.base_url
    article = "".join(f"<p>{WORDS}</p>" for _ in range(8))
    server.route("/cw.xml", headers=RSS_HEADERS, body=rss(
        base, ["/news/366/outage"], extra_item=f"<body>{html.escape(article)}</body>"))
    config = make_config(tmp_path, base, [{"id": "cw", "url": "/cw.xml"}])
    report = ingest(config, store, force=True, extractor=extractor)
    assert report.articles_new == 1 and report.pages_fetched == 0
    assert server.count("/news/366/outage") == 0
    [row] = rows(store, "select extracted_by, text, summary from articles")
    assert row["extracted_by"] == "feed" and row["text"].count("pathology") == 8
    assert row["summary"] == "Summary of story 0."


def test_feeds_only_fetches_no_page(tmp_path, server, store, extractor):
    base = server.base_url
    server.route("/feed.rss", body=rss(base, ["/a/1.html", "/a/2.html"]), headers=RSS_HEADERS)
    config = make_config(tmp_path, base, [{"id": "f", "url": "/feed.rss"}])
    report = ingest(config, store, force=True, extractor=extractor, feeds_only=True)
    assert report.articles_new == 2 and report.pages_fetched == 0
    assert [r.path for r in server.requests] == ["/robots.txt", "/feed.rss"]


def test_dates_from_the_page_when_the_feed_has_none(tmp_path, server, store, extractor):
    base = server.base_url
    heads = {
        "/d/jsonld": '<script type="application/ld+json">{"@type": "NewsArticle", '
                     '"datePublished": "2024-06-04T08:00:00Z"}</script>',
        "/d/meta": '<meta property="article:published_time" content="2024-06-05T09:00:00Z">',
        "/d/citation": '<meta name="citation_publication_date" content="2024/06/06">',
        "/d/2024/06/07/url-only": "",
        "/d/none": "",
    }
    for path, head in heads.items():
        server.route(path, body=page(path, head), headers=HTML_HEADERS)
    server.route("/d/time", headers=HTML_HEADERS, body=page("t").replace(
        b"<article>", b'<article><time datetime="2024-06-08">8 June</time>'))
    server.route("/feed.rss", body=rss(base, [*heads, "/d/time"], dated=False),
                 headers=RSS_HEADERS)
    config = make_config(tmp_path, base, [{"id": "f", "url": "/feed.rss"}])
    ingest(config, store, force=True, extractor=extractor)
    dates = {r["url"].removeprefix(base): (r["published"] or "")[:10]
             for r in rows(store, "select url, published from articles")}
    assert dates == {"/d/jsonld": "2024-06-04", "/d/meta": "2024-06-05",
                     "/d/citation": "2024-06-06", "/d/2024/06/07/url-only": "2024-06-07",
                     "/d/time": "2024-06-08", "/d/none": ""}


# ------------------------------------------------------------------------ isolation

class PoisonExtractor:
    """Delegates to the real extractor but breaks on one document."""

    def __init__(self, real):
        self.real = real

    def extract_many(self, documents):
        documents = list(documents)
        if any(d.url.endswith("/poison.html") for d in documents):
            raise ValueError("cannot handle this document")
        return self.real.extract_many(documents)

    def extract(self, document) -> Extraction:
        return next(iter(self.extract_many([document])))


def test_an_extractor_failure_stores_the_text_and_is_logged(tmp_path, server, store,
                                                            extractor):
    base = server.base_url
    server.route("/feed.rss", body=rss(base, ["/a/poison.html", "/a/2.html"]),
                 headers=RSS_HEADERS)
    serve_pages(server, ["/a/poison.html", "/a/2.html"])
    config = make_config(tmp_path, base, [{"id": "f", "url": "/feed.rss"}])
    report = ingest(config, store, force=True, extractor=PoisonExtractor(extractor))
    assert report.articles_new == 2 and report.exit_code == 0
    versions = sorted(r["extractor_version"] for r in rows(
        store, "select extractor_version from articles"))
    assert versions[1] == "failed:ValueError" and versions[0] == extractor.version
    [entry] = [r for r in log_for(store, "f") if r["kind"] == "extract"]
    assert "cannot handle this document" in entry["message"]


def test_an_unexpected_error_in_one_source_does_not_stop_the_others(tmp_path, server, store,
                                                                    extractor, monkeypatch):
    import aggregator.ingest as ingest_module

    base = server.base_url
    server.route("/good.rss", body=rss(base, ["/a/1.html"]), headers=RSS_HEADERS)
    server.route("/bad.rss", body=rss(base, ["/a/2.html"]), headers=RSS_HEADERS)
    serve_pages(server, ["/a/1.html", "/a/2.html"])
    real_parse = ingest_module.parse_feed

    def parse(body, *, url, source_id, headers=None):
        if source_id == "bad":
            raise KeyError("surprise")
        return real_parse(body, url=url, source_id=source_id, headers=headers)

    monkeypatch.setattr(ingest_module, "parse_feed", parse)
    config = make_config(tmp_path, base, [{"id": "bad", "url": "/bad.rss"},
                                          {"id": "good", "url": "/good.rss"}])
    report = ingest(config, store, force=True, extractor=extractor)
    assert [r.source_id for r in report.failed] == ["bad"]
    assert "unexpected error: KeyError" in report.failed[0].message
    assert store.db["articles"].count == 1


# ---------------------------------------------------------------------- concurrency

class ChainedInFlight(InFlight):
    """Counts one server's requests and also a shared total."""

    def __init__(self, total: InFlight):
        super().__init__()
        self.total = total

    def __enter__(self) -> ChainedInFlight:
        self.total.__enter__()
        return super().__enter__()

    def __exit__(self, *exc: object) -> None:
        super().__exit__(*exc)
        self.total.__exit__(*exc)


def test_per_host_and_total_concurrency_through_ingest(tmp_path, store, extractor):
    total = InFlight()
    with FaultServer(in_flight=ChainedInFlight(total)) as one, \
            FaultServer(in_flight=ChainedInFlight(total)) as two:
        sources = []
        for server, name in ((one, "one"), (two, "two")):
            links = [f"/{name}/{i}.html" for i in range(8)]
            server.route("/feed.rss", body=rss(server.base_url, links), headers=RSS_HEADERS)
            serve_pages(server, links)
            server.latency = 0.1
            sources.append({"id": name, "url": server.base_url + "/feed.rss"})
        config = make_config(tmp_path, one.base_url, sources, concurrency=3,
                             per_host_concurrency=2)
        report = ingest(config, store, force=True, extractor=extractor)
        requests = len(one.requests) + len(two.requests)
    assert report.articles_new == 16 and requests == 20
    # the limits are reached and never exceeded (speed is measured in bench/bench_collect.py,
    # not asserted here: a timed test fails on a busy machine)
    assert one.in_flight.maximum == 2 and two.in_flight.maximum == 2
    assert total.maximum == 3


# ------------------------------------------------------------- health and recovery

def test_source_health_view_and_status(tmp_path, server, extractor):
    base = server.base_url
    server.route("/good.rss", body=rss(base, ["/a/1.html"]), headers=RSS_HEADERS)
    serve_pages(server, ["/a/1.html"])
    config = make_config(tmp_path, base, [{"id": "good", "url": "/good.rss"},
                                          {"id": "broken", "url": "/broken.rss"}])
    db_path = tmp_path / "health.db"
    store = Store(db_path)
    ingest(config, store, force=True, extractor=extractor)
    store.close()
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    view = {r["source"]: dict(r) for r in conn.execute("select * from source_health")}
    conn.close()
    assert view["good"]["health"] == "ok" and view["good"]["items_last_7_days"] == 1
    assert view["broken"]["health"] == "never succeeded"
    assert view["broken"]["consecutive_failures"] == 1
    assert "404" in view["broken"]["last_error"] and view["broken"]["next_poll"]
    assert view["broken"]["failed_fetches_last_7_days"] == 1
    result = CliRunner().invoke(cli, ["status", "--db", str(db_path)])
    assert result.exit_code == 0
    assert "never succeeded" in result.output and "HTTP status 404" in result.output
    data = json.loads(CliRunner().invoke(cli, ["status", "--db", str(db_path), "--json"]).output)
    assert data["last_run"]["status"] == "partial"
    assert {s["source"] for s in data["sources"]} == {"good", "broken"}


def test_unfinished_runs_are_marked_crashed_by_the_next_locked_run(tmp_path, server,
                                                                   extractor):
    server.route("/feed.rss", body=rss(server.base_url, []), headers=RSS_HEADERS)
    config = make_config(tmp_path, server.base_url, [{"id": "f", "url": "/feed.rss"}])
    db_path = tmp_path / "crash.db"
    store = Store(db_path)
    dead = store.start_run(["f"])  # as if the process was killed during this run
    with ingest_lock(db_path):
        ingest(config, store, force=True, extractor=extractor)
    runs = {r["id"]: r for r in rows(store, "select * from runs")}
    assert runs[dead]["status"] == "crashed" and "interrupted" in runs[dead]["error"]
    assert [r["status"] for r in runs.values() if r["id"] != dead] == ["ok"]
    store.close()


def test_a_database_from_before_the_collection_schema_is_migrated(tmp_path):
    db_path = tmp_path / "old.db"
    Store(db_path).close()
    conn = sqlite3.connect(db_path)  # turn it back into the previous schema
    conn.executescript("""
        drop view source_health;
        alter table fetch_log drop column kind;
        alter table fetch_log drop column final_url;
        alter table runs drop column pages_failed;
        delete from meta where key = 'collection_schema';""")
    conn.commit()
    conn.close()
    store = Store(db_path)
    assert {"kind", "final_url"} <= set(store.db["fetch_log"].columns_dict)
    assert "pages_failed" in store.db["runs"].columns_dict
    assert "source_health" in store.db.view_names()
    store.close()


def test_charsets_through_ingest(tmp_path, server, store, extractor):
    """A windows-1252 feed, and a utf-8 page whose server declares ISO-8859-1."""
    base = server.base_url
    feed = rss(base, ["/a/cafe.html"]).replace(b"Story 0", "Trust’s café £5".encode("cp1252"))
    server.route("/feed.rss", body=feed.replace(b'encoding="utf-8"', b'encoding="windows-1252"'),
                 headers={"Content-Type": "application/rss+xml"})
    server.route("/a/cafe.html", body=page("Café menu").replace(b"pathology", "pâthology".encode()),
                 headers={"Content-Type": "text/html; charset=ISO-8859-1"})
    config = make_config(tmp_path, base, [{"id": "f", "url": "/feed.rss"}])
    ingest(config, store, force=True, extractor=extractor)
    [row] = rows(store, "select title, text from articles")
    assert row["title"] == "Trust’s café £5"
    assert "pâthology" in row["text"] and "Ã" not in row["text"]
    # and every request carried the User-Agent from feeds.yaml
    assert {r.headers["user-agent"] for r in server.requests} == {
        "aggregator-tests/0.1 (+mailto:tests@example.invalid)"}
