"""Gap evidence as theme documents, and what the interactions inside a theme show.

One interaction with knowledge-gap signals is one document: its main question and answer, with
what the agent said they were unsure of, all redacted at import. On a theme page it shows every
signal kind it raised, its team and its outcome. The drill-down from a gap rate to the
signals behind it (``signal_evidence``) lives here too, with the same scope as ``queries``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import case, distinct, func
from sqlmodel import Session, col, select

from coaching.interactions import excerpts
from coaching.interactions import queries as gap_queries
from coaching.interactions import remediation as gap_remediation
from coaching.interactions.models import Agent, Channel, Interaction, Outcome, Signal, SignalKind
from coaching.interactions.queries import _scoped, _select, _signals_joined
from foundation.accounts import Team
from foundation.ids import pk
from ideas.submissions.models import Idea, idea_text
from ideas.themes import documents as theme_documents
from ideas.themes import summary as theme_summary
from ideas.themes.models import DocumentKind, ThemeMember

CHUNK = 1000  # ids per IN (...) list


def _uncertain_part(evidence: str) -> str:
    """What the agent was unsure of: the agent's side of an uncertainty signal's evidence."""
    return evidence.rpartition("Agent:")[2].strip()


def gap_texts(session: Session, interaction_ids: list[int] | None = None) -> dict[int, str]:
    """interaction id -> document text, for interactions with any signal: the customer's main
    question, plus what the agent said they were unsure of (the gap itself). The agent's routine
    answer (security checks and the like) is left out: it says nothing about the topic."""
    query = select(Signal.interaction_id, Signal.kind, Signal.evidence)
    if interaction_ids is not None:
        query = query.where(col(Signal.interaction_id).in_(interaction_ids))
    unsure: dict[int, str] = {}
    ids: set[int] = set()
    for interaction_id, kind, evidence in session.exec(query):
        ids.add(interaction_id)
        if kind == SignalKind.uncertainty:
            unsure[interaction_id] = _uncertain_part(evidence)
    texts: dict[int, str] = {}
    ordered = sorted(ids)
    for first in range(0, len(ordered), CHUNK):
        chunk = ordered[first : first + CHUNK]
        query = gap_queries._select(Interaction.id, Interaction.turns).where(
            col(Interaction.id).in_(chunk)
        )
        for row_id, turns in session.exec(query):
            parts = [f"Customer: {excerpts.main_question(turns)}".strip()]
            if unsure.get(row_id):
                parts.append(f"Agent: {unsure[row_id]}")
            text = " / ".join(p for p in parts if p != "Customer:")
            if text:
                texts[row_id] = text
    return texts


def resolution_texts(
    session: Session, interaction_ids: list[int], phrases: list[str]
) -> dict[int, str]:
    """interaction id -> "Customer: <main question> / Agent: <how they answered it>", for the
    examples of good practice a coaching draft shows (redacted at import, like every turn)."""
    lowered = [p.lower() for p in phrases]
    query = gap_queries._select(Interaction.id, Interaction.turns).where(
        col(Interaction.id).in_(interaction_ids)
    )
    texts: dict[int, str] = {}
    for row_id, turns in session.exec(query):
        question, answer = excerpts.main_question(turns), excerpts.resolution(turns, lowered)
        if question and answer:
            texts[row_id] = f"Customer: {question} / Agent: {answer}"
    return texts


def gap_documents(
    session: Session, interaction_ids: list[int] | None = None
) -> list[theme_documents.Document]:
    """A document per interaction with signals (all of them, or just ``interaction_ids``)."""
    texts = gap_texts(session, interaction_ids)
    meta = gap_queries._select(
        Interaction.id,
        Interaction.occurred_at,
        Interaction.team_id,
        Interaction.language,
        Interaction.agent_id,
    )
    if interaction_ids is not None:
        meta = meta.where(col(Interaction.id).in_(interaction_ids))
    return [
        theme_documents.Document(
            DocumentKind.gap,
            int(i),
            texts[i],
            occurred_at,
            team_id,
            theme_documents.document_language(language, texts[i]),
            agent_id,
        )
        for i, occurred_at, team_id, language, agent_id in sorted(session.exec(meta))
        if i in texts
    ]


class Corpus:
    """Every document the themes are built from: visible ideas and gap evidence."""

    def __init__(self, model: str) -> None:
        self.model = model

    def documents(self, session: Session) -> list[theme_documents.Document]:
        return theme_documents.idea_documents(session) + gap_documents(session)

    def texts(self, session: Session, kind: DocumentKind, ids: list[int]) -> dict[int, str]:
        if kind == DocumentKind.idea:
            ideas = session.exec(select(Idea).where(col(Idea.id).in_(ids)))
            return {pk(idea): idea_text(idea) for idea in ideas}
        return gap_texts(session, ids)

    def languages(
        self, session: Session, kind: DocumentKind, ids: list[int]
    ) -> dict[int, str | None]:
        if kind == DocumentKind.idea:
            ideas = select(Idea.id, Idea.language).where(col(Idea.id).in_(ids))
            return {pk_: language for pk_, language in session.exec(ideas) if pk_ is not None}
        rows = select(Interaction.id, Interaction.language).where(col(Interaction.id).in_(ids))
        return {pk_: language for pk_, language in session.exec(rows) if pk_ is not None}


# ------------------------------------------------------------------------- theme page figures
@dataclass(frozen=True)
class GapMember:
    interaction_id: int
    occurred_at: datetime
    kinds: list[SignalKind]
    evidence: str
    team: str | None
    outcome: Outcome | None
    similarity: float


def gap_members(
    session: Session, theme_id: int, *, team_ids: list[int] | None = None, limit: int = 20
) -> tuple[list[GapMember], int]:
    """The theme's gap evidence, most central first (a page of it), and how many there are."""
    where: list[Any] = [ThemeMember.theme_id == theme_id, ThemeMember.kind == DocumentKind.gap]
    if team_ids is not None:
        where.append(col(ThemeMember.team_id).in_(team_ids))
    total = session.exec(select(func.count()).select_from(ThemeMember).where(*where)).one()
    rows = session.exec(
        gap_queries._select(ThemeMember.source_id, ThemeMember.similarity, Interaction, Team.name)
        .select_from(ThemeMember)
        .join(Interaction, col(Interaction.id) == col(ThemeMember.source_id))
        .outerjoin(Team, col(Team.id) == col(Interaction.team_id))
        .where(*where)
        .order_by(col(ThemeMember.similarity).desc(), col(ThemeMember.source_id))
        .limit(limit)
    ).all()
    ids = [row[0] for row in rows]
    kinds: dict[int, set[SignalKind]] = defaultdict(set)
    for interaction_id, kind in session.exec(
        select(Signal.interaction_id, Signal.kind).where(col(Signal.interaction_id).in_(ids))
    ):
        kinds[interaction_id].add(SignalKind(kind))
    texts = gap_texts(session, ids)
    members = [
        GapMember(
            interaction_id=source_id,
            occurred_at=interaction.occurred_at,
            kinds=[k for k in SignalKind if k in kinds[source_id]],
            evidence=texts.get(source_id, ""),
            team=team,
            outcome=interaction.outcome,
            similarity=similarity,
        )
        for source_id, similarity, interaction, team in rows
    ]
    return members, int(total)


