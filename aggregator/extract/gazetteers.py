"""Load the analyst-editable data files under ``aggregator/extract/data/``."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from hashlib import sha1
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).parent / "data"


@dataclass(frozen=True)
class OrgEntry:
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    ambiguous_aliases: tuple[str, ...] = ()
    role_hint: str | None = None


# a first word that gives the kind of a body named after a place
PREFIX_KINDS = {"nhs": "health_board", "hmp": "public_body", "hmyoi": "public_body",
                "healthwatch": "charity"}  # local Healthwatch: the patients' champion


@dataclass
class Gazetteers:
    organisations: list[OrgEntry]
    not_organisations: set[str]
    systems: dict[str, dict[str, Any]]
    causes: dict[str, dict[str, Any]]
    cues: dict[str, Any]
    alias_index: dict[str, OrgEntry] = field(default_factory=dict)
    suffix_kinds: list[tuple[tuple[str, ...], str]] = field(default_factory=list)
    places: list[str] = field(default_factory=list)
    relevance: dict[str, Any] = field(default_factory=dict)
    system_selection: dict[str, Any] = field(default_factory=dict)

    def kind_for_unknown(self, name: str) -> str | None:
        """A kind guessed from the last words of an organisation's name."""
        words = tuple(normalise_name(name).split())
        for suffix, kind in self.suffix_kinds:
            if len(words) > len(suffix) and words[-len(suffix):] == suffix:
                return kind
        if len(words) > 1 and words[0] in PREFIX_KINDS:  # "NHS Glenmoray", "HMP Tollmarsh"
            return PREFIX_KINDS[words[0]]
        if "of" in words[1:3]:  # "University of Northmoor", "Bank of X": the kind comes first
            head = words[:words.index("of", 1)]
            for suffix, kind in self.suffix_kinds:
                if head[-len(suffix):] == suffix:
                    return kind
        return None

    def org_for(self, surface: str) -> OrgEntry | None:
        """The gazetteer entry whose name or alias matches ``surface`` (case-insensitive)."""
        return self.alias_index.get(normalise_name(surface))


def normalise_name(text: str) -> str:
    """Lower-case, straight apostrophes, no leading 'the', no trailing possessive."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").strip().lower()
    text = re.sub(r"^the\s+", "", text)
    text = re.sub(r"'s?$", "", text)
    return re.sub(r"\s+", " ", text).strip(" .,;:")


@cache
def load_gazetteers(data_dir: str = "") -> Gazetteers:
    """Read every data file once per process."""
    directory = Path(data_dir) if data_dir else DATA_DIR
    organisations = _load_organisations(directory / "organisations.jsonl")
    not_orgs = _load_lines(directory / "not_organisations.txt")
    systems = _load_yaml(directory / "systems.yaml")
    causes = _load_yaml(directory / "causes.yaml")
    cues = _load_yaml(directory / "cues.yaml")
    relevance = _load_yaml(directory / "relevance.yaml")
    system_selection = _load_yaml(directory / "system_selection.yaml")
    _check_strings(causes, "causes.yaml")
    _check_strings(cues, "cues.yaml")
    suffixes = sorted(((tuple(phrase.split()), kind)
                       for kind, phrases in _load_yaml(directory / "org_suffixes.yaml").items()
                       for phrase in phrases), key=lambda pair: -len(pair[0]))
    index: dict[str, OrgEntry] = {}
    for entry in organisations:
        for alias in (entry.name, *entry.aliases, *entry.ambiguous_aliases):
            index.setdefault(normalise_name(alias), entry)
    places = _load_lines(directory / "places.txt")
    return Gazetteers(organisations, {normalise_name(n) for n in not_orgs}, systems, causes, cues,
                      index, suffixes, places, relevance, system_selection)


def data_fingerprint(data_dir: str = "") -> str:
    """A short hash of the data files and of the extraction code, part of the extractor
    version: any change to either marks stored results as due for ``aggregator reprocess``."""
    directory = Path(data_dir) if data_dir else DATA_DIR
    digest = sha1()
    code = sorted(Path(__file__).parent.glob("*.py"))
    for path in [*sorted(p for p in directory.iterdir() if p.is_file()), *code]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


def _load_organisations(path: Path) -> list[OrgEntry]:
    if not path.exists():
        return []
    entries = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not valid JSON: {exc}") from exc
        entries.append(OrgEntry(
            name=row["name"], kind=row.get("kind", "other"),
            aliases=tuple(row.get("aliases", [])),
            ambiguous_aliases=tuple(row.get("ambiguous_aliases", [])),
            role_hint=row.get("role_hint"),
        ))
    return entries


def _check_strings(node: Any, where: str) -> None:
    """Every list item must be a string: YAML reads a bare `no` or `on` as a boolean."""
    if isinstance(node, dict):
        for key, value in node.items():
            _check_strings(value, f"{where}: {key}")
    elif isinstance(node, list):
        bad = [item for item in node if not isinstance(item, str)]
        if bad:
            raise ValueError(f"{where}: list items must be strings, got {bad!r} "
                             "(quote words such as \"no\" and \"on\")")


def _load_lines(path: Path) -> list[str]:
    if not path.exists():
        return []
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def _load_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}
