"""Remediation effectiveness: how often each action resolved the contacts it was used on,
honouring the minimum group size.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    String,
    case,
    cast,
    distinct,
    func,
    text,
    true,
)
from sqlmodel import Session, col, select

from coaching.interactions.models import Interaction, Outcome, Signal, SignalKind
from coaching.interactions.queries import _pct, _scoped, _select, suppressed_reason


# ------------------------------------------------------------------------ remediation effect
@dataclass(frozen=True)
class ActionStats:
    action: str
    uses: int | None  # interactions that recorded the action
    resolved: int | None
    resolution_rate: float | None  # % of uses
    repeats: int | None
    repeat_rate: float | None  # % of uses
    csat_count: int | None
    csat_mean: float | None
    suppressed: str | None = None


@dataclass(frozen=True)
class Remediation:
    by_action: list[ActionStats]
    # For each gap kind: the actions taken on interactions with that signal.
    by_gap_kind: dict[SignalKind, list[ActionStats]]


def _uses(
    session: Session,
    team_ids: list[int] | None,
    since: datetime | None,
    until: datetime | None,
    *,
    with_kind: bool,
    within: Any = None,
) -> Any:
    """One row per (interaction, action code[, signal kind]) in scope, with the interaction's
    agent, resolved flag, repeat-contact flag and CSAT: the JSON list unnested in the database."""
    if session.get_bind().dialect.name == "postgresql":
        unnest = func.json_array_elements_text(Interaction.actions)
        # The planner guesses 100 elements per array; the inflated cost switches on JIT, which
        # then costs ten times the query itself (0.4 s of compiling for a 30 ms query).
        session.connection().execute(text("SET LOCAL jit = off"))
    else:
        unnest = func.json_each(Interaction.actions)
    codes = unnest.table_valued("value").alias("code")
    action = func.trim(cast(codes.c.value, String))
    # SQLModel does not declare ``__table__`` on the class.
    repeat = Signal.__table__.alias("repeat")  # type: ignore[attr-defined]
    is_repeat = (
        select(repeat.c.id)
        .where(
            repeat.c.interaction_id == Interaction.id,
            repeat.c.kind == SignalKind.repeat_contact.value,
        )
        .exists()
    )
    query = (
        _select(
            col(Interaction.id).label("interaction_id"),
            col(Interaction.agent_id).label("agent_id"),
            case((col(Interaction.outcome) == Outcome.resolved, 1), else_=0).label("resolved"),
            case((is_repeat, 1), else_=0).label("repeat"),
            col(Interaction.csat).label("csat"),
            action.label("action"),
        )
        .select_from(Interaction)
        .join(codes, true())
        .where(cast(Interaction.actions, String) != "[]", action != "")
    )
    if with_kind:
        query = query.add_columns(col(Signal.kind).label("kind")).join(
            Signal, col(Signal.interaction_id) == col(Interaction.id)
        )
    if within is not None:  # a subquery of interaction ids, e.g. a theme's gap evidence
        query = query.where(col(Interaction.id).in_(within))
    # DISTINCT: a code recorded twice, or two signals of a kind, still make one use.
    return _scoped(query.distinct(), team_ids, since, until).subquery("uses")


def _figures(uses: Any) -> tuple[Any, ...]:
    return (
        func.count(),
        func.count(distinct(uses.c.agent_id)),
        func.sum(uses.c.resolved),
        func.sum(uses.c.repeat),
        func.count(uses.c.csat),
        func.sum(uses.c.csat),
    )


def _action_stats(action: str, figures: Any, min_group_size: int) -> ActionStats:
    uses, agents, resolved, repeats, csat_count, csat_sum = figures
    if agents < min_group_size:
        why = suppressed_reason(min_group_size)
        return ActionStats(action, None, None, None, None, None, None, None, why)
    return ActionStats(
        action,
        uses,
        resolved,
        _pct(resolved, uses),
        repeats,
        _pct(repeats, uses),
        csat_count,
        csat_sum / csat_count if csat_count else None,
    )


def _by_use(rows: list[ActionStats]) -> list[ActionStats]:
    # Shown figures by use, most first; withheld ones after them, by name.
    return sorted(rows, key=lambda r: (r.uses is None, -(r.uses or 0), r.action))


def remediation(
    session: Session,
    *,
    team_ids: list[int] | None,
    since: datetime | None,
    until: datetime | None,
    min_group_size: int,
    within: Any = None,
) -> Remediation:
    """Both remediation tables: per action code, and per gap kind and action code."""
    uses = _uses(session, team_ids, since, until, with_kind=False, within=within)
    by_action = [
        _action_stats(row[0], row[1:], min_group_size)
        for row in session.exec(_select(uses.c.action, *_figures(uses)).group_by(uses.c.action))
    ]
    uses = _uses(session, team_ids, since, until, with_kind=True, within=within)
    by_kind: dict[SignalKind, list[ActionStats]] = defaultdict(list)
    for row in session.exec(
        _select(uses.c.kind, uses.c.action, *_figures(uses)).group_by(uses.c.kind, uses.c.action)
    ):
        by_kind[SignalKind(row[0])].append(_action_stats(row[1], row[2:], min_group_size))
    return Remediation(
        _by_use(by_action), {k: _by_use(by_kind[k]) for k in SignalKind if k in by_kind}
    )


def remediation_by_action(
    session: Session,
    *,
    team_ids: list[int] | None,
    since: datetime | None,
    until: datetime | None,
    min_group_size: int,
    within: Any = None,
) -> list[ActionStats]:
    return remediation(
        session,
        team_ids=team_ids,
        since=since,
        until=until,
        min_group_size=min_group_size,
        within=within,
    ).by_action


def remediation_by_gap_kind(
    session: Session,
    *,
    team_ids: list[int] | None,
    since: datetime | None,
    until: datetime | None,
    min_group_size: int,
) -> dict[SignalKind, list[ActionStats]]:
    return remediation(
        session, team_ids=team_ids, since=since, until=until, min_group_size=min_group_size
    ).by_gap_kind
