"""Engine and session handling: one code path for SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

# Session is re-exported for the routers' type hints (app.api does not import sqlalchemy).
__all__ = [
    "Database",
    "DriverReads",
    "Session",
    "driver_sql",
    "first_row",
    "make_engine",
    "normalise_url",
]

T = TypeVar("T")


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
    """Every way the app reads and writes, behind one object (the app's lifespan builds one;
    routes reach it through `DatabaseDep` in app/api/deps.py, tests replace it whole):

    * `request_session(write=)`: the request's ORM session, committed once or rolled back;
    * `transaction(write=)`: a short session of its own (API-key lookups);
    * `read(fn)`: `fn(connection)` on a Core connection, inline on SQLite (bounded,
      index-backed reads cost less than the thread-pool hop), in the thread pool on a
      networked database;
    * `row(sql, *args)`: one statement straight on the driver (`DriverReads`) when it is
      open, else through `read`;
    * `stream()`: a read transaction that outlives the request (exports);
    * `line_session()`: a write transaction per line (bulk import)."""

    def __init__(self, engine: Engine, pool_size: int = 10) -> None:
        self.engine = engine
        self.driver = DriverReads(engine, pool_size)
        self.inline = engine.dialect.name == "sqlite"
        self.read_sessions = sessionmaker(engine, expire_on_commit=False)
        writer = engine.execution_options(sqlite_immediate=True)
        self.write_sessions = sessionmaker(writer, expire_on_commit=False)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def session(self, *, write: bool) -> Session:
        return (self.write_sessions if write else self.read_sessions)()

    def request_session(self, *, write: bool) -> AbstractContextManager[Session]:
        """One session per request: commit once if the handler succeeded, else roll back."""
        return _committed(self.session(write=write))

    @contextmanager
    def transaction(self, *, write: bool) -> Iterator[Session]:
        with self.session(write=write) as session, session.begin():
            yield session

    def stream(self) -> AbstractContextManager[Session]:
        """Exports outlive the request's session, so they open their own read transaction."""
        return self.transaction(write=False)

    def line_session(self) -> AbstractContextManager[Session]:
        """Bulk import commits each line on its own: a write transaction per line."""
        return self.transaction(write=True)

    def connect(self) -> AbstractContextManager[Connection]:
        return self.engine.connect()

    async def read(self, fn: Callable[[Connection], T]) -> T:
        def run() -> T:
            with self.connect() as conn:
                return fn(conn)

        return run() if self.inline else await anyio.to_thread.run_sync(run)

    async def row(self, sql: str, *args: Any) -> tuple[Any, ...] | None:
        """The first row of one statement with `$1, $2...` placeholders, or None."""
        if self.driver.ready:
            return await self.driver.row(sql, *args)
        return await self.read(partial(first_row, sql=sql, args=args))

    async def start(self) -> None:
        await self.driver.start()

    async def close(self) -> None:
        await self.driver.close()

    def dispose(self) -> None:
        self.engine.dispose()


def first_row(conn: Connection, *, sql: str, args: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The first row of one `$1, $2...` statement, through SQLAlchemy's connection."""
    found = conn.exec_driver_sql(driver_sql(sql, conn.dialect.paramstyle), args).first()
    return None if found is None else tuple(found)


@contextmanager
def _committed(session: Session) -> Iterator[Session]:
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
