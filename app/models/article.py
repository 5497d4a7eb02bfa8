"""Articles and everything that hangs off one: tags, places, quotes and statistics."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, TimestampMixin, UtcDateTime, id_column, newest_first, parent_key

JSONType = JSON().with_variant(JSONB(), "postgresql")


class Source(TimestampMixin, Base):
    """A publisher."""

    __tablename__ = "source"

    id: Mapped[str] = id_column("src")
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), unique=True)
    domain: Mapped[str | None] = mapped_column(String(255), index=True)
    # Reuse terms: an SPDX licence expression or a URL, and the credit line to show.
    licence: Mapped[str | None] = mapped_column(String(500))
    attribution: Mapped[str | None] = mapped_column(String(500))


class Speaker(TimestampMixin, Base):
    """A person or body quoted across articles."""

    __tablename__ = "speaker"

    id: Mapped[str] = id_column("spk")
    name: Mapped[str] = mapped_column(String(300))
    name_key: Mapped[str] = mapped_column(String(300), unique=True)
    organisation: Mapped[str | None] = mapped_column(String(300))
    # False for a description ("a senior UN official", "authorities") rather than a name:
    # kept on its quotes, left out of the directory's default listing.
    named: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    aliases: Mapped[list[SpeakerAlias]] = relationship(
        back_populates="speaker", cascade="all, delete-orphan", lazy="selectin"
    )


class SpeakerAlias(Base):
    """Another form of a speaker's name ("Umerov" for "Rustem Umerov")."""

    __tablename__ = "speaker_alias"

    speaker_id: Mapped[str] = parent_key("speaker.id")
    alias_key: Mapped[str] = mapped_column(String(300), primary_key=True, index=True)
    alias: Mapped[str] = mapped_column(String(300))

    speaker: Mapped[Speaker] = relationship(back_populates="aliases")


class Location(TimestampMixin, Base):
    """A place: city, region, country, sea..."""

    __tablename__ = "location"

    id: Mapped[str] = id_column("loc")
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    location_key: Mapped[str] = mapped_column(String(220), unique=True)
    kind: Mapped[str] = mapped_column(String(32), default="other")
    country_code: Mapped[str | None] = mapped_column(String(2), index=True)
    latitude: Mapped[float | None] = mapped_column(Numeric(9, 6, asdecimal=False))
    longitude: Mapped[float | None] = mapped_column(Numeric(9, 6, asdecimal=False))


class Article(TimestampMixin, Base):
    """One news item with its clean body."""

    __tablename__ = "article"
    __table_args__ = newest_first("article", "source_id")

    id: Mapped[str] = id_column("art")
    title: Mapped[str] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    canonical_url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    source_id: Mapped[str | None] = mapped_column(ForeignKey("source.id", ondelete="SET NULL"))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    # Ordering key for lists: published_at when known, else the time it was stored.
    sort_at: Mapped[datetime] = mapped_column(UtcDateTime())
    language: Mapped[str | None] = mapped_column(String(16), index=True)
    authors: Mapped[list[str]] = mapped_column(JSONType, default=list)
    read_time_minutes: Mapped[int | None] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text)
    word_count: Mapped[int] = mapped_column(Integer, default=0)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # The article's own reuse terms; both None: its source's apply (docs/licence.md).
    licence: Mapped[str | None] = mapped_column(String(500))
    attribution: Mapped[str | None] = mapped_column(String(500))

    __mapper_args__: dict[str, Any] = {"version_id_col": version}  # noqa: RUF012

    source: Mapped[Source | None] = relationship(lazy="joined")
    tags: Mapped[list[ArticleTag]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="ArticleTag.tag"
    )
    locations: Mapped[list[ArticleLocation]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    quotes: Mapped[list[Quote]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Quote.start",
    )
    statistics: Mapped[list[Statistic]] = relationship(
        back_populates="article",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Statistic.start",
    )


class ArticleTag(Base):
    __tablename__ = "article_tag"

    article_id: Mapped[str] = parent_key("article.id")
    tag: Mapped[str] = mapped_column(String(64), primary_key=True, index=True)


class ArticleLocation(Base):
    __tablename__ = "article_location"

    article_id: Mapped[str] = parent_key("article.id")
    location_id: Mapped[str] = parent_key("location.id", index=True)
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)

    location: Mapped[Location] = relationship(lazy="joined")


class Quote(TimestampMixin, Base):
    """Words attributed to a speaker, with their span in the article body."""

    __tablename__ = "quote"
    __table_args__ = newest_first("quote", "speaker_id")

    id: Mapped[str] = id_column("quo")
    article_id: Mapped[str] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    speaker_id: Mapped[str | None] = mapped_column(ForeignKey("speaker.id", ondelete="SET NULL"))
    speaker_role: Mapped[str | None] = mapped_column(String(300))
    # The speaker's name when quoted (denormalised so full-text search covers it).
    speaker_name: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    cue: Mapped[str | None] = mapped_column(String(64))
    context: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column("span_start", Integer)
    end: Mapped[int] = mapped_column("span_end", Integer)
    sort_at: Mapped[datetime] = mapped_column(UtcDateTime())

    article: Mapped[Article] = relationship(back_populates="quotes")
    speaker: Mapped[Speaker | None] = relationship(lazy="joined")


class Statistic(TimestampMixin, Base):
    """A figure the article reports, with its span in the article body."""

    __tablename__ = "statistic"
    __table_args__ = (
        Index("ix_statistic_sort_at_id", "sort_at", "id"),
        # Covers the figure series (and metric filters): aggregated without touching rows.
        Index("ix_statistic_metric_series", "metric", "sort_at", "value", "id", "article_id"),
        # The estimates' grouping reads a metric's figures by the time they refer to.
        Index("ix_statistic_metric_reference_time", "metric", "reference_time"),
    )

    id: Mapped[str] = id_column("sta")
    article_id: Mapped[str] = mapped_column(
        ForeignKey("article.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[float] = mapped_column(Numeric(24, 6, asdecimal=False))
    value_max: Mapped[float | None] = mapped_column(Numeric(24, 6, asdecimal=False))
    unit: Mapped[str] = mapped_column(String(32), index=True)
    metric: Mapped[str] = mapped_column(String(64))
    qualifier: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(200))
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL"), index=True
    )
    cited_by: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    sentence: Mapped[str | None] = mapped_column(Text)
    start: Mapped[int] = mapped_column("span_start", Integer)
    end: Mapped[int] = mapped_column("span_end", Integer)
    sort_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # What the figure refers to (app/extraction/figures/reference.py), set when it is written.
    reference_time: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reference_precision: Mapped[str | None] = mapped_column(String(8))
    nature: Mapped[str | None] = mapped_column(String(16))

    article: Mapped[Article] = relationship(back_populates="statistics")


class ArticleDocument(Base):
    """The read model of GET /v1/articles/{id}: the article's rendered JSON and its ETag,
    rewritten in the transaction of every write that changes what the document shows
    (app/projections/read_model.py). A missing row only means "render it live"."""

    __tablename__ = "article_document"

    article_id: Mapped[str] = parent_key("article.id")
    etag: Mapped[str] = mapped_column(String(40))
    content: Mapped[bytes] = mapped_column(LargeBinary)
