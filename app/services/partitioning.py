"""`conflict-news db partition`: the optional PostgreSQL path to time partitioning.

`article`, `quote` and `statistic` (the tables that grow with the articles) become
`PARTITION BY RANGE (sort_at)` with one partition per UTC month, from the oldest row's month
to `months_ahead` months past the newest (or today), and a default partition for anything
outside. Ids, columns, index and constraint names stay; no URL, parameter or JSON shape
changes. What PostgreSQL requires and what it costs is in docs/scaling.md ("Partitioning by
time"). Run again, it adds the months that have come into range since.

Everything happens in the caller's transaction, under the tables' ACCESS EXCLUSIVE locks:
reads and writes wait until it commits (seconds per 100,000 articles, see docs/scaling.md)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import Connection

from app.repositories import partitioning as repo

# Each table, with the columns other than `id` that must stay unique over all partitions.
# In this order: `quote` and `statistic` reference `article`, so its key table exists first.
TABLES: dict[str, list[str]] = {"article": ["canonical_url"], "quote": [], "statistic": []}


class PartitionError(Exception):
    """Partitioning that cannot be done here; the message says why."""


@dataclass(frozen=True)
class Outcome:
    table: str
    converted: bool  # False: it was partitioned already (months may have been added)
    rows: int
    partitions: int
    seconds: float


def months(first: date, last: date) -> list[date]:
    """The first day of every month from `first`'s to `last`'s, both included."""
    out: list[date] = []
    month = first.replace(day=1)
    while month <= last:
        out.append(month)
        month = _next(month)
    return out


def _next(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _shift(month: date, count: int) -> date:
    for _ in range(count):
        month = _next(month)
    return month


def partition(
    conn: Connection, *, months_ahead: int = 12, today: date | None = None
) -> list[Outcome]:
    """Partition every table of TABLES that is not yet, add missing months to those that
    are, then ANALYZE them."""
    if conn.dialect.name != "postgresql":
        raise PartitionError(
            "time partitioning is PostgreSQL's declarative partitioning; SQLite has none "
            "(and does not need it at the sizes it is meant for)"
        )
    if not repo.exists(conn, "article"):
        raise PartitionError("no schema here: run `conflict-news db upgrade` first")
    current = (today or datetime.now(UTC).date()).replace(day=1)
    outcomes = []
    for table, unique in TABLES.items():
        started = time.perf_counter()
        first, last = repo.month_span(conn, table)
        newest = max(last or current, current)
        wanted = months(first or current, _shift(newest, months_ahead))
        if repo.is_partitioned(conn, table):
            for month in wanted:
                name = repo.partition_name(table, month)
                repo.add_month(conn, table, name, month, _next(month))
            converted, rows = False, 0
        else:
            rows = _convert(conn, table, unique, wanted)
            converted = True
        repo.analyze(conn, table)
        outcomes.append(
            Outcome(
                table,
                converted,
                rows,
                len(repo.partitions(conn, table)),
                time.perf_counter() - started,
            )
        )
    return outcomes


def _convert(conn: Connection, table: str, unique: list[str], wanted: list[date]) -> int:
    """Copy `table` into a partitioned table of the same shape and give it its name."""
    new = f"{table}_partitioned"
    incoming = repo.incoming_foreign_keys(conn, table)
    outgoing = repo.outgoing_foreign_keys(conn, table)
    indexes = repo.plain_indexes(conn, table)
    targets = repo.statistics_targets(conn, table)
    repo.create_partitioned_copy(conn, table, new)
    for month in wanted:
        repo.add_month(conn, new, repo.partition_name(table, month), month, _next(month))
    repo.add_default(conn, new, f"{table}_default")
    rows = repo.copy_rows(conn, table, new, repo.stored_columns(conn, table))
    repo.create_key_table(conn, table, table, unique)
    for fk in incoming:
        repo.drop_foreign_key(conn, fk)
    repo.swap(conn, table, new)
    for statement in indexes:
        repo.run(conn, statement)
    for fk in outgoing:
        repo.add_foreign_key(conn, fk)
    for fk in incoming:
        repo.add_foreign_key(conn, fk, references=f"{table}_key")
    for column, target in targets.items():
        repo.set_statistics(conn, table, column, target)
    repo.add_key_triggers(conn, table, unique)
    return rows
