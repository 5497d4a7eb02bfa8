"""Which requests read on the primary when there are read replicas (`DATABASE_READ_URL`).

The rule: writes always run on the primary; so do the change feed (`/v1/changes...`, whose
cursors must never skip a commit), readiness, and every read from a client that wrote
within the read-your-writes window. A successful write answers with a cookie
(`cn_primary_until`, the window's end in Unix seconds); while a request carries a cookie
still in the future, all its reads go to the primary, on any worker or instance. Every
other read may go to a replica and see the data as of a moment ago (the replica's lag).

A request whose replica fails midway is run again, once, on the primary, if nothing of
its response has been sent yet, so a replica going down costs no error."""

from __future__ import annotations

import time

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.api.auth import SAFE_METHODS
from app.core.db import ReplicaLost, primary_reads

COOKIE = "cn_primary_until"
PINNED_PREFIXES = ("/v1/changes", "/ready")


class ReadYourWritesMiddleware:
    def __init__(self, app: ASGIApp, window_seconds: float) -> None:
        self.app = app
        self.window = window_seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        writes = scope["method"] not in SAFE_METHODS
        pinned = writes or scope["path"].startswith(PINNED_PREFIXES) or self._recent(scope)
        started = False

        async def send_wrapper(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if writes and message["status"] < 400 and self.window > 0:
                    message = {**message, "headers": [*message["headers"], self._cookie()]}
            await send(message)

        if pinned:
            with primary_reads():
                await self.app(scope, receive, send_wrapper)
            return
        try:
            await self.app(scope, receive, send_wrapper)
        except ReplicaLost:
            if started:
                raise
            with primary_reads():
                await self.app(scope, _empty_body(receive), send_wrapper)

    def _recent(self, scope: Scope) -> bool:
        for name, value in scope["headers"]:
            if name == b"cookie":
                until = cookie_parser(value.decode("latin-1")).get(COOKIE, "")
                try:
                    return float(until) > time.time()
                except ValueError:
                    return False
        return False

    def _cookie(self) -> tuple[bytes, bytes]:
        until = int(time.time() + self.window) + 1
        value = f"{COOKIE}={until}; Max-Age={int(self.window) + 1}; Path=/; HttpOnly; SameSite=Lax"
        return b"set-cookie", value.encode()


def _empty_body(receive: Receive) -> Receive:
    """A safe request's (empty) body again, for the second run."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": b"", "more_body": False}
        return await receive()

    return replay
