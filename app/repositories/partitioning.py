"""The PostgreSQL-only SQL of `conflict-news db partition` (app/services/partitioning.py):
turn a table into one `PARTITION BY RANGE (sort_at)` with a partition per month, keeping its
columns, indexes, constraint names and data.

PostgreSQL wants the partition key in every unique constraint of a partitioned table, so the
table's own primary key becomes `(id, sort_at)`, and what must stay unique over the whole
table (the id; `article.canonical_url`) moves to a small unpartitioned `<table>_key` table
kept by statement-level triggers. The foreign keys that referenced the table reference its
key table instead, with the same `ON DELETE` action: deleting an article deletes its key row,
which cascades to its quotes, statistics, tags, places and document as before."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text


@dataclass(frozen=True)
class ForeignKey:
    table: str
    name: str
    definition: str


def is_partitioned(conn: Connection, table: str) -> bool:
    row = conn.execute(
        text("SELECT relkind FROM pg_class WHERE oid = to_regclass(:t)"), {"t": table}
    ).first()
    return row is not None and row[0] == "p"


def exists(conn: Connection, table: str) -> bool:
    return conn.execute(text("SELECT to_regclass(:t)"), {"t": table}).scalar() is not None


def month_span(conn: Connection, table: str) -> tuple[date | None, date | None]:
    """The first days of the months of the oldest and the newest `sort_at` (UTC)."""
    row = conn.execute(
        text(
            "SELECT CAST(date_trunc('month', min(sort_at) AT TIME ZONE 'UTC') AS date), "
            f"CAST(date_trunc('month', max(sort_at) AT TIME ZONE 'UTC') AS date) FROM {table}"
        )
    ).one()
    return row[0], row[1]


_PARTITIONS = (
    "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
    "WHERE i.inhparent = to_regclass(:t) ORDER BY c.relname"
)


def partitions(conn: Connection, table: str) -> list[str]:
    """The names of the table's partitions."""
    return _names(conn, _PARTITIONS, table)


def _names(conn: Connection, sql: str, table: str) -> list[str]:
    """The first column of `sql`, run with `:t` = `table`."""
    return [r[0] for r in conn.execute(text(sql), {"t": table})]


def partition_name(table: str, month: date) -> str:
    return f"{table}_{month:%Y_%m}"


def add_month(conn: Connection, parent: str, name: str, month: date, following: date) -> None:
    """The partition `name` of `parent` for [month, following) (UTC), unless it exists."""
    conn.execute(
        text(
            f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {parent} "
            f"FOR VALUES FROM ('{month.isoformat()} 00:00:00+00') "
            f"TO ('{following.isoformat()} 00:00:00+00')"
        )
    )


def add_default(conn: Connection, parent: str, name: str) -> None:
    """The partition of every `sort_at` no monthly partition covers."""
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {parent} DEFAULT"))


def incoming_foreign_keys(conn: Connection, table: str) -> list[ForeignKey]:
    return _foreign_keys(conn, "confrelid", table)


def outgoing_foreign_keys(conn: Connection, table: str) -> list[ForeignKey]:
    return _foreign_keys(conn, "conrelid", table)


def _foreign_keys(conn: Connection, side: str, table: str) -> list[ForeignKey]:
    rows = conn.execute(
        text(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
            f"FROM pg_constraint WHERE contype = 'f' AND {side} = to_regclass(:t) "
            "ORDER BY conname"
        ),
        {"t": table},
    )
    return [ForeignKey(r[0], r[1], r[2]) for r in rows]


def plain_indexes(conn: Connection, table: str) -> list[str]:
    """`CREATE INDEX` statements of the indexes not backing a constraint."""
    rows = conn.execute(
        text(
            "SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "WHERE i.indrelid = to_regclass(:t) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
            "ORDER BY 1"
        ),
        {"t": table},
    )
    return [r[0] for r in rows]


def statistics_targets(conn: Connection, table: str) -> dict[str, int]:
    """Columns with a statistics target of their own (migration 0007's `search`)."""
    rows = conn.execute(
        text(
            "SELECT attname, attstattarget FROM pg_attribute WHERE attrelid = to_regclass(:t) "
            "AND attnum > 0 AND NOT attisdropped AND attstattarget > 0"
        ),
        {"t": table},
    )
    return {r[0]: int(r[1]) for r in rows}


_STORED_COLUMNS = (
    "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(:t) AND attnum > 0 "
    "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum"
)


def stored_columns(conn: Connection, table: str) -> list[str]:
    """The columns that are written (generated ones are computed again)."""
    return _names(conn, _STORED_COLUMNS, table)


