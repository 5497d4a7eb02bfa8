"""Transaction-scoped advisory locks: the PostgreSQL-only SQL that orders concurrent writers.
On SQLite every function here does nothing: writers are already serialised by
`BEGIN IMMEDIATE` (app/core/db.py)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session


def lock(session: Session, key: int) -> bool:
    """Take the lock `key` until the transaction ends; False (and nothing done) on SQLite."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": key})
    return True


def lock_pairs(conn: Connection, space: int, keys: Iterable[int]) -> None:
    """Take the locks (space, key) for each key, in the order given."""
    if conn.dialect.name != "postgresql":
        return
    for k in keys:
        conn.execute(text("SELECT pg_advisory_xact_lock(:space, :k)"), {"space": space, "k": k})
