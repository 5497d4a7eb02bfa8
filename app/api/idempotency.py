"""The `Idempotency-Key` header as a dependency for POST routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request, Response

from app.api.auth import get_principal
from app.core.db import Session
from app.core.security import Principal
from app.services import idempotency as service

KeyHeader = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description=(
            "Any unique string (a UUID is ideal). A retry with the same key and body returns "
            "the first response instead of writing again; the same key with another body is "
            "a 422. Keys are remembered for 24 hours."
        ),
        examples=["4f1c2b0e-9d8a-4c1e-b3f2-6a7d8e9f0a1b"],
    ),
]


class Idempotency:
    def __init__(self, key: str | None, principal: str, digest: str) -> None:
        self.key, self.principal, self.digest = key, principal, digest

    def replay(self, session: Session) -> Response | None:
        """The stored first response for a retry, or None after claiming the key."""
        if self.key is None:
            return None
        stored = service.claim(session, self.principal, self.key, self.digest)
        if stored is None:
            return None
        headers = {**stored.headers, "Idempotent-Replayed": "true"}
        return Response(stored.body, status_code=stored.status_code, headers=headers)

    def complete(self, session: Session, response: Response) -> Response:
        """Store the response with the claim, in the same transaction as the write."""
        if self.key is not None:
            service.complete(
                session, response.status_code, bytes(response.body), dict(response.headers)
            )
        return response


async def get_idempotency(
    request: Request,
    principal: Annotated[Principal, Depends(get_principal)],
    key: KeyHeader = None,
) -> Idempotency:
    body = await request.body() if key is not None else b""
    digest = service.request_hash(request.method, request.url.path, body)
    return Idempotency(key, principal.key_id or f"anon:{principal.client}", digest)
