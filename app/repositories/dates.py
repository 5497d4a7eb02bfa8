"""Date buckets in each engine's own SQL (the figure series and rollup, the month facet)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Integer, String, cast, func, literal


def month(dialect: str, column: Any) -> ColumnElement[str]:
    """'YYYY-MM' of a timestamp, for facets."""
    if dialect == "sqlite":
        return func.strftime("%Y-%m", column)
    return func.to_char(column, "YYYY-MM")


def period(dialect: str, column: Any, interval: str) -> ColumnElement[str]:
    """Start of the day/week (Monday)/month of a UTC timestamp, as 'YYYY-MM-DD'."""
    if dialect == "sqlite":
        if interval == "day":
            return func.strftime("%Y-%m-%d", column)
        if interval == "week":
            # back to Monday: strftime('%w') is 0 for Sunday
            back = cast((cast(func.strftime("%w", column), Integer) + 6) % 7, String)
            return func.date(column, literal("-").concat(back).concat(" days"))
        return func.strftime("%Y-%m-01", column)
    return func.to_char(func.date_trunc(interval, func.timezone("UTC", column)), "YYYY-MM-DD")
