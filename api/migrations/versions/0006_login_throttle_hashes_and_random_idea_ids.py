"""hashed login throttle keys, no addresses on sessions

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 09:00:00

Sign-in attempts are ephemeral (a 15-minute window), so the table is recreated with keyed
hashes in place of emails and addresses rather than converted. (Idea ids become random from
here on, ``foundation.db.random_id``; they fit the existing columns.)
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _login_attempt(identity: str) -> None:
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(identity, sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False)
        if identity == "email"
        else sa.Column(identity, sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("ip", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("login_attempt", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_login_attempt_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f(f"ix_login_attempt_{identity}"), [identity], unique=False)
        batch_op.create_index(batch_op.f("ix_login_attempt_ip"), ["ip"], unique=False)


def upgrade() -> None:
    op.drop_table("login_attempt")
    _login_attempt("account")
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.drop_column("ip")
        batch_op.drop_column("user_agent")


def downgrade() -> None:
    with op.batch_alter_table("user_session", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("user_agent", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.add_column(
            sa.Column("ip", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.drop_table("login_attempt")
    _login_attempt("email")
