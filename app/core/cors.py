"""CORS for the request layer (app/core/asgi.py). While reads are public (`PUBLIC_READS`, the
default), `GET`/`HEAD` and their preflights are allowed from any origin (`*`); every other
method only from an origin in `CORS_ORIGINS` (echoed back, with `Vary: Origin`) or from the
API's own origin (the web app it serves). A refused preflight, and a write that carries a
foreign `Origin`, are 403 problems."""

from __future__ import annotations

from dataclasses import dataclass

# Headers a browser script may send (beyond the CORS-safelisted ones) and may read.
ALLOW_HEADERS = (
    "Authorization",
    "X-API-Key",
    "Content-Type",
    "If-Match",
    "If-None-Match",
    "Idempotency-Key",
    "X-Request-ID",
    "Last-Event-ID",
    "Accept",
    "Accept-Language",
    "Content-Language",
)
EXPOSE_HEADERS = (
    "ETag, Link, Location, X-Request-ID, Retry-After, RateLimit, RateLimit-Policy, "
    "X-Extracted, Deprecation, Sunset"
)
READ_METHODS = ("GET", "HEAD", "OPTIONS")
ALL_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
PREFLIGHT_VARY = (b"vary", b"Origin, Access-Control-Request-Method, Access-Control-Request-Headers")
MAX_AGE = b"600"

_ALLOWED = frozenset(h.lower() for h in ALLOW_HEADERS)
Headers = list[tuple[bytes, bytes]]


@dataclass(frozen=True)
class Preflight:
    status: int
    headers: Headers
    refusal: str | None = None  # the problem's detail when refused


class Cors:
    def __init__(self, origins: tuple[str, ...], public_reads: bool) -> None:
        self.origins = frozenset(origins)
        self.any_origin = "*" in self.origins
        self.public_reads = public_reads

    def listed(self, origin: str, host: str | None) -> bool:
        """May this origin write? Listed, `*` listed, or the API's own origin."""
        if self.any_origin or origin in self.origins:
            return True
        return bool(host) and origin.partition("://")[2] == host

    def response_headers(self, origin: str, host: str | None, method: str) -> Headers:
        """The headers of an actual (not preflight) request that carries an `Origin`."""
        if self.listed(origin, host):
            allow = "*" if self.any_origin else origin
        elif self.public_reads and method in READ_METHODS:
            allow = "*"
        else:
            return []
        return [
            (b"access-control-allow-origin", allow.encode("latin-1")),
            (b"access-control-expose-headers", EXPOSE_HEADERS.encode()),
        ]

    def preflight(self, origin: str, host: str | None, method: str, asked: str | None) -> Preflight:
        listed = self.listed(origin, host)
        allowed = ALL_METHODS if listed else READ_METHODS if self.public_reads else ()
        names = [h.strip().lower() for h in (asked or "").split(",") if h.strip()]
        refused = [h for h in names if h not in _ALLOWED]
        if method not in allowed:
            reason = (
                "only GET and HEAD are, from any origin; other methods need the origin in "
                "CORS_ORIGINS."
                if self.public_reads
                else "it is not in CORS_ORIGINS."
            )
            detail = f"{method or 'This method'} is not allowed from the origin {origin}: {reason}"
            return Preflight(403, [PREFLIGHT_VARY], detail)
        if refused:
            detail = (
                f"Request header(s) not allowed: {', '.join(refused)}. Allowed: "
                f"{', '.join(ALLOW_HEADERS)}."
            )
            return Preflight(403, [PREFLIGHT_VARY], detail)
        allow_origin = origin if listed and not self.any_origin else "*"
        return Preflight(
            204,
            [
                (b"access-control-allow-origin", allow_origin.encode("latin-1")),
                (b"access-control-allow-methods", ", ".join(allowed).encode()),
                (b"access-control-allow-headers", ", ".join(ALLOW_HEADERS).encode()),
                (b"access-control-max-age", MAX_AGE),
                (b"content-length", b"0"),
                PREFLIGHT_VARY,
            ],
        )