@dataclass(frozen=True)
class Outcomes:
    agents: int
    interactions: int
    resolved: int
    resolution_rate: float | None
    repeats: int
    repeat_rate: float | None
    csat_count: int
    csat_mean: float | None


def _in_theme(theme_id: int) -> Any:
    return select(ThemeMember.source_id).where(
        ThemeMember.theme_id == theme_id, ThemeMember.kind == DocumentKind.gap
    )


def outcomes(session: Session, theme_id: int, *, inside: bool) -> Outcomes:
    """Resolution, repeat contact and CSAT of the interactions inside (or outside) the theme."""
    members = col(Interaction.id).in_(_in_theme(theme_id))
    repeat = (
        select(Signal.id)
        .where(
            col(Signal.interaction_id) == col(Interaction.id),
            Signal.kind == SignalKind.repeat_contact,
        )
        .exists()
    )
    row = session.exec(
        gap_queries._select(
            func.count(func.distinct(col(Interaction.agent_id))),
            func.count(),
            func.coalesce(
                func.sum(case((col(Interaction.outcome) == Outcome.resolved, 1), else_=0)), 0
            ),
            func.coalesce(func.sum(case((repeat, 1), else_=0)), 0),
            func.count(col(Interaction.csat)),
            func.avg(Interaction.csat),
        ).where(members if inside else ~members)
    ).one()
    agents, total, resolved, repeats, csat_count, csat_mean = row
    return Outcomes(
        agents,
        total,
        resolved,
        gap_queries._pct(resolved, total),
        repeats,
        gap_queries._pct(repeats, total),
        csat_count,
        float(csat_mean) if csat_mean is not None else None,
    )


def vulnerability_signals(session: Session, theme_id: int) -> int:
    query = select(func.count()).where(
        col(Signal.interaction_id).in_(_in_theme(theme_id)),
        Signal.kind == SignalKind.missed_vulnerability,
    )
    return int(session.exec(query).one())


def remediation(
    session: Session, theme_id: int, min_group_size: int
) -> list[gap_remediation.ActionStats]:
    """How often each remediation action used inside the theme worked."""
    return gap_remediation.remediation_by_action(
        session,
        team_ids=None,
        since=None,
        until=None,
        min_group_size=min_group_size,
        within=_in_theme(theme_id),
    )


@dataclass(frozen=True)
class TeamTouched:
    team_id: int
    name: str
    evidence: int


