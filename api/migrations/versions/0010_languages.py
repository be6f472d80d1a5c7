"""languages: the language of ideas and interactions, each user's interface language

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-07 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("embedding", schema=None) as batch_op:
        batch_op.add_column(sa.Column("xvector", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column("anchor", sa.Boolean(), nullable=False, server_default=sa.true())
        )
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("locale", sa.String(length=16), nullable=True))
    # Theme names and keywords per language; existing themes get theirs at the next run.
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("labels", sa.JSON(), nullable=False, server_default=sa.text("'{}'"))
        )
    # The language of each idea and interaction (foundation.language); None for older rows.
    for table in ("idea", "interaction"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("language", sa.String(length=8), nullable=True))


def downgrade() -> None:
    for table in ("interaction", "idea"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("language")
    with op.batch_alter_table("embedding", schema=None) as batch_op:
        batch_op.drop_column("anchor")
        batch_op.drop_column("xvector")
    with op.batch_alter_table("theme", schema=None) as batch_op:
        batch_op.drop_column("labels")
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("locale")
