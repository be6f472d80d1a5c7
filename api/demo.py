"""Synthetic demo data for development: a small UK bank contact centre.

Every name and email here is made up. Passwords are printed on the console and are for local
development only; ``load_demo`` refuses to run outside the development environment.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from api.security import hash_password
from foundation.accounts import Role, Team, User
from foundation.clock import utcnow
from foundation.embeddings import Embedder
from foundation.settings import Settings
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
        agent = _user(session, name, Role.staff, teams[i % len(teams)])
        # The agent id these people have in the (synthetic) contact-centre exports.
        agent.agent_code = agent.agent_code or f"AG{i + 1:03d}"
        session.add(agent)
        logins.append(agent)
    session.flush()
    load_demo_ideas(session, embedder)
    names = {t.id: t.name for t in teams}
    return [DemoLogin(u.email, u.role, names.get(u.team_id or -1)) for u in logins]


DEMO_INTERACTIONS = 5_000
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def load_demo_interactions(
    engine: Engine, settings: Settings, data_dir: Path = SHARED_DATA
) -> str | None:
    """Generate and import the synthetic demo interactions (through the real import job) when
    there are none yet; returns the job's summary, or None when nothing was done."""
    from coaching.demo import generate, write_csv
    from coaching.models import Interaction
    from jobs.service import run_import_now

    with Session(engine) as session:
        if session.exec(select(Interaction.id).limit(1)).first() is not None:
            return None
        query = (
            select(User.agent_code, Team.name)
            .join(Team, col(User.team_id) == Team.id)
            .where(col(User.agent_code).is_not(None))
            .order_by(col(User.agent_code))
        )
        agents = [(code, team) for code, team in session.exec(query) if code]
    if not agents or not data_dir.is_dir():
        return None
    with tempfile.TemporaryDirectory(prefix="voiceloop-demo-") as tmp:
        path = Path(tmp) / "demo-interactions.csv"
        start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=84)
        write_csv(
            path,
            generate(DEMO_INTERACTIONS, agents=agents, start=start, days=84, data_dir=data_dir),
        )
        job = run_import_now(engine, settings, path)
    return job.message or job.error


def load_demo_themes(engine: Engine, settings: Settings) -> str | None:
    """Cluster the demo ideas and gap evidence into themes (the real job, in this process)
    when no run has happened yet; returns the job's summary, or None when nothing was done."""
    from ideas.themes import latest_run
    from jobs.service import run_now

    with Session(engine) as session:
        if latest_run(session) is not None:
            return None
    job = run_now(engine, settings, "themes.cluster", {})
    return job.message or job.error
