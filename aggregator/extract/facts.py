"""Turn a processed spaCy ``Doc`` into an article-level :class:`Extraction`.

The components in :mod:`aggregator.extract.nlp` find and classify mentions; this module
decides the article-level answers: each organisation's role, which systems failed, one status
per cause category, relevance, the incident date and whether service is restored.
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from datetime import date
from functools import lru_cache

from spacy.tokens import Doc, Span, Token

from aggregator.extract.dates import month_years, parse_day, resolve_dates
from aggregator.extract.gazetteers import Gazetteers
from aggregator.extract.nlp import (
    GENERIC_SYSTEM,
    INVESTIGATOR_LEMMAS,
    PUNISHED_LEMMAS,
    SPEECH_LEMMAS,
    YEAR_WORD,
    first_conjunct,
    word_positions,
)
from aggregator.models import Cause, Extraction, Location, Mention, Organisation, System

VICTIM_KINDS = {"nhs_trust", "health_board", "icb", "council", "public_body", "company", None}
OFFICIAL_KINDS = {"government", "national_nhs_body"}
INVESTIGATOR_KINDS = {"investigator", "police", "regulator"}
COMMENTATOR_KINDS = {"union", "charity", "consultancy", "party"}
LEAD_VICTIM_KINDS = {"nhs_trust", "health_board", "council", "public_body", "police", "company",
                     "government", "icb", None}

# Relevance: a logistic score over a few interpretable features, with weights fitted on the
# labelled development set (data/relevance.yaml; refit with `aggregator eval --fit-relevance`).
RELEVANCE_FEATURES = ("active_causes", "negated_causes", "disruption_share", "systems",
                      "title_disruption", "not_incident", "title_not_incident",
                      "historical_share", "hypothetical_share", "recent_failure",
                      "named_victim", "old_failure_share", "rehearsal_words",
                      "advice_share", "incident_updates")
RECENT_DAYS = 14
OLD_DAYS = 60
INCIDENT_THRESHOLD = 0.5
MAX_INCIDENT_AGE_DAYS = 120  # older dates in a report are background, not this incident


def mention(span: Span) -> Mention:
    return Mention(text=span.text, start=span.start_char, end=span.end_char,
                   sentence=span.sent.text.strip())


def summarise(doc: Doc, *, title: str | None, published: str | None, gazetteers: Gazetteers,
              version: str) -> Extraction:
    """Article-level facts for one processed document."""
    published_date = parse_day(published)
    causes = _causes(doc, published_date, include_weak=True)
    score = incident_score(doc, title, causes, gazetteers, published_date)
    is_incident = score >= gazetteers.relevance.get("threshold", INCIDENT_THRESHOLD)
    if not is_incident:
        causes = _background_causes(_causes(doc, published_date, include_weak=False,
                                            skip=_imagined(gazetteers)))
    systems = _systems(doc, title, published_date, score, gazetteers) if is_incident else []
    incident_date, date_mention = (_incident_date(doc, published_date, gazetteers)
                                   if is_incident and published_date else (None, None))
    return Extraction(
        title=title,
        published=published,
        text=doc.text,
        is_incident=is_incident,
        incident_score=score,
        organisations=_organisations(doc, is_incident, _malicious(causes)),
        systems=systems,
        causes=causes,
        locations=_locations(doc),
        incident_date=incident_date.isoformat() if incident_date else None,
        incident_date_mention=date_mention,
        service_status=_service_status(doc, gazetteers) if is_incident else None,
        scope=_scope(doc, gazetteers) if is_incident else [],
        extractor_version=version,
    )


# --------------------------------------------------------------------------- organisations

def decide_role(kind: str | None, role_hint: str | None, cues: set[str], is_incident: bool,
                malicious: bool = True) -> str:
    """One role per organisation per article, from its kind, its gazetteer hint and the cues
    its mentions' syntax gave (see docs/EXTRACTION.md for the order)."""
    if kind == "supplier" or role_hint == "supplier":
        return "supplier"
    if kind in INVESTIGATOR_KINDS or role_hint == "investigator":
        # a police force can be the victim; a regulator or the NCSC hardly ever is (an
        # article that says "the breach was reported to the ICO" is not about the ICO's breach)
        # with no crime to investigate, a police force in an incident report was affected
        victim = "victim" in cues or (is_incident and kind == "police" and (
            "lead" in cues or (not malicious and "investigator" not in cues)))
        return "victim" if victim and kind == "police" else "investigator"
    if "supplier" in cues and kind in (None, "company"):
        return "supplier"  # "Kerbside Digital, which runs the permit system" was attacked too:
        # the company whose platform failed its customers supplies them (as Synnovis does)
    if "victim" in cues or (is_incident and "lead" in cues and kind in LEAD_VICTIM_KINDS):
        return "victim"
    if is_incident and "own_failure" in cues and kind in (None, "company", "public_body"):
        return "victim"  # "Tesco said some of its online orders had been affected"
    if kind == "national_nhs_body" and "national_system" in cues:
        return "supplier"  # NHS England running NHSmail, the Spine, e-RS, NHS login ...
    if ("supplier" in cues and kind not in COMMENTATOR_KINDS) or (
            "our_supplier" in cues and kind not in ("union", "charity", "party")):
        return "supplier"  # "run by NHS England", "our supplier, X", "X, which supplies ..."
    if "supplier_near" in cues and kind in (None, "company"):
        return "supplier"
    if kind in COMMENTATOR_KINDS or role_hint == "commentator" or (
            "affiliation" in cues and "victim" not in cues and "lead" not in cues):
        return "commentator"
    if kind in OFFICIAL_KINDS or role_hint == "official":
        return "official"
    if "investigator" in cues and kind is None:
        return "investigator"
    if is_incident and kind in VICTIM_KINDS - {None, "company", "icb"}:
        return "victim"  # an ICB commissions the failed services; it speaks as an official
    if is_incident and kind in (None, "company") and "speaker" not in cues \
            and "affiliation" not in cues:
        return "victim"  # a company named in an incident report, not quoted, was affected
    if kind in {"nhs_trust", "health_board", "icb", "council", "public_body"}:
        return "official"
    return "commentator"


