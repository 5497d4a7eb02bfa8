"""admins' splits and merges of estimates, kept across regrouping

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 17:30:00

`estimate_decision` pins figures (named by article, metric and text) to a label: figures with
one label are grouped together, figures with different labels never are.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "estimate_decision",
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("metric", sa.String(64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("label", sa.String(40), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("bucket", sa.String(200), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_estimate_decision_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", "metric", "text", name=op.f("pk_estimate_decision")),
    )
    with op.batch_alter_table("estimate_decision") as batch:
        batch.create_index(batch.f("ix_estimate_decision_bucket"), ["bucket"], unique=False)
        batch.create_index(batch.f("ix_estimate_decision_label"), ["label"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("estimate_decision") as batch:
        batch.drop_index(batch.f("ix_estimate_decision_label"))
        batch.drop_index(batch.f("ix_estimate_decision_bucket"))
    op.drop_table("estimate_decision")
