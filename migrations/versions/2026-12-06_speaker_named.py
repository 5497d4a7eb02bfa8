"""speakers that are descriptions, not names

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 22:55:00

Extraction tells a proper name ("Rustem Umerov") from a description quoted as a speaker
("a senior UN official", "authorities"); the directory lists descriptions only on request.
Existing rows are names (the server default).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("speaker") as batch:
        batch.add_column(sa.Column("named", sa.Boolean(), server_default=sa.true(), nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("speaker") as batch:
        batch.drop_column("named")
