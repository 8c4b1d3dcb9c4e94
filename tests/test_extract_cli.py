"""`aggregator extract` on project-written articles."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from aggregator.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
KEYS = {"title", "published", "text", "is_incident", "incident_score", "organisations",
        "systems", "causes", "locations", "incident_date"}


def _run(*args):
    result = CliRunner().invoke(cli, ["extract", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_extract_json_shape_and_wales_content():
    out = _run(str(FIXTURES / "wales-outage.txt"), "--json", "--published", "2018-01-25")
    lines = out.strip().splitlines()
    assert len(lines) == 1
    data = json.loads(lines[0])
    assert set(data) >= KEYS
    assert data["is_incident"] is True
    assert 0.5 <= data["incident_score"] <= 1
    assert data["incident_date"] == "2018-01-24"
    causes = {(c["category"], c["status"]) for c in data["causes"]}
    assert ("cyber_attack", "negated") in causes
    assert ("data_centre_failure", "asserted") in causes
    assert ("network_failure", "hedged") in causes
    for cause in data["causes"]:
        assert cause["evidence"] and cause["category"] and cause["status"] in (
            "asserted", "negated", "hedged", "historical")
    orgs = {o["name"]: o["role"] for o in data["organisations"]}
    assert orgs.get("National Cyber Security Centre") == "investigator"
    assert orgs.get("Digital Health and Care Wales") == "supplier"
    assert "GP" not in orgs
    systems = {s["name"] for s in data["systems"]}
    assert {"pathology", "radiology imaging"} <= systems
    assert all(s["mentions"] for s in data["systems"])
    assert "Wales" in {loc["name"] for loc in data["locations"]}
    assert data["service_status"] == "restored"
    assert "several health boards" in {m["text"] for m in data["scope"]}


def test_extract_json_keeps_input_order_and_html_pages():
    site = FIXTURES / "site" / "articles"
    out = _run(str(site / "imaging-contract.html"), str(site / "wales-datacentre.html"),
               "--json")
    first, second = (json.loads(line) for line in out.strip().splitlines())
    assert first["is_incident"] is False
    assert first["title"] == "Health board signs imaging contract with new supplier"
    assert "cookies" not in first["text"].lower()
    assert "Related stories" not in first["text"]
    assert second["is_incident"] is True
    assert second["published"].startswith("2018-01-25")


def test_extract_readable_summary():
    out = _run(str(FIXTURES / "wales-outage.txt"), "--published", "2018-01-25")
    assert "INCIDENT" in out
    assert "negated" in out and "cyber_attack" in out


def test_eval_refuses_a_label_broken_by_an_unquoted_comma(tmp_path):
    (tmp_path / "001-x.yaml").write_text(
        "id: 001-x\nstyle: news\npublished: 2025-01-01\ntitle: t\ntext: t\nlabels:\n"
        "  is_incident: false\n  organisations:\n"
        "    - {name: Department for Science, Innovation and Technology, role: official}\n",
        encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "--devset", str(tmp_path)])
    assert result.exit_code == 1
    assert "001-x.yaml" in result.output and "quote names that contain a comma" in result.output
    assert "Traceback" not in result.output
