"""Marking an operation deprecated (docs/versioning.md): the OpenAPI `deprecated` flag, and
on every response of it the headers that let a client notice without reading the docs:
`Deprecation` (RFC 9745: `@<unix-seconds>`, when it was deprecated), `Sunset` (RFC 8594: the
HTTP-date after which it may be gone), `Link: <policy>; rel="deprecation"` and, when there is
one, `Link: <successor>; rel="successor-version"`.

    @router.get("/old", **deprecated_route(SEARCH_ALIAS), summary=...)"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

from fastapi import Depends, Response

POLICY_URL = "https://conflict-news.example/docs/versioning"


@dataclass(frozen=True)
class Deprecation:
    since: datetime
    sunset: datetime
    anchor: str  # the policy page's section about this operation
    successor: str | None = None

    def headers(self) -> list[tuple[str, str]]:
        out = [
            ("Deprecation", f"@{int(self.since.timestamp())}"),
            ("Sunset", format_datetime(self.sunset.astimezone(UTC), usegmt=True)),
            ("Link", f'<{POLICY_URL}#{self.anchor}>; rel="deprecation"; type="text/html"'),
        ]
        if self.successor:
            out.append(("Link", f'<{self.successor}>; rel="successor-version"'))
        return out

    def note(self) -> str:
        """The sentence the operation's description ends with."""
        successor = f" Use `{self.successor}` instead." if self.successor else ""
        return (
            f"\n\n**Deprecated** since {self.since:%Y-%m-%d}; it may be removed after "
            f"{self.sunset:%Y-%m-%d} (the `Sunset` header).{successor}"
        )


def deprecated_route(deprecation: Deprecation) -> dict[str, Any]:
    """The route arguments: the OpenAPI flag and a dependency adding the headers."""

    async def add_headers(response: Response) -> None:
        for name, value in deprecation.headers():
            response.headers.append(name, value)

    return {"deprecated": True, "dependencies": [Depends(add_headers)]}


SEARCH_ALIAS = Deprecation(
    since=datetime(2026, 12, 1, tzinfo=UTC),
    sunset=datetime(2027, 6, 30, 23, 59, 59, tzinfo=UTC),
    anchor="get-v1-search",
    successor="/v1/articles",
)
"""`GET /v1/search?q=`: the old name of `GET /v1/articles?q=`."""
