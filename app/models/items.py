"""The list read model: each list item's rendered JSON, beside the article document and kept
by the same hook (app/projections/list_items.py), so a list page is one keyset read of
stored bytes. A missing row only means "render that item live"."""

from __future__ import annotations

from sqlalchemy import LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, parent_key


class ArticleItem(Base):
    """An article as `GET /v1/articles` lists it (`ArticleSummary` without the parts a
    request adds: `snippet`, `body`, `quotes`, `statistics`)."""

    __tablename__ = "article_item"

    article_id: Mapped[str] = parent_key("article.id")
    content: Mapped[bytes] = mapped_column(LargeBinary)


class QuoteItem(Base):
    """A quote as `GET /v1/quotes` lists it (`QuoteHit` with its article's reference, without
    the `snippet` a search adds)."""

    __tablename__ = "quote_item"

    quote_id: Mapped[str] = parent_key("quote.id")
    content: Mapped[bytes] = mapped_column(LargeBinary)


class StatisticItem(Base):
    """A figure as `GET /v1/statistics` lists it (`StatisticHit` with its place and its
    article's reference, without the `snippet` a search adds)."""

    __tablename__ = "statistic_item"

    statistic_id: Mapped[str] = parent_key("statistic.id")
    content: Mapped[bytes] = mapped_column(LargeBinary)
