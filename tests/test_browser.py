"""End to end in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright,
against Datasette served by uvicorn on 127.0.0.1 over the ingested demo site.

The analyst's journey: open the home page, search "data centre", open an incident, filter the
review table by that incident's cause, download the review CSV and find the incident in it.
A screenshot of the incident page is saved in the test's temporary folder.

Chromium comes from apt (``.ci/run`` installs it); Playwright never downloads a browser. The
test skips when chromium is missing, except in CI (CI=true), where that is a failure.
"""

from __future__ import annotations

import asyncio
import csv
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aggregator.config import load_config
from aggregator.demo import DEMO_CONFIG, DEMO_SITE
from aggregator.demo.server import SiteServer
from aggregator.ingest import ingest
from aggregator.publish.datasette_app import build_datasette
from aggregator.store import Store

CHROMIUM = os.environ.get("AGGREGATOR_CHROMIUM", "/usr/bin/chromium")
IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-quic", "--no-first-run", "--disable-sync"]

if not Path(CHROMIUM).exists():
    if IN_CI:
        pytest.fail(f"{CHROMIUM} is missing in CI: .ci/run should have installed Debian's "
                    "chromium package", pytrace=False)
    pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium); the browser test runs "
                "in CI", allow_module_level=True)

playwright_api = pytest.importorskip("playwright.sync_api") if not IN_CI else \
    __import__("playwright.sync_api", fromlist=["sync_playwright"])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory, extractor) -> Path:
    path = tmp_path_factory.mktemp("browser") / "demo.db"
    with SiteServer(DEMO_SITE) as site:
        config = load_config(DEMO_CONFIG, {"base_url": site.base_url})
        store = Store(path)
        ingest(config, store, force=True, extractor=extractor)
        store.close()
    return path


@pytest.fixture(scope="module")
def server(demo_db) -> Iterator[str]:
    """Datasette with the project's profile, served by uvicorn in a thread."""
    import uvicorn

    datasette = build_datasette(demo_db)
    asyncio.run(datasette.invoke_startup())
    port = free_port()
    config = uvicorn.Config(datasette.app(), host="127.0.0.1", port=port, log_level="warning",
                            lifespan="off")
    uvi = uvicorn.Server(config)
    thread = threading.Thread(target=uvi.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uvi.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    uvi.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def page(tmp_path):
    with playwright_api.sync_playwright() as p:
        # a fresh profile per test (Playwright's own temporary one is also fresh)
        context = p.chromium.launch_persistent_context(
            str(tmp_path / "profile"), executable_path=CHROMIUM, args=CHROMIUM_ARGS,
            accept_downloads=True, viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.dialogs = dialogs  # any alert() would mean injected script ran
        try:
            yield page
        finally:
            context.close()


def test_analyst_journey(server, page, demo_db, tmp_path):
    page.goto(server + "/")
    assert page.locator("h1").first.inner_text() == "UK public-sector IT incidents"

    page.fill("#agg-q", "data centre")
    page.press("#agg-q", "Enter")
    page.wait_for_url(re.compile(r"/search_incidents\?q=data\+centre"))
    assert page.locator("td.col-snippet mark").count() > 0, "matches are highlighted"
    rows = page.locator("table.rows-and-columns tbody tr")
    assert rows.count() > 0
    # the best-ranked result whose cause is known
    row = next(rows.nth(i) for i in range(rows.count())
               if rows.nth(i).locator("td.col-primary_cause").inner_text().strip())
    cause = row.locator("td.col-primary_cause").inner_text().strip()
    row.locator("td.col-incident_id a").click()

    page.wait_for_url(re.compile(r"/incidents/\d+$"))
    incident_id = page.url.rsplit("/", 1)[1]
    assert page.locator("h2.agg-incident-title").is_visible()
    assert page.locator("ol.agg-timeline li").count() >= 1
    page.screenshot(path=str(tmp_path / "incident.png"), full_page=True)
    assert (tmp_path / "incident.png").stat().st_size > 10_000

    page.goto(server + "/")
    page.get_by_role("link", name="Incident review table").click()
    page.wait_for_url(re.compile(r"/incident_review$"))
    page.locator("#facet-primary_cause a", has_text=re.compile(f"^{cause}$")).click()
    page.wait_for_url(re.compile(f"primary_cause={cause}"))

    with page.expect_download() as download_info:
        page.click("#agg-review-csv")
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    with saved.open(encoding="utf-8", newline="") as handle:
        review = list(csv.DictReader(handle))
    assert incident_id in {r["id"] for r in review}
    assert {r["primary_cause"] for r in review} == {cause}
    assert page.dialogs == []


def test_dashboard_charts_render(server, page):
    page.goto(server + "/")
    page.get_by_role("link", name="Charts").click()
    page.wait_for_url(re.compile(r"/-/dashboards$"))
    page.get_by_role("link", name="Incidents at a glance").click()
    page.wait_for_selector("#chart-per-month svg, #chart-per-month canvas")
    page.wait_for_selector("#chart-systems svg, #chart-systems canvas")
    assert page.locator("#chart-total p").inner_text().strip().isdigit()
    assert page.dialogs == []
