"""Synthetic demo data for development: a small UK bank contact centre.

Every name and email here is made up. Passwords are printed on the console and are for local
development only; ``load_demo`` refuses to run outside the development environment.
"""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
from sqlalchemy import Engine, update
from sqlmodel import Session, col, func, select

from api.security import hash_password
from coaching.guides import service as guide_service
from coaching.guides.models import Guide, GuideUpdate
from coaching.interactions.models import Interaction
from coaching.modules import assignments
from coaching.modules import service as module_service
from coaching.modules.models import Assignment, CoachingModule, ModuleVersion
from demo import contacts_cjk
from demo.centres import CENTRES, Centre
from demo.guides import GUIDES
from demo.ideas import SEEDS, load_demo_ideas
from demo.ideas_ja import SEEDS_JA
from demo.ideas_zh import SEEDS_ZH
from demo.interactions import coaching_days, generate, write_csv
from demo.script import THEME_BY_KEY
from foundation.accounts import Role, Team, User
from foundation.clock import as_utc, utcnow
from foundation.embeddings import Embedder, from_bytes, get_embedder
from foundation.settings import Settings
from ideas.themes.models import DocumentKind, Theme, ThemeMember

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


def _centre_staff(session: Session, team: Team, centre: Centre) -> list[User]:
    """The leader and agents of a Shanghai or Tokyo team (agent codes SH001, TK001, ...)."""
    leader = _user(session, centre.leader[0], Role.team_lead, team, centre.leader[1])
    team.leader_id = leader.id
    session.add(team)
    people = [leader]
    for k, (name, email) in enumerate(centre.agents, start=1):
        agent = _user(session, name, Role.staff, team, email)
        agent.agent_code = agent.agent_code or f"{centre.code}{k:03d}"
        session.add(agent)
        people.append(agent)
    return people


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
    for centre in CENTRES:
        team = _team(session, centre.team, centre.department)
        teams.append(team)
        logins.extend(_centre_staff(session, team, centre))
    session.flush()
    load_demo_ideas(session, embedder, seeds=DEMO_SEEDS)
    names = {t.id: t.name for t in teams}
    return [DemoLogin(u.email, u.role, names.get(u.team_id or -1)) for u in logins]


# The English ideas, then the Shanghai and Tokyo teams' (about 16% in each of Chinese and
# Japanese, and a few in English).
DEMO_SEEDS = [*SEEDS, *SEEDS_ZH, *SEEDS_JA]
DEMO_INTERACTIONS = 5_000
DEMO_CJK_SHARE = 0.16  # of the demo interactions, in each of Chinese and Japanese
DEMO_DAYS = 84
SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


def _demo_agents(session: Session) -> list[tuple[int, str, str]]:
    """(user id, agent code, team) of the agents with a code, in the order the demo
    interactions are generated with (the generator's behaviour depends on the position)."""
    query = (
        select(User.id, User.agent_code, Team.name)
        .join(Team, col(User.team_id) == Team.id)
        .where(col(User.agent_code).is_not(None))
        .order_by(col(User.agent_code))
    )
    return [(uid, code, team) for uid, code, team in session.exec(query) if uid and code]


def load_demo_interactions(
    engine: Engine, settings: Settings, data_dir: Path = SHARED_DATA
) -> str | None:
    """Generate and import the synthetic demo interactions (through the real import job) when
    there are none yet; returns the job's summary, or None when nothing was done."""
    from jobs.service import run_import_now

    with Session(engine) as session:
        if session.exec(select(Interaction.id).limit(1)).first() is not None:
            return None
        agents = [(code, team) for _, code, team in _demo_agents(session)]
    if not agents or not data_dir.is_dir():
        return None
    start = utcnow().replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=DEMO_DAYS)
    with tempfile.TemporaryDirectory(prefix="voiceloop-demo-") as tmp:
        path = Path(tmp) / "demo-interactions.csv"
        write_csv(path, demo_rows(agents, start, data_dir))
        job = run_import_now(engine, settings, path)
    with Session(engine) as session:
        _as_if_imported_nightly(session)
        session.commit()
    return job.message or job.error


def _as_if_imported_nightly(session: Session) -> None:
    """Date each demo contact's import to the night after it happened, as a daily feed would
    have, so the evidence of a closed period (``coaching.modules.snapshots``) has data."""
    now = utcnow()
    rows = session.exec(select(Interaction.id, Interaction.occurred_at)).all()
    night = [
        {"id": row_id, "created_at": min(now, as_utc(at).replace(hour=23) + timedelta(hours=2))}
        for row_id, at in rows
    ]
    for first in range(0, len(night), 1000):
        session.execute(update(Interaction), night[first : first + 1000])


