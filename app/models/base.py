"""Declarative base, constraint naming convention, public ids and UTC timestamps."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, ForeignKey, Index, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from uuid_utils.compat import uuid7

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ID_LENGTH = 40


def new_id(prefix: str) -> str:
    """An opaque, URL-safe, time-ordered id (`art_0195c1a2...`), the same on every database."""
    return f"{prefix}_{uuid7().hex}"


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """Stores aware UTC datetimes; SQLite hands back naive values, which are re-tagged as UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):  # pragma: no cover - defensive for raw SQLite text
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UtcDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


def id_column(prefix: str) -> Mapped[str]:
    return mapped_column(String(ID_LENGTH), primary_key=True, default=lambda: new_id(prefix))


def parent_key(target: str, **options: Any) -> Mapped[str]:
    """A key column that refers to `target` ("table.id"): the row goes with its parent."""
    return mapped_column(ForeignKey(target, ondelete="CASCADE"), primary_key=True, **options)


def newest_first(table: str, *within: str) -> tuple[Index, ...]:
    """The indexes of a list read newest first, by (`sort_at`, `id`): the whole list, and
    the rows of one value of each column `within` (`ix_<table>_<column>_sort_at`)."""
    by_column = (Index(f"ix_{table}_{column}_sort_at", column, "sort_at") for column in within)
    return (Index(f"ix_{table}_sort_at_id", "sort_at", "id"), *by_column)
