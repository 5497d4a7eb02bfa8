"""Rollups: derived tables kept exact in the writing transaction (app/projections/rollups.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Integer, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import ID_LENGTH, Base

ALL_PLACES = "*"
"""`location_id` of the rows that aggregate every place (and none) of a metric, unit and day."""
NO_PLACE = ""
"""`location_id` of the figures without a place (a primary key column cannot be NULL)."""


class StatisticDaily(Base):
    """The figures of one metric, unit and place reported on one UTC day (of
    `statistic.sort_at`): what GET /v1/statistics/series adds up instead of every figure.

    `top` holds the up to 5 largest figures as `[value, statistic_id, article_id]`, largest
    first, ties by id: the top 5 of a period is the top 5 of its days' tops. Besides one row
    per place (`location_id`, or `NO_PLACE`) there is one `ALL_PLACES` row per metric, unit and
    day, so a series over every place reads ~one row per day instead of one per place and day.
    The key starts (metric, location_id) so both kinds of read are one index range."""

    __tablename__ = "statistic_daily"
    # SQLite: rows stored in key order, so a series reads one contiguous range (no rowid hop).
    __table_args__ = {"sqlite_with_rowid": False}  # noqa: RUF012

    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    location_id: Mapped[str] = mapped_column(String(ID_LENGTH), primary_key=True)
    unit: Mapped[str] = mapped_column(String(32), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # 'YYYY-MM-DD'
    count: Mapped[int] = mapped_column(Integer)
    min: Mapped[float] = mapped_column(Numeric(24, 6, asdecimal=False))
    max: Mapped[float] = mapped_column(Numeric(24, 6, asdecimal=False))
    # A day's total can pass what one figure may (10^18): migration 0016.
    sum: Mapped[float] = mapped_column(Numeric(38, 6, asdecimal=False))
    top: Mapped[list[list[Any]]] = mapped_column(JSON)