# systems a national NHS body runs for everyone (it is their supplier when they fail)
NATIONAL_SYSTEMS = {"NHSmail", "NHS Spine", "e-Referral Service", "NHS App", "login and identity",
                    "e-prescribing"}
MALICIOUS_CAUSES = {"cyber_attack", "ransomware", "ddos", "data_breach"}


def _malicious(causes: list[Cause]) -> bool:
    """Whether the article asserts or suspects an attack or a breach."""
    return any(c.category in MALICIOUS_CAUSES and c.status in ("asserted", "hedged")
               for c in causes)


def _organisations(doc: Doc, is_incident: bool, malicious: bool = True) -> list[Organisation]:
    grouped: OrderedDict[str, list[Span]] = OrderedDict()
    for span in doc.spans.get("organisations", []):
        grouped.setdefault(span.label_, []).append(span)
    result = []
    lead = _lead_organisation(doc, grouped)
    disrupted_tokens = {t.i for s in doc.spans.get("systems", []) if s._.disrupted for t in s}
    # a national system that failed (not one merely named: "the national EPS was working
    # normally throughout") makes the national body that runs it a supplier
    national = any(s.label_ in NATIONAL_SYSTEMS and s._.disrupted
                   for s in doc.spans.get("systems", []))
    cause_tokens = {i for s in doc.spans.get("causes", [])
                    if s._.status in ("asserted", "historical") for i in range(s.start, s.end)}
    for name, spans in grouped.items():
        cues = {c for s in spans for c in (s._.role_cues or [])}
        if national:
            cues.add("national_system")
        if name == lead:
            cues.add("lead")
        if is_incident and any(_owns(s, disrupted_tokens) for s in spans):
            cues.add("victim")  # "HMRC's website", "the Home Office e-gates" failed
        if any(_met_a_cause(s, cause_tokens) for s in spans):
            cues.add("victim")  # "Northern switched off its machines after ransomware"
        kind, hint = spans[0]._.kind, spans[0]._.role_hint
        role = decide_role(kind, hint, cues, is_incident, malicious)
        result.append(Organisation(name=name, role=role,
                                   kind=kind, mentions=[mention(s) for s in spans]))
    return result


def _owns(span: Span, disrupted: set[int]) -> bool:
    """The organisation is the possessor or a modifier of a failed system's noun phrase."""
    root = span.root
    return root.dep_ in ("poss", "compound") and root.head.i in disrupted


# what a body does with a cause that says nothing of whose failure it was
NOT_SUFFERING_LEMMAS = SPEECH_LEMMAS | INVESTIGATOR_LEMMAS | PUNISHED_LEMMAS | {
    "help", "support", "work", "publish", "issue", "blame", "attribute", "believe", "suspect",
    "find", "conclude", "detect", "identify", "trace", "reverse", "fix", "resolve", "remove",
    "withdraw", "patch", "release", "roll", "give"}
MOVE_WORDS = {"move", "migration", "switch", "transfer", "upgrade", "changeover"}
DISCLOSING_LEMMAS = {"disclose", "admit", "reveal", "announce"}
# clauses that tie a cause to what the subject did: "after ransomware took out its screens"
CAUSE_MARKERS = {"after", "following", "because", "amid", "when"}
NESTED_CLAUSES = {"relcl", "acl", "xcomp", "advcl", "ccomp", "pcomp"}


def _met_a_cause(span: Span, cause_tokens: set[int]) -> bool:
    """'When TfL disclosed a cyber attack', 'Northern had to switch off its ticket machines
    after a suspected ransomware attack': the subject of a verb whose object, or whose clause
    of cause ("after ...", "because ..."), holds a cause that the text asserts is the body the
    cause struck, unless the verb reports, investigates, punishes or fixes."""
    root = first_conjunct(span.root)
    verb = root.head
    if root.dep_ == "poss" and verb.i in cause_tokens and verb.lemma_.lower() in MOVE_WORDS:
        return True  # "TSB's move to a new banking platform"
    if root.dep_ != "nsubj" or verb.pos_ not in ("VERB", "AUX") \
            or verb.lemma_.lower() in NOT_SUFFERING_LEMMAS:
        return False
    if verb.i in cause_tokens:
        return True  # "the council switched its finance system to a new platform"
    for child in verb.children:
        tied = child.dep_ in ("dobj", "prep") and (child.dep_ == "dobj"
                                                  or child.lower_ in CAUSE_MARKERS) or (
            child.dep_ == "ccomp" and verb.lemma_.lower() in DISCLOSING_LEMMAS) or (
            child.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CAUSE_MARKERS
                                          for m in child.children))
        if tied and any(t.i in cause_tokens and _in_the_same_clause(t, child)
                        and not _names_its_target(t) for t in child.subtree):
            return True
    return False


def _names_its_target(token: Token) -> bool:
    """'after the ransomware attack on Synnovis': the cause names whom it struck ('an attack
    on its headquarters' names the subject itself)."""
    while token.dep_ in ("compound", "amod") and token.head.i > token.i:
        token = token.head  # "ransomware" in "ransomware attack on X"
    return any(c.dep_ == "prep" and c.lower_ in ("on", "against")
               and not any(g.dep_ == "poss" for p in c.children for g in p.children)
               for c in token.children)


def _in_the_same_clause(token: Token, top: Token) -> bool:
    """No clause of its own lies between ``token`` and ``top`` ('a contract for services
    designed to survive a ransomware attack' puts the attack in a clause of its own)."""
    while token.i != top.i:
        if token.dep_ in NESTED_CLAUSES:
            return False
        token = token.head
    return True


