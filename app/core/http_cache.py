"""ETag and If-None-Match/If-Match helpers (the layer applying them: app/core/asgi.py)."""

from __future__ import annotations

import hashlib

from app.core.errors import PreconditionFailed


def etag_for(body: bytes) -> str:
    """A strong validator: a hash of the exact representation."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _tags(header: str) -> list[str]:
    return [t.strip() for t in header.split(",") if t.strip()]


def none_match(header: str | None, etag: str) -> bool:
    """True when `If-None-Match` lists this ETag (weak comparison, as RFC 9110 says)."""
    if not header:
        return False
    tags = _tags(header)
    return "*" in tags or etag in (t.removeprefix("W/") for t in tags)


def check_if_match(header: str | None, current: str) -> None:
    """Raise 412 unless `If-Match` is absent, `*`, or lists the current strong ETag."""
    if header is None:
        return
    tags = _tags(header)
    if "*" in tags or current in tags:
        return
    raise PreconditionFailed(
        f"The resource has changed: its current ETag is {current}. "
        "GET it again, re-apply your change and retry with the new ETag.",
        headers={"ETag": current},
    )
