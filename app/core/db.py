"""Engine and session handling: one code path for SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from fastapi import Request
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def normalise_url(url: str) -> str:
    """Map plain `postgresql://` / `postgres://` URLs to the psycopg 3 driver."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url


def make_engine(url: str, *, busy_timeout_ms: int = 5000, pool_size: int = 10) -> Engine:
    """Create an engine. SQLite gets WAL, foreign keys, a busy timeout and real SAVEPOINTs."""
    url = normalise_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)

    memory = make_url(url).database in (None, "", ":memory:")
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        poolclass=NullPool if memory else None,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Stop pysqlite's implicit BEGIN so SQLAlchemy controls transactions (and SAVEPOINTs).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # Writers take the write lock up front: a deferred read-then-write transaction in WAL
        # mode fails with SQLITE_BUSY instead of waiting on the busy timeout.
        immediate = conn.get_execution_options().get("sqlite_immediate", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


_PLACEHOLDER = re.compile(r"\$\d+")


def driver_sql(sql: str, paramstyle: str) -> str:
    """`$1, $2...` placeholders (asyncpg's) in the engine's own style (`?` for sqlite3,
    `%s` for psycopg); each placeholder used once, in order."""
    return _PLACEHOLDER.sub("?" if paramstyle == "qmark" else "%s", sql)


class DriverReads:
    """Single-statement reads straight on the database driver, for the hottest endpoint
    (GET /v1/articles/{id}: one primary-key read). SQLAlchemy's Core connection + implicit
    transaction cost ~10x the driver call itself here (see bench/RESULTS.md).

    SQLite: a pooled sqlite3 connection, called inline (a B-tree lookup is cheaper than a
    thread hop; one statement is its own consistent snapshot). PostgreSQL: an asyncpg pool,
    awaited, opened by `start()` in the app's lifespan; until then it is not `ready` and
    callers read through SQLAlchemy."""

    def __init__(self, engine: Engine, pool_size: int = 10) -> None:
        self.engine = engine
        self.pool_size = pool_size
        self.sqlite = engine.dialect.name == "sqlite"
        self.pool: Any = None

    @property
    def ready(self) -> bool:
        return self.sqlite or self.pool is not None

    async def start(self) -> None:
        if self.sqlite or self.pool is not None:
            return
        import asyncpg

        url = self.engine.url.set(drivername="postgresql")
        self.pool = await asyncpg.create_pool(
            url.render_as_string(hide_password=False), min_size=1, max_size=self.pool_size
        )

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
            self.pool = None

    async def row(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        if self.sqlite:
            raw = self.engine.raw_connection()
            try:
                cursor = raw.cursor()
                cursor.execute(driver_sql(sql, "qmark"), args)
                found = cursor.fetchone()
                cursor.close()
            finally:
                raw.close()
            return None if found is None else tuple(found)
        assert self.pool is not None, "start() opens the PostgreSQL pool; check `ready` first"
        record = await self.pool.fetchrow(sql, *args)
        return None if record is None else tuple(record)


class Database:
    """The engine, session factories for reads and for writes, and driver-level reads."""

    def __init__(self, engine: Engine, pool_size: int = 10) -> None:
        self.engine = engine
        self.driver = DriverReads(engine, pool_size)
        self.read_sessions = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(sqlite_immediate=True)
        self.write_sessions = sessionmaker(writer, expire_on_commit=False)

    def session(self, *, write: bool) -> Session:
        return (self.write_sessions if write else self.read_sessions)()

    def dispose(self) -> None:
        self.engine.dispose()


def get_session(request: Request) -> Iterator[Session]:
    """One session per request: commit once if the handler succeeded, roll back otherwise."""
    database: Database = request.app.state.database
    session = database.session(write=request.method not in SAFE_METHODS)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
