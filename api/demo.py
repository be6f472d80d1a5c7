"""Synthetic demo data for development: a small UK bank contact centre.

Every name and email here is made up. Passwords are printed on the console and are for local
development only; ``load_demo`` refuses to run outside the development environment.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, select

from api.security import hash_password
from foundation.accounts import Role, Team, User
from foundation.embeddings import Embedder
from ideas.demo import load_demo_ideas

DEMO_PASSWORD = "voiceloop-demo-2026"  # noqa: S105 - development-only, printed on purpose
DOMAIN = "northbank.test"

TEAMS = [
    ("Thames", "Retail banking"),
    ("Severn", "Cards and payments"),
    ("Trent", "Collections and arrears"),
]

AGENTS = [
    "Aisha Khan",
    "Ben Carter",
    "Chloe Evans",
    "Daniel Okafor",
    "Ella Thompson",
    "Farah Ali",
    "George Hughes",
    "Hannah Walsh",
    "Isaac Patel",
    "Jade Robinson",
    "Kieran Doyle",
    "Laura Bennett",
    "Mohammed Hussain",
    "Niamh O'Brien",
    "Oliver Price",
    "Priya Shah",
    "Rhys Morgan",
    "Sophie Clarke",
    "Tom Fletcher",
    "Zara Ahmed",
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    role: Role
    team: str | None


def _email(name: str) -> str:
    return name.lower().replace("'", "").replace(" ", ".") + "@" + DOMAIN


def _user(
    session: Session, name: str, role: Role, team: Team | None, email: str | None = None
) -> User:
    email = email or _email(name)
    user = session.exec(select(User).where(User.email == email)).first()
    if user is None:
        user = User(
            email=email,
            display_name=name,
            role=role,
            team_id=team.id if team else None,
            password_hash=hash_password(DEMO_PASSWORD),
        )
        session.add(user)
        session.flush()
    return user


def _team(session: Session, name: str, department: str) -> Team:
    team = session.exec(select(Team).where(Team.name == name)).first()
    if team is None:
        team = Team(name=name, department=department)
        session.add(team)
        session.flush()
    return team


def load_demo(session: Session, embedder: Embedder | None = None) -> list[DemoLogin]:
    """Create (or leave as they are) the demo accounts and, when there are no ideas yet, the
    demo ideas (``embedder`` None: the process-wide model); returns the logins to print."""
    teams = [_team(session, name, dept) for name, dept in TEAMS]
    logins = [
        _user(session, "Amira Admin", Role.admin, None, f"admin@{DOMAIN}"),
        _user(session, "Charlotte Reid", Role.cx_lead, None, f"cx.lead@{DOMAIN}"),
    ]
    for team, leader_name, email in [
        (teams[0], "Marcus Webb", f"lead.thames@{DOMAIN}"),
        (teams[1], "Grace Lin", f"lead.severn@{DOMAIN}"),
    ]:
        leader = _user(session, leader_name, Role.team_lead, team, email)
        team.leader_id = leader.id
        session.add(team)
        logins.append(leader)
    for i, name in enumerate(AGENTS):
        logins.append(_user(session, name, Role.staff, teams[i % len(teams)]))
    session.flush()
    load_demo_ideas(session, embedder)
    names = {t.id: t.name for t in teams}
    return [DemoLogin(u.email, u.role, names.get(u.team_id or -1)) for u in logins]
