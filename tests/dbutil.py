"""Throwaway databases for tests: a SQLite file, or a PostgreSQL database created beside
TEST_DATABASE_URL and dropped afterwards."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import psycopg
from sqlalchemy.engine import make_url

if TYPE_CHECKING:
    from app.core.config import Settings

ENGINES = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def _admin_conninfo(url: str) -> str:
    u = make_url(url)
    return u.set(drivername="postgresql").render_as_string(hide_password=False)


@contextmanager
def fresh_database(kind: str, tmp_dir: Path) -> Iterator[str]:
    """Yield the SQLAlchemy URL of a new, empty database of this kind."""
    if kind == "sqlite":
        path = tmp_dir / f"test-{uuid.uuid4().hex[:8]}.db"
        yield f"sqlite:///{path.as_posix()}"
        return
    base = os.environ["TEST_DATABASE_URL"]
    name = f"cn_test_{uuid.uuid4().hex[:12]}"
    admin = _admin_conninfo(base)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def make_settings(url: str, **overrides: object) -> Settings:
    """Settings for a test app on `url` (the suite's defaults, then `overrides`)."""
    from app.core.config import Settings

    values: dict[str, object] = {
        "environment": "test",
        "database_url": url,
        "cursor_secret": "test-cursor-secret",
        "log_json": False,
        "log_level": "WARNING",
    }
    return Settings(**{**values, **overrides})  # type: ignore[arg-type]
