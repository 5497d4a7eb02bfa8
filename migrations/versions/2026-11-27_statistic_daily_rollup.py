"""statistic daily rollup

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 07:30:00

GET /v1/statistics/series adds up one row per metric, place, unit and UTC day (count, min,
max, sum and the 5 largest figures) instead of every figure of the metric. The rows are kept
exact by the writers (app/services/rollups.py); existing figures are aggregated here, with
one `'*'` row per metric, unit and day for "every place" ('' stands for "no place").
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# {place}: the rollup row's location_id; {partition}: which figures one row aggregates.
_FILL = """
INSERT INTO statistic_daily (metric, location_id, unit, day, count, min, max, sum, top)
SELECT metric, place, unit, day, count(*), min(value), max(value), sum(value), {top}
FROM (
    SELECT figures.*,
           row_number() OVER (PARTITION BY {partition} ORDER BY value DESC, id) AS rn
    FROM (
        SELECT metric, {place} AS place, unit, {day} AS day, value, id, article_id
        FROM statistic
    ) AS figures
) AS ranked
GROUP BY metric, place, unit, day
"""
_DIALECT = {
    # The top 5 as [value, id, article_id] triples; SQLite 3.40 cannot order an aggregate's
    # input (the reader sorts them), PostgreSQL stores them largest first.
    "sqlite": {
        "day": "strftime('%Y-%m-%d', sort_at)",
        "top": "json_group_array(json_array(value, id, article_id)) FILTER (WHERE rn <= 5)",
    },
    "postgresql": {
        "day": "to_char(date_trunc('day', timezone('UTC', sort_at)), 'YYYY-MM-DD')",
        "top": (
            "json_agg(json_build_array(value, id, article_id) ORDER BY value DESC, id) "
            "FILTER (WHERE rn <= 5)"
        ),
    },
}


def upgrade() -> None:
    op.create_table(
        "statistic_daily",
        sa.Column("metric", sa.String(length=64), nullable=False),
        sa.Column("location_id", sa.String(length=40), nullable=False),
        sa.Column("unit", sa.String(length=32), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("min", sa.Numeric(precision=24, scale=6, asdecimal=False), nullable=False),
        sa.Column("max", sa.Numeric(precision=24, scale=6, asdecimal=False), nullable=False),
        sa.Column("sum", sa.Numeric(precision=24, scale=6, asdecimal=False), nullable=False),
        sa.Column("top", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("metric", "location_id", "unit", "day"),
        sqlite_with_rowid=False,
    )
    sql = _DIALECT[op.get_bind().dialect.name]
    for place, partition in (
        ("coalesce(location_id, '')", "metric, place, unit, day"),  # one row per place
        ("'*'", "metric, unit, day"),  # and one for every place
    ):
        op.execute(_FILL.format(place=place, partition=partition, **sql))


def downgrade() -> None:
    op.drop_table("statistic_daily")