def _lead_organisation(doc: Doc, grouped: dict[str, list[Span]]) -> str | None:
    """The organisation the article is about: the first one named in its first two sentences
    as a subject or object (not as the source of a quote), or heading the text."""
    sentences = list(doc.sents)[:2]
    if not sentences:
        return None
    limit = sentences[-1].end
    opening = next((t.i for t in sentences[0] if not t.is_space), 0)
    for name, spans in grouped.items():
        first = spans[0]
        heading = first.start == opening  # "X - Website and online services status"
        if first.start < limit and (heading or first.root.dep_ in (
                "nsubj", "nsubjpass", "dobj", "pobj", "poss", "compound", "appos")):
            if "speaker" in (first._.role_cues or []) and first.root.dep_ == "nsubj":
                continue
            return name
    return None


# --------------------------------------------------------------------------- systems, causes

# generic systems said to fail in this many sentences are an item of their own, beside the
# named systems ("its computer systems", "school computers", "the trust's servers")
GENERIC_SENTENCES = 4
LATE_SENTENCE = 10  # a system first named this many sentences in is named late
FAILURE_LEMMAS = {"fail", "failure", "crash", "outage", "down", "offline", "unavailable",
                  "disrupt", "disruption", "affect", "hit", "lose", "loss", "restore", "access",
                  "stop", "encrypt", "shut", "freeze", "break", "go"}


def _systems(doc: Doc, title: str | None, published: date | None, score: float,
             gazetteers: Gazetteers) -> list[System]:
    """The systems that failed: each candidate system the text names is kept when its fitted
    selection score (data/system_selection.yaml, over :func:`system_features`) says so."""
    candidates, chosen = system_candidates(doc, published)
    selection = gazetteers.system_selection
    kept = [name for name in candidates if _logistic(selection["weights"], system_features(
        doc, title, name, candidates, chosen, score)) >= selection["threshold"]]
    if "NHSmail" in kept:
        kept = [name for name in kept if name != "email"]  # NHSmail is the email that failed
    return [System(name=name, mentions=[mention(s) for s in (
        [s for s in candidates[name] if s._.disrupted] or candidates[name])])
        for name in kept]


SYSTEM_FEATURES = ("rule", "disrupted_mentions", "mentions", "disrupted_share", "in_title",
                   "first_position", "generic", "incident_score", "other_systems",
                   "tied_mentions", "in_lead")


def system_candidates(doc: Doc, published: date | None = None
                      ) -> tuple[OrderedDict[str, list[Span]], set[str]]:
    """Every system the text names, with its mentions, and the names the hand rule keeps: those
    named in sentences that say something failed. The generic "IT systems" only when nothing
    more specific was named."""
    candidates: OrderedDict[str, list[Span]] = OrderedDict()
    grouped: OrderedDict[str, list[Span]] = OrderedDict()
    cause_tokens = {i for c in doc.spans.get("causes", []) for i in range(c.start, c.end)}
    general_practice = _about_general_practice(doc)
    for span in doc.spans.get("systems", []):
        name = span.label_
        if span.text.lower() in BARE_RECORDS:
            if _fate_of_data(span):
                continue  # "no patient records were lost": the data, not the system
            if general_practice:
                name = GP_SYSTEM  # "practices could not open patient records"
        candidates.setdefault(name, []).append(span)
        if span._.disrupted and not _where_the_cause_was(span, cause_tokens) \
                and not (published and _dated_earlier(span.sent, published)):
            grouped.setdefault(name, []).append(span)
    if "NHSmail" in grouped:
        grouped.pop("email", None)  # NHSmail is the email that failed
    if general_practice:  # "the clinical system" of an article about GP surgeries
        for group in (candidates, grouped):
            clinical = [s for s in group.get(GENERIC_SYSTEM, []) if s.root.lemma_ == "system"
                        and any(t.lower_ == "clinical" for t in s)]
            if clinical:
                group.setdefault(GP_SYSTEM, []).extend(clinical)
                group[GENERIC_SYSTEM] = [s for s in group[GENERIC_SYSTEM] if s not in clinical]
                if not group[GENERIC_SYSTEM]:
                    group.pop(GENERIC_SYSTEM)
    generic = grouped.get(GENERIC_SYSTEM, [])
    if len(grouped) > 1 and not any(_listed_with_others(s) for s in generic) \
            and len({s.sent.start for s in generic}) < GENERIC_SENTENCES:
        grouped.pop(GENERIC_SYSTEM, None)
    return candidates, set(grouped)


def system_features(doc: Doc, title: str | None, name: str,
                    candidates: dict[str, list[Span]], chosen: set[str],
                    score: float) -> dict[str, float]:
    """What the selection score weighs for one candidate system: the hand rule's answer, how
    often and how early the text names it, whether failure words govern it, and how sure the
    article is about an incident."""
    spans = candidates[name]
    disrupted = sum(s._.disrupted for s in spans)
    first = min(_sentence_number(s) for s in spans)
    title_text = (title or "").lower()
    return {
        "rule": float(name in chosen),
        "disrupted_mentions": min(3, disrupted),
        "mentions": min(5, len(spans)),
        "disrupted_share": disrupted / len(spans),
        "in_title": float(any(s.text.lower() in title_text for s in spans)),
        "first_position": min(LATE_SENTENCE, first) / LATE_SENTENCE,
        "generic": float(name == GENERIC_SYSTEM),
        "incident_score": score,
        "other_systems": min(4, sum(1 for group in candidates.values()
                                    if any(s._.disrupted for s in group))),
        "tied_mentions": min(3, sum(_governed_by_failure(s) for s in spans)),
        "in_lead": float(first < 3),
    }


def _sentence_number(span: Span) -> int:
    """How many sentences come before the span's sentence."""
    start = span.sent.start
    return sum(1 for token in span.doc[:start] if token.is_sent_start)


def _governed_by_failure(span: Span) -> bool:
    """'the website crashed', 'an outage of the phone system': a failure word governs it."""
    root = span.root
    if root.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj"):
        return False
    return any(a.lemma_.lower() in FAILURE_LEMMAS for a in list(root.ancestors)[:2])


