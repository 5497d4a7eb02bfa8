"""Every dependency alias, in one place: a route's signature reads as a list of guarantees.

The database is reached through one dependency, `get_database` (app/api/state.py): the
request's session, plain-row reads, driver reads, export streams and per-line bulk sessions
all come from the `Database` it returns, so tests replace that one object."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any

from fastapi import Depends, Path, Request, Response

from app.api.auth import SAFE_METHODS, admin_actor, get_principal, require_scope
from app.api.idempotency import Idempotency, get_idempotency
from app.api.listing import Lists, ReadLists
from app.api.state import get_app_settings, get_database
from app.core.config import Settings
from app.core.db import Database, Session
from app.core.pagination import CursorCodec
from app.core.security import Principal
from app.models import Article
from app.services import articles as article_service
from app.services.keys import Actor

DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_app_settings)]


def get_session(request: Request, database: DatabaseDep) -> Iterator[Session]:
    """One session per request: committed once if the handler succeeded, else rolled back."""
    with database.request_session(write=request.method not in SAFE_METHODS) as session:
        yield session


# scope="function": commit before the response is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]

PrincipalDep = Annotated[Principal, Depends(get_principal)]
ReadKey = Annotated[Principal, Depends(require_scope("read"))]
WriteKey = Annotated[Principal, Depends(require_scope("write"))]
AdminKey = Annotated[Principal, Depends(require_scope("admin"))]
IdempotencyDep = Annotated[Idempotency, Depends(get_idempotency)]


async def get_codec(settings: SettingsDep) -> CursorCodec:
    return CursorCodec(settings.cursor_secret)


CodecDep = Annotated[CursorCodec, Depends(get_codec)]


def get_lists(
    request: Request,
    response: Response,
    session: SessionDep,
    codec: CodecDep,
    database: DatabaseDep,
) -> Lists:
    return Lists(request, response, session, codec, database)


ListsDep = Annotated[Lists, Depends(get_lists)]


async def get_read_lists(
    request: Request, response: Response, codec: CodecDep, database: DatabaseDep
) -> ReadLists:
    return ReadLists(request, response, codec, database)


ReadListsDep = Annotated[ReadLists, Depends(get_read_lists)]


def id_path(what: str, prefix: str, description: str | None = None) -> Any:
    """The path parameter of one resource's id: the same shape for every resource."""
    return Path(
        min_length=1,
        max_length=64,
        description=description or f"{what} id.",
        examples=[f"{prefix}_0195c1a2b3c47d8e9f00112233445566"],
    )


ArticleId = Annotated[
    str, id_path("Article", "art", "Article id, as returned when it was created.")
]
QuoteId = Annotated[str, id_path("Quote", "quo")]
StatisticId = Annotated[str, id_path("Statistic", "sta")]
SpeakerId = Annotated[str, id_path("Speaker", "spk")]
SourceId = Annotated[str, id_path("Source", "src")]
LocationId = Annotated[str, id_path("Location", "loc")]
EstimateId = Annotated[str, id_path("Estimate", "est")]
WebhookId = Annotated[str, id_path("Webhook", "whk")]
KeyId = Annotated[str, id_path("API key", "key")]
# The admin key acting on keys, as their audit trail records it.
AdminActor = Annotated[Actor, Depends(admin_actor)]


def get_article_or_404(article_id: ArticleId, session: SessionDep) -> Article:
    return article_service.get_article(session, article_id)


ArticleDep = Annotated[Article, Depends(get_article_or_404)]
