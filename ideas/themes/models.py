"""Themes and what hangs off them: members (ideas and gap evidence), clustering runs, the
history of each theme, and its action plan."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from pydantic import field_validator
from sqlalchemy import JSON, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from foundation.accounts import string_enum
from foundation.clock import utcnow
from foundation.i18n import N_, gettext
from foundation.ids import IdRef
from ideas.submissions.models import COMMENT_MAX
from ideas.themes.duty import DutyOutcome

NAME_MAX = 120


class ThemeStatus(StrEnum):
    """Where a CX lead's review of the theme stands."""

    new = "new"
    reviewing = "reviewing"
    actioned = "actioned"
    dismissed = "dismissed"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        return gettext(self.english_label)

    @property
    def english_label(self) -> str:
        """For stored texts (the theme's history), which stay English."""
        return {
            "new": N_("New"),
            "reviewing": N_("Reviewing"),
            "actioned": N_("Actioned"),
            "dismissed": N_("Dismissed"),
        }[self.value]


class ThemeState(StrEnum):
    """Whether the latest clustering run still finds the theme. ``merged`` and ``split`` themes
    keep their row and history; their members live on in the themes they went into."""

    active = "active"
    faded = "faded"
    merged = "merged"
    split_up = "split"
    # Made by a clustering run that is still writing (``run_staging``): shown to nobody, and
    # active once the run is applied, or removed.
    pending = "pending"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        labels = {
            "active": N_("Active"),
            "faded": N_("Faded"),
            "merged": N_("Merged"),
            "split": N_("Split"),
            "pending": N_("New"),  # never shown: pending themes are listed nowhere
        }
        return gettext(labels[self.value])


class DocumentKind(StrEnum):
    """A theme's members come from two sources, clustered as one kind of document."""

    idea = "idea"
    gap = "gap"  # the evidence of an interaction's knowledge-gap signals

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        return gettext({"idea": N_("Idea"), "gap": N_("Gap evidence")}[self.value])


class PlanStatus(StrEnum):
    open = "open"
    in_progress = "in_progress"
    done = "done"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        return gettext(self.english_label)

    @property
    def english_label(self) -> str:
        """For stored texts (the theme's history), which stay English."""
        return {"open": N_("Open"), "in_progress": N_("In progress"), "done": N_("Done")}[
            self.value
        ]


class AreaState(StrEnum):
    """Whether the latest grouping still finds the area (a faded one keeps its row, and comes
    back when a later grouping finds it again)."""

    active = "active"
    faded = "faded"


class ThemeArea(SQLModel, table=True):
    """A handful of themes about one broad subject (``ideas.themes.areas``): the themes page
    opens on areas, and a CX lead drills into the themes inside."""

    __tablename__ = "theme_area"

    id: int | None = Field(default=None, primary_key=True)
    # Made from the members' words, in their most common language (``keywords.primary_label``).
    name: str = Field(max_length=NAME_MAX)
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Per language, as ``Theme.labels``: {"name", "keywords", "count"}.
    labels: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # L2-normalised, size-weighted mean of its themes' centroids (float32 bytes), for matching.
    centroid: bytes | None = Field(default=None, sa_type=LargeBinary)
    state: AreaState = Field(default=AreaState.active, sa_type=string_enum(AreaState))
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class Theme(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    # What people see; starts as the generated label and is kept once a CX lead renames it.
    name: str = Field(max_length=120)
    renamed: bool = False
    auto_label: str = Field(max_length=120)
    keywords: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # Per language the members are written in ("en", "zh", "ja"): {"name", "keywords",
    # "count"} from that language's own c-TF-IDF (``keywords.language_labels``); ``auto_label``
    # and ``keywords`` above are the most common language's. Shown by ``naming.display_label``.
    labels: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: ThemeStatus = Field(default=ThemeStatus.new, sa_type=string_enum(ThemeStatus))
    state: ThemeState = Field(default=ThemeState.active, sa_type=string_enum(ThemeState))
    dismiss_reason: str | None = Field(default=None, max_length=500)
    merged_into_id: int | None = Field(default=None, foreign_key="theme.id", ondelete="SET NULL")
    split_from_id: int | None = Field(default=None, foreign_key="theme.id", ondelete="SET NULL")
    # L2-normalised mean of the members' embeddings (float32 bytes), for matching and joining.
    centroid: bytes | None = Field(default=None, sa_type=LargeBinary)
    size: int = 0
    idea_count: int = 0
    gap_count: int = 0
    # [{"kind": "idea" | "gap", "id": ...}], most central first.
    representatives: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    first_run_id: int | None = Field(default=None, foreign_key="theme_run.id")
    # Its members counted when they were written (``ideas.themes.summary``): by day, and by team
    # with the agents behind the gap evidence, so lists never read the members.
    summary: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The area an active theme is in (``area_runs.assign_areas``); None when there are too few
    # themes for areas, and for themes that are not active.
    area_id: int | None = Field(
        default=None, foreign_key="theme_area.id", ondelete="SET NULL", index=True
    )
    # The Consumer Duty outcome a CX lead chose; None: the suggestion (``ideas.themes.duty``).
    duty_outcome: DutyOutcome | None = Field(
        default=None, sa_type=string_enum(DutyOutcome), nullable=True
    )
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)

    @property
    def live(self) -> bool:
        return self.state in (ThemeState.active, ThemeState.faded)


