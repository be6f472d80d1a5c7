"""Best-practice guides: drafts, versions, searchable passages, theme links and feedback."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from coaching.modules.models import BODY_MAX, TITLE_MAX
from foundation.accounts import string_enum
from foundation.clock import utcnow
from foundation.i18n import N_, gettext
from foundation.ids import IdRef
from foundation.text import line_input, text_input


# --------------------------------------------------------------------- best-practice guides
class GuideStatus(StrEnum):
    draft = "draft"
    published = "published"
    archived = "archived"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        labels = {"draft": N_("Draft"), "published": N_("Published"), "archived": N_("Archived")}
        return gettext(labels[self.value])


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