def _logistic(weights: dict[str, float], features: dict[str, float]) -> float:
    z = weights["bias"] + sum(weights[k] * v for k, v in features.items())
    return 1 / (1 + math.exp(-z))


GP_SYSTEM = "GP clinical system"
# records named without a word of systems: the record system where they could not be
# opened ("without access to patient records"); the GP system in an article about practices
BARE_RECORDS = frozenset({"patient records", "patient record", "care records", "care record",
                          "digital care records", "digital care record", "client records",
                          "electronic notes"})
DATA_FATES = frozenset({"lose", "access", "alter", "see", "steal", "copy", "delete", "expose",
                        "compromise", "share", "send", "publish", "view", "match"})
GP_WORDS = frozenset({"gp", "gps", "practice", "practices", "surgery", "surgeries"})
GP_ARTICLE_WORDS = 5  # this many mentions make an article one about general practice


def _fate_of_data(span: Span) -> bool:
    """'no patient records were lost', 'care records were accessed': what happened to the
    records as data (lost, seen, altered), not a system that stopped."""
    root = span.root
    while root.dep_ == "conj" and root.head.pos_ in ("NOUN", "PROPN"):
        root = root.head  # "no images or patient records"
    verb = root.head
    if root.dep_ == "pobj" and verb.dep_ == "prep":
        verb = verb.head
    return root.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") \
        and verb.lemma_.lower() in DATA_FATES


def _about_general_practice(doc: Doc) -> bool:
    """An article that names GPs, practices or surgeries at least GP_ARTICLE_WORDS times."""
    return len(word_positions(doc, GP_WORDS)) >= GP_ARTICLE_WORDS


# "four times the level seen last year": a year that a comparison names, not a date
COMPARED_YEAR = re.compile(r"\b(last|previous|the past) year\b", re.I)


# periods that date a sentence to the days around publication without naming a day
RECENT_PERIODS = re.compile(r"\b(?:(?:earlier |later )?this (?:week|weekend|morning|afternoon|"
                            r"evening)|over the weekend|at the weekend|last (?:week|weekend)|"
                            r"tonight|overnight)\b", re.IGNORECASE)


def _ages(text: str, published: date) -> list[int]:
    """Days before publication of every date a sentence names, exact ("on Monday",
    "19 January"), coarse ("in May 2024", "in 2017", "last year") or recent ("this week",
    "over the weekend", counted as a week at most)."""
    return _day_ages(text, published) + [(published - day).days
                                         for day in month_years(text, published)]


def _day_ages(text: str, published: date) -> list[int]:
    """Days before publication of the days a sentence names or the recent periods it names."""
    return [(published - day).days for day, _, _ in resolve_dates(text, published)] + [
        7 if m.group(0).lower().startswith("last") else 0 for m in RECENT_PERIODS.finditer(text)]


def _dated_earlier(sent: Span, published: date) -> bool:
    """'In 2021 a faulty switch took it offline', 'In June 2024 Synnovis was disabled': a
    sentence whose only dates lie more than OLD_DAYS before publication tells an earlier event."""
    ages = _ages(sent.text, published)
    return bool(ages) and min(ages) > OLD_DAYS


def _where_the_cause_was(span: Span, cause_tokens: set[int]) -> bool:
    """'a faulty router in its core network', 'a failed storage array in the data centre':
    the system is where the cause sat, named to place it, not a service users lost."""
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" \
            and root.head.head.lemma_.lower() in ("one", "some", "any", "each"):
        root = root.head.head  # "a problem at one of the data centres that host the service"
    preposition = root.head
    if root.dep_ != "pobj" or preposition.lower_ not in ("in", "at", "within", "inside"):
        return False
    return preposition.head.i in cause_tokens


def _listed_with_others(span: Span) -> bool:
    """'phone lines and computers were lost', 'its email and internal systems': generic systems
    listed beside named ones are a separate item, not a vaguer name for them."""
    others = [s for s in span.doc.spans.get("systems", [])
              if s.label_ != GENERIC_SYSTEM and s.sent.start == span.sent.start]
    root = span.root
    if root.dep_ == "pobj" and root.head.lower_ == "of" and root.head.head.pos_ in ("ADJ",
                                                                                 "NOUN", "PRON"):
        root = root.head.head  # "the website, phones and most of its computer systems"
    linked = {root.head, *root.conjuncts} if root.dep_ == "conj" else {*root.conjuncts}
    return any(o.root in linked for o in others)


def _background_causes(causes: list[Cause]) -> list[Cause]:
    """In an article that is not about an incident, causes are background: earlier events."""
    for cause in causes:
        if cause.status in ("asserted", "hedged"):
            cause.status = "historical"
    return causes


def _imagined(gazetteers: Gazetteers):
    """In an article about no incident, a cause in a sentence that imagines or plans ("an
    exercise in which criminals encrypt ...", "the upgrade will ...") is no past event;
    one that names a year, an earlier event or a past date ("last November") is."""
    markers = set(gazetteers.cues["hypothetical"]) | set(gazetteers.cues["prospective"])

    def skip(span: Span) -> bool:
        return (span._.status != "historical" and not span._.years
                and _imagines(span, markers)
                and not PAST_TIME.search(span.sent.text)) or _threats_in_general(span)
    return skip


def _threats_in_general(span: Span) -> bool:
    """'defend themselves against cyber attacks', 'questions about hackers', 'trained to
    recognise phishing messages': attackers or attacks in the plural with no date or event,
    in a piece about no incident, are talk about threats, not an earlier attack."""
    root = span.root
    if span.label_ != "cyber_attack" or span._.years or root.tag_ not in ("NNS", "NNPS"):
        return False
    return not any((t.dep_ == "det" and t.lower_ in ("the", "these", "those"))
                   or (t.dep_ == "prep" and t.lower_ in ("on", "against"))  # "attacks on M&S"
                   for t in root.children) \
        and not PAST_TIME.search(span.sent.text) and not YEAR.search(span.sent.text)


