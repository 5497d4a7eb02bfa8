"""Who is calling and what they may do: API keys in `Authorization: Bearer` or `X-API-Key`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from asgi_correlation_id import correlation_id
from fastapi import Depends, Request
from fastapi.concurrency import run_in_threadpool

from app.api.state import app_state, get_database
from app.core.db import Database, Session
from app.core.errors import Forbidden, Unauthorized
from app.core.security import Principal
from app.services import api_keys as key_service
from app.services import keys as keys_service

# Declared in the OpenAPI document (app/main.py) for every /v1 operation. The headers are
# read by `get_principal` itself: FastAPI's security dependencies would be two more nodes to
# solve on every request, the hottest one included.
SECURITY_SCHEMES = {
    "HTTPBearer": {
        "type": "http",
        "description": "`Authorization: Bearer <API key>`",
        "scheme": "bearer",
    },
    "APIKeyHeader": {
        "type": "apiKey",
        "description": "The API key.",
        "in": "header",
        "name": "X-API-Key",
    },
}
SECURITY: list[dict[str, list[str]]] = [{"HTTPBearer": []}, {"APIKeyHeader": []}]


def presented_key(request: Request) -> str | None:
    """The key from `Authorization: Bearer <key>`, else from `X-API-Key`."""
    authorization = request.headers.get("authorization")
    if authorization:
        scheme, _, credentials = authorization.strip().partition(" ")
        if scheme.lower() == "bearer" and credentials.strip():
            return credentials.strip()
    return request.headers.get("x-api-key") or None


def _challenge(error: str | None = None) -> dict[str, str]:
    value = 'Bearer realm="conflict-news"'
    if error:
        value += f', error="{error}"'
    return {"WWW-Authenticate": value}


SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

KeyLookup = Callable[[str, bool], tuple[str, frozenset[str]] | None]


def lookup_key(session: Session, plaintext: str, write: bool) -> tuple[str, frozenset[str]] | None:
    key = key_service.find_active(session, plaintext)
    if key is None:
        return None
    # SQLite read transactions must not take the write lock, so usage is recorded on
    # writes there and on every request on PostgreSQL.
    if write or session.get_bind().dialect.name != "sqlite":
        key_service.touch(session, key)
    return key.id, key.scope_set


async def get_key_lookup(database: Annotated[Database, Depends(get_database)]) -> KeyLookup:
    """Looks a presented key up in a short transaction of its own (anonymous calls never
    touch the database for authentication)."""

    def lookup(plaintext: str, write: bool) -> tuple[str, frozenset[str]] | None:
        with database.transaction(write=write) as session:
            return lookup_key(session, plaintext, write)

    return lookup


async def get_principal(
    request: Request, lookup: Annotated[KeyLookup, Depends(get_key_lookup)]
) -> Principal:
    """Resolve the caller. Keys are never read from the query string and never logged."""
    client = request.client.host if request.client else "unknown"
    presented = presented_key(request)
    if not presented:
        principal = Principal(key_id=None, scopes=frozenset(), client=client)
    else:
        found = await run_in_threadpool(lookup, presented, request.method not in SAFE_METHODS)
        if found is None:
            raise Unauthorized(
                "The API key is unknown or revoked.", headers=_challenge("invalid_token")
            )
        principal = Principal(key_id=found[0], scopes=found[1], client=client)
    request.state.principal = principal
    return principal


def require_scope(scope: str) -> Callable[..., Awaitable[Principal]]:
    async def check(
        request: Request, principal: Annotated[Principal, Depends(get_principal)]
    ) -> Principal:
        # Read directly, not through a dependency: one node fewer on every request.
        settings = app_state(request.app).settings
        if scope == "read" and settings.public_reads:
            return principal
        if principal.anonymous:
            raise Unauthorized(
                f"This operation needs an API key with the `{scope}` scope.",
                headers=_challenge(),
            )
        if not principal.allows(scope):
            raise Forbidden(f"This API key lacks the `{scope}` scope.")
        return principal

    return check


async def admin_actor(
    principal: Annotated[Principal, Depends(require_scope("admin"))],
) -> keys_service.Actor:
    """The admin key acting, as the key audit trail records it (with the request id)."""
    return keys_service.Actor(
        key_id=principal.key_id,
        via="http",
        client=principal.client[:64],
        request_id=(correlation_id.get() or None),
    )
