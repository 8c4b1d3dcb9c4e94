"""Canonical article URLs, so one article is stored once whatever link led to it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_hsenc", "_hsmi", "cmpid",
    "ito", "ocid", "icid", "sr_share", "at_medium", "at_campaign", "at_custom1", "at_custom2",
    "at_custom3", "at_custom4", "CMP", "ns_mchannel", "ns_source", "ns_campaign", "ns_linkname",
    "ns_fee", "guccounter", "guce_referrer", "guce_referrer_sig", "rss", "xtor",
}


def is_tracking_param(name: str) -> bool:
    """utm_* and the usual click and campaign identifiers."""
    return name.lower().startswith("utm_") or name in TRACKING_PARAMS or name.lower() in {
        p.lower() for p in TRACKING_PARAMS}


def canonical_url(url: str, base: str | None = None) -> str:
    """Absolute URL with lower-case scheme and host, no default port, no fragment and no
    tracking parameters. The path and the order of the remaining parameters are kept."""
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    if parts.username:
        host = f"{parts.username}@{host}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
                       if not is_tracking_param(k)])
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, query, ""))


def host_of(url: str) -> str:
    """The lower-case host name of a URL ('' when there is none)."""
    return (urlsplit(url).hostname or "").lower()
