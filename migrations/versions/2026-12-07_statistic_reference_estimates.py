"""what a figure refers to, and the estimates that reconcile figures

Revision ID: 0012
Revises: 0008
Create Date: 2026-12-07 14:00:00

Each statistic gains its reference time, that time's precision and its nature (event or
cumulative); existing rows keep NULLs until `conflict-news estimates rebuild` resolves them.
`estimate` and `estimate_member` hold the groups of statistics that report one quantity.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_FIGURE = sa.Numeric(24, 6, asdecimal=False)


def upgrade() -> None:
    with op.batch_alter_table("statistic") as batch:
        batch.add_column(sa.Column("reference_time", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("reference_precision", sa.String(8), nullable=True))
        batch.add_column(sa.Column("nature", sa.String(16), nullable=True))
        batch.create_index(
            "ix_statistic_metric_reference_time", ["metric", "reference_time"], unique=False
        )
    op.create_table(
        "estimate",
        sa.Column("id", sa.String(40), nullable=False),
        sa.Column("bucket", sa.String(200), nullable=False),
        sa.Column("metric", sa.String(64), nullable=False),
        sa.Column("unit", sa.String(32), nullable=False),
        sa.Column("nature", sa.String(16), nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("location_id", sa.String(40), nullable=True),
        sa.Column("country_code", sa.String(2), nullable=True),
        sa.Column("reference_time", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reference_precision", sa.String(8), nullable=False),
        sa.Column("low", _FIGURE, nullable=False),
        sa.Column("best", _FIGURE, nullable=False),
        sa.Column("high", _FIGURE, nullable=False),
        sa.Column("best_rule", sa.String(64), nullable=False),
        sa.Column("best_statistic_id", sa.String(40), nullable=False),
        sa.Column("report_count", sa.Integer(), nullable=False),
        sa.Column("source_count", sa.Integer(), nullable=False),
        sa.Column("first_reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sort_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"], ["location.id"], name=op.f("fk_estimate_location_id_location"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_estimate")),
    )
    op.create_index(op.f("ix_estimate_bucket"), "estimate", ["bucket"], unique=False)
    op.create_index(op.f("ix_estimate_nature"), "estimate", ["nature"], unique=False)
    op.create_index(op.f("ix_estimate_location_id"), "estimate", ["location_id"], unique=False)
    op.create_index(op.f("ix_estimate_country_code"), "estimate", ["country_code"], unique=False)
    op.create_index("ix_estimate_sort_at_id", "estimate", ["sort_at", "id"], unique=False)
    op.create_index("ix_estimate_metric_sort_at", "estimate", ["metric", "sort_at"], unique=False)
    op.create_table(
        "estimate_member",
        sa.Column("estimate_id", sa.String(40), nullable=False),
        sa.Column("statistic_id", sa.String(40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.String(40), nullable=False),
        sa.Column("source_id", sa.String(40), nullable=True),
        sa.Column("source", sa.String(200), nullable=True),
        sa.Column("value", _FIGURE, nullable=False),
        sa.Column("value_max", _FIGURE, nullable=True),
        sa.Column("qualifier", sa.String(32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("reported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rule", sa.String(120), nullable=False),
        sa.ForeignKeyConstraint(
            ["estimate_id"], ["estimate.id"], name=op.f("fk_estimate_member_estimate_id_estimate"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["statistic_id"], ["statistic.id"],
            name=op.f("fk_estimate_member_statistic_id_statistic"), ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("estimate_id", "statistic_id", name=op.f("pk_estimate_member")),
        sa.UniqueConstraint("statistic_id", name=op.f("uq_estimate_member_statistic_id")),
    )
    op.create_index(
        op.f("ix_estimate_member_article_id"), "estimate_member", ["article_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_estimate_member_article_id"), table_name="estimate_member")
    op.drop_table("estimate_member")
    for name in (
        "ix_estimate_metric_sort_at", "ix_estimate_sort_at_id", "ix_estimate_country_code",
        "ix_estimate_location_id", "ix_estimate_nature", "ix_estimate_bucket",
    ):
        op.drop_index(name, table_name="estimate")
    op.drop_table("estimate")
    with op.batch_alter_table("statistic") as batch:
        batch.drop_index("ix_statistic_metric_reference_time")
        batch.drop_column("nature")
        batch.drop_column("reference_precision")
        batch.drop_column("reference_time")
