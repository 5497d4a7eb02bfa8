"""Alembic from Python: config, upgrade/downgrade, and 'is the schema at head?'."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from app.core.db import normalise_url


def migrations_dir() -> Path:
    """`migrations/` beside the `app` package (source checkout or the container's /srv)."""
    here = Path(__file__).resolve().parents[2] / "migrations"
    if here.is_dir():
        return here
    return Path.cwd() / "migrations"


def alembic_config(database_url: str | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("file_template", "%%(year)d-%%(month).2d-%%(day).2d_%%(slug)s")
    if database_url:
        cfg.set_main_option("sqlalchemy.url", normalise_url(database_url).replace("%", "%%"))
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str) -> None:
    command.downgrade(alembic_config(database_url), revision)


def head_revisions() -> set[str]:
    return set(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(engine: Engine) -> set[str]:
    with engine.connect() as conn:
        return set(MigrationContext.configure(conn).get_current_heads())


def at_head(engine: Engine) -> bool:
    return current_revisions(engine) == head_revisions()


def reachable_revisions(engine: Engine) -> list[str] | None:
    """The schema's current revisions, sorted; None when the database does not answer."""
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return sorted(current_revisions(engine))
    except SQLAlchemyError:
        return None
