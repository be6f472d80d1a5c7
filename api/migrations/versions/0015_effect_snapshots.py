"""effect snapshots: each module's coaching effect for a closed period, stored

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "effect_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("module_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("computed_by_id", sa.Integer(), nullable=True),
        sa.Column("computed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["module_id"], ["coaching_module.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["computed_by_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("module_id", "period_start", "period_end", "version"),
    )
    with op.batch_alter_table("effect_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_effect_snapshot_module_id"), ["module_id"], unique=False
        )


def downgrade() -> None:
    op.drop_table("effect_snapshot")
