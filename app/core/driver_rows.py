"""Every row of one statement straight on the database driver, for the hottest list pages
(a plain keyset page of stored list items): `DriverReads.row` (app/core/db.py) returns one
row; this returns them all, on the same connections and under the same read timeout.

SQLite: a pooled sqlite3 connection, called inline, its read bounded by the progress
handler every read transaction gets (reset when the connection goes back to the pool).
PostgreSQL: the asyncpg pool of `DriverReads`, whose sessions carry `statement_timeout`.
With replicas, or before the asyncpg pool is open, the statement runs through SQLAlchemy
(`Database.read`: its replica choice and fallbacks)."""

from __future__ import annotations

from functools import partial
from typing import Any

from app.core.db import Database, _bound_sqlite_read, all_rows, driver_sql, is_statement_timeout
from app.core.errors import QueryTooExpensive


async def fetch_all(database: Database, sql: str, *args: Any) -> list[tuple[Any, ...]]:
    """The rows of one statement with `$1, $2...` placeholders."""
    driver = database.driver
    if database.replicas or not driver.ready:
        return await database.read(partial(all_rows, sql=sql, args=args))
    try:
        if driver.sqlite:
            return _sqlite_rows(database, sql, args)
        return [tuple(record) for record in await driver.pool.fetch(sql, *args)]
    except Exception as exc:
        if is_statement_timeout(exc):
            raise QueryTooExpensive.after(database.read_timeout_ms) from exc
        raise


def _sqlite_rows(database: Database, sql: str, args: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    raw = database.engine.raw_connection()
    try:
        connection: Any = raw.driver_connection
        _bound_sqlite_read(connection, database.read_timeout_ms)
        cursor = connection.execute(driver_sql(sql, "qmark"), args)
        rows: list[tuple[Any, ...]] = cursor.fetchall()
        cursor.close()
    finally:
        raw.close()  # the pool's checkin resets the progress handler
    return rows