YEAR = re.compile(rf"\b{YEAR_WORD}\b")
# "last November", "three months ago", "earlier this year": a time named as past
PAST_TIME = re.compile(
    r"\b(last|previous|past) (january|february|march|april|may|june|july|august|september|"
    r"october|november|december|spring|summer|autumn|winter|year|month|week)\b"
    r"|\b(\w+ )?(years|months|weeks) ago\b|\bearlier this (year|month)\b", re.I)


def _causes(doc: Doc, published: date | None, include_weak: bool = True,
            skip=None) -> list[Cause]:
    """One cause per category: the status of its first claim about this incident. A historical
    mention gives way to a later claim about this incident, and speculation to a later
    ruling-out."""
    chosen: OrderedDict[str, tuple[str, Span]] = OrderedDict()
    for span in doc.spans.get("causes", []):
        if (span._.weak and not include_weak and not _a_known_breach(span)
                and span.label_ not in TOLD_FAULTS) or (
                skip is not None and skip(span)):
            continue
        status = span._.status
        if status == "historical" and published and span._.years and \
                all(y >= published.year for y in span._.years):
            status = "asserted"  # "WannaCry in 2017" in a 2017 article is this incident
        elif status in ("asserted", "hedged") and published and (
                (span._.years and all(y < published.year for y in span._.years))
                or (_dated_earlier(span.sent, published)
                    and not COMPARED_YEAR.search(span.sent.text))):
            status = "historical"  # "In July 2024, an air-conditioning fault ..."
        current = chosen.get(span.label_)
        if current is None or (current[0] == "historical" and status != "historical") or (
                current[0] == "hedged" and status == "negated"):
            chosen[span.label_] = (status, span)  # speculation, then ruled out: ruled out
    if any(c != "unknown" and s in ("asserted", "hedged") for c, (s, _) in chosen.items()):
        chosen.pop("unknown", None)  # "under investigation" beside a named cause
    return [Cause(category=category, status=status, evidence=span.sent.text.strip(),
                  cue=span.text, start=span.start_char, end=span.end_char)
            for category, (status, span) in chosen.items()]


# weak cues that still count in a piece that is not about an incident: a physical fault or a
# slip is only a cause with a failure word beside it ("the failure of cooling equipment at a
# London hospital"), so it tells an earlier event; a weak "attack" or "update" there is
# usually talk about threats and plans (on 990 articles: +19 right, +6 wrong for these five;
# +7 right, +15 wrong for the rest)
TOLD_FAULTS = frozenset({"hardware_failure", "data_centre_failure", "cooling_failure",
                         "power_failure", "human_error"})


def _a_known_breach(span: Span) -> bool:
    """'The trust reported the breach to the ICO': a breach the article refers back to is
    one that happened, even in a piece about the fine that followed it."""
    return span.label_ == "data_breach" and span.text.lower() == "breach" \
        and span.start > 0 and span.doc[span.start - 1].lower_ in ("the", "this", "that")


# --------------------------------------------------------------------------- relevance

def relevance_features(doc: Doc, title: str | None, causes: list[Cause],
                       gazetteers: Gazetteers, published: date | None = None
                       ) -> dict[str, float]:
    cues = gazetteers.cues
    disruption_lemmas = set(cues["disruption"]["lemmas"])
    disruption_phrases = cues["disruption"]["phrases"]
    sentences = list(doc.sents) or [doc[:]]
    failing = [s for s in sentences if any(t.lemma_ in disruption_lemmas for t in s)]
    disrupted = len(failing)
    ignored = re.compile("|".join(rf"\b{re.escape(p)}" for p in cues["not_incident"]["ignore"]))
    title_text = ignored.sub(" ", (title or "").lower())
    lead = ignored.sub(" ", _without_names(doc, sentences[:3]).lower())
    not_incident = cues["not_incident"]["phrases"]
    title_stems = cues["not_incident_title"]["stems"]
    mentions = doc.spans.get("causes", [])
    historical = sum(1 for s in mentions if s._.status == "historical")
    hypothetical = set(cues["hypothetical"])
    advice = set(cues["advice"])
    return {
        "active_causes": min(3, sum(c.status in ("asserted", "hedged") for c in causes)),
        "negated_causes": min(2, sum(c.status == "negated" for c in causes)),
        "disruption_share": disrupted / len(sentences),
        "systems": min(3, len({s.label_ for s in doc.spans.get("systems", [])
                               if s._.disrupted})),
        "title_disruption": float(_has_any(title_text, disruption_phrases) or any(
            re.search(rf"\b{re.escape(w)}", title_text) for w in
            ("outage", "attack", "down", "offline", "disrupt", "fail", "hit", "breach",
             "ransomware", "crash", "glitch", "incident", "hack"))),
        "not_incident": min(3, _count_any(lead, not_incident)),
        "title_not_incident": float(any(re.search(rf"(?<!\w){stem}", title_text)
                                        for stem in title_stems)),
        "historical_share": historical / len(mentions) if mentions else 0.0,
        "hypothetical_share": (sum(1 for s in mentions if _hypothetical(s.sent, hypothetical))
                               / len(mentions)) if mentions else 0.0,
        "recent_failure": float(published is not None and _recent_failure(failing, published)),
        # a status page's "Investigating - ..." / "Resolved - ..." updates
        "incident_updates": float(any(_header_parts(m)[0] in INCIDENT_UPDATES
                                      for m in STATUS_HEADER.finditer(doc.text))),
        "rehearsal_words": min(3, _count_lemmas(doc, set(cues["rehearsal"]))),
        "advice_share": (sum(1 for s in sentences if any(
            t.lemma_.lower() in advice for t in s)) / len(sentences)),
        "old_failure_share": (_old_failure_share(failing, published)
                              if published is not None else 0.0),
        # "X was hit by", "an outage at X", "X's systems": someone in particular was affected
        "named_victim": float(any("victim" in (s._.role_cues or [])
                                  for s in doc.spans.get("organisations", []))),
    }


