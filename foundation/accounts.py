"""Who is who: users, the teams they work in, and their role.

The authentication machinery (passwords, sessions, tokens, throttling) lives in ``api``; this
module only holds the identity that every domain package points at.
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import Column, ForeignKey, Integer, UniqueConstraint
from sqlalchemy import Enum as SAEnum
from sqlmodel import Field, SQLModel

from foundation.clock import utcnow
from foundation.i18n import N_, gettext
from foundation.ids import IdRef
from foundation.text import line_input


class Role(StrEnum):
    staff = "staff"
    team_lead = "team_lead"
    cx_lead = "cx_lead"
    admin = "admin"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        return gettext(
            {
                "staff": N_("Frontline staff"),
                "team_lead": N_("Team leader"),
                "cx_lead": N_("CX lead"),
                "admin": N_("Administrator"),
            }[self.value]
        )


# Deliberately simple: one @, no spaces, a dot in the domain. Deliverability is not our concern.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def string_enum(enum: type[StrEnum]) -> SAEnum:
    """Enums stored as plain strings: no PostgreSQL enum types to migrate."""
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda members: [m.value for m in members],
    )


# ---------------------------------------------------------------------------------------- teams
class TeamBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    department: str = Field(min_length=1, max_length=100)

    _clean = field_validator("name", "department", mode="before")(line_input)


class TeamCreate(TeamBase):
    leader_id: IdRef | None = None


class TeamUpdate(TeamCreate):
    pass


class Team(TeamBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100, unique=True)
    # Team and user point at each other, so this key is added after both tables exist.
    leader_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("user.id", ondelete="SET NULL", use_alter=True, name="fk_team_leader_id"),
        ),
    )
    created_at: datetime = Field(default_factory=utcnow)


class TeamPublic(TeamBase):
    id: int
    leader_id: int | None


# ---------------------------------------------------------------------------------------- users
class UserBase(SQLModel):
    email: str = Field(max_length=254)
    display_name: str = Field(min_length=1, max_length=100)
    role: Role = Role.staff
    team_id: IdRef | None = None
    # The agent id this person has in the contact-centre platform's exports.
    agent_code: str | None = Field(default=None, max_length=64)

    @field_validator("email", mode="before")
    @classmethod
    def _check_email(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        value = value.strip().lower()
        if not _EMAIL.match(value):
            raise ValueError(N_("is not an email address"))
        return value

    _clean = field_validator("display_name", mode="before")(line_input)


class UserCreate(UserBase):
    password: str = Field(min_length=12, max_length=128)


class UserUpdate(UserBase):
    is_active: bool = True
    # Blank keeps the current password.
    password: str | None = Field(default=None, min_length=12, max_length=128)


class User(UserBase, table=True):
    __table_args__ = (UniqueConstraint("agent_code", name="uq_user_agent_code"),)

    id: int | None = Field(default=None, primary_key=True)
    role: Role = Field(default=Role.staff, sa_type=string_enum(Role))
    email: str = Field(max_length=254, unique=True, index=True)
    team_id: int | None = Field(
        default=None, foreign_key="team.id", ondelete="SET NULL", index=True
    )
    password_hash: str = Field(max_length=255)
    is_active: bool = True
    # The interface language the user chose (foundation.i18n.LOCALES); None: the browser's.
    locale: str | None = Field(default=None, max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class UserPublic(UserBase):
    id: int
    is_active: bool
