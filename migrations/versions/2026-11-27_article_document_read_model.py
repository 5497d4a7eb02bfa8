"""article document read model

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27 06:45:00

GET /v1/articles/{id} serves the stored JSON and ETag of this table (one primary-key read)
instead of five queries and a serialisation. Rows are written with the article; existing
articles are filled by `conflict-news db reindex` (until then they are rendered live).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "article_document",
        sa.Column("article_id", sa.String(length=40), nullable=False),
        sa.Column("etag", sa.String(length=40), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["article.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id"),
    )


def downgrade() -> None:
    op.drop_table("article_document")
