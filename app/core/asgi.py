"""The request path's one pure-ASGI layer, outside everything else (app/main.py).

Per request, in this order: a request id (the client's `X-Request-ID` when well-formed, else
a new one; echoed and bound to every log line); a CORS preflight answered here, and a write
from a foreign origin refused; `HEAD` run as the `GET` it mirrors, without the body. On the
way out: a strong `ETag` on JSON GETs (304 on `If-None-Match`), `Cache-Control` and `Vary`;
the rate-limit headers the dependency decided; CORS headers; gzip when the client accepts it
and the body is worth it; FastAPI's plain-text 413 as a problem (FastAPI enforces the
limits, per route: `max_body_size`); then one access-log line (route template, the key's
id, bytes sent) and the request metrics.

One layer instead of six middlewares: each Starlette-style middleware wraps `send` in its
own closure and re-parses the headers; here the request headers are read once and the
response start is edited once (bench/RESULTS.md, "Request path").

The CORS policy: app/core/cors.py."""

from __future__ import annotations

import json
import re
import time
import uuid
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

import anyio
import structlog
from asgi_correlation_id import correlation_id
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core import metrics
from app.core.cors import Cors
from app.core.errors import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from app.core.http_cache import etag_for, none_match
from app.core.ratelimit import STATE_KEY

REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
# Bodies worth compressing (an event stream is not: every event must leave at once).
COMPRESSIBLE = (
    b"application/json",
    b"application/problem+json",
    b"application/x-ndjson",
    b"application/javascript",
    b"application/geo+json",
    b"image/svg+xml",
    b"text/",
)
NOT_COMPRESSIBLE = (b"text/event-stream",)
JSON_VARY = "Accept, Authorization, X-API-Key"


@dataclass(frozen=True)
class HttpConfig:
    cache_control: str = "public, no-cache"
    max_body_bytes: int | None = None
    cors_origins: tuple[str, ...] = ()
    public_reads: bool = True
    # Smaller bodies go out as they are: under ~1 KB gzip saves less than it costs.
    gzip_min_bytes: int = 1024
    # Level 1: half the CPU of levels 5-6 on our bodies for ~10% more bytes (22% of a list
    # page kept vs 20%; bench/layer_bench.py --gzip, bench/RESULTS.md).
    gzip_level: int = 1


@dataclass
class _Request:
    """What the layer needs from the request headers, read in one pass."""

    request_id: str | None = None
    origin: str | None = None
    host: str | None = None
    gzip: bool = False
    if_none_match: str | None = None
    content_length: int | None = None
    preflight_method: str | None = None
    preflight_headers: str | None = None


def _read(headers: Iterable[tuple[bytes, bytes]]) -> _Request:
    r = _Request()
    for name, value in headers:
        if name == b"x-request-id":
            r.request_id = value.decode("latin-1")
        elif name == b"origin":
            r.origin = value.decode("latin-1")
        elif name == b"host":
            r.host = value.decode("latin-1")
        elif name == b"accept-encoding":
            r.gzip = accepts_gzip(value)
        elif name == b"if-none-match":
            r.if_none_match = value.decode("latin-1")
        elif name == b"content-length":
            try:
                r.content_length = int(value)
            except ValueError:
                r.content_length = None
        elif name == b"access-control-request-method":
            r.preflight_method = value.decode("latin-1").strip().upper()
        elif name == b"access-control-request-headers":
            r.preflight_headers = value.decode("latin-1")
    return r


def accepts_gzip(value: bytes) -> bool:
    """`Accept-Encoding` names gzip (or `*`) with a non-zero quality."""
    for part in value.lower().split(b","):
        coding, _, params = part.strip().partition(b";")
        if coding.strip() not in (b"gzip", b"x-gzip", b"*"):
            continue
        q = params.strip()
        if q.startswith(b"q="):
            try:
                return float(q[2:]) > 0
            except ValueError:
                return False
        return True
    return False


