"""covering index for the figure series

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27 05:45:00

GET /v1/statistics/series aggregates every figure of a metric; with (metric, sort_at, value,
id, article_id) in one index both engines answer it from the index alone.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("statistic") as batch:
        batch.drop_index("ix_statistic_metric_sort_at")
        batch.create_index(
            "ix_statistic_metric_series", ["metric", "sort_at", "value", "id", "article_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("statistic") as batch:
        batch.drop_index("ix_statistic_metric_series")
        batch.create_index("ix_statistic_metric_sort_at", ["metric", "sort_at"])
