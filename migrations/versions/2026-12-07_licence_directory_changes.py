"""licence terms on sources and articles; the feed's resource index; the sync cursor

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 14:00:00

Sources and articles carry a licence (SPDX expression or URL) and an attribution line; an
article with neither inherits its source's. The change feed filters by resource, so an
index on (resource, seq). `conflict-news sync` keeps the cursor of each remote it mirrors.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("source", "article"):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column("licence", sa.String(500), nullable=True))
            batch.add_column(sa.Column("attribution", sa.String(500), nullable=True))
    op.create_index("ix_change_resource_seq", "change", ["resource", "seq"])
    op.create_table(
        "sync_state",
        sa.Column("remote", sa.String(2048), nullable=False),
        sa.Column("cursor", sa.String(2000), nullable=False),
        sa.Column("applied", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("remote", name=op.f("pk_sync_state")),
    )


def downgrade() -> None:
    op.drop_table("sync_state")
    op.drop_index("ix_change_resource_seq", table_name="change")
    for table in ("article", "source"):
        with op.batch_alter_table(table) as batch:
            batch.drop_column("attribution")
            batch.drop_column("licence")
