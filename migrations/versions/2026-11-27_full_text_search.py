"""full-text search: FTS5 tables and triggers on SQLite, tsvector columns and GIN on PostgreSQL

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 05:10:00

The search objects are hand-written (autogenerate skips them, see migrations/env.py).
SQLite: external-content FTS5 tables over article/quote/statistic keyed by the base
table's rowid, kept in step by triggers in the writer's transaction. A VACUUM may renumber
those rowids: run `conflict-news db reindex` after one. PostgreSQL: STORED generated
tsvector columns (English stemming, title weighted above body) with GIN indexes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# table -> its searchable columns (in weight order)
SEARCHED = {
    "article": ("title", "body"),
    "quote": ("text", "speaker_name", "speaker_role"),
    "statistic": ("text", "sentence"),
}
TOKENIZER = "porter unicode61 remove_diacritics 2"


def _sqlite_up(table: str, columns: tuple[str, ...]) -> None:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    fts = f"{table}_fts"
    op.execute(
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
        f"content_rowid='rowid', tokenize='{TOKENIZER}')"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); END"
    )
    op.execute(
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF {cols} ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.rowid, {old}); "
        f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.rowid, {new}); END"
    )
    op.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")


def _sqlite_down(table: str) -> None:
    fts = f"{table}_fts"
    for suffix in ("ai", "ad", "au"):
        op.execute(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")
    op.execute(f"DROP TABLE IF EXISTS {fts}")


def _pg_up(table: str, columns: tuple[str, ...]) -> None:
    weights = "ABCD"
    parts = " || ".join(
        f"setweight(to_tsvector('english', coalesce({c}, '')), '{weights[min(i, 3)]}')"
        for i, c in enumerate(columns)
    )
    op.execute(f"ALTER TABLE {table} ADD COLUMN search tsvector GENERATED ALWAYS AS ({parts}) STORED")
    op.execute(f"CREATE INDEX ix_{table}_search ON {table} USING gin (search)")


def upgrade() -> None:
    with op.batch_alter_table("quote") as batch:
        batch.add_column(sa.Column("speaker_name", sa.String(length=300), nullable=True))
    op.execute(
        "UPDATE quote SET speaker_name = "
        "(SELECT speaker.name FROM speaker WHERE speaker.id = quote.speaker_id)"
    )
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table, columns in SEARCHED.items():
        (_sqlite_up if sqlite else _pg_up)(table, columns)


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in SEARCHED:
        if sqlite:
            _sqlite_down(table)
        else:
            op.execute(f"DROP INDEX IF EXISTS ix_{table}_search")
            op.execute(f"ALTER TABLE {table} DROP COLUMN IF EXISTS search")
    with op.batch_alter_table("quote") as batch:
        batch.drop_column("speaker_name")
