"""Migration 0014 adds the list item tables empty (items not stored are rendered live);
`conflict-news db reindex --documents` fills them for the articles already stored, on every
engine."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from app.cli import cli
from app.core import migrate
from app.core.config import get_settings
from app.core.db import make_engine
from app.models import Article, ArticleItem, Quote, QuoteItem, Statistic, StatisticItem
from app.projections import list_items
from app.repositories import documents
from app.schemas.article import ArticleCreate
from app.services import articles as article_service
from tests.dbutil import ENGINES, fresh_database
from tests.factories import article_payload


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


def _counts(session: Session) -> list[int | None]:
    return [
        session.scalar(select(func.count()).select_from(table))
        for table in (Article, ArticleItem, Quote, QuoteItem, Statistic, StatisticItem)
    ]


def test_reindex_fills_the_items_of_articles_stored_before_0014(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrate.upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            for _ in range(3):
                article_service.create_article(
                    session, ArticleCreate.model_validate(article_payload())
                )
            session.commit()
        # Back to before the item tables, and up again: they come back empty.
        migrate.downgrade(database_url, "0012")
        migrate.upgrade(database_url)
        with Session(engine) as session:
            assert _counts(session) == [3, 0, 3, 0, 3, 0]
        monkeypatch.setenv("DATABASE_URL", database_url)
        get_settings.cache_clear()
        result = CliRunner().invoke(cli, ["db", "reindex", "--no-full-text", "--no-rollup"])
        assert result.exit_code == 0, result.output
        with Session(engine) as session:
            assert _counts(session) == [3, 3, 3, 3, 3, 3]
            for item in session.scalars(select(ArticleItem)):
                doc = documents.fetch(session.connection(), item.article_id)
                assert doc is not None
                assert item.content == list_items.article_item(doc)
    finally:
        get_settings.cache_clear()
        engine.dispose()