def create_partitioned_copy(conn: Connection, table: str, new: str) -> None:
    """An empty `new` with `table`'s columns, defaults, generated columns and checks,
    partitioned by `sort_at`."""
    conn.execute(
        text(
            f"CREATE TABLE {new} (LIKE {table} INCLUDING DEFAULTS INCLUDING GENERATED "
            "INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) "
            "PARTITION BY RANGE (sort_at)"
        )
    )


def copy_rows(conn: Connection, source: str, target: str, columns: list[str]) -> int:
    names = ", ".join(columns)
    result = conn.execute(text(f"INSERT INTO {target} ({names}) SELECT {names} FROM {source}"))
    return int(result.rowcount)


def create_key_table(conn: Connection, table: str, source: str, unique: list[str]) -> None:
    """`<table>_key`: the table's id (primary key) and other unique columns, filled from
    `source`."""
    key = f"{table}_key"
    column_types = conn.execute(
        text(
            "SELECT attname, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute "
            "WHERE attrelid = to_regclass(:t) AND attname = ANY(:c)"
        ),
        {"t": source, "c": ["id", *unique]},
    ).all()
    typed = {
        name: f"{kind}{' NOT NULL' if not_null else ''}" for name, kind, not_null in column_types
    }
    columns = ", ".join(f"{c} {typed[c]}" for c in ["id", *unique])
    constraints = "".join(f", CONSTRAINT uq_{key}_{c} UNIQUE ({c})" for c in unique)
    conn.execute(
        text(f"CREATE TABLE {key} ({columns}, CONSTRAINT pk_{key} PRIMARY KEY (id){constraints})")
    )
    names = ", ".join(["id", *unique])
    conn.execute(text(f"INSERT INTO {key} ({names}) SELECT {names} FROM {source}"))


def drop_foreign_key(conn: Connection, fk: ForeignKey) -> None:
    conn.execute(text(f"ALTER TABLE {fk.table} DROP CONSTRAINT {fk.name}"))


def add_foreign_key(conn: Connection, fk: ForeignKey, *, references: str | None = None) -> None:
    """Add `fk` again; `references`: point it at that table instead of its own."""
    definition = fk.definition
    if references is not None:
        head, _, tail = definition.partition(" REFERENCES ")
        definition = f"{head} REFERENCES {references}({tail.split('(', 1)[1]}"
    conn.execute(text(f"ALTER TABLE {fk.table} ADD CONSTRAINT {fk.name} {definition}"))


def swap(conn: Connection, table: str, new: str) -> None:
    """Drop `table` and give its name to `new`, with the primary key `(id, sort_at)`."""
    conn.execute(text(f"DROP TABLE {table}"))
    conn.execute(text(f"ALTER TABLE {new} RENAME TO {table}"))
    conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT pk_{table} PRIMARY KEY (id, sort_at)"))


def run(conn: Connection, statement: str) -> None:
    conn.execute(text(statement))


def set_statistics(conn: Connection, table: str, column: str, target: int) -> None:
    conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS {target}"))


def add_key_triggers(conn: Connection, table: str, unique: list[str]) -> None:
    """Keep `<table>_key` in step with `table`: statement-level triggers with transition
    tables (a row moved to another partition by an UPDATE of `sort_at` is an update here,
    not a delete and an insert, so its key row and what cascades from it stay)."""
    key = f"{table}_key"
    names = ", ".join(["id", *unique])
    changed = " OR ".join(f"k.{c} IS DISTINCT FROM n.{c}" for c in unique)
    bodies = {
        "insert": f"INSERT INTO {key} ({names}) SELECT {names} FROM new_rows",
        "delete": f"DELETE FROM {key} k USING old_rows o WHERE k.id = o.id",
    }
    if unique:
        assign = ", ".join(f"{c} = n.{c}" for c in unique)
        bodies["update"] = (
            f"UPDATE {key} k SET {assign} FROM new_rows n WHERE k.id = n.id AND ({changed})"
        )
    transitions = {
        "insert": "NEW TABLE AS new_rows",
        "delete": "OLD TABLE AS old_rows",
        "update": "NEW TABLE AS new_rows",
    }
    for event, body in bodies.items():
        function = f"{key}_{event}"
        conn.execute(
            text(
                f"CREATE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS "
                f"$$ BEGIN {body}; RETURN NULL; END $$"
            )
        )
        conn.execute(
            text(
                f"CREATE TRIGGER {function} AFTER {event.upper()} ON {table} "
                f"REFERENCING {transitions[event]} FOR EACH STATEMENT "
                f"EXECUTE FUNCTION {function}()"
            )
        )


def analyze(conn: Connection, table: str) -> None:
    """Statistics for the partitioned parent itself: autovacuum analyses the partitions but
    never the parent, whose statistics the search planner reads (pg_stats, reltuples)."""
    conn.execute(text(f"ANALYZE {table}"))
