"""ETags, 304 on If-None-Match, Cache-Control and Vary for JSON GETs; If-Match helpers."""

from __future__ import annotations

import hashlib

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

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


class ConditionalGetMiddleware:
    """Buffers successful JSON GET responses (bounded: pages are capped), adds a strong ETag,
    answers 304 to a matching `If-None-Match`, and sets Cache-Control and Vary.
    Streams (NDJSON/CSV exports) pass through untouched."""

    def __init__(self, app: ASGIApp, *, cache_control: str) -> None:
        self.app = app
        self.cache_control = cache_control

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        if_none_match = Headers(scope=scope).get("if-none-match")
        start: Message | None = None
        chunks: list[bytes] = []

        async def send_wrapper(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = Headers(raw=message["headers"])
                ctype = headers.get("content-type", "")
                if message["status"] == 200 and ctype.startswith("application/json"):
                    start = message
                    return
                await send(message)
                return
            if start is None:
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            body = b"".join(chunks)
            headers = MutableHeaders(raw=start["headers"])
            etag = headers.get("etag") or etag_for(body)
            headers["ETag"] = etag
            headers.setdefault("Cache-Control", self.cache_control)
            headers.append("Vary", "Accept, Authorization, X-API-Key")
            if none_match(if_none_match, etag):
                del headers["content-length"]
                del headers["content-type"]
                await send({**start, "status": 304, "headers": headers.raw})
                await send({"type": "http.response.body", "body": b""})
                return
            await send(start)
            await send({"type": "http.response.body", "body": body})

        await self.app(scope, receive, send_wrapper)