def _without_names(doc: Doc, sentences: list[Span]) -> str:
    """The sentences' text with the organisations' names blanked: "Ousemere Partnership NHS
    Foundation Trust" names no partnership, "the Strategy Unit" no strategy."""
    names = {i for span in doc.spans.get("organisations", []) for i in range(span.start,
                                                                                 span.end)}
    return " ".join("".join(" " * len(t.text_with_ws) if t.i in names else t.text_with_ws
                            for t in sent) for sent in sentences)


def _count_lemmas(doc: Doc, lemmas: set[str]) -> int:
    """How many words are one of ``lemmas`` (by lemma or lower-case form)."""
    return len(word_positions(doc, frozenset(lemmas)))


def _hypothetical(sent: Span, markers: set[str]) -> bool:
    """'how hospitals would cope if criminals encrypted ...', 'a fictional scenario': the
    sentence imagines the event rather than reports it."""
    return any(t.lower_ in markers or t.lemma_.lower() in markers for t in sent)


# words that make a whole sentence imagined, wherever they sit in it
SCENE_WORDS = {"scenario", "scenarios", "simulated", "simulate", "simulation", "fictional",
               "fictitious", "hypothetical", "imagined", "imagine", "rehearse", "rehearsed",
               "exercise", "facilitator", "inject"}  # an exercise's staff "injected" events


def _imagines(span: Span, markers: set[str]) -> bool:
    """A cause the sentence imagines or plans: any scene word in the sentence ("in the
    exercise, criminals encrypted ..."), or a modal, condition or plan that governs the cause
    itself ("attackers could steal data", "the risk of a breach", "if the upgrade fails"),
    not one in another clause ("records were copied, and 230 people faced a risk of harm")."""
    if any(t.lower_ in SCENE_WORDS or t.lemma_.lower() in SCENE_WORDS for t in span.sent):
        return True
    governing = {span.root, *span.root.ancestors}
    return any((t.lower_ in markers or t.lemma_.lower() in markers)
               and (t in span or t in governing or t.head in governing)
               for t in span.sent)


def _recent_failure(failing: list[Span], published: date) -> bool:
    """A sentence that reports a failure and dates it within RECENT_DAYS of publication
    ("yesterday", "on Monday", "at 3am"): what news of an incident nearly always has and
    reports, strategies and opinion pieces rarely do."""
    return any(0 <= age <= RECENT_DAYS for sent in failing
               for age in _day_ages(sent.text, published))


def _old_failure_share(failing: list[Span], published: date) -> float:
    """Of the failure sentences that are dated, the share dated more than OLD_DAYS before
    publication ("in May 2024", "in 2017", "last year"): reports, inquiries, fines and
    opinion pieces look back on failures; news of an incident dates it to the last days."""
    old = dated = 0
    for sent in failing:
        ages = _ages(sent.text, published)
        if not ages:
            continue
        dated += 1
        old += min(ages) > OLD_DAYS
    return old / dated if dated else 0.0


def features_for(doc: Doc, title: str | None, published: str | None,
                 gazetteers: Gazetteers) -> dict[str, float]:
    """The relevance features exactly as :func:`summarise` computes them."""
    causes = _causes(doc, parse_day(published), include_weak=True)
    return relevance_features(doc, title, causes, gazetteers, parse_day(published))


def incident_score(doc: Doc, title: str | None, causes: list[Cause],
                   gazetteers: Gazetteers, published: date | None = None) -> float:
    features = relevance_features(doc, title, causes, gazetteers, published)
    return _logistic(gazetteers.relevance["weights"], features)


