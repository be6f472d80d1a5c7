"""Ideas and everything hanging off them: categories and journey stages, support, comments, the
status history of CX answers, and notifications."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import Column, Index, Text, UniqueConstraint, event
from sqlalchemy.orm import Session
from sqlmodel import Field, SQLModel, col, select

from foundation.accounts import string_enum
from foundation.clock import utcnow
from foundation.db import random_id
from foundation.i18n import N_, gettext
from foundation.ids import IdRef
from foundation.text import line_input, text_input

TITLE_MAX = 200


BODY_MAX = 10_000


COMMENT_MAX = 5_000


class IdeaKind(StrEnum):
    idea = "idea"
    problem = "problem"
    feedback = "feedback"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        labels = {"idea": N_("Idea"), "problem": N_("Problem report"), "feedback": N_("Feedback")}
        return gettext(labels[self.value])


class IdeaStatus(StrEnum):
    new = "new"
    under_review = "under_review"
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    declined = "declined"
    duplicate = "duplicate"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        return gettext(self.english_label)

    @property
    def english_label(self) -> str:
        """For stored texts (notifications), which stay English."""
        return {
            "new": N_("New"),
            "under_review": N_("Under review"),
            "planned": N_("Planned"),
            "in_progress": N_("In progress"),
            "done": N_("Done"),
            "declined": N_("Declined"),
            "duplicate": N_("Duplicate"),
        }[self.value]

    @property
    def closed(self) -> bool:
        return self in (IdeaStatus.done, IdeaStatus.declined, IdeaStatus.duplicate)


class Category(SQLModel, table=True):
    """Admin-configurable list of idea categories."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    active: bool = True


class JourneyStage(SQLModel, table=True):
    """Customer journey stage or moment of truth (admin-configurable)."""

    __tablename__ = "journey_stage"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80, unique=True)
    active: bool = True


class IdeaBase(SQLModel):
    kind: IdeaKind = IdeaKind.idea
    title: str = Field(min_length=1, max_length=TITLE_MAX)
    body: str = Field(default="", max_length=BODY_MAX)
    category_id: IdRef
    stage_id: IdRef | None = None

    _clean_title = field_validator("title", mode="before")(line_input)

    @field_validator("body", mode="before")
    @classmethod
    def _strip_body(cls, value: object) -> object:
        return text_input(value) if value is not None else ""


class IdeaCreate(IdeaBase):
    anonymous: bool = False


class Idea(IdeaBase, table=True):
    __table_args__ = (Index("ix_idea_status_created", "status", "created_at"),)

    # Random, not sequential (README, security notes: anonymity).
    id: int | None = Field(
        default_factory=random_id, primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    kind: IdeaKind = Field(default=IdeaKind.idea, sa_type=string_enum(IdeaKind))
    body: str = Field(default="", sa_column=Column(Text, nullable=False))
    category_id: int = Field(foreign_key="category.id")
    stage_id: int | None = Field(default=None, foreign_key="journey_stage.id")
    # The submitter's department, kept even for anonymous ideas (departments are large groups).
    department: str | None = Field(default=None, max_length=100, index=True)
    # NULL for anonymous ideas: no author is stored anywhere for them.
    author_id: int | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL", index=True
    )
    anonymous: bool = False
    # SHA-256 of the anonymous submitter's receipt token.
    receipt_hash: str | None = Field(default=None, max_length=64, unique=True)
    status: IdeaStatus = Field(default=IdeaStatus.new, sa_type=string_enum(IdeaStatus))
    support_count: int = 0
    merged_into_id: int | None = Field(default=None, foreign_key="idea.id", ondelete="SET NULL")
    hidden_reason: str | None = Field(default=None, max_length=500)
    # "en", "zh", "ja" or "und" (foundation.language) of the title and body, detected when
    # the idea is submitted; None for ideas stored before it was.
    language: str | None = Field(default=None, max_length=8)
    # Anonymous ideas: coarsened to the day, so time cannot single the author out.
    created_at: datetime = Field(default_factory=utcnow, index=True)
    first_response_at: datetime | None = None
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def visible(self) -> bool:
        return self.hidden_reason is None and self.merged_into_id is None


