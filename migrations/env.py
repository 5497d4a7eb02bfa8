"""Alembic environment: our metadata, type comparison, batch mode on SQLite."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection, Engine

from app.core.config import get_settings
from app.core.db import make_engine, normalise_url
from app.models import Base

config = context.config
target_metadata = Base.metadata


def include_name(name: str | None, type_: str, parent_names: Any) -> bool:
    """Hand-written full-text objects are not in the models: SQLite FTS5 tables (and their
    shadow tables), PostgreSQL `search` tsvector columns and their GIN indexes."""
    if name is None:
        return True
    if type_ == "table":
        return "_fts" not in name
    if type_ == "column":
        return name != "search"
    if type_ == "index":
        return not name.endswith("_search")
    return True


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
        include_name=include_name,
    )


def _url() -> str:
    return normalise_url(config.get_main_option("sqlalchemy.url") or get_settings().database_url)


def run_migrations_offline() -> None:
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        compare_type=True,
        render_as_batch=url.startswith("sqlite"),
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if isinstance(connection, Connection):
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    # pytest-alembic hands over an Engine; otherwise build one from the URL.
    engine = connection if isinstance(connection, Engine) else make_engine(_url())
    try:
        with engine.connect() as conn:
            _configure(conn)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        if engine is not connection:
            engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
