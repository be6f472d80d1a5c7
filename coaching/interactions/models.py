"""Interaction records, the agents they belong to, their signals and import problems."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from foundation.accounts import string_enum
from foundation.clock import utcnow
from foundation.i18n import N_, gettext


class Channel(StrEnum):
    phone = "phone"
    chat = "chat"
    email = "email"
    social = "social"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        labels = {
            "phone": N_("Phone"),
            "chat": N_("Chat"),
            "email": N_("Email"),
            "social": N_("Social"),
        }
        return gettext(labels[self.value])


class Outcome(StrEnum):
    resolved = "resolved"
    unresolved = "unresolved"
    escalated = "escalated"
    transferred = "transferred"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        labels = {
            "resolved": N_("Resolved"),
            "unresolved": N_("Unresolved"),
            "escalated": N_("Escalated"),
            "transferred": N_("Transferred"),
        }
        return gettext(labels[self.value])


class SignalKind(StrEnum):
    uncertainty = "uncertainty"
    transfer = "transfer"
    escalation = "escalation"
    unresolved = "unresolved"
    repeat_contact = "repeat_contact"
    low_csat = "low_csat"
    negative_sentiment = "negative_sentiment"
    missed_vulnerability = "missed_vulnerability"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        labels = {
            "uncertainty": N_("Uncertainty"),
            "transfer": N_("Transfer"),
            "escalation": N_("Escalation"),
            "unresolved": N_("Unresolved"),
            "repeat_contact": N_("Repeat contact"),
            "low_csat": N_("Low CSAT"),
            "negative_sentiment": N_("Negative sentiment"),
            "missed_vulnerability": N_("Missed vulnerability"),
        }
        return gettext(labels[self.value])


class Agent(SQLModel, table=True):
    """A contact-centre agent id as it appears in the logs. Linked to a user when a user has the
    same agent code; otherwise an unlinked record an admin can link later."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(max_length=64, unique=True)
    user_id: int | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL", index=True
    )
    first_seen_at: datetime = Field(default_factory=utcnow)


class Interaction(SQLModel, table=True):
    """One contact, redacted. ``turns`` is a list of ``{"speaker": "agent" | "customer" |
    "notes", "text": ...}`` with customer PII already replaced by tokens like ``[CARD]``."""

    __table_args__ = (
        Index("ix_interaction_customer_time", "customer_ref", "occurred_at"),
        # Team figures (coaching.interactions.queries) count a team's contacts in a period by
        # agent and
        # outcome: answered from the index alone, without reading the transcripts.
        Index("ix_interaction_team_time", "team_id", "occurred_at", "agent_id", "outcome"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # The platform's interaction_id and customer_id are personal data as often as not (an email,
    # a card number): only their keyed hashes are kept (foundation.pseudonyms, 64 hex digits).
    external_id: str = Field(max_length=128, unique=True)
    occurred_at: datetime = Field(index=True)
    agent_id: int = Field(foreign_key="agent.id", index=True)
    team_id: int | None = Field(
        default=None, foreign_key="team.id", ondelete="SET NULL", index=True
    )
    channel: Channel | None = Field(default=None, sa_type=string_enum(Channel))
    # Keyed hash of the customer's id, for repeat contacts.
    customer_ref: str | None = Field(default=None, max_length=128)
    disposition: str | None = Field(default=None, max_length=200)
    outcome: Outcome | None = Field(default=None, sa_type=string_enum(Outcome))
    csat: int | None = None
    handle_seconds: int | None = None
    actions: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    turns: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    # How many items of each PII type were redacted (counts only).
    redactions: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # "en", "zh", "ja" or "und" (foundation.language), of the agent's and customer's turns
    # together, detected at import; None for contacts imported before it was.
    language: str | None = Field(default=None, max_length=8)
    import_job_id: int | None = Field(default=None, foreign_key="job.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Signal(SQLModel, table=True):
    """A knowledge-gap signal with the redacted evidence and why it fired."""

    __table_args__ = (
        Index("ix_signal_kind_interaction", "kind", "interaction_id"),
        # The signals of given contacts by kind, from the index alone
        # (coaching.interactions.queries).
        Index("ix_signal_interaction_kind", "interaction_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    interaction_id: int = Field(foreign_key="interaction.id", ondelete="CASCADE", index=True)
    kind: SignalKind = Field(sa_type=string_enum(SignalKind))
    # The customer's question and the agent's answer around it, redacted.
    evidence: str = Field(sa_column=Column(Text, nullable=False))
    # The rule, phrase or threshold that fired, e.g. 'phrase "let me check with"'.
    reason: str = Field(max_length=300)
    turn_index: int | None = None


class ImportProblem(SQLModel, table=True):
    """A row the import skipped: line, field and reason. Never the row's values."""

    __tablename__ = "import_problem"

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id", ondelete="CASCADE", index=True)
    line: int
    field: str | None = Field(default=None, max_length=64)
    reason: str = Field(max_length=300)


class ActionLabel(SQLModel, table=True):
    """Plain words for a contact action code (``KB_ARTICLE`` -> "Used the knowledge article"),
    edited by admins; drafts and pages show the label, never the raw code
    (``coaching.interactions.actions``)."""

    __tablename__ = "action_label"

    id: int | None = Field(default=None, primary_key=True)
    # Upper case, as ``actions.normalise`` makes it.
    code: str = Field(max_length=64, unique=True)
    label: str = Field(max_length=120)
    updated_at: datetime = Field(default_factory=utcnow)