class ThemePublic(SQLModel):
    id: int
    name: str
    auto_label: str
    keywords: list[str]
    labels: dict[str, Any]
    status: ThemeStatus
    state: ThemeState
    merged_into_id: int | None
    split_from_id: int | None
    size: int
    idea_count: int
    gap_count: int
    area_id: int | None
    created_at: datetime
    updated_at: datetime


class AreaPublic(SQLModel):
    id: int
    name: str
    keywords: list[str]
    labels: dict[str, Any]
    themes: int  # active themes in it
    size: int  # their members
    weekly: list[int]  # members in each of the last 12 weeks, oldest first
    created_at: datetime
    updated_at: datetime


class ThemeMember(SQLModel, table=True):
    """A document in a theme. A document is in at most one theme; one not in any is unthemed."""

    __tablename__ = "theme_member"
    __table_args__ = (
        UniqueConstraint("kind", "source_id"),
        Index("ix_theme_member_theme_kind", "theme_id", "kind"),
    )

    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", ondelete="CASCADE")
    kind: DocumentKind = Field(sa_type=string_enum(DocumentKind))
    source_id: int  # the idea id, or the interaction id of gap evidence
    # Cosine to the theme's centroid when it joined.
    similarity: float = 0.0
    # "cluster" (a full run), "nearest" (joined between runs), or a CX lead's "split" / "merge".
    via: str = Field(default="cluster", max_length=16)
    occurred_at: datetime = Field(index=True)
    team_id: int | None = Field(default=None, foreign_key="team.id", ondelete="SET NULL")


class ThemeMemberPublic(SQLModel):
    theme_id: int
    kind: DocumentKind
    source_id: int
    similarity: float
    via: str
    occurred_at: datetime


class ThemeRun(SQLModel, table=True):
    """One full clustering: what it saw and what it changed."""

    __tablename__ = "theme_run"

    id: int | None = Field(default=None, primary_key=True)
    job_id: int | None = Field(default=None, foreign_key="job.id", ondelete="SET NULL")
    documents: int = 0
    themed: int = 0
    themes: int = 0
    new_themes: int = 0
    faded_themes: int = 0
    seconds: float = 0.0
    finished_at: datetime = Field(default_factory=utcnow)

    @property
    def unthemed_share(self) -> float:
        return (self.documents - self.themed) / self.documents if self.documents else 0.0


class ThemeEvent(SQLModel, table=True):
    """The theme's history: what a run or a CX lead did to it."""

    __tablename__ = "theme_event"

    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", ondelete="CASCADE", index=True)
    action: str = Field(max_length=32)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False))
    by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    run_id: int | None = Field(default=None, foreign_key="theme_run.id", ondelete="SET NULL")
    created_at: datetime = Field(default_factory=utcnow)


class ActionPlan(SQLModel, table=True):
    """What the business will do about a theme: one plan per theme."""

    __tablename__ = "theme_action_plan"

    id: int | None = Field(default=None, primary_key=True)
    theme_id: int = Field(foreign_key="theme.id", ondelete="CASCADE", unique=True)
    owner_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    due_date: date | None = None
    status: PlanStatus = Field(default=PlanStatus.open, sa_type=string_enum(PlanStatus))
    note: str = Field(default="", sa_column=Column(Text, nullable=False))
    updated_at: datetime = Field(default_factory=utcnow)


class ActionPlanUpdate(SQLModel):
    owner_id: IdRef | None = None
    due_date: date | None = None
    status: PlanStatus = PlanStatus.open
    note: str = Field(default="", max_length=COMMENT_MAX)

    @field_validator("note", mode="before")
    @classmethod
    def _strip_note(cls, value: object) -> object:
        return value.strip() if isinstance(value, str) else ("" if value is None else value)
