"""action labels: plain words for contact action codes (admin-editable)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-07 18:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Starting labels for the action codes the demo and common contact platforms record; admins edit
# them on the Lists page. Codes nobody labelled are shown humanised ("Kb article").
LABELS = {
    "KB_ARTICLE": "Used the knowledge article",
    "VULN_FLAG": "Flagged the customer as vulnerable",
    "TRANSFER": "Transferred the contact",
    "TRANSFER_SPECIALIST": "Passed the contact to a specialist team",
    "CARD_REPLACED": "Ordered a replacement card",
    "CARD_BLOCKED": "Froze or cancelled the card",
    "PIN_UNBLOCKED": "Unblocked the PIN",
    "REFUND_ISSUED": "Refunded the money",
    "DISPUTE_RAISED": "Raised a dispute on the payment",
    "PAYMENT_TRACE": "Put a trace on the payment",
    "DETAILS_UPDATED": "Updated the customer's details",
    "PASSWORD_RESET": "Reset the passcode or password",
    "CALLBACK_BOOKED": "Booked a callback",
    "COMPLAINT_LOGGED": "Logged a complaint",
    "SUPPORT_REFERRAL": "Referred the customer to the support team",
    "BREATHING_SPACE": "Paused collections and charges (breathing space)",
    "BEREAVEMENT_TEAM": "Referred the customer to the bereavement team",
    "ESCALATED": "Escalated the contact",
}


def upgrade() -> None:
    action_label = op.create_table(
        "action_label",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("updated_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    now = datetime.now(UTC)
    op.bulk_insert(
        action_label,
        [{"code": code, "label": label, "updated_at": now} for code, label in LABELS.items()],
    )


def downgrade() -> None:
    op.drop_table("action_label")
