"""api key audit trail and key expiry

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-07 14:10:00

Keys are managed over HTTP (`/v1/keys`) as well as from the CLI; every action on a key
(created, rotated, revoked) is recorded with who acted and when. A key rotated with a grace
period stops authenticating at its `expires_at`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_key") as batch:
        batch.add_column(sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "api_key_event",
        sa.Column("id", sa.String(length=40), nullable=False),
        sa.Column("key_id", sa.String(length=40), nullable=False),
        sa.Column("action", sa.String(length=16), nullable=False),
        sa.Column("actor_key_id", sa.String(length=40), nullable=True),
        sa.Column("via", sa.String(length=8), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=True),
        sa.Column("request_id", sa.String(length=128), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "detail",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["actor_key_id"],
            ["api_key.id"],
            name=op.f("fk_api_key_event_actor_key_id_api_key"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["key_id"], ["api_key.id"], name=op.f("fk_api_key_event_key_id_api_key")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_key_event")),
    )
    with op.batch_alter_table("api_key_event") as batch:
        batch.create_index(batch.f("ix_api_key_event_key_id"), ["key_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("api_key_event") as batch:
        batch.drop_index(batch.f("ix_api_key_event_key_id"))
    op.drop_table("api_key_event")
    with op.batch_alter_table("api_key") as batch:
        batch.drop_column("expires_at")
