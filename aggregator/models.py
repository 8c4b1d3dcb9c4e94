"""Plain dataclasses passed between the pipeline stages (fetch -> parse -> extract -> store)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

ROLES = ("victim", "supplier", "investigator", "official", "commentator")
CAUSE_STATUSES = ("asserted", "negated", "hedged", "historical")


@dataclass
class FeedItem:
    """One article link found in a feed or on a listing page."""

    url: str
    source_id: str
    title: str | None = None
    published: str | None = None  # ISO 8601
    summary: str | None = None  # plain text
    content_html: str | None = None  # full article body when the feed carries it
    guid: str | None = None


@dataclass
class Document:
    """An article's main text and metadata, ready for NLP."""

    url: str
    title: str | None
    text: str
    published: str | None = None  # ISO 8601 date or date-time
    html: str | None = None  # the raw page, kept for reprocessing
    canonical_url: str | None = None  # the page's own <link rel=canonical>
    extracted_by: str = "feed"  # which extractor produced the text


@dataclass
class Mention:
    """Where a value was found: the surface text, its character span and its sentence."""

    text: str
    start: int
    end: int
    sentence: str


@dataclass
class Organisation:
    name: str
    role: str
    kind: str | None = None
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class System:
    name: str
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Cause:
    category: str
    status: str
    evidence: str  # the sentence that states it
    cue: str  # the words that name the cause
    start: int
    end: int


@dataclass
class Location:
    name: str
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class Extraction:
    """Everything the extractor found in one article."""

    title: str | None
    published: str | None
    text: str
    is_incident: bool
    incident_score: float
    organisations: list[Organisation] = field(default_factory=list)
    systems: list[System] = field(default_factory=list)
    causes: list[Cause] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    incident_date: str | None = None
    incident_date_mention: Mention | None = None  # the expression it was resolved from
    service_status: str | None = None  # ongoing | restored
    scope: list[Mention] = field(default_factory=list)  # "at least half of GP services"
    extractor_version: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Extraction:
        """The inverse of ``dataclasses.asdict`` (used to stage reprocessing results)."""
        def mentions(items: list[dict[str, Any]]) -> list[Mention]:
            return [Mention(**m) for m in items]

        d = dict(data)
        d["organisations"] = [Organisation(name=o["name"], role=o["role"], kind=o.get("kind"),
                                           mentions=mentions(o["mentions"]))
                              for o in d.get("organisations", [])]
        d["systems"] = [System(name=s["name"], mentions=mentions(s["mentions"]))
                        for s in d.get("systems", [])]
        d["causes"] = [Cause(**c) for c in d.get("causes", [])]
        d["locations"] = [Location(name=loc["name"], mentions=mentions(loc["mentions"]))
                          for loc in d.get("locations", [])]
        d["scope"] = mentions(d.get("scope", []))
        if d.get("incident_date_mention"):
            d["incident_date_mention"] = Mention(**d["incident_date_mention"])
        return cls(**d)

    def to_json(self) -> dict[str, Any]:
        """The public JSON shape printed by ``aggregator extract --json``."""
        data = asdict(self)
        data["incident_score"] = round(self.incident_score, 3)
        data["causes"] = [
            {"category": c.category, "status": c.status, "evidence": c.evidence, "cue": c.cue,
             "start": c.start, "end": c.end}
            for c in self.causes
        ]
        data["locations"] = [{"name": loc.name, "mentions": [asdict(m) for m in loc.mentions]}
                             for loc in self.locations]
        return data
