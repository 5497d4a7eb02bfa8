"""Who is calling and what they may do: API keys in `Authorization: Bearer` or `X-API-Key`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from app.api.deps import SessionDep, SettingsDep
from app.core.db import SAFE_METHODS
from app.core.errors import AppError
from app.core.security import Principal
from app.services import keys as key_service

bearer_scheme = HTTPBearer(auto_error=False, description="`Authorization: Bearer <API key>`")
header_scheme = APIKeyHeader(name="X-API-Key", auto_error=False, description="The API key.")


class Unauthorized(AppError):
    status, type, title = 401, "unauthorized", "Authentication required"


class Forbidden(AppError):
    status, type, title = 403, "forbidden", "Insufficient scope"


def _challenge(error: str | None = None) -> dict[str, str]:
    value = 'Bearer realm="conflict-news"'
    if error:
        value += f', error="{error}"'
    return {"WWW-Authenticate": value}


def get_principal(
    request: Request,
    session: SessionDep,
    bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
    header_key: Annotated[str | None, Depends(header_scheme)],
) -> Principal:
    """Resolve the caller. Keys are never read from the query string and never logged."""
    client = request.client.host if request.client else "unknown"
    presented = (bearer.credentials if bearer else None) or header_key
    if not presented:
        principal = Principal(key_id=None, scopes=frozenset(), client=client)
    else:
        key = key_service.find_active(session, presented)
        if key is None:
            raise Unauthorized(
                "The API key is unknown or revoked.", headers=_challenge("invalid_token")
            )
        # SQLite read transactions must not take the write lock, so usage is recorded on
        # writes there and on every request on PostgreSQL.
        if request.method not in SAFE_METHODS or session.get_bind().dialect.name != "sqlite":
            key_service.touch(session, key)
        principal = Principal(key_id=key.id, scopes=key.scope_set, client=client)
    request.state.principal = principal
    return principal


PrincipalDep = Annotated[Principal, Depends(get_principal)]


def require_scope(scope: str) -> Callable[..., Principal]:
    def check(principal: PrincipalDep, settings: SettingsDep) -> Principal:
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


ReadKey = Annotated[Principal, Depends(require_scope("read"))]
WriteKey = Annotated[Principal, Depends(require_scope("write"))]
