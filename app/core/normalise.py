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


def canonical_url(url: str) -> str:
    """Lower-case scheme and host, drop default ports, fragments and tracking parameters,
    sort the query, and drop a trailing slash, so one article has one URL."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
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