def demo_rows(
    agents: list[tuple[str, str]], start: datetime, data_dir: Path
) -> Iterator[dict[str, str]]:
    """The demo's ``DEMO_INTERACTIONS`` contacts as import rows, in time order: the Shanghai and
    Tokyo teams' in Chinese and Japanese (``DEMO_CJK_SHARE`` each), the English teams' the rest.
    ``agents`` are ``(agent_code, team)`` in agent-code order (``_demo_agents``)."""
    streams: list[Iterator[dict[str, str]]] = []
    for seed, centre in enumerate(CENTRES, start=2027):
        staff = [agent for agent in agents if agent[1] == centre.team]
        if staff:
            n = round(DEMO_INTERACTIONS * DEMO_CJK_SHARE)
            streams.append(
                contacts_cjk.generate(
                    n, lang=centre.lang, agents=staff, start=start, days=DEMO_DAYS, seed=seed,
                    prefix=centre.code,
                )
            )  # fmt: skip
    english = [agent for agent in agents if agent[1] not in {c.team for c in CENTRES}]
    left = DEMO_INTERACTIONS - round(DEMO_INTERACTIONS * DEMO_CJK_SHARE) * len(streams)
    if english:
        streams.append(
            generate(left, agents=english, start=start, days=DEMO_DAYS, data_dir=data_dir)
        )
    return heapq.merge(*streams, key=lambda row: row["occurred_at"])


def load_demo_themes(engine: Engine, settings: Settings) -> str | None:
    """Cluster the demo ideas and gap evidence into themes (the real job, in this process)
    when no run has happened yet; returns the job's summary, or None when nothing was done."""
    from ideas.themes.queries import latest_run
    from jobs.service import run_now, run_queued_now

    with Session(engine) as session:
        if latest_run(session) is not None:
            return None
    job = run_now(engine, settings, "themes.cluster", {})
    run_queued_now(engine, settings)  # the import's themes.join: nothing left for it to do
    return job.message or job.error


# ------------------------------------------------------------------------------ coaching
# Synthetic like the rest: modules drafted from the demo themes, and assignments whose
# completion days match the generator's coaching story (``demo.interactions.coaching_days``), so the
# disputed-payments module has a real before and after to measure; others are overdue or open.
GUIDE_LINK_MIN = 0.45  # cosine between a guide and a theme's centre for the demo to link them
DEMO_MODULE_THEMES = {  # generator theme -> the title the CX lead gave the module
    "disputed_payment": "Disputed card payments and chargebacks",
    "transfers": "Transfers that have not arrived",
    "account_access": "Locked out: passcodes and account access",
    "fees_charges": "Explaining fees and charges",
}


def load_demo_coaching(
    engine: Engine, settings: Settings, embedder: Embedder | None = None
) -> str | None:
    """Guides, modules and assignments for the demo (first run only, after the themes)."""
    with Session(engine, expire_on_commit=False) as session:
        if session.exec(select(CoachingModule.id).limit(1)).first() is not None:
            return None
        cx = session.exec(select(User).where(User.email == f"cx.lead@{DOMAIN}")).one()
        published = _demo_guides(session, cx, settings, embedder or get_embedder(settings))
        first = session.exec(select(func.min(Interaction.occurred_at))).one()
        found = {key: _theme_for(session, key) for key in DEMO_MODULE_THEMES}
        theme_ids = {key: tid for key, tid in found.items() if tid is not None}
        if first is None or len(theme_ids) < len(DEMO_MODULE_THEMES):
            session.commit()
            return f"{published} guides; no demo themes, so no coaching modules"
        _demo_modules(session, settings, cx, theme_ids, as_utc(first))
        # What this morning's reminder job would have sent.
        assignments.due_reminders(session, days=settings.coaching_reminder_days)
        session.commit()
    return f"{published} guides, {len(DEMO_MODULE_THEMES)} coaching modules with assignments"


