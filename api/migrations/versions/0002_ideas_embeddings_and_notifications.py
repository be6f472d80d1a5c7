"""ideas, embeddings and notifications

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 11:40:29.908255
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


CATEGORIES = [
    "Customer experience",
    "Process and policy",
    "Systems and tools",
    "Knowledge and training",
    "Vulnerable customers",
    "Complaints handling",
    "Wellbeing and workload",
    "Fraud and scams",
]
STAGES = [
    "Onboarding",
    "Payments",
    "Cards",
    "Lending",
    "Mortgages",
    "Arrears and collections",
    "Complaints",
    "Bereavement",
    "Fraud and scams",
    "Account closure",
]


def upgrade() -> None:
    category = op.create_table(
        "category",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.create_table(
        "embedding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("source_id", sa.Integer(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "source_id"),
    )
    with op.batch_alter_table("embedding", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_embedding_source_id"), ["source_id"], unique=False)
        batch_op.create_index(
            "ix_embedding_source_model_id", ["source", "model", "id"], unique=False
        )

    # Starting lists; admins edit them on the Lists page.
    op.bulk_insert(category, [{"name": name, "active": True} for name in CATEGORIES])

    journey_stage = op.create_table(
        "journey_stage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.bulk_insert(journey_stage, [{"name": name, "active": True} for name in STAGES])

    op.create_table(
        "idea",
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("idea", "problem", "feedback", name="ideakind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("category_id", sa.Integer(), nullable=False),
        sa.Column("stage_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("department", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("receipt_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "under_review",
                "planned",
                "in_progress",
                "done",
                "declined",
                "duplicate",
                name="ideastatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("support_count", sa.Integer(), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("first_response_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["category_id"],
            ["category.id"],
        ),
        sa.ForeignKeyConstraint(["merged_into_id"], ["idea.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(
            ["stage_id"],
            ["journey_stage.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("receipt_hash"),
    )
    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idea_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_idea_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_idea_department"), ["department"], unique=False)
        batch_op.create_index("ix_idea_status_created", ["status", "created_at"], unique=False)

    op.create_table(
        "idea_comment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("from_submitter", sa.Boolean(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("hidden_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("idea_comment", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_idea_comment_idea_id"), ["idea_id"], unique=False)

    op.create_table(
        "idea_status_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column(
            "from_status",
            sa.Enum(
                "new",
                "under_review",
                "planned",
                "in_progress",
                "done",
                "declined",
                "duplicate",
                name="ideastatus",
                native_enum=False,
                length=32,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_status",
            sa.Enum(
                "new",
                "under_review",
                "planned",
                "in_progress",
                "done",
                "declined",
                "duplicate",
                name="ideastatus",
                native_enum=False,
                length=32,
            ),
            nullable=False,
        ),
        sa.Column("response", sa.Text(), nullable=False),
        sa.Column("by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["by_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("idea_status_change", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idea_status_change_idea_id"), ["idea_id"], unique=False
        )

    op.create_table(
        "idea_support",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("idea_id", "user_id"),
    )
    with op.batch_alter_table("idea_support", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idea_support_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_idea_support_idea_id"), ["idea_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_idea_support_user_id"), ["user_id"], unique=False)

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("idea_id", sa.Integer(), nullable=True),
        sa.Column("message", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("read_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["idea_id"], ["idea.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notification_user_id"), ["user_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notification_user_id"))

    op.drop_table("notification")
    with op.batch_alter_table("idea_support", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_support_user_id"))
        batch_op.drop_index(batch_op.f("ix_idea_support_idea_id"))
        batch_op.drop_index(batch_op.f("ix_idea_support_created_at"))

    op.drop_table("idea_support")
    with op.batch_alter_table("idea_status_change", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_status_change_idea_id"))

    op.drop_table("idea_status_change")
    with op.batch_alter_table("idea_comment", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_idea_comment_idea_id"))

    op.drop_table("idea_comment")
    with op.batch_alter_table("idea", schema=None) as batch_op:
        batch_op.drop_index("ix_idea_status_created")
        batch_op.drop_index(batch_op.f("ix_idea_department"))
        batch_op.drop_index(batch_op.f("ix_idea_created_at"))
        batch_op.drop_index(batch_op.f("ix_idea_author_id"))

    op.drop_table("idea")
    op.drop_table("journey_stage")
    with op.batch_alter_table("embedding", schema=None) as batch_op:
        batch_op.drop_index("ix_embedding_source_model_id")
        batch_op.drop_index(batch_op.f("ix_embedding_source_id"))

    op.drop_table("embedding")
    op.drop_table("category")