def _compressible(ctype: bytes) -> bool:
    return ctype.startswith(COMPRESSIBLE) and not ctype.startswith(NOT_COMPRESSIBLE)


def _event_stream(start: Message) -> bool:
    for name, value in start.get("headers", []):
        if name == b"content-type":
            return bool(value.startswith(NOT_COMPRESSIBLE))
    return False


def _problem(status: int, type_: str, title: str, detail: str, instance: str) -> bytes:
    body = {
        "type": PROBLEM_BASE + type_,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    return json.dumps(body).encode()


def route_template(scope: Scope, root: str = "") -> str | None:
    """The matched route's full template (`/v1/articles/{article_id}`), or None. FastAPI
    keeps included routers apart, so `scope["route"]` knows only its own part of the path:
    the prefix is what the request's path has before that part, filled in."""
    route = scope.get("route")
    if route is None:  # a mounted app (static files) sets only its root path
        mounted: str = scope.get("root_path", "")
        return mounted + "/{path}" if mounted != root else None
    fmt: str = getattr(route, "path_format", None) or getattr(route, "path", "") or "/"
    params = scope.get("path_params") or {}
    path: str = scope["path"]
    try:
        concrete = fmt.format(**params) if params else fmt
    except (KeyError, IndexError, ValueError):
        return fmt
    if path.endswith(concrete):
        return path[: len(path) - len(concrete)] + fmt
    return fmt


class HttpLayer:
    def __init__(self, app: ASGIApp, config: HttpConfig) -> None:
        self.app = app
        self.config = config
        self.cors = Cors(config.cors_origins, config.public_reads)
        # Per app: structlog caches a logger at the level configured when first used.
        self.log = structlog.get_logger("conflict_news.access")

    async def _preflight(self, req: _Request, scope: Scope, send: Send, rid: str) -> int:
        assert req.origin is not None
        answer = self.cors.preflight(req.origin, req.host, req.preflight_method or "",
                                     req.preflight_headers)  # fmt: skip
        headers = answer.headers
        body = b""
        if answer.refusal is not None:
            body = _problem(403, "cors-refused", "Cross-origin request refused", answer.refusal,
                            f"{scope['path']}#request-{rid}")  # fmt: skip
            headers = [*headers, (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                       (b"content-length", str(len(body)).encode())]  # fmt: skip
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
        return answer.status

    # --- the request --------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        root = scope.get("root_path", "")
        req = _read(scope["headers"])
        rid = req.request_id
        if not rid or not REQUEST_ID.match(rid):
            rid = uuid.uuid4().hex
        token = correlation_id.set(rid)
        method = scope["method"]
        metrics.IN_FLIGHT.inc()
        out = _Response(self, scope, req, method, rid.encode("latin-1"), send)
        try:
            if method == "OPTIONS" and req.origin and req.preflight_method:
                out.status = await self._preflight(req, scope, send, rid)
            elif req.origin and method not in SAFE and not self.cors.listed(req.origin, req.host):
                await out.refuse(
                    403, "cors-refused", "Cross-origin request refused",
                    f"Writes are accepted only from the origins in CORS_ORIGINS; "
                    f"{req.origin} is not one.",
                )  # fmt: skip
            else:
                if method == "HEAD":  # served by the GET route, without its body
                    scope = {**scope, "method": "GET"}
                    out.scope = scope
                    receive = out.head_receive(receive)
                await self.app(scope, receive, out.send)
        finally:
            metrics.IN_FLIGHT.dec()
            elapsed = time.perf_counter() - started
            template = route_template(scope, root)
            metrics.observe_request(template or "unmatched", method, out.status, elapsed)
            state = scope.get("state") or {}
            principal = state.get("principal")
            self.log.info(
                "request",
                method=method,
                path=scope["path"],
                route=template,
                status=out.status,
                key_id=getattr(principal, "key_id", None),
                bytes=out.sent,
                duration_ms=round(elapsed * 1000, 2),
            )
            correlation_id.reset(token)


class _Response:
    """The response side of one request: holds the start until the first body message, so
    the headers are decided once, knowing whether the body is whole or streamed."""

    __slots__ = (
        "buffer",
        "buffering",
        "compressor",
        "finished",
        "layer",
        "method",
        "passthrough",
        "req",
        "rid",
        "scope",
        "send_raw",
        "sent",
        "start",
        "status",
    )

    def __init__(
        self, layer: HttpLayer, scope: Scope, req: _Request, method: str, rid: bytes, send: Send
    ) -> None:
        self.layer = layer
        self.scope = scope
        self.req = req
        self.method = method
        self.rid = rid
        self.send_raw = send
        self.status = 500
        self.sent = 0
        self.start: Message | None = None
        self.buffer: list[bytes] = []
        self.buffering = False
        self.compressor: zlib._Compress | None = None
        self.passthrough = False
        self.finished: anyio.Event | None = None

    def head_receive(self, receive: Receive) -> Receive:
        """A HEAD's receive: once its headers are out, the app hears a disconnect, so a
        streamed GET body (an export) stops instead of running to its end unseen."""
        self.finished = anyio.Event()
        request_read = False

        async def wrapped() -> Message:
            nonlocal request_read
            if request_read and self.finished is not None:
                await self.finished.wait()
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body"):
                request_read = True
            return message

        return wrapped

    async def refuse(self, status: int, type_: str, title: str, detail: str) -> None:
        instance = f"{self.scope['path']}#request-{self.rid.decode()}"
        body = _problem(status, type_, title, detail, instance)
        await self.send({"type": "http.response.start", "status": status, "headers": [
            (b"content-type", PROBLEM_MEDIA_TYPE.encode()),
            (b"content-length", str(len(body)).encode())]})  # fmt: skip
        await self.send({"type": "http.response.body", "body": body})

    def _headers(self, raw: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
        """The response headers every response gets: request id, rate limits, CORS."""
        headers = list(raw)
        headers.append((b"x-request-id", self.rid))
        extra = (self.scope.get("state") or {}).get(STATE_KEY)
        if extra:
            names = {n.lower().encode() for n in extra}
            headers = [h for h in headers if h[0] not in names]
            headers += [(n.lower().encode(), v.encode("latin-1")) for n, v in extra.items()]
        cors = self.layer.cors
        if self.req.origin:
            headers += cors.response_headers(self.req.origin, self.req.host, self.method)
        if cors.origins:  # the allow-origin answer depends on the request's Origin
            headers.append((b"vary", b"Origin"))
        return headers

    async def send(self, message: Message) -> None:
        kind = message["type"]
        if kind == "http.response.start":
            self.status = message["status"]
            self.start = message
            if _event_stream(message):  # its headers leave now, not with the first event
                await self._stream_start()
            return
        if kind != "http.response.body":  # trailers, pathsend...: nothing to edit
            await self.send_raw(message)
            return
        body: bytes = message.get("body", b"")
        more: bool = message.get("more_body", False)
        if self.passthrough:
            await self._body(body, more)
            return
        if self.buffering or (self.start is not None and not more):
            self.buffer.append(body)
            if more:
                return
            await self._whole(b"".join(self.buffer))
            return
        if self.start is not None:  # the first of several body messages
            if self._wants_etag():
                self.buffering = True
                self.buffer.append(body)
                return
            await self._stream_start()
        await self._body(body, more)

    def _wants_etag(self) -> bool:
        """JSON GET 200s are held whole (pages are capped) for their ETag."""
        start = self.start
        assert start is not None
        if start["status"] != 200 or self.method not in ("GET", "HEAD"):
            return False
        for name, value in start.get("headers", []):
            if name == b"content-type":
                return bool(value.startswith(b"application/json"))
        return False

    async def _stream_start(self) -> None:
        """A streamed body (exports, bulk results, events): compressed as it goes, each
        chunk flushed so nothing waits in the compressor."""
        start = self.start
        assert start is not None
        self.start = None
        self.passthrough = True
        raw: list[tuple[bytes, bytes]] = start.get("headers", [])
        ctype = b""
        encoded = False
        for name, value in raw:
            if name == b"content-type":
                ctype = value
            elif name == b"content-encoding":
                encoded = True
        headers = raw
        if not encoded and _compressible(ctype):
            headers = [*raw, (b"vary", b"Accept-Encoding")]
            if self.req.gzip:
                headers = [h for h in headers if h[0] != b"content-length"]
                headers.append((b"content-encoding", b"gzip"))
                self.compressor = zlib.compressobj(self.layer.config.gzip_level, zlib.DEFLATED, 31)
        await self._start(start["status"], headers)

    async def _whole(self, body: bytes) -> None:
        start = self.start
        assert start is not None
        self.start = None
        self.buffering = False
        status = start["status"]
        raw: list[tuple[bytes, bytes]] = start.get("headers", [])
        ctype = b""
        encoded = False
        etag: bytes | None = None
        for name, value in raw:
            if name == b"content-type":
                ctype = value
            elif name == b"content-encoding":
                encoded = True
            elif name == b"etag":
                etag = value
        layer = self.layer
        if status == 413 and ctype.startswith(b"text/plain"):  # FastAPI's own body limit
            detail = f"The request body exceeds the limit of {layer.config.max_body_bytes} bytes."
            instance = f"{self.scope['path']}#request-{self.rid.decode()}"
            body = _problem(413, "payload-too-large", "Payload too large", detail, instance)
            raw = [(b"content-type", PROBLEM_MEDIA_TYPE.encode())]
            ctype = PROBLEM_MEDIA_TYPE.encode()
        headers = [h for h in raw if h[0] != b"content-length"]
        if (
            status == 200
            and self.method in ("GET", "HEAD")
            and ctype.startswith(b"application/json")
        ):
            if etag is None:
                etag = etag_for(body).encode()
                headers.append((b"etag", etag))
            if not any(h[0] == b"cache-control" for h in headers):
                headers.append((b"cache-control", layer.config.cache_control.encode()))
            headers.append((b"vary", JSON_VARY.encode()))
            if none_match(self.req.if_none_match, etag.decode("latin-1")):
                headers = [h for h in headers if h[0] != b"content-type"]
                self.status = 304
                await self._start(304, headers)
                await self._body(b"", False)
                return
        compressible = not encoded and _compressible(ctype)
        if compressible:
            headers.append((b"vary", b"Accept-Encoding"))
            # Same ETag for both codings: it names the content; Vary keeps caches apart.
            if self.req.gzip and len(body) >= layer.config.gzip_min_bytes:
                body = zlib.compress(body, layer.config.gzip_level, wbits=31)
                headers.append((b"content-encoding", b"gzip"))
        headers.append((b"content-length", str(len(body)).encode()))
        await self._start(status, headers)
        await self._body(body, False)

    async def _start(self, status: int, headers: list[tuple[bytes, bytes]]) -> None:
        await self.send_raw(
            {"type": "http.response.start", "status": status, "headers": self._headers(headers)}
        )

    async def _body(self, body: bytes, more: bool) -> None:
        if self.compressor is not None:
            body = self.compressor.compress(body) + self.compressor.flush(
                zlib.Z_SYNC_FLUSH if more else zlib.Z_FINISH
            )
        if self.finished is not None:  # HEAD: the headers, an empty body, nothing after
            if self.finished.is_set():
                return
            self.finished.set()
            await self.send_raw({"type": "http.response.body", "body": b""})
            return
        self.sent += len(body)
        await self.send_raw({"type": "http.response.body", "body": body, "more_body": more})
