"""Raw text in: parse, clean, extract, then store through the article service."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.models import Article
from app.schemas.article import RawArticleCreate
from app.services import articles as article_service
from app.services import extraction


def create_from_text(session: Session, raw: RawArticleCreate) -> Article:
    parsed = extraction.parse_raw(raw)
    return article_service.create_article(session, parsed.article, places=parsed.places)
