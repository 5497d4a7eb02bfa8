"""Annotated dependencies: a route's signature reads as a list of guarantees."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from sqlalchemy.orm import Session

from app.core.config import Settings
from app.core.db import get_session
from app.core.errors import NotFound
from app.core.pagination import CursorCodec
from app.models import Article
from app.repositories import articles as articles_repo

# scope="function": commit before the response is sent, so a failed commit is never a 2xx.
SessionDep = Annotated[Session, Depends(get_session, scope="function")]


async def app_settings(request: Request) -> Settings:
    """The settings the app was built with (tests build apps with their own)."""
    settings: Settings = request.app.state.settings
    return settings


SettingsDep = Annotated[Settings, Depends(app_settings)]


async def get_codec(settings: SettingsDep) -> CursorCodec:
    return CursorCodec(settings.cursor_secret)


CodecDep = Annotated[CursorCodec, Depends(get_codec)]

ArticleIdPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=64,
        description="Article id, as returned when it was created.",
        examples=["art_0195c1a2b3c47d8e9f00112233445566"],
    ),
]


def get_article_or_404(article_id: ArticleIdPath, session: SessionDep) -> Article:
    article = articles_repo.get(session, article_id)
    if article is None:
        raise NotFound(f"No article with id {article_id}.")
    return article


ArticleDep = Annotated[Article, Depends(get_article_or_404)]
