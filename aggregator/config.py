"""Load and validate ``feeds.yaml`` into :class:`Config` and :class:`Source` objects."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

DEFAULT_USER_AGENT = "incident-aggregator/0.1 (+mailto:incidents@example.invalid)"
SOURCE_TYPES = ("feed", "html")
ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
TOP_LEVEL_KEYS = {"user_agent", "allow_private_addresses", "concurrency", "per_host_concurrency",
                  "timeout", "sources"}
SOURCE_KEYS = {"id", "name", "url", "type", "tags", "links", "content", "poll_minutes",
               "enabled", "notes"}


class ConfigError(Exception):
    """feeds.yaml is missing, unreadable or invalid. The message names the source and field."""


@dataclass(frozen=True)
class Source:
    """One feed or listing page to poll."""

    id: str
    name: str
    url: str
    type: str = "feed"
    tags: tuple[str, ...] = ()
    links: str | None = None  # CSS selector for article links (type: html)
    content: str | None = None  # optional CSS selector for the article body
    poll_minutes: int = 30
    enabled: bool = True
    notes: str | None = None


@dataclass(frozen=True)
class Config:
    """The whole validated configuration."""

    sources: tuple[Source, ...]
    user_agent: str = DEFAULT_USER_AGENT
    allow_private_addresses: bool = False
    concurrency: int = 8
    per_host_concurrency: int = 2
    timeout: float = 20.0
    path: Path | None = field(default=None, compare=False)

    def select(self, ids: list[str] | tuple[str, ...]) -> list[Source]:
        """The enabled sources, or exactly the named ones (raising for unknown ids)."""
        if not ids:
            return [s for s in self.sources if s.enabled]
        known = {s.id: s for s in self.sources}
        unknown = [i for i in ids if i not in known]
        if unknown:
            raise ConfigError(f"unknown source id(s): {', '.join(unknown)}; "
                              f"known: {', '.join(sorted(known))}")
        return [known[i] for i in ids]


def load_config(path: str | Path, substitutions: dict[str, str] | None = None) -> Config:
    """Read and validate a feeds.yaml file.

    ``substitutions`` replaces ``{{name}}`` placeholders in the raw text first (the demo uses
    ``{{base_url}}`` for its local server).
    """
    path = Path(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read config: {exc.strerror or exc}") from exc
    for key, value in (substitutions or {}).items():
        raw = raw.replace("{{" + key + "}}", value)
    try:
        data = yaml.safe_load(raw)
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from exc
    config = parse_config(data, where=str(path))
    return Config(**{**config.__dict__, "path": path})


def parse_config(data: Any, where: str = "config") -> Config:
    """Validate already-parsed YAML data."""
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping with a 'sources' list")
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown top-level key(s): {', '.join(sorted(unknown))}; "
                          f"allowed: {', '.join(sorted(TOP_LEVEL_KEYS))}")
    raw_sources = data.get("sources")
    if not isinstance(raw_sources, list) or not raw_sources:
        raise ConfigError(f"{where}: 'sources' must be a non-empty list")
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw_sources, start=1):
        source = _parse_source(item, f"{where}: source #{index}")
        if source.id in seen:
            raise ConfigError(f"{where}: source #{index} ({source.id}): field 'id': duplicate id, "
                              f"already used by source #{seen[source.id]}")
        seen[source.id] = index
        sources.append(source)
    settings: dict[str, Any] = {}
    if "user_agent" in data:
        settings["user_agent"] = _require_str(data["user_agent"], where, "user_agent")
    if "allow_private_addresses" in data:
        settings["allow_private_addresses"] = _require_bool(
            data["allow_private_addresses"], where, "allow_private_addresses")
    for key, kind in (("concurrency", int), ("per_host_concurrency", int), ("timeout", float)):
        if key in data:
            value = data[key]
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise ConfigError(f"{where}: field '{key}': must be a positive number")
            settings[key] = kind(value)
    return Config(sources=tuple(sources), **settings)


def _parse_source(item: Any, where: str) -> Source:
    if not isinstance(item, dict):
        raise ConfigError(f"{where}: expected a mapping, got {type(item).__name__}")
    if "id" in item and isinstance(item["id"], str):
        where = f"{where} ({item['id']})"
    unknown = set(item) - SOURCE_KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown field(s): {', '.join(sorted(unknown))}; "
                          f"allowed: {', '.join(sorted(SOURCE_KEYS))}")
    for required in ("id", "name", "url"):
        if required not in item:
            raise ConfigError(f"{where}: field '{required}' is required")
    source_id = _require_str(item["id"], where, "id")
    if not ID_PATTERN.match(source_id):
        raise ConfigError(f"{where}: field 'id': {source_id!r} must be lower-case letters, digits, "
                          "'-' or '_'")
    url = _require_str(item["url"], where, "url")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{where}: field 'url': {url!r} is not an absolute http(s) URL")
    source_type = item.get("type", "feed")
    if source_type not in SOURCE_TYPES:
        raise ConfigError(f"{where}: field 'type': {source_type!r} must be one of "
                          f"{', '.join(SOURCE_TYPES)}")
    links = item.get("links")
    if source_type == "html" and not links:
        raise ConfigError(f"{where}: field 'links': an html source needs a CSS selector for its "
                          "article links")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ConfigError(f"{where}: field 'tags': must be a list of strings")
    poll = item.get("poll_minutes", 30)
    if isinstance(poll, bool) or not isinstance(poll, int) or poll < 1:
        raise ConfigError(f"{where}: field 'poll_minutes': must be a whole number of minutes >= 1")
    return Source(
        id=source_id,
        name=_require_str(item["name"], where, "name"),
        url=url,
        type=source_type,
        tags=tuple(tags),
        links=_optional_selector(links, where, "links"),
        content=_optional_selector(item.get("content"), where, "content"),
        poll_minutes=poll,
        enabled=_require_bool(item.get("enabled", True), where, "enabled"),
        notes=item.get("notes"),
    )


def _optional_selector(value: Any, where: str, name: str) -> str | None:
    if value is None:
        return None
    selector = _require_str(value, where, name)
    try:
        import soupsieve

        soupsieve.compile(selector)
    except Exception as exc:  # soupsieve raises SelectorSyntaxError
        raise ConfigError(f"{where}: field '{name}': invalid CSS selector {selector!r}: {exc}") \
            from exc
    return selector


def _require_str(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"{where}: field '{name}': must be a non-empty string")
    return value.strip()


def _require_bool(value: Any, where: str, name: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: field '{name}': must be true or false")
    return value
