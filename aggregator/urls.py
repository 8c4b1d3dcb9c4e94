"""Canonical article URLs, so one article is stored once whatever link led to it."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(p.lower() for p in {
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "twclid", "igshid", "li_fat_id", "mc_cid",
    "mc_eid", "_hsenc", "_hsmi", "mkt_tok", "_ga", "_gl", "cmpid", "ito", "ocid", "icid",
    "sr_share", "at_medium", "at_campaign", "at_custom1", "at_custom2", "at_custom3",
    "at_custom4", "CMP", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname", "ns_fee",
    "guccounter", "guce_referrer", "guce_referrer_sig", "rss", "xtor", "WT.mc_id", "s_cid",
    "oly_anon_id", "oly_enc_id", "vero_id", "spm",
})


def is_tracking_param(name: str) -> bool:
    """utm_* and the usual click and campaign identifiers (case-insensitive)."""
    lowered = name.lower()
    return lowered.startswith("utm_") or lowered in TRACKING_PARAMS


def canonical_url(url: str, base: str | None = None) -> str:
    """Absolute URL with lower-case scheme and host, no default port, no fragment and no
    tracking parameters. The path and the remaining parameters are kept byte for byte, in
    their order, so the URL still fetches the same page.

    Raises ValueError for a URL that cannot be parsed (a bad port, an unclosed IPv6 bracket).
    """
    url = url.strip()
    if base:
        url = urljoin(base, url)
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    port = parts.port  # ValueError for a port that is not a number or out of range
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    kept = [pair for pair in parts.query.split("&")
            if pair and not is_tracking_param(pair.split("=", 1)[0])]
    path = parts.path or ("/" if host else "")
    return urlunsplit((scheme, host, path, "&".join(kept), ""))


def safe_canonical_url(url: str | None, base: str | None = None) -> str | None:
    """:func:`canonical_url` of an http(s) URL found in a feed or page; None for anything
    else (junk, ``mailto:``, ``javascript:``, a relative link without a base)."""
    if not url or not url.strip():
        return None
    try:
        result = canonical_url(url, base=base)
    except ValueError:
        return None
    parts = urlsplit(result)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return result


def host_of(url: str) -> str:
    """The lower-case host name of a URL ('' when there is none)."""
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def host_key(url: str) -> str:
    """Host and port: the unit of politeness (per-host concurrency) in a URL."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return ""
    return f"{(parts.hostname or '').lower()}:{port}"
