"""Estimates: statistics that report the same quantity, reconciled into one record
(kept current in the writer's transaction by app/reconciliation/projection.py)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import ID_LENGTH, Base, UtcDateTime, newest_first, parent_key, utcnow


class Estimate(Base):
    """One quantity (an incident's toll, a stock as of a month) and its low/best/high.

    `bucket` names the slice of figures it was grouped in (metric, unit, country, month):
    a write recomputes the estimates of the buckets it touches, whole."""

    __tablename__ = "estimate"
    __table_args__ = newest_first("estimate", "metric")

    id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    bucket: Mapped[str] = mapped_column(String(200), index=True)
    metric: Mapped[str] = mapped_column(String(64))
    unit: Mapped[str] = mapped_column(String(32))
    nature: Mapped[str] = mapped_column(String(16), index=True)
    location: Mapped[str | None] = mapped_column(String(200))
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("location.id", ondelete="SET NULL"), index=True
    )
    country_code: Mapped[str | None] = mapped_column(String(2), index=True)
    reference_time: Mapped[datetime] = mapped_column(UtcDateTime())
    reference_precision: Mapped[str] = mapped_column(String(8))
    low: Mapped[float] = mapped_column(Numeric(24, 6, asdecimal=False))
    best: Mapped[float] = mapped_column(Numeric(24, 6, asdecimal=False))
    high: Mapped[float] = mapped_column(Numeric(24, 6, asdecimal=False))
    best_rule: Mapped[str] = mapped_column(String(64))
    best_statistic_id: Mapped[str] = mapped_column(String(ID_LENGTH))
    report_count: Mapped[int] = mapped_column(Integer)
    source_count: Mapped[int] = mapped_column(Integer)
    first_reported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    last_reported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    # The list's order: the time the quantity refers to.
    sort_at: Mapped[datetime] = mapped_column(UtcDateTime())

    members: Mapped[list[EstimateMember]] = relationship(
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="EstimateMember.position",
        lazy="selectin",
    )


class EstimateMember(Base):
    """One report behind an estimate and the rule that put it there."""

    __tablename__ = "estimate_member"

    estimate_id: Mapped[str] = parent_key("estimate.id")
    statistic_id: Mapped[str] = parent_key("statistic.id", unique=True)
    position: Mapped[int] = mapped_column(Integer)
    article_id: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    source_id: Mapped[str | None] = mapped_column(String(ID_LENGTH))
    source: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[float] = mapped_column(Numeric(24, 6, asdecimal=False))
    value_max: Mapped[float | None] = mapped_column(Numeric(24, 6, asdecimal=False))
    qualifier: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    start: Mapped[int] = mapped_column("span_start", Integer)
    end: Mapped[int] = mapped_column("span_end", Integer)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime())
    rule: Mapped[str] = mapped_column(String(120))


class EstimateDecision(Base):
    """An admin's split or merge, pinned to the figures it concerns so that it survives
    regrouping: figures with the same `label` are grouped together (in `bucket`), figures
    with different labels are never grouped together. A figure is named by its article,
    metric and text, so an edit of the article that keeps the figure keeps the decision;
    deleting the article drops it."""

    __tablename__ = "estimate_decision"

    article_id: Mapped[str] = parent_key("article.id")
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    text: Mapped[str] = mapped_column(Text, primary_key=True)
    label: Mapped[str] = mapped_column(String(ID_LENGTH), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    bucket: Mapped[str] = mapped_column(String(200), index=True)
    decided_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
