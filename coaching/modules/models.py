"""Coaching modules with their versions, assignments, check attempts and suggestion records."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from foundation.accounts import string_enum
from foundation.clock import utcnow
from foundation.text import line_input, text_input

# --------------------------------------------------------------------------- coaching modules
# A module is an editable draft plus immutable published versions. Assignments point at the
# version an agent was given, so a later publish never changes what someone already completed.
TITLE_MAX = 200
BODY_MAX = 20_000


class CheckQuestion(SQLModel):
    """A multiple-choice check question: the options, which one is right, why, and a hint."""

    prompt: str = Field(min_length=1, max_length=500)
    options: list[str] = Field(min_length=2, max_length=6)
    answer: int = Field(ge=0)  # index into options
    explanation: str = Field(default="", max_length=1000)
    # What a wrong answer is told while retries remain: a nudge that never gives the answer away.
    hint: str = Field(default="", max_length=500)
    # Drafted from a theme's evidence and not yet reviewed: a CX lead saves the draft form after
    # reading it (which clears this) before the module can be published.
    to_review: bool = False


class ModuleBase(SQLModel):
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    # Safe markdown (``foundation.markdown``): headings, paragraphs, lists, emphasis, links.
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


class EffectSnapshot(SQLModel, table=True):
    """A module's coaching effect for a closed period, computed from the data imported by the
    period's end and kept, so it does not move when later assignments are made; computing it
    again adds a version beside it."""

    __tablename__ = "effect_snapshot"
    __table_args__ = (UniqueConstraint("module_id", "period_start", "period_end", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    module_id: int = Field(foreign_key="coaching_module.id", ondelete="CASCADE", index=True)
    period_start: date
    period_end: date  # inclusive
    version: int
    result: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))  # Effect.to_json()
    computed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    computed_at: datetime = Field(default_factory=utcnow)
