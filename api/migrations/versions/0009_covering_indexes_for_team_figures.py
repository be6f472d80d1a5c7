"""covering indexes for team figures

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-07 03:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index(
            "ix_interaction_team_time",
            ["team_id", "occurred_at", "agent_id", "outcome"],
            unique=False,
        )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index(
            "ix_signal_interaction_kind", ["interaction_id", "kind"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_index("ix_signal_interaction_kind")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index("ix_interaction_team_time")
