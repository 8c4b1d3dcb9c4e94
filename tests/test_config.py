"""feeds.yaml validation: errors name the source and the field."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from aggregator.cli import cli
from aggregator.config import ConfigError, load_config, parse_config

GOOD = {"sources": [{"id": "dh", "name": "Digital Health", "url": "https://example.org/feed/",
                     "type": "feed", "tags": ["nhs"]}]}


def _with(**changes):
    source = {**GOOD["sources"][0], **changes}
    return {"sources": [source]}


def test_valid_config_loads():
    config = parse_config(GOOD)
    assert config.sources[0].id == "dh"
    assert config.sources[0].tags == ("nhs",)


@pytest.mark.parametrize("data, fragment", [
    (_with(colour="red"), "(dh): unknown field(s): colour"),
    (_with(url="ftp://example.org/feed"), "(dh): field 'url'"),
    (_with(url="not a url"), "(dh): field 'url'"),
    (_with(type="podcast"), "(dh): field 'type'"),
    (_with(type="html"), "(dh): field 'links'"),
    (_with(links="a[", type="html"), "(dh): field 'links': invalid CSS selector"),
    (_with(id="Bad Id"), "field 'id'"),
    (_with(tags="nhs"), "(dh): field 'tags'"),
    ({"sources": [GOOD["sources"][0], GOOD["sources"][0]]}, "(dh): field 'id': duplicate id"),
    ({"sources": []}, "'sources' must be a non-empty list"),
    ({"sources": GOOD["sources"], "colour": 1}, "unknown top-level key"),
])
def test_invalid_configs_name_source_and_field(data, fragment):
    with pytest.raises(ConfigError) as info:
        parse_config(data)
    assert fragment in str(info.value)


def test_shipped_feeds_yaml_is_valid():
    config = load_config(Path(__file__).parent.parent / "feeds.yaml")
    assert len(config.sources) >= 20
    assert all(s.url.startswith("https://") for s in config.sources)


def test_cli_reports_config_errors_with_exit_code_2(tmp_path):
    bad = tmp_path / "feeds.yaml"
    bad.write_text("sources:\n  - {id: a, name: A, url: 'https://example.org/', tyep: feed}\n")
    result = CliRunner().invoke(cli, ["ingest", "--config", str(bad), "--db",
                                      str(tmp_path / "x.db")])
    assert result.exit_code == 2
    assert "unknown field(s): tyep" in result.output
    assert not (tmp_path / "x.db").exists()
