"""Interaction records, the agents they belong to, their signals and import problems; coaching
modules with their versions, assignments and check attempts; best-practice guides."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from foundation.accounts import string_enum
from foundation.clock import utcnow
from foundation.ids import IdRef
from foundation.text import line_input, text_input


class Channel(StrEnum):
    phone = "phone"
    chat = "chat"
    email = "email"
    social = "social"


class Outcome(StrEnum):
    resolved = "resolved"
    unresolved = "unresolved"
    escalated = "escalated"
    transferred = "transferred"


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
        return self.value.replace("_", " ").capitalize()


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
        # Team figures (coaching.stats) count a team's contacts in a period by agent and
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
    import_job_id: int | None = Field(default=None, foreign_key="job.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Signal(SQLModel, table=True):
    """A knowledge-gap signal with the redacted evidence and why it fired."""

    __table_args__ = (
        Index("ix_signal_kind_interaction", "kind", "interaction_id"),
        # The signals of given contacts by kind, from the index alone (coaching.stats).
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


# --------------------------------------------------------------------------- coaching modules
# A module is an editable draft plus immutable published versions. Assignments point at the
# version an agent was given, so a later publish never changes what someone already completed.
TITLE_MAX = 200
BODY_MAX = 20_000


class CheckQuestion(SQLModel):
    """A multiple-choice check question: the options, which one is right, and why."""

    prompt: str = Field(min_length=1, max_length=500)
    options: list[str] = Field(min_length=2, max_length=6)
    answer: int = Field(ge=0)  # index into options
    explanation: str = Field(default="", max_length=1000)


class ModuleBase(SQLModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    # Safe markdown (``ideas.markdown``): headings, paragraphs, lists, emphasis, links.
    body: str = Field(default="", max_length=BODY_MAX)

    _clean_title = field_validator("title", mode="before")(line_input)
    _clean_body = field_validator("body", mode="before")(text_input)


class ModuleUpdate(ModuleBase):
    questions: list[CheckQuestion] = Field(default_factory=list, max_length=20)


class CoachingModule(ModuleBase, table=True):
    """The working draft of a module. ``draft_changed`` says the draft differs from the latest
    version, so "Publish" makes a new one."""

    __tablename__ = "coaching_module"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=TITLE_MAX)
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    questions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    theme_id: int | None = Field(
        default=None, foreign_key="theme.id", ondelete="SET NULL", index=True
    )
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    latest_version: int = 0  # 0 until first published
    draft_changed: bool = True
    archived: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class ModuleVersion(SQLModel, table=True):
    """What was published, frozen."""

    __tablename__ = "module_version"
    __table_args__ = (UniqueConstraint("module_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="coaching_module.id", ondelete="CASCADE", index=True)
    number: int
    title: str = Field(max_length=TITLE_MAX)
    body: str = Field(sa_column=Column(Text, nullable=False))
    questions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    published_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    published_at: datetime = Field(default_factory=utcnow)


class Assignment(SQLModel, table=True):
    """One agent's copy of one module version, with a due date. At most one open assignment per
    agent and module."""

    __table_args__ = (Index("ix_assignment_module_user", "module_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="coaching_module.id", ondelete="CASCADE")
    version_id: int = Field(foreign_key="module_version.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    # The agent's team when assigned: team leaders see their team's assignments.
    team_id: int | None = Field(
        default=None, foreign_key="team.id", ondelete="SET NULL", index=True
    )
    assigned_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    assigned_at: datetime = Field(default_factory=utcnow)
    due_on: date
    best_score: float | None = None  # share of check questions right, 0..1
    attempts: int = 0
    acknowledged_at: datetime | None = None
    completed_at: datetime | None = Field(default=None, index=True)
    reminded_at: datetime | None = None


class Attempt(SQLModel, table=True):
    """One go at a version's check questions."""

    id: int | None = Field(default=None, primary_key=True)
    assignment_id: int = Field(foreign_key="assignment.id", ondelete="CASCADE", index=True)
    answers: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    correct: int
    total: int
    created_at: datetime = Field(default_factory=utcnow)


class SuggestionStatus(StrEnum):
    accepted = "accepted"
    dismissed = "dismissed"


class Suggestion(SQLModel, table=True):
    """A team leader's answer to "this agent's gap rate in this theme is well above the team's":
    remembered so the same offer is not made again."""

    __table_args__ = (UniqueConstraint("module_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="coaching_module.id", ondelete="CASCADE")
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    status: SuggestionStatus = Field(sa_type=string_enum(SuggestionStatus))
    agent_rate: float
    team_rate: float
    decided_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    decided_at: datetime = Field(default_factory=utcnow)


# --------------------------------------------------------------------- best-practice guides
class GuideStatus(StrEnum):
    draft = "draft"
    published = "published"
    archived = "archived"


class GuideBase(SQLModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field(min_length=1, max_length=BODY_MAX)

    _clean_title = field_validator("title", mode="before")(line_input)
    _clean_body = field_validator("body", mode="before")(text_input)


class GuideUpdate(GuideBase):
    theme_ids: list[IdRef] = Field(default_factory=list, max_length=20)


class Guide(GuideBase, table=True):
    """The working draft of a guide and its lifecycle. Agents read the latest version."""

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=TITLE_MAX)
    body: str = Field(sa_column=Column(Text, nullable=False))
    status: GuideStatus = Field(default=GuideStatus.draft, sa_type=string_enum(GuideStatus))
    latest_version: int = 0
    draft_changed: bool = True
    review_due_on: date | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    # Opens from the search page: each is a reuse of the guide during a contact.
    reuses: int = 0
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class GuideVersion(SQLModel, table=True):
    __tablename__ = "guide_version"
    __table_args__ = (UniqueConstraint("guide_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    guide_id: int = Field(foreign_key="guide.id", ondelete="CASCADE", index=True)
    number: int
    title: str = Field(max_length=TITLE_MAX)
    body: str = Field(sa_column=Column(Text, nullable=False))
    published_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    published_at: datetime = Field(default_factory=utcnow)


class GuidePassage(SQLModel, table=True):
    """A searchable passage (a paragraph or list under its heading) of a guide's latest
    published version. Embedded under the source ``guide_passage``."""

    __tablename__ = "guide_passage"

    id: int | None = Field(default=None, primary_key=True)
    guide_id: int = Field(foreign_key="guide.id", ondelete="CASCADE", index=True)
    version_id: int = Field(foreign_key="guide_version.id", ondelete="CASCADE")
    position: int
    heading: str = Field(default="", max_length=TITLE_MAX)
    text: str = Field(sa_column=Column(Text, nullable=False))


class GuideTheme(SQLModel, table=True):
    __tablename__ = "guide_theme"

    guide_id: int = Field(foreign_key="guide.id", ondelete="CASCADE", primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", ondelete="CASCADE", primary_key=True)


class GuideFeedback(SQLModel, table=True):
    """One agent's "was this helpful?" on a guide; changing their mind updates it."""

    __tablename__ = "guide_feedback"
    __table_args__ = (UniqueConstraint("guide_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    guide_id: int = Field(foreign_key="guide.id", ondelete="CASCADE", index=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    helpful: bool
    created_at: datetime = Field(default_factory=utcnow)