def idea_text(idea: Idea) -> str:
    """What is embedded and clustered of an idea."""
    return f"{idea.title}\n{idea.body}".strip()


class IdeaPublic(SQLModel):
    id: int
    kind: IdeaKind
    title: str
    body: str
    category_id: int
    stage_id: int | None
    department: str | None
    anonymous: bool
    status: IdeaStatus
    support_count: int
    merged_into_id: int | None
    created_at: datetime


class Support(SQLModel, table=True):
    """One per user per idea; toggled."""

    __tablename__ = "idea_support"
    __table_args__ = (UniqueConstraint("idea_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", ondelete="CASCADE", index=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class CommentCreate(SQLModel):
    body: str = Field(min_length=1, max_length=COMMENT_MAX)

    @field_validator("body", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return text_input(value)


class Comment(SQLModel, table=True):
    __tablename__ = "idea_comment"

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", ondelete="CASCADE", index=True)
    # NULL when the anonymous submitter replies through their receipt.
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    from_submitter: bool = False
    body: str = Field(sa_column=Column(Text, nullable=False))
    hidden_reason: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(default_factory=utcnow)


class CommentPublic(SQLModel):
    id: int
    idea_id: int
    author_id: int | None
    from_submitter: bool
    body: str
    created_at: datetime


class StatusChange(SQLModel, table=True):
    """The idea's history: every status change carries the CX lead's response."""

    __tablename__ = "idea_status_change"

    id: int | None = Field(default=None, primary_key=True)
    idea_id: int = Field(foreign_key="idea.id", ondelete="CASCADE", index=True)
    from_status: IdeaStatus | None = Field(default=None, sa_type=string_enum(IdeaStatus))
    to_status: IdeaStatus = Field(sa_type=string_enum(IdeaStatus))
    response: str = Field(sa_column=Column(Text, nullable=False))
    by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class StatusUpdate(SQLModel):
    status: IdeaStatus
    response: str = Field(min_length=1, max_length=COMMENT_MAX)

    @field_validator("response", mode="before")
    @classmethod
    def _strip(cls, value: object) -> object:
        return text_input(value)


class Notification(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE", index=True)
    idea_id: int | None = Field(default=None, foreign_key="idea.id", ondelete="CASCADE")
    # Where the notice leads when it is not about an idea (a coaching assignment, say).
    link: str | None = Field(default=None, max_length=200)
    message: str = Field(max_length=500)
    created_at: datetime = Field(default_factory=utcnow)
    read_at: datetime | None = None


_ID_CHECK_CHUNK = 1000  # ids per IN list, well under SQLite's limit on bound variables


@event.listens_for(Session, "before_flush")
def _distinct_idea_ids(session: Session, _context: object, _instances: object) -> None:
    """Random idea ids are drawn blind (``Idea.id``'s default): before new ideas are inserted,
    draw again for any id already stored or drawn twice in the same flush. Every insert path
    (submit, the demo, bulk loads in tests) goes through here, so none can collide."""
    new = [row for row in session.new if isinstance(row, Idea)]
    if not new:
        return
    with session.no_autoflush:
        taken = _stored_ids(session, [row.id for row in new if row.id is not None])
        for row in new:
            while row.id is None or row.id in taken:
                row.id = random_id()
                taken |= _stored_ids(session, [row.id])
            taken.add(row.id)


def _stored_ids(session: Session, ids: list[int]) -> set[int]:
    found: set[int] = set()
    for first in range(0, len(ids), _ID_CHECK_CHUNK):
        chunk = ids[first : first + _ID_CHECK_CHUNK]
        found.update(session.execute(select(Idea.id).where(col(Idea.id).in_(chunk))).scalars())
    return found