def teams_touched(
    session: Session, theme_ids: list[int], min_group_size: int
) -> dict[int, tuple[list[TeamTouched], int]]:
    """Per theme: the teams whose interactions are in it, named only when at least the minimum
    group of their agents contributed, and how many teams were left unnamed. Read from each
    theme's summary (``ideas.themes.summary``); the members are counted only for themes whose
    summary is stale or does not know the agents."""
    counted = _summarised_teams(session, theme_ids)
    stale = [t for t in theme_ids if t not in counted]
    rows = [
        (theme_id, int(team), None, entry["evidence"], len(entry["agents"]))
        for theme_id, teams in counted.items()
        for team, entry in teams.items()
    ]
    rows += _counted_teams(session, stale) if stale else []
    teams = select(Team.id, Team.name).where(col(Team.id).in_({r[1] for r in rows}))
    names = {team_id: name for team_id, name in session.exec(teams)}
    result: dict[int, tuple[list[TeamTouched], int]] = {t: ([], 0) for t in theme_ids}
    for theme_id, team_id, _, evidence, agents in rows:
        if team_id not in names:
            continue  # a team deleted since
        shown, hidden = result[theme_id]
        if agents >= min_group_size:
            shown.append(TeamTouched(team_id, names[team_id], evidence))
        else:
            result[theme_id] = (shown, hidden + 1)
    for shown, _ in result.values():
        shown.sort(key=lambda t: (-t.evidence, t.name))
    return result


def _summarised_teams(session: Session, theme_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Theme id -> its summary's teams, for the themes whose summary is current and knows them."""
    summaries = theme_summary.stored(session, theme_ids)
    return {t: s["teams"] for t, s in summaries.items() if s.get("teams") is not None}


def _counted_teams(session: Session, theme_ids: list[int]) -> list[Any]:
    """(theme id, team id, team name, evidence, agents), counted from the members."""
    return list(
        session.exec(
            gap_queries._select(
                ThemeMember.theme_id,
                Team.id,
                Team.name,
                func.count(),
                func.count(func.distinct(col(Interaction.agent_id))),
            )
            .select_from(ThemeMember)
            .join(Interaction, col(Interaction.id) == col(ThemeMember.source_id))
            .join(Team, col(Team.id) == col(Interaction.team_id))
            .where(col(ThemeMember.theme_id).in_(theme_ids), ThemeMember.kind == DocumentKind.gap)
            .group_by(ThemeMember.theme_id, Team.id, Team.name)
        )
    )


# ----------------------------------------------------------------------------------- evidence
def agents_in_scope(
    session: Session, *, team_ids: list[int] | None, since: datetime | None, until: datetime | None
) -> int:
    """Distinct agents with interactions in scope: the group an aggregate of the scope covers."""
    query = select(func.count(distinct(col(Interaction.agent_id))))
    return session.exec(_scoped(query, team_ids, since, until)).one()


def agent_worked_in(session: Session, agent_id: int, team_ids: list[int]) -> bool:
    """Whether the agent has any interaction in these teams (ever)."""
    query = select(Interaction.id).where(
        Interaction.agent_id == agent_id, col(Interaction.team_id).in_(team_ids)
    )
    return session.exec(query.limit(1)).first() is not None


@dataclass(frozen=True)
class Evidence:
    signal_id: int
    kind: SignalKind
    evidence: str  # redacted at import
    reason: str
    occurred_at: datetime
    channel: Channel | None
    outcome: Outcome | None
    csat: int | None
    agent_id: int
    agent_code: str
    team: str | None


def signal_evidence(
    session: Session,
    *,
    team_ids: list[int] | None,
    since: datetime | None,
    until: datetime | None,
    kind: SignalKind | None = None,
    agent_id: int | None = None,
    page: int = 1,
    page_size: int = 20,
) -> tuple[list[Evidence], int]:
    """Signals in scope, newest first, one page of them, and how many there are in all."""
    query = _scoped(_signals_joined(Signal.id), team_ids, since, until)
    if kind is not None:
        query = query.where(Signal.kind == kind)
    if agent_id is not None:
        query = query.where(Interaction.agent_id == agent_id)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page_ids = query.order_by(col(Interaction.occurred_at).desc(), col(Signal.id).desc())
    page_ids = page_ids.offset((page - 1) * page_size).limit(page_size).subquery()
    rows = session.exec(
        _select(
            Signal.id,
            Signal.kind,
            Signal.evidence,
            Signal.reason,
            Interaction.occurred_at,
            Interaction.channel,
            Interaction.outcome,
            Interaction.csat,
            Agent.id,
            Agent.code,
            Team.name,
        )
        .select_from(Signal)
        .join(page_ids, page_ids.c.id == col(Signal.id))
        .join(Interaction, col(Interaction.id) == col(Signal.interaction_id))
        .join(Agent, col(Agent.id) == col(Interaction.agent_id))
        .outerjoin(Team, col(Team.id) == col(Interaction.team_id))
        .order_by(col(Interaction.occurred_at).desc(), col(Signal.id).desc())
    ).all()
    return [Evidence(*row) for row in rows], total