@lru_cache(maxsize=64)
def _phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """One compiled alternation for a phrase list (longest first), matched on word bounds."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)")


def _positions(text: str, phrases: list[str]) -> list[tuple[int, str]]:
    return [(m.start(), m.group(0)) for m in _phrase_regex(tuple(phrases)).finditer(text)]


def _has_any(text: str, phrases: list[str]) -> bool:
    return _phrase_regex(tuple(phrases)).search(text) is not None


def _count_any(text: str, phrases: list[str]) -> int:
    """How many different phrases of the list occur in the text."""
    return len({found for _, found in _positions(text, phrases)})


# --------------------------------------------------------------------------- dates, status

def _incident_date(doc: Doc, published: date,
                   gazetteers: Gazetteers) -> tuple[date | None, Mention | None]:
    """The earliest date named in a sentence about the failure (follow-up reports name the
    original day as well as later ones), else the first date in the article; with the
    expression it was resolved from."""
    headers = _status_headers(doc, published)
    disruption = set(gazetteers.cues["disruption"]["lemmas"])
    historical = [*gazetteers.cues["historical"]["phrases"],
                  *gazetteers.cues["historical"]["leading"]]
    candidates: list[tuple[date, Mention]] = []
    tied: list[tuple[date, Mention]] = []
    fallback: tuple[date, Mention] | None = None
    whole = doc.text  # built anew by every access: once per article
    for sent in doc.sents:
        text = sent.text
        dates = resolve_dates(text, published)
        if not dates or _has_any(text.lower(), historical):
            continue
        found = [(day, Mention(text=text[start:end], start=sent.start_char + start,
                               end=sent.start_char + end, sentence=text.strip()))
                 for day, start, end in dates]
        found = [pair for pair in found
                 if not _dates_something_else(doc, pair[1], disruption, whole)]
        if not found:
            continue
        if any(t.lemma_ in disruption for t in sent):
            recent = [pair for pair in found
                      if (published - pair[0]).days <= MAX_INCIDENT_AGE_DAYS]
            candidates.extend(recent)
            tied.extend(pair for pair in recent
                        if _dates_a_failure(doc, pair[1], disruption))
        if fallback is None:
            fallback = found[0]
    if headers or tied:
        return min(headers + tied, key=lambda pair: pair[0])
    if candidates:
        return min(candidates, key=lambda pair: pair[0])
    return fallback if fallback else (None, None)


ONSET_VERBS = {"begin", "start", "occur", "happen", "strike", "emerge", "appear", "declare"}
# "detected unusual activity late on Tuesday night": the failure had begun by then
DETECTION_VERBS = {"detect", "discover", "spot", "notice"}
RECOVERY_LEMMAS = {"restore", "recover", "recovery", "resume", "reopen", "return", "fix"}


# verbs whose date is the day of a report, not of the failure ("disclosed it on Tuesday")
DATE_REPORTING_VERBS = {"say", "tell", "disclose", "announce", "confirm", "reveal", "admit",
                        "publish", "consider", "brief", "inform", "write", "state", "report",
                        "notify", "acknowledge", "comment", "explain"}
BEING_TOLD = {"tell", "inform", "notify", "warn", "alert"}
REPORTING_NOUNS = {"statement", "announcement", "briefing", "meeting", "update", "bulletin",
                   "report", "letter"}
FUTURE_AUX = {"will", "shall", "'ll", "’ll"}
RECOVERY_DEEDS = RECOVERY_LEMMAS | {"replace", "rebuild", "reconcile", "clear", "stable",
                                    "normally", "reset", "reconnect", "reinstate", "back",
                                    "repair", "patch", "workaround"}


def _dates_something_else(doc: Doc, mention: Mention, disruption: set[str],
                          text: str) -> bool:
    """A date that is not when the failure began: the day it was reported ("the council
    disclosed the attack on Tuesday", "in a statement on Monday"), the day things were put
    right ("the module was replaced on Monday", "stable since Wednesday", "by Monday
    evening", "until at least Friday"), or a dateline
    ("Board of Directors, 2 October 2025": a short line with no verb). Being told is not
    reporting: "on Tuesday our supplier told us that it had detected an attack" is when the
    failure reached us."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    line_start = text.rfind("\n", 0, mention.start) + 1
    line_end = text.find("\n", mention.end)
    line_end = line_end if line_end >= 0 else len(text)
    line = doc.char_span(line_start, line_end, alignment_mode="expand")
    if line is not None and len(line) <= 16 and not any(
            t.pos_ in ("VERB", "AUX") and t.dep_ != "amod" for t in line if t not in span):
        return True
    if _ends_something(doc, span):
        return True
    for token in [span.root, *span.root.ancestors]:
        if not line_start <= token.idx < line_end:
            break  # a heading parsed into the paragraph below it
        lemma = token.lemma_.lower()
        if token.pos_ == "NOUN" and token not in span:
            if lemma in disruption:
                return False  # "the unplanned loss of the system on Sunday 2 March"
            if lemma in REPORTING_NOUNS:
                return True
        if any(c.lemma_.lower() in RECOVERY_DEEDS for c in token.children
               if c.dep_ in ("advmod", "acomp")) and token not in span:
            return True
        if token.pos_ == "ADV" and lemma in RECOVERY_DEEDS and token not in span:
            return True  # "the last four sites back on Wednesday morning"
        if token.pos_ in ("VERB", "AUX", "ADJ") and token not in span:
            if any(c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in token.children):
                return True  # "a further update will be issued on Thursday": a plan
            if lemma in BEING_TOLD and _told_us(token):
                return False
            return lemma in DATE_REPORTING_VERBS or lemma in RECOVERY_DEEDS \
                or _done_to(token, RECOVERY_DEEDS) \
                or _done_to(token, REPORTING_NOUNS, by_subject=False)
    return False


def _done_to(verb: Token, nouns: set[str], by_subject: bool = True) -> bool:
    """'a fix, which was installed on 2 May', 'the patch was applied', 'a letter sent to
    patients on Wednesday': the noun the verb describes (or, ``by_subject``, the verb's
    subject) is one of ``nouns``."""
    if verb.dep_ in ("relcl", "acl") and verb.head.lemma_.lower() in nouns:
        return True
    return by_subject and any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in nouns
                              for c in verb.children)


UNTIL_FILLERS = {"at", "least", "on", "the", "late", "early", "last", "about", "around"}
TIME_OF_DAY = re.compile(r"^(\d{1,2}([.:]\d\d)?([ap]\.?m\.?)?|midnight|noon|midday|[ap]m)$",
                         re.I)


def _ends_something(doc: Doc, span: Span) -> bool:
    """'until at least Friday', 'by Monday evening', 'back by 7pm on Boxing Day': when
    something ended or will end; not the range 'from 06:12 until 14:50 on 2 March'."""
    for i in range(span.start - 1 + (span[0].lower_ in ("by", "until")),
                   max(span.start - 5, -1), -1):
        word = doc[i].lower_
        if word in ("until", "till", "by"):
            return not any(t.lower_ in ("from", "between") for t in doc[max(i - 4, 0):i])
        if word not in UNTIL_FILLERS and not TIME_OF_DAY.match(word):
            return False
    return False


def _told_us(verb: Token) -> bool:
    """'was told', 'told us', 'notified the trust': the teller's news reached the victim."""
    return any(c.dep_ in ("nsubjpass", "auxpass") or (
        c.dep_ in ("dobj", "dative") and c.lower_ in ("us", "we")) for c in verb.children)


def _dates_a_failure(doc: Doc, mention: Mention, disruption: set[str]) -> bool:
    """'the system went offline on Monday', 'the problem began early on Sunday', 'criminals
    encrypted the servers ... in the early hours of Saturday': a verb above the date is a
    failure verb (or an onset verb whose subject is a failure word), and none is a verb of
    recovery ('restored from 7 May'), unlike 'patients seen on Friday'."""
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    if span is None:
        return False
    for verb in (t for t in [span.root, *span.root.ancestors] if t.pos_ in ("VERB", "AUX")):
        lemma = verb.lemma_.lower()
        if lemma in RECOVERY_LEMMAS:
            return False
        if lemma in disruption or lemma in DETECTION_VERBS:
            return True
        children = {c.dep_: c.lemma_.lower() for c in verb.children}
        if lemma in ONSET_VERBS and ({children.get("nsubj"), children.get("nsubjpass")}
                                     & disruption):
            return True
        if any(c.lemma_.lower() in disruption for c in verb.children
               if c.dep_ not in ("nsubj", "nsubjpass")):
            return True  # "was down on Monday", "knocked the system offline on Friday"
    return False


INCIDENT_UPDATES = {"investigating", "identified", "monitoring", "resolved"}
STATUS_WORDS = r"(investigating|identified|monitoring|update|updated|resolved|completed|" \
    r"in progress|scheduled)"
# "Investigating - 24 Oct 2024, 15:45", "[IDENTIFIED] Thursday 29 February 2024, 13:30",
# "27 May 2025, 14:05 - Resolved": a short line with a status word and a time stamp
STATUS_HEADER = re.compile(rf"^[ \t]*(?:\[?{STATUS_WORDS}\b\]?[ \t]*[-–—:]?[ \t]*"
                           rf"([^\n]{{6,40}})|([^\n]{{6,40}}?)[ \t]*[-–—:][ \t]*"
                           rf"\[?{STATUS_WORDS}\]?[ \t]*)$", re.I | re.M)


def _header_parts(match: re.Match) -> tuple[str, int]:
    """The status word of a header line and where its time stamp starts."""
    if match.group(1):
        return match.group(1).lower(), match.start(2)
    return match.group(4).lower(), match.start(3)


def _status_headers(doc: Doc, published: date) -> list[tuple[date, Mention]]:
    """A status page's timestamped updates: the incident began with the earliest of them."""
    found = []
    for match in STATUS_HEADER.finditer(doc.text):
        word, at = _header_parts(match)
        if word == "scheduled":
            return []  # planned work, not an incident
        stamp = match.group(2) or match.group(3)
        for day, start, end in resolve_dates(stamp, published):
            sentence = match.group(0).strip()
            if (published - day).days <= MAX_INCIDENT_AGE_DAYS:
                found.append((day, Mention(text=stamp[start:end], start=at + start,
                                           end=at + end, sentence=sentence)))
    return found


def _service_status(doc: Doc, gazetteers: Gazetteers) -> str | None:
    text = doc.text.lower()
    restored = [at for at, _ in _positions(text, gazetteers.cues["restored"]["phrases"])]
    ongoing = [at for at, _ in _positions(text, gazetteers.cues["ongoing"]["phrases"])]
    if not restored and not ongoing:
        return None
    # the later statement wins: reports usually end with the latest position
    return "restored" if max(restored, default=-1) > max(ongoing, default=-1) else "ongoing"


NATIONS = {"England", "Scotland", "Wales", "Northern Ireland", "Britain", "Great Britain"}
TOO_BROAD = {"UK", "U.K.", "United Kingdom"}  # every article here is about the UK


QUANTIFIERS = {"half", "all", "most", "majority", "thousands", "hundreds", "dozens", "millions",
               "quarter", "third", "every", "many", "several"}
SCOPE_ENTITIES = {"CARDINAL", "PERCENT", "QUANTITY"}
MAX_SCOPE_TOKENS = 10


def _scope(doc: Doc, gazetteers: Gazetteers) -> list[Mention]:
    """How much was affected: counted noun phrases in sentences about the failure ("at least
    half of GP services", "14 GP practices", "more than 1,000 operations")."""
    disruption = set(gazetteers.cues["disruption"]["lemmas"])
    named = {i for span in [*doc.spans.get("systems", []), *doc.spans.get("organisations", [])]
             for i in range(span.start, span.end)}
    found: list[Mention] = []
    seen: set[str] = set()
    chunks_of: dict[int, list[Span]] = {}  # Span.noun_chunks walks the whole doc each time
    for chunk in doc.noun_chunks:
        chunks_of.setdefault(chunk.sent.start, []).append(chunk)
    for sent in doc.sents:
        if not any(t.lemma_ in disruption for t in sent):
            continue
        for chunk in chunks_of.get(sent.start, []):
            counted = any(t.ent_type_ in SCOPE_ENTITIES for t in chunk) or \
                chunk.root.lower_ in QUANTIFIERS or \
                any(t.lower_ in QUANTIFIERS and t.dep_ in ("nummod", "amod", "det", "predet")
                    for t in chunk)
            if not counted or len(chunk) < 2 or chunk.root.ent_type_ in ("DATE", "TIME", "MONEY"):
                continue
            if any(t.i in named for t in chunk if t.ent_type_ in SCOPE_ENTITIES or t.like_num):
                continue  # "NHS 111", "999 calls": the number is part of a name
            end = chunk.end
            for child in chunk.root.children:  # "half of GP services", "thousands of patients"
                if child.dep_ == "prep" and child.lower_ == "of" and child.i == end:
                    end = max(t.i for t in child.subtree) + 1
            span = doc[chunk.start:end]
            if end - chunk.start <= MAX_SCOPE_TOKENS and span.text.lower() not in seen:
                seen.add(span.text.lower())
                found.append(Mention(text=span.text, start=span.start_char, end=span.end_char,
                                     sentence=sent.text.strip()))
    return found


def _locations(doc: Doc) -> list[Location]:
    """The places named, most specific first: a nation only when nothing narrower is named."""
    grouped: OrderedDict[str, list[Span]] = OrderedDict()
    for span in doc.spans.get("places", []):
        name = re.sub(r"^the\s+", "", span.label_.strip(), flags=re.I).strip(" .,'’")
        if len(name) < 2 or not name[0].isupper() or name in TOO_BROAD:
            continue
        grouped.setdefault(name, []).append(span)
    if any(name not in NATIONS for name in grouped):
        for nation in NATIONS:
            grouped.pop(nation, None)
    return [Location(name=name, mentions=[mention(s) for s in spans])
            for name, spans in grouped.items()]
