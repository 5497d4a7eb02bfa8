"""statistic_daily.sum holds the total of a day's figures, not one figure: 38 digits

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-07 17:20:00

A figure fits Numeric(24, 6) (below 10^18), but the sum of a day's figures need not: on
PostgreSQL a day whose figures of one metric and unit added up past 10^18 made every later
write of such a figure that day fail (numeric field overflow in the rollup, at commit), so a
whole bulk batch was retried line by line and those lines were refused. Numeric(38, 6) holds
the sum of 10^20 figures. SQLite stores the same values either way; its table is rebuilt
(WITHOUT ROWID kept) so the declared type matches the model.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _sum_type(precision: int) -> None:
    old, new = (24, 38) if precision == 38 else (38, 24)
    with op.batch_alter_table("statistic_daily", table_kwargs={"sqlite_with_rowid": False}) as b:
        b.alter_column(
            "sum",
            existing_type=sa.Numeric(precision=old, scale=6, asdecimal=False),
            type_=sa.Numeric(precision=new, scale=6, asdecimal=False),
            existing_nullable=False,
        )


def upgrade() -> None:
    _sum_type(38)


def downgrade() -> None:
    # Fails on PostgreSQL if a stored sum has reached 10^18 (it would not fit any more).
    _sum_type(24)
