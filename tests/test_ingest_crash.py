"""Crash safety and the cron lock, with `aggregator ingest` as a real subprocess against a
fixture site on 127.0.0.1 with added latency."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from fixture_server import FaultServer

import aggregator
from aggregator.ingest import EXIT_LOCKED

REPO = Path(aggregator.__file__).resolve().parent.parent
FEEDS, ITEMS = 6, 20
PARAGRAPH = ("Staff at the trust reverted to paper after the electronic patient record went "
             "offline on Tuesday morning, and the supplier said engineers were working to "
             "restore it. ")


def build_site(root: Path) -> None:
    """FEEDS feeds of ITEMS items each, every item with its own small article page."""
    for f in range(FEEDS):
        items = "".join(
            f"<item><title>Feed {f} story {i}</title>"
            f"<link>{{{{base_url}}}}/a/{f}/{i}.html?utm_source=rss</link>"
            f"<pubDate>Tue, 04 Jun 2024 08:{i:02d}:00 GMT</pubDate>"
            f"<description>Story {i} of feed {f}.</description></item>" for i in range(ITEMS))
        (root / "feeds").mkdir(exist_ok=True)
        (root / "feeds" / f"{f}.rss").write_text(
            f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {f}</title>'
            f"<link>{{{{base_url}}}}/</link>{items}</channel></rss>", encoding="utf-8")
        (root / "a" / str(f)).mkdir(parents=True, exist_ok=True)
        for i in range(ITEMS):
            (root / "a" / str(f) / f"{i}.html").write_text(
                f"<html><head><title>Feed {f} story {i}</title></head><body><article>"
                f"<h1>Feed {f} story {i}</h1>" + f"<p>{PARAGRAPH * 3}</p>" * 3
                + "</article></body></html>", encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    build_site(root)
    with FaultServer(root) as server:
        server.latency = 0.05
        yield server


@pytest.fixture
def config_path(tmp_path, site) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(yaml.safe_dump({
        "user_agent": "aggregator-tests/0.1 (+mailto:tests@example.invalid)",
        "allow_private_addresses": True, "concurrency": 4, "per_host_concurrency": 2,
        "sources": [{"id": f"feed-{f}", "name": f"Feed {f}", "type": "feed",
                     "url": f"{site.base_url}/feeds/{f}.rss"} for f in range(FEEDS)]}))
    return path


def start_ingest(config_path: Path, db_path: Path, log_path: Path, *extra: str
                 ) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with open(log_path, "wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "aggregator", "ingest", "--config", str(config_path),
             "--db", str(db_path), "--no-progress", *extra],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def count(db_path: Path, sql: str) -> int:
    if not db_path.exists():
        return 0
    try:
        conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
        try:
            return conn.execute(sql).fetchone()[0]
        finally:
            conn.close()
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def wait_for(predicate, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def test_kill_9_mid_run_then_rerun_completes_without_duplicates(tmp_path, site, config_path):
    db_path = tmp_path / "crash.db"
    total = FEEDS * ITEMS
    first = start_ingest(config_path, db_path, tmp_path / "first.log")
    try:
        wait_for(lambda: count(db_path, "select count(*) from articles") >= 1, 120,
                 "the first stored article")
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert first.returncode == -signal.SIGKILL
    stored_before = count(db_path, "select count(*) from articles")
    assert 0 < stored_before < total, "the kill did not land mid-run"
    conn = sqlite3.connect(db_path)
    before = {r[0] for r in conn.execute("select url from articles")}
    conn.close()
    site.clear_requests()

    second = start_ingest(config_path, db_path, tmp_path / "second.log")
    assert second.wait(180) == 0, (tmp_path / "second.log").read_text()

    conn = sqlite3.connect(db_path)
    try:
        assert conn.execute("pragma integrity_check").fetchone()[0] == "ok"
        assert conn.execute("pragma foreign_key_check").fetchall() == []
        urls = [r[0] for r in conn.execute("select url from articles")]
        assert len(urls) == len(set(urls)) == total
        assert {u.rsplit("/", 2)[-2] + "/" + u.rsplit("/", 1)[-1] for u in urls} == \
            {f"{f}/{i}.html" for f in range(FEEDS) for i in range(ITEMS)}
        assert all("utm_" not in u for u in urls)
        # each article once in article_sources and in documents (saved atomically)
        assert conn.execute("select count(*) from article_sources").fetchone()[0] == total
        assert conn.execute("select count(*) from documents").fetchone()[0] == total
        runs = conn.execute("select status, error from runs order by id").fetchall()
        assert [r[0] for r in runs] == ["crashed", "ok"] and "interrupted" in runs[0][1]
    finally:
        conn.close()
    # the rerun fetched none of the pages stored before the kill
    refetched = {r.path for r in site.requests if r.path.startswith("/a/")}
    assert not {u.split(site.base_url, 1)[1] for u in before} & refetched
    assert len(refetched) == total - stored_before


def test_second_ingest_while_one_holds_the_lock_exits_75_at_once(tmp_path, site, config_path):
    db_path = tmp_path / "locked.db"
    site.latency = 0.2  # keep the first run busy
    first = start_ingest(config_path, db_path, tmp_path / "first.log")
    try:
        lock = Path(f"{db_path}.lock")
        wait_for(lambda: lock.exists() and lock.read_text().strip() == str(first.pid), 60,
                 "the first run to take the lock")
        started = time.monotonic()
        second = subprocess.run(
            [sys.executable, "-m", "aggregator", "ingest", "--config", str(config_path),
             "--db", str(db_path)], cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True, text=True, timeout=60)
        elapsed = time.monotonic() - started
        assert second.returncode == EXIT_LOCKED == 75
        assert "another ingest is running" in second.stderr and str(first.pid) in second.stderr
        assert elapsed < 10  # interpreter start-up and imports; no network, no waiting
        assert first.poll() is None  # the first run was not disturbed
    finally:
        first.send_signal(signal.SIGTERM)
        first.wait(30)
