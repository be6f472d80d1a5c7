"""duty outcomes and report snapshots: each theme's Consumer Duty outcome, frozen outcomes reports

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL: the outcome suggested from the theme's evidence (ideas.themes.duty.suggest).
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "duty_outcome",
                sa.Enum(
                    "products_services",
                    "price_value",
                    "understanding",
                    "support",
                    "vulnerable",
                    name="dutyoutcome",
                    native_enum=False,
                    length=32,
                ),
                nullable=True,
            )
        )
    op.create_table(
        "report_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("generated_by_id", sa.Integer(), nullable=True),
        sa.Column("generated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("source", sa.JSON(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["generated_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("report_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_snapshot_generated_at"), ["generated_at"], unique=False
        )
        batch_op.create_index(
            "ix_report_snapshot_period", ["period_start", "period_end"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("report_snapshot", schema=None) as batch_op:
        batch_op.drop_index("ix_report_snapshot_period")
        batch_op.drop_index(batch_op.f("ix_report_snapshot_generated_at"))
    op.drop_table("report_snapshot")
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.drop_column("duty_outcome")
