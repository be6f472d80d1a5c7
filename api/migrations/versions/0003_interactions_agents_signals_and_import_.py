"""interactions, agents, signals and import problems

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 12:38:14.531300
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("first_seen_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    with op.batch_alter_table("agent", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_agent_user_id"), ["user_id"], unique=False)

    op.create_table(
        "import_problem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("import_problem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_problem_job_id"), ["job_id"], unique=False)

    op.create_table(
        "interaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
        sa.Column("occurred_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column(
            "channel",
            sa.Enum(
                "phone", "chat", "email", "social", name="channel", native_enum=False, length=32
            ),
            nullable=True,
        ),
        sa.Column("customer_ref", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
        sa.Column("disposition", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column(
            "outcome",
            sa.Enum(
                "resolved",
                "unresolved",
                "escalated",
                "transferred",
                name="outcome",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column("csat", sa.Integer(), nullable=True),
        sa.Column("handle_seconds", sa.Integer(), nullable=True),
        sa.Column("actions", sa.JSON(), nullable=False),
        sa.Column("attributes", sa.JSON(), nullable=False),
        sa.Column("turns", sa.JSON(), nullable=False),
        sa.Column("redactions", sa.JSON(), nullable=False),
        sa.Column("import_job_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agent.id"],
        ),
        sa.ForeignKeyConstraint(["import_job_id"], ["job.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("external_id"),
    )
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_interaction_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(
            "ix_interaction_customer_time", ["customer_ref", "occurred_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_interaction_occurred_at"), ["occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_interaction_team_id"), ["team_id"], unique=False)

    op.create_table(
        "signal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("interaction_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "uncertainty",
                "transfer",
                "escalation",
                "unresolved",
                "repeat_contact",
                "low_csat",
                "negative_sentiment",
                "missed_vulnerability",
                name="signalkind",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("turn_index", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["interaction_id"], ["interaction.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_signal_interaction_id"), ["interaction_id"], unique=False
        )
        batch_op.create_index(
            "ix_signal_kind_interaction", ["kind", "interaction_id"], unique=False
        )

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("agent_code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.create_unique_constraint("uq_user_agent_code", ["agent_code"])


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        # WARNING: constraint name is None; this directive will fail as
        # rendered.  Add a name, or use a naming convention; see
        # https://alembic.sqlalchemy.org/en/latest/naming.html
        batch_op.drop_constraint("uq_user_agent_code", type_="unique")
        batch_op.drop_column("agent_code")

    with op.batch_alter_table("signal", schema=None) as batch_op:
        batch_op.drop_index("ix_signal_kind_interaction")
        batch_op.drop_index(batch_op.f("ix_signal_interaction_id"))

    op.drop_table("signal")
    with op.batch_alter_table("interaction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_interaction_team_id"))
        batch_op.drop_index(batch_op.f("ix_interaction_occurred_at"))
        batch_op.drop_index("ix_interaction_customer_time")
        batch_op.drop_index(batch_op.f("ix_interaction_agent_id"))

    op.drop_table("interaction")
    with op.batch_alter_table("import_problem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_problem_job_id"))

    op.drop_table("import_problem")
    with op.batch_alter_table("agent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agent_user_id"))

    op.drop_table("agent")
