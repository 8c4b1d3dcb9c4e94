"""Resolve the date an incident began from expressions relative to the publication date."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
WEEKDAYS = {d: i for i, d in enumerate(
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])}

_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|" \
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
PATTERNS = [
    ("dmy", re.compile(
        rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\.?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("mdy", re.compile(
        rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b", re.I)),
    ("iso", re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")),
    # "on Wednesday last week": that weekday of the week before publication's
    ("weekday_last_week", re.compile(
        r"\b(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\s+(?:of\s+)?last week\b",
        re.I)),
    # not "a Saturday morning", "every Monday": a kind of day, not a date; not "Wednesday 23
    # April", where the date after it says which Wednesday
    ("weekday", re.compile(r"(?<!\ba )(?<!\bevery )(?<!\beach )(?<!\bany )"
                           r"\b(?:on|last|this|since|from|early on|late on)?\s*"
                           r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
                           rf"(?!,?\s+(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH})"
                           rf"(?!,?\s+{_MONTH}\.?\s+\d)", re.I)),
    ("yesterday", re.compile(r"\b(yesterday|last night)\b", re.I)),
    # "overnight" in a report is the night that ends on the day it is published
    # "eight years ago today" is an anniversary; "a report published today" dates the report
    ("today", re.compile(r"(?<!\bago )(?<!\bpublished )(?<!\breleased )"
                         r"\b(today|this morning|this afternoon|earlier today|tonight|"
                         r"overnight)\b", re.I)),
    ("holiday", re.compile(r"\b(christmas eve|christmas day|boxing day|new year's eve|"
                           r"new year['’]s day)\b", re.I)),
    ("last_week", re.compile(r"\blast week\b", re.I)),
    ("days_ago", re.compile(r"\b(two|three|four|five|six|\d)\s+days\s+ago\b", re.I)),
]
HOLIDAYS = {"christmas eve": (12, 24), "christmas day": (12, 25), "boxing day": (12, 26),
            "new year's eve": (12, 31), "new year's day": (1, 1)}
NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


def resolve_dates(sentence: str, published: date) -> list[tuple[date, int, int]]:
    """Every date the sentence names, resolved against ``published``, with the character
    span of its expression. Dates after publication are dropped (a future date is a plan,
    not an incident)."""
    return list(_resolve_all(sentence, published))


# relevance, systems, causes and the incident date ask about the same sentences of one article;
# a small cache serves them (an article has tens of sentences) and remembers no corpus
@lru_cache(maxsize=256)
def _resolve_all(sentence: str, published: date) -> tuple[tuple[date, int, int], ...]:
    found: list[tuple[date, int, int]] = []
    taken: list[tuple[int, int]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(sentence):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            resolved = _resolve(kind, match, published)
            if resolved and resolved <= published and (published - resolved).days <= 3650:
                found.append((resolved, match.start(), match.end()))
                taken.append((match.start(), match.end()))
    return tuple(sorted(found, key=lambda pair: pair[1]))


MONTH_YEAR = re.compile(
    rf"\b(?:(?:in|since|during|from|of|by)\s+)?(?:{_MONTH}\s+)?"
    r"(?<![/.\-\d])(?<!Act )((?:19|20)\d\d)\b(?![/.\-]\d)"  # not 14/03/2025, not "Act 2018"
    r"|\b(last|the previous|the past)\s+year\b", re.I)


# "in March", "last May", "last October's": a month without a year is its latest
# occurrence up to publication (a capital letter, so the verb "may" is no month)
MONTH_ONLY = re.compile(rf"\b(?:in|last|since|during|early|late|mid)[- ]\s*{_MONTH}\b"
                        r"(?!\.?,?\s+\d)", re.I)


def month_years(sentence: str, published: date) -> list[date]:
    """Coarse dates: "in May 2024" (its first day), "in 2017" (1 January), "last year"
    (a year before publication), "in March" or "last March" (the latest March up to
    publication). Future ones are dropped."""
    found = []
    for match in MONTH_ONLY.finditer(sentence):
        word = match.group(1)
        if not word[0].isupper():
            continue
        month = MONTHS[word.lower()[:3]]
        year = published.year if month <= published.month else published.year - 1
        if match.group(0).lower().startswith("last") and month == published.month:
            year -= 1
        found.append(date(year, month, 1))
    for match in MONTH_YEAR.finditer(sentence):
        if match.group(3):
            found.append(published.replace(year=published.year - 1) if
                         not (published.month == 2 and published.day == 29) else
                         published - timedelta(days=365))
            continue
        month = MONTHS[match.group(1).lower()[:3]] if match.group(1) else 1
        day = date(int(match.group(2)), month, 1)
        if day <= published:
            found.append(day)
    return found


def _resolve(kind: str, match: re.Match, published: date) -> date | None:
    try:
        if kind == "dmy":
            month = MONTHS[match.group(2).lower()[:3]]
            return _with_year(int(match.group(1)), month, match.group(3), published)
        if kind == "mdy":
            month = MONTHS[match.group(1).lower()[:3]]
            return _with_year(int(match.group(2)), month, match.group(3), published)
        if kind == "iso":
            return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except (ValueError, KeyError):
        return None
    if kind == "weekday_last_week":
        monday = published - timedelta(days=published.weekday() + 7)
        return monday + timedelta(days=WEEKDAYS[match.group(1).lower()])
    if kind == "weekday":
        weekday = WEEKDAYS[match.group(1).lower()]
        back = (published.weekday() - weekday) % 7
        if back == 0 and match.group(0).lower().lstrip().startswith("last"):
            back = 7  # "last Thursday" written on a Thursday is a week ago
        return published - timedelta(days=back)
    if kind == "yesterday":
        return published - timedelta(days=1)
    if kind == "today":
        return published
    if kind == "holiday":
        month, day = HOLIDAYS[match.group(1).lower().replace("’", "'")]
        return _with_year(day, month, None, published)
    if kind == "last_week":
        return None  # too vague to name a day
    if kind == "days_ago":
        word = match.group(1).lower()
        return published - timedelta(days=NUMBERS.get(word) or int(word))
    return None


def _with_year(day: int, month: int, year: str | None, published: date) -> date:
    if year:
        return date(int(year), month, day)
    candidate = date(published.year, month, day)
    if candidate > published:  # "on 30 December" read in January means last year
        candidate = date(published.year - 1, month, day)
    return candidate


def parse_day(value: str | None) -> date | None:
    """The calendar day of an ISO date or date-time string (its first ten characters)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None