def _demo_modules(
    session: Session, settings: Settings, cx: User, theme_ids: dict[str, int], first: datetime
) -> None:
    start = first.replace(hour=9, minute=0, second=0, microsecond=0)
    now = utcnow().replace(minute=0, second=0, microsecond=0)
    leads = {u.team_id: u for u in session.exec(select(User).where(User.role == Role.team_lead))}
    team = {t.name: t for t in session.exec(select(Team))}
    severn, thames = team["Severn"], team["Thames"]

    def publish(key: str, when: datetime) -> tuple[CoachingModule, ModuleVersion]:
        module = module_service.create_from_theme(
            session,
            theme_ids[key],
            cx,
            settings.min_group_size,
            uncertainty_phrases=settings.uncertainty_phrases,
        )
        module.title, module.created_at = DEMO_MODULE_THEMES[key], when
        module_service.review_questions(session, module, cx)  # the CX lead read them
        return module, module_service.publish(session, module, cx, now=when)

    def give(module: CoachingModule, to: Team, when: datetime, due: datetime) -> list[Assignment]:
        done = assignments.assign(
            session,
            module,
            leads[to.id],
            due_on=due.date(),
            team_ids=[to.id or 0],
            today=when.date(),
        )
        for a in done.created:
            a.assigned_at = when
        return done.created

    # Disputed payments: Severn completes it on the days the generator coached them.
    module, version = publish("disputed_payment", start + timedelta(days=34))
    finished = _coached_days(session)
    for a in give(module, severn, start + timedelta(days=35), start + timedelta(days=50)):
        if a.user_id in finished:
            _complete(session, a, version, start + timedelta(days=finished[a.user_id], hours=1))
    # Transfers: given to Thames two and a half weeks ago; three finished, the rest are overdue.
    module, version = publish("transfers", now - timedelta(days=20))
    given = give(module, thames, now - timedelta(days=18), now - timedelta(days=4))
    for a in sorted(given, key=lambda a: a.user_id)[-3:]:
        _complete(session, a, version, now - timedelta(days=8))
    # Account access: given to Thames two days ago, due in ten. Fees: still a draft.
    module, _ = publish("account_access", now - timedelta(days=3))
    give(module, thames, now - timedelta(days=2), now + timedelta(days=10))
    fees = theme_ids["fees_charges"]
    draft = module_service.create_from_theme(
        session, fees, cx, settings.min_group_size, uncertainty_phrases=settings.uncertainty_phrases
    )
    draft.title = DEMO_MODULE_THEMES["fees_charges"]


def _theme_for(session: Session, theme_key: str) -> int | None:
    """The theme holding most gap evidence of one generator theme (found by disposition)."""
    disposition = THEME_BY_KEY[theme_key].disposition
    query = (
        select(ThemeMember.theme_id, func.count())
        .join(Interaction, col(Interaction.id) == ThemeMember.source_id)
        .where(ThemeMember.kind == DocumentKind.gap, Interaction.disposition == disposition)
        .group_by(col(ThemeMember.theme_id))
        .order_by(func.count().desc(), col(ThemeMember.theme_id))
    )
    row = session.exec(query).first()
    return row[0] if row else None


def _coached_days(session: Session) -> dict[int, int]:
    """User id -> the day (from the first interaction) the generator has them coached."""
    rows = _demo_agents(session)
    days = coaching_days([(code, team) for _, code, team in rows], DEMO_DAYS)
    return {rows[i][0]: day for i, day in days.items()}


def _complete(
    session: Session, assignment: Assignment, version: ModuleVersion, when: datetime
) -> None:
    right = [int(q["answer"]) for q in version.questions]
    if right:
        assignments.submit_attempt(session, assignment, version, right, now=when)
    assignments.acknowledge(session, assignment, version, now=when)


def _demo_guides(session: Session, cx: User, settings: Settings, embedder: Embedder) -> int:
    """Publish the demo guides, each linked to up to two themes whose centre is close to it."""
    live = [t for t in session.exec(select(Theme)) if t.live and t.centroid and t.id]
    centroids = np.stack([from_bytes(t.centroid or b"") for t in live]) if live else None
    vectors = embedder.encode([f"{title}\n{body}" for title, body in GUIDES])
    guide: Guide | None = None
    for (title, body), vector in zip(GUIDES, vectors, strict=True):
        linked: list[int] = []
        if centroids is not None:
            sims = centroids @ vector
            linked = [live[i].id or 0 for i in np.argsort(-sims)[:2] if sims[i] >= GUIDE_LINK_MIN]
        data = GuideUpdate(title=title, body=body, theme_ids=linked)
        guide = guide_service.create(session, data, cx)
        guide_service.publish(session, guide, cx, embedder, settings.guide_review_days)
    if guide is not None:  # one guide is due for review, so the CX lead's list shows one
        guide.review_due_on = utcnow().date() - timedelta(days=5)
    return len(GUIDES)
