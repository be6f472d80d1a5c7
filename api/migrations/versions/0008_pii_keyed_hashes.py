"""interaction ids and customer ids kept as keyed hashes

Interactions imported before this revision hold the platform's ``interaction_id`` and
``customer_id`` as they came (an email, a card number...), and their actions and extra columns
unredacted. This re-keys both ids to their keyed hashes under ``VOICELOOP_PII_KEY``
(``foundation.pseudonyms``: the values a new import computes, so re-importing one of these
interactions still updates it and repeat contacts still link), and redacts the actions and the
attribute keys and values, nested ones too (without the customer's name, which was never kept).
No column changes. An empty table costs nothing; otherwise the redactor is built (seconds) and
rows are rewritten in batches of 500.

Downgrade is a no-op: a keyed hash cannot be turned back into the id.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 09:00:00
"""

from collections.abc import Callable, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 500

interaction = sa.table(
    "interaction",
    sa.column("id", sa.Integer),
    sa.column("external_id", sa.String),
    sa.column("customer_ref", sa.String),
    sa.column("actions", sa.JSON),
    sa.column("attributes", sa.JSON),
)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.execute(sa.select(sa.func.count()).select_from(interaction)).scalar() == 0:
        return
    from foundation.pseudonyms import Pseudonyms
    from foundation.redaction import get_redactor
    from foundation.settings import get_settings

    pseudonyms = Pseudonyms.from_settings(get_settings())
    redactor = get_redactor()

    def redact(text: str) -> str:
        return redactor.redact(text)[0]

    last = 0
    while True:
        rows = connection.execute(
            sa.select(interaction)
            .where(interaction.c.id > last)
            .order_by(interaction.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        for row in rows:
            connection.execute(
                interaction.update()
                .where(interaction.c.id == row.id)
                .values(
                    external_id=pseudonyms.of("interaction", row.external_id),
                    customer_ref=(
                        pseudonyms.of("customer", row.customer_ref) if row.customer_ref else None
                    ),
                    actions=[redact(str(code)).upper() for code in row.actions or []],
                    attributes=_redacted(row.attributes or {}, redact),
                )
            )
        last = rows[-1].id


def _redacted(value: Any, redact: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {redact(str(k)): _redacted(v, redact) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(item, redact) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        text = redact(str(value))  # a card number can come as a JSON number
        return value if text == str(value) else text
    return value


def downgrade() -> None:
    pass
