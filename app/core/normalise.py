"""Normalised lookup keys for names, URLs and bodies (case, accents, spacing, punctuation)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s'-]")
_TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid|ref|cmpid)$", re.IGNORECASE)


def name_key(name: str) -> str:
    """'  Ol\u00e9h   KIPER. ' -> 'oleh kiper'."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    plain = plain.replace("\u2019", "'")
    return _SPACES.sub(" ", _PUNCT.sub(" ", plain)).strip().casefold()


def check_url(url: str) -> str:
    """`url` itself if it is an absolute http(s) URL that splits cleanly: no control
    characters, a host, balanced IPv6 brackets, a numeric port in 0-65535; else ValueError."""
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        raise ValueError("the URL contains a control character")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a port that is not a number in range
    except ValueError as exc:
        raise ValueError(f"not a valid URL ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        raise ValueError("the URL must start with http:// or https://")
    if not parts.hostname:
        raise ValueError("the URL has no host")
    return url


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters,
    sort the query, and drop a trailing slash, so one article has one URL."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if ":" in host:  # an IPv6 literal keeps its brackets
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, 80, 443) else f"{host}:{port}"
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    path = parts.path.rstrip("/") or "/"
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))


def content_hash(title: str, body: str) -> str:
    """SHA-256 of the normalised title and body (whitespace, case and quote style ignored)."""
    text = f"{title}\n{body}"
    text = text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"'})
    return hashlib.sha256(_SPACES.sub(" ", text).strip().casefold().encode()).hexdigest()
