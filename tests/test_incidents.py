"""Incident clustering, cause history, supply chain and analyst overrides (no spaCy: the
extractions are built by hand, so these tests pin down the clustering rules themselves)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from aggregator.cli import cli
from aggregator.incidents import OverrideError, merge, rename, resolve, split
from aggregator.models import Cause, Document, Extraction, FeedItem, Mention, Organisation, System
from aggregator.store import Store

KINDS = {"Kestrel Valley Hospitals NHS Foundation Trust": "nhs_trust",
         "Fenmoor Community Health NHS Trust": "nhs_trust", "Synnovis": "supplier",
         "National Cyber Security Centre": "investigator",
         "King's College Hospital NHS Foundation Trust": "nhs_trust",
         "Guy's and St Thomas' NHS Foundation Trust": "nhs_trust"}
ROLES = {"supplier": "supplier", "investigator": "investigator"}


def extraction(title: str, text: str, published: str, *, orgs=(), systems=(), causes=(),
               incident_date: str | None = None, status: str | None = None,
               is_incident: bool = True) -> Extraction:
    """An extraction as the pipeline would give it, with mentions found by string search."""
    def mentions(name: str) -> list[Mention]:
        found, start = [], text.find(name)
        while start >= 0:
            found.append(Mention(name, start, start + len(name), name))
            start = text.find(name, start + 1)
        return found

    return Extraction(
        title=title, published=published, text=text, is_incident=is_incident,
        incident_score=0.9 if is_incident else 0.1,
        organisations=[Organisation(name=o, role=ROLES.get(KINDS.get(o, ""), "victim"),
                                    kind=KINDS.get(o), mentions=mentions(o)) for o in orgs],
        systems=[System(name=s, mentions=mentions(s) or [Mention(s, 0, 1, s)])
                 for s in systems],
        causes=[Cause(category=c, status=st, evidence=sentence, cue=c, start=max(0,
                      text.find(sentence)), end=0) for c, st, sentence in causes],
        incident_date=incident_date, service_status=status, extractor_version="test")


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "incidents.db")
    with store.db.conn:
        for source in ("wire", "trade", "local"):
            store.db.execute("insert into sources (id, name, url, type) values (?, ?, ?, 'feed')",
                             [source, source, f"https://{source}.test/"])
    yield store
    store.close()


def save(store: Store, key: str, x: Extraction, source: str = "trade") -> int:
    url = f"https://{source}.test/{key}"
    return store.save_article(FeedItem(url=url, source_id=source, title=x.title,
                                       published=x.published),
                              Document(url=url, title=x.title, text=x.text,
                                       published=x.published), x)


def incidents_of(store: Store, article_id: int) -> list[int]:
    return [r[0] for r in store.db.execute(
        "select incident_id from incident_articles where article_id = ? order by incident_id",
        [article_id])]


KV = "Kestrel Valley Hospitals NHS Foundation Trust"
FEN = "Fenmoor Community Health NHS Trust"

FIRST = (f"{KV} has diverted emergency patients after a ransomware attack encrypted the "
         "servers that hold its electronic patient record.\n\nStaff are working on paper and "
         "planned operations have been postponed while the trust restores its systems. The "
         "National Cyber Security Centre is helping the trust investigate the attack.")
FOLLOW_UP = (f"Planned operations at {KV} are still postponed a week after the ransomware "
             "attack on its electronic patient record, and the trust says paper records will be "
             "needed for days.\n\nThe trust said restoring the record system safely was its "
             "priority and thanked staff for working on paper.")
OTHER = (f"{FEN} says a ransomware attack has encrypted servers running its community nursing "
         "systems, and district nurses are working from printed lists.\n\nThe trust said "
         "essential visits were going ahead. The National Cyber Security Centre is aware of the "
         "incident at the community trust.")


def kv_first(published: str = "2023-11-14") -> Extraction:
    return extraction("Kestrel Valley trust hit by ransomware", FIRST, published,
                      orgs=[KV, "National Cyber Security Centre"],
                      systems=["electronic patient record"],
                      causes=[("ransomware", "asserted", "ransomware attack")],
                      incident_date=published)


def test_follow_up_joins_and_another_victim_does_not(store):
    first = save(store, "kv-1", kv_first())
    other = save(store, "fen-1", extraction(
        "Fenmoor community trust hit by ransomware", OTHER, "2023-11-15",
        orgs=[FEN, "National Cyber Security Centre"], systems=["electronic patient record"],
        causes=[("ransomware", "asserted", "ransomware attack")], incident_date="2023-11-15"))
    follow = save(store, "kv-2", extraction(
        "Kestrel Valley operations still postponed after ransomware attack", FOLLOW_UP,
        "2023-11-21", orgs=[KV], systems=["electronic patient record"],
        causes=[("ransomware", "asserted", "ransomware attack")]), source="local")
    assert incidents_of(store, first) == incidents_of(store, follow)
    assert incidents_of(store, other) != incidents_of(store, first)
    row = store.db.execute("select article_count, first_reported, last_reported, sources, "
                           "victims, primary_cause from incidents where id = ?",
                           incidents_of(store, first)).fetchone()
    assert row[:3] == (2, "2023-11-14", "2023-11-21")
    assert json.loads(row[3]) == ["trade", "local"]
    assert KV in json.loads(row[4]) and row[5] == "ransomware"
    timeline = [r[0] for r in store.db.execute(
        "select article_id from incident_timeline where incident_id = ?",
        incidents_of(store, first))]
    assert timeline == [first, follow]


def test_same_victim_years_apart_is_a_new_incident(store):
    first = save(store, "kv-1", kv_first("2019-03-05"))
    again = save(store, "kv-2", kv_first("2023-11-14"))
    assert incidents_of(store, first) != incidents_of(store, again)


def test_syndicated_copy_is_the_same_story(store):
    first = save(store, "kv-1", kv_first())
    copy = kv_first()
    copy.title = "Hospital trust diverts patients after cyber attack"
    copy.text = FIRST + " Patients should attend unless contacted."
    dup = save(store, "kv-copy", copy, source="wire")
    assert incidents_of(store, dup) == incidents_of(store, first)
    relation, original = store.db.execute(
        "select relation, duplicate_of from incident_articles where article_id = ?",
        [dup]).fetchone()
    assert (relation, original) == ("duplicate", first)
    counts = store.db.execute("select article_count, story_count from incidents where id = ?",
                              incidents_of(store, first)).fetchone()
    assert counts == (2, 1)


def test_round_up_article_joins_both_incidents(store):
    kv = save(store, "kv-1", kv_first())
    fen = save(store, "fen-1", extraction(
        "Fenmoor community trust hit by ransomware", OTHER, "2023-11-15",
        orgs=[FEN, "National Cyber Security Centre"], systems=["electronic patient record"],
        causes=[("ransomware", "asserted", "ransomware attack")], incident_date="2023-11-15"))
    text = (f"Our weekly round-up of NHS cyber news.\n\n{KV} is still diverting emergency "
            "patients after the ransomware attack on its electronic patient record servers, "
            "and planned operations remain postponed while staff work on paper.\n\n"
            f"At {FEN}, district nurses are still working from printed lists after ransomware "
            "encrypted the servers running its community nursing systems; essential visits "
            "continue.")
    roundup = save(store, "roundup", extraction(
        "NHS cyber round-up: two trusts hit", text, "2023-11-17", orgs=[KV, FEN],
        systems=["electronic patient record"],
        causes=[("ransomware", "asserted", "ransomware attack")]), source="wire")
    assert set(incidents_of(store, roundup)) == set(incidents_of(store, kv) +
                                                    incidents_of(store, fen))
    assert {r[0] for r in store.db.execute("select relation from incident_articles where "
                                           "article_id = ?", [roundup])} == {"roundup"}


def test_cause_history_primary_cause_and_ruled_out(store):
    text1 = f"{KV} says its systems are down. A cyber attack is suspected by staff."
    text2 = (f"{KV} says the outage was caused by a power failure in its data centre. "
             "It was not a cyber attack, the trust said.")
    a = save(store, "kv-1", extraction("Kestrel Valley systems down", text1, "2023-11-14",
                                       orgs=[KV], systems=["data centre"],
                                       causes=[("cyber_attack", "hedged",
                                                "A cyber attack is suspected by staff.")]))
    b = save(store, "kv-2", extraction(
        "Kestrel Valley outage was a power failure", text2, "2023-11-15", orgs=[KV],
        systems=["data centre"], status="restored",
        causes=[("power_failure", "asserted", "caused by a power failure"),
                ("cyber_attack", "negated", "It was not a cyber attack, the trust said.")]))
    [incident] = incidents_of(store, a)
    assert incidents_of(store, b) == [incident]
    history = list(store.db.execute(
        "select cause, state, previous_state, changed_on, article_id from incident_causes "
        "where incident_id = ? order by id", [incident]))
    assert history == [("cyber_attack", "suspected", None, "2023-11-14", a),
                       ("power_failure", "confirmed", None, "2023-11-15", b),
                       ("cyber_attack", "ruled_out", "suspected", "2023-11-15", b)]
    row = store.db.execute("select primary_cause, suspected_causes, ruled_out_causes, status, "
                           "settling from incidents where id = ?", [incident]).fetchone()
    assert row == ("power_failure", "[]", '["cyber_attack"]', "restored", 0)


def test_recent_incident_is_settling(store):
    today = date.today().isoformat()
    article = save(store, "kv-now", kv_first(today))
    assert store.db.execute("select settling from incidents where id = ?",
                            incidents_of(store, article)).fetchone()[0] == 1
    old = save(store, "kv-old", kv_first((date.today() - timedelta(days=400)).isoformat()))
    assert store.db.execute("select settling from incidents where id = ?",
                            incidents_of(store, old)).fetchone()[0] == 0


def test_supplier_failure_links_downstream_organisations(store):
    kch, gstt = "King's College Hospital NHS Foundation Trust", \
        "Guy's and St Thomas' NHS Foundation Trust"
    text = (f"A ransomware attack on Synnovis, the pathology supplier, has disrupted blood tests "
            f"at {kch} and {gstt}.\n\nSynnovis said its laboratory systems were encrypted.")
    save(store, "syn-1", extraction("Ransomware attack on Synnovis", text, "2024-06-04",
                                    orgs=["Synnovis", kch, gstt], systems=["pathology"],
                                    causes=[("ransomware", "asserted", "ransomware attack")]))
    rows = sorted(r[0] for r in store.db.execute(
        "select affected_organisation from supplier_impact where supplier = 'Synnovis'"))
    assert rows == sorted([kch, gstt])


def test_non_incident_article_gets_no_incident(store):
    article = save(store, "contract", extraction("Trust awards EPR contract", FIRST,
                                                 "2023-11-14", orgs=[KV], is_incident=False))
    assert incidents_of(store, article) == []
    assert store.counts()["incidents"] == 0


def test_merge_split_rename_are_kept_by_later_articles(store):
    first = save(store, "kv-1", kv_first("2019-03-05"))
    again = save(store, "kv-2", kv_first("2023-11-14"))
    [a], [b] = incidents_of(store, first), incidents_of(store, again)
    assert merge(store.db, a, [b]) == a
    assert incidents_of(store, again) == [a] and resolve(store.db, b) == a
    rename(store.db, b, "Kestrel Valley: two incidents, merged by an analyst")  # follows redirect
    later = save(store, "kv-3", kv_first("2023-11-20"))
    assert incidents_of(store, later) == [a]
    assert store.db.execute("select title, article_count from incidents where id = ?",
                            [a]).fetchone() == ("Kestrel Valley: two incidents, merged by an "
                                                "analyst", 3)
    new = split(store.db, a, [first])
    assert incidents_of(store, first) == [new] and incidents_of(store, again) == [a]
    assert {r[0] for r in store.db.execute("select action from incident_overrides")} == {
        "merge", "rename", "split"}
    with pytest.raises(OverrideError):
        split(store.db, a, [first])


def test_incidents_cli(store, tmp_path):
    first = save(store, "kv-1", kv_first("2019-03-05"))
    again = save(store, "kv-2", kv_first("2023-11-14"))
    [a], [b] = incidents_of(store, first), incidents_of(store, again)
    db = str(store.path)
    runner = CliRunner()
    result = runner.invoke(cli, ["incidents", "merge", str(a), str(b), "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["incidents", "rename", str(a), "Renamed", "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["incidents", "split", str(a), str(again), "--db", db])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["incidents", "show", str(a), "--db", db])
    assert result.exit_code == 0 and "Renamed" in result.output
    result = runner.invoke(cli, ["incidents", "merge", "999", str(a), "--db", db])
    assert result.exit_code != 0 and "no incident 999" in result.output


def test_existing_database_gains_the_incident_tables(tmp_path):
    path = tmp_path / "old.db"
    store = Store(path)
    with store.db.conn:
        for table in ("incident_causes", "incident_pins", "incident_overrides"):
            store.db.execute(f"drop table {table}")
        store.db.execute("delete from meta where key = 'incident_schema'")
    store.close()
    store = Store(path)
    assert {"incident_causes", "incident_pins", "incident_overrides"} <= set(
        store.db.table_names())
    store.close()
