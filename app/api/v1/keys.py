"""/v1/keys: API keys managed over HTTP by `admin` keys (beside `conflict-news keys`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Query, Response

from app.api.deps import AdminActor, KeyId, ListsDep, SessionDep
from app.api.listing import get_route, list_route, write_route
from app.schemas import keys as schemas
from app.schemas.keys import KeyCreate, KeyCreated, KeyFilter, KeyRead, KeyRotate
from app.services import keys as service


async def no_store(response: Response) -> None:
    """Key documents are for the admin who asked: never kept by a cache."""
    response.headers["Cache-Control"] = "no-store"


router = APIRouter(prefix="/keys", tags=["keys"], dependencies=[Depends(no_store)])


@router.post("", **write_route(KeyCreated, "Create an API key", 400, 413, 422, status_code=201))
def create_key(body: KeyCreate, session: SessionDep, actor: AdminActor, response: Response) -> Any:
    """Issue a key with a name and scopes (`read`, `write`, `admin`), optionally expiring.
    The answer carries the secret in `key`, **this once**: only its SHA-256 is stored, and
    no other response shows it. The action is recorded in the key audit trail
    (`GET /v1/keys/events`) with the admin key that made it. Needs the `admin` scope."""
    created = service.create_key(session, body, actor)
    response.headers["Location"] = f"/v1/keys/{created.id}"
    return created


@router.get("", **list_route(KeyRead, "List API keys"))
def list_keys(filters: Annotated[KeyFilter, Query()], lists: ListsDep, _: AdminActor) -> Any:
    """Every key, newest first, with its scopes, state (`active`, `expired`, `revoked`) and
    when it was last used (to the minute). Never a secret: a key is recognised by its
    `prefix`, the 8 hex characters after `cn_`. Needs the `admin` scope."""
    return lists.serve(service.KEYS, filters)


@router.get("/events", **list_route(schemas.KeyEventRead, "List key actions"))
def list_key_events(
    filters: Annotated[schemas.KeyEventFilter, Query()], lists: ListsDep, _: AdminActor
) -> Any:
    """The key audit trail, newest first: every key created, rotated or revoked, over HTTP
    or from the CLI, with who acted (`actor_key_id`, `client`, `request_id`) and when.
    Filter by `key_id`, `actor_key_id` or `action`. Needs the `admin` scope."""
    return lists.serve(service.KEY_EVENTS, filters)


@router.get("/{key_id}", **get_route(KeyRead, "Get an API key"))
def get_key(key_id: KeyId, session: SessionDep, _: AdminActor) -> KeyRead:
    """One key as listed (never its secret). Needs the `admin` scope."""
    return service.get_key(session, key_id)


@router.post(
    "/{key_id}/rotate",
    **write_route(KeyCreated, "Rotate an API key", 400, 404, 409, 413, 422, status_code=201),
)
def rotate_key(
    key_id: KeyId,
    session: SessionDep,
    actor: AdminActor,
    response: Response,
    body: Annotated[KeyRotate | None, Body()] = None,
) -> Any:
    """Issue a new secret with the same name, scopes and expiry (shown this once, in `key`)
    and retire the old one: at once, or after `grace_seconds` (up to 7 days) so callers can
    switch over. Only an active key can be rotated (else 409). Both keys' audit trails
    record it. Needs the `admin` scope."""
    created = service.rotate_key(session, key_id, body or KeyRotate(), actor)
    response.headers["Location"] = f"/v1/keys/{created.id}"
    return created


@router.delete("/{key_id}", **write_route(KeyRead, "Revoke an API key", 404, 422))
def revoke_key(key_id: KeyId, session: SessionDep, actor: AdminActor) -> KeyRead:
    """Revoke a key: requests with it get 401 from now on. The key stays listed, `revoked`,
    with its audit trail; revoking it again changes nothing. Needs the `admin` scope."""
    return service.revoke_key(session, key_id, actor)
