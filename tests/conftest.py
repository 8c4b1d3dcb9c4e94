"""Shared fixtures: a real HTTP fixture site on 127.0.0.1 and temporary databases."""

from __future__ import annotations

from pathlib import Path

import pytest

from aggregator.config import load_config
from aggregator.demo.server import SiteServer

FIXTURES = Path(__file__).parent / "fixtures"
FIXTURE_SITE = FIXTURES / "site"

FIXTURE_CONFIG = """\
user_agent: "aggregator-tests/0.1 (+mailto:tests@example.invalid)"
allow_private_addresses: true   # the fixture site is on 127.0.0.1
sources:
  - id: fixture-rss
    name: Fixture Health IT News
    url: "{{base_url}}/feeds/news.rss"
    type: feed
    tags: [nhs]
  - id: fixture-listing
    name: Fixture public sector digital
    url: "{{base_url}}/listing/"
    type: html
    links: "a.story-link"
    content: "div.article-body"
"""


@pytest.fixture
def site():
    """The fixture site served over real HTTP on 127.0.0.1."""
    with SiteServer(FIXTURE_SITE) as server:
        yield server


@pytest.fixture
def config_path(tmp_path, site) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(FIXTURE_CONFIG.replace("{{base_url}}", site.base_url), encoding="utf-8")
    return path


@pytest.fixture
def config(config_path):
    return load_config(config_path)


@pytest.fixture
def db_path(tmp_path) -> Path:
    return tmp_path / "incidents.db"


@pytest.fixture(scope="session")
def extractor():
    """One spaCy pipeline for the whole session (loading it is the slow part)."""
    from aggregator.extract.pipeline import Extractor

    return Extractor()
