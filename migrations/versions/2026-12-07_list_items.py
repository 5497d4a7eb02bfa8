"""stored list items

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-07 17:30:00

Each list item's rendered JSON, kept beside the article document by the same hook
(app/projections/list_items.py), so a list page is one keyset read of stored bytes. An item
not stored is rendered live, so the tables start empty; `conflict-news db reindex
--documents` fills them for the articles already stored.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_item",
        sa.Column("article_id", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_article_item_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name=op.f("pk_article_item")),
    )
    op.create_table(
        "quote_item",
        sa.Column("quote_id", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quote.id"], name=op.f("fk_quote_item_quote_id_quote"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("quote_id", name=op.f("pk_quote_item")),
    )
    op.create_table(
        "statistic_item",
        sa.Column("statistic_id", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["statistic_id"],
            ["statistic.id"],
            name=op.f("fk_statistic_item_statistic_id_statistic"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("statistic_id", name=op.f("pk_statistic_item")),
    )


def downgrade() -> None:
    op.drop_table("statistic_item")
    op.drop_table("quote_item")
    op.drop_table("article_item")
