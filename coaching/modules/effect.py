"""Coaching effect: did the theme's gap rate fall more for coached agents than for the others?

Design (difference in differences):

- **Outcome.** The rate of the module's theme's gap signals per 100 interactions: an interaction
  counts as a signal when its gap evidence is a member of the theme (``ThemeMember`` of kind
  ``gap``; a theme merged into another is followed to the live theme, a split one to its parts).
- **Treated.** Agents (log agent codes) whose user completed an assignment of the module before
  ``now``. Each treated agent's own first completion time *t* splits "before" ``[t - W, t)``
  from "after" ``[t, t + W)``, with ``W`` the ``days`` setting (``coaching_effect_days``).
- **Control.** Agents whose user has no assignment of the module at all, unlinked agents
  included (nobody could have coached them). Their split is the treated group's median
  completion time. Agents assigned but not finished are in neither group.
- Windows end at ``now``. Only agents with at least one interaction in both periods count, so
  every rate has a denominator and agents who joined or left mid-window do not bias it.
- **Rates** are pooled per group and period: ``100 * gap interactions / interactions``.
- **Effect** = ``(after_T - before_T) - (after_C - before_C)`` signals per 100 interactions;
  negative means the gap closed faster for coached agents.
- **Interval.** Cluster bootstrap: agents are resampled with replacement within each group
  (an agent's interactions are not independent of each other), ``REPS`` replicates with a
  fixed seed, percentile 95% interval.
- **Minimum group size.** With fewer than ``min_group_size`` counted agents in either group
  nothing but the counts is shown ("not enough data", saying which group and how many more).

``compute`` is the pure part (per-agent count arrays in, :class:`Effect` out); ``module_effect``
and ``theme_effects`` load the counts from the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from babel.lists import format_list
from sqlalchemy import and_, case, func, or_
from sqlmodel import Session, col, select

from coaching.interactions.models import Agent, Interaction
from coaching.modules import queries as module_queries
from coaching.modules.models import Assignment, CoachingModule
from foundation.clock import as_utc, utcnow
from foundation.errors import NotFound
from foundation.i18n import N_, babel_locale, gettext, ngettext
from ideas.themes import queries as theme_queries
from ideas.themes.models import DocumentKind, ThemeMember

REPS = 2000
SEED = 20_260_302
CHUNK = 500  # agent ids per IN (...) list
# Columns of the per-agent count arrays.
BEFORE_N, BEFORE_GAPS, AFTER_N, AFTER_GAPS = range(4)
# Bootstrap in blocks of replicates so memory stays bounded for large groups.
BLOCK_CELLS = 2_000_000


@dataclass(frozen=True)
class Rates:
    """Gap signals per 100 interactions, pooled over each group's agents."""

    treated_before: float
    treated_after: float
    control_before: float
    control_after: float


@dataclass(frozen=True)
class Effect:
    enough: bool
    reason: str | None  # why there is no estimate
    treated_agents: int
    control_agents: int
    treated_interactions: int
    control_interactions: int
    rates: Rates | None
    estimate: float | None  # signals per 100 interactions; negative = the gap closed
    low: float | None  # 95% bootstrap interval
    high: float | None
    days: int
    min_group_size: int

    @property
    def summary(self) -> str:
        """The estimate in one plain sentence, in the current locale (read where it is shown)."""
        if not self.enough or self.estimate is None:
            return self.reason or gettext("Not enough data.")
        size = abs(self.estimate)
        if round(size, 1) == 0:
            sentence = gettext(
                "Coached agents' rate changed by the same as uncoached agents' "
                "(95%% interval %(low)s to %(high)s)."
            )
        elif self.estimate < 0:
            sentence = gettext(
                "Coached agents' rate fell by %(size)s more per 100 interactions than uncoached "
                "agents' (95%% interval %(low)s to %(high)s)."
            )
        else:
            sentence = gettext(
                "Coached agents' rate rose by %(size)s more per 100 interactions than uncoached "
                "agents' (95%% interval %(low)s to %(high)s)."
            )
        return sentence % {
            "size": f"{size:.1f}",
            "low": f"{self.low:.1f}",
            "high": f"{self.high:.1f}",
        }

    @property
    def conclusive(self) -> bool:
        """The interval excludes zero: the difference is unlikely to be chance."""
        return self.low is not None and self.high is not None and (self.high < 0 or self.low > 0)


# ------------------------------------------------------------------------ the computation
def counts_array(rows: Iterable[Sequence[int]]) -> np.ndarray:
    """Per-agent rows of (before interactions, before gaps, after interactions, after gaps)."""
    array = np.asarray(list(rows), dtype=np.int64).reshape(-1, 4)
    if (array < 0).any() or (array[:, BEFORE_GAPS] > array[:, BEFORE_N]).any():
        raise ValueError("counts must be non-negative, with gaps <= interactions")
    if (array[:, AFTER_GAPS] > array[:, AFTER_N]).any():
        raise ValueError("counts must be non-negative, with gaps <= interactions")
    return array


def _usable(counts: np.ndarray) -> np.ndarray:
    return counts[(counts[:, BEFORE_N] > 0) & (counts[:, AFTER_N] > 0)]


def _rates(sums: np.ndarray) -> np.ndarray:
    """(..., 4) summed counts -> (..., 2) before and after rates per 100 interactions."""
    rates: np.ndarray = (
        100.0 * sums[..., [BEFORE_GAPS, AFTER_GAPS]] / sums[..., [BEFORE_N, AFTER_N]]
    )
    return rates


def _change(counts: np.ndarray) -> float:
    before, after = _rates(counts.sum(axis=0))
    return float(after - before)


def _bootstrap_changes(counts: np.ndarray, rng: np.random.Generator, reps: int) -> np.ndarray:
    """after - before for ``reps`` resamples of the group's agents (with replacement)."""
    n = len(counts)
    step = max(1, BLOCK_CELLS // n)
    changes = []
    for first in range(0, reps, step):
        idx = rng.integers(0, n, size=(min(step, reps - first), n))
        rates = _rates(counts[idx].sum(axis=1))
        changes.append(rates[:, 1] - rates[:, 0])
    return np.concatenate(changes)


def _not_enough(treated: int, control: int, min_group_size: int) -> str | None:
    """Why there is no estimate, in the current locale (effects are computed for a page)."""
    short = []
    if treated < min_group_size:
        coached = ngettext("%(n)s coached agent", "%(n)s coached agents", treated)
        short.append(coached % {"n": treated})
    if control < min_group_size:
        uncoached = ngettext("%(n)s uncoached agent", "%(n)s uncoached agents", control)
        short.append(uncoached % {"n": control})
    if not short:
        return None
    reason = gettext(
        "Not enough data: %(groups)s with interactions both before and after completion; at "
        "least %(min)s are needed in each group."
    )
    return reason % {"groups": format_list(short, locale=babel_locale()), "min": min_group_size}


def compute(
    treated: np.ndarray,
    control: np.ndarray,
    *,
    min_group_size: int,
    days: int,
    reps: int = REPS,
    seed: int = SEED,
) -> Effect:
    """The difference in differences from per-agent counts (see :func:`counts_array`)."""
    treated, control = _usable(treated.reshape(-1, 4)), _usable(control.reshape(-1, 4))
    base = {
        "treated_agents": len(treated),
        "control_agents": len(control),
        "treated_interactions": int(treated[:, [BEFORE_N, AFTER_N]].sum()),
        "control_interactions": int(control[:, [BEFORE_N, AFTER_N]].sum()),
        "days": days,
        "min_group_size": min_group_size,
    }
    reason = _not_enough(len(treated), len(control), min_group_size)
    if reason is not None:
        return Effect(
            enough=False,
            reason=reason,
            rates=None,
            estimate=None,
            low=None,
            high=None,
            **base,
        )
    t_before, t_after = _rates(treated.sum(axis=0))
    c_before, c_after = _rates(control.sum(axis=0))
    rates = Rates(float(t_before), float(t_after), float(c_before), float(c_after))
    rng = np.random.default_rng(seed)
    diffs = _bootstrap_changes(treated, rng, reps) - _bootstrap_changes(control, rng, reps)
    low, high = np.percentile(diffs, [2.5, 97.5])
    return Effect(
        enough=True,
        reason=None,
        rates=rates,
        estimate=_change(treated) - _change(control),
        low=float(low),
        high=float(high),
        **base,
    )


# ---------------------------------------------------------------------------- the loaders
def _is_gap() -> Any:
    return case((col(ThemeMember.id).is_not(None), 1), else_=0)


def _gap_join(ids: list[int]) -> Any:
    return and_(
        col(ThemeMember.source_id) == col(Interaction.id),
        col(ThemeMember.kind) == DocumentKind.gap,
        col(ThemeMember.theme_id).in_(ids),
    )


def _treated_counts(
    session: Session, splits: dict[int, datetime], ids: list[int], window: timedelta, now: datetime
) -> np.ndarray:
    """Per treated agent, counts either side of the agent's own completion time."""
    rows = {agent: [0, 0, 0, 0] for agent in splits}
    agents = sorted(splits)
    for first in range(0, len(agents), CHUNK):
        chunk = agents[first : first + CHUNK]
        lo = min(splits[a] for a in chunk) - window
        hi = min(now, max(splits[a] for a in chunk) + window)
        query = (
            select(Interaction.agent_id, Interaction.occurred_at, _is_gap())
            .outerjoin(ThemeMember, _gap_join(ids))
            .where(
                col(Interaction.agent_id).in_(chunk),
                col(Interaction.occurred_at) >= lo,
                col(Interaction.occurred_at) < hi,
            )
        )
        for agent, occurred_at, gap in session.exec(query):
            t, when = splits[agent], as_utc(occurred_at)
            if t - window <= when < t:
                rows[agent][BEFORE_N] += 1
                rows[agent][BEFORE_GAPS] += gap
            elif t <= when < min(t + window, now):
                rows[agent][AFTER_N] += 1
                rows[agent][AFTER_GAPS] += gap
    return counts_array(rows.values())


def _control_counts(
    session: Session,
    module_id: int,
    split: datetime,
    ids: list[int],
    window: timedelta,
    now: datetime,
) -> np.ndarray:
    """Per never-assigned agent, counts either side of one split time (aggregated in SQL)."""
    assigned = select(Assignment.user_id).where(Assignment.module_id == module_id)
    inner = (
        select(
            col(Interaction.agent_id).label("agent_id"),
            case((col(Interaction.occurred_at) >= split, 1), else_=0).label("after"),
            _is_gap().label("gap"),
        )
        .join(Agent, col(Agent.id) == col(Interaction.agent_id))
        .outerjoin(ThemeMember, _gap_join(ids))
        .where(
            or_(col(Agent.user_id).is_(None), col(Agent.user_id).not_in(assigned)),
            col(Interaction.occurred_at) >= split - window,
            col(Interaction.occurred_at) < min(split + window, now),
        )
        .subquery()
    )
    query = select(inner.c.agent_id, inner.c.after, func.count(), func.sum(inner.c.gap)).group_by(
        inner.c.agent_id, inner.c.after
    )
    rows: dict[int, list[int]] = {}
    for agent, after, n, gaps in session.exec(query):
        row = rows.setdefault(agent, [0, 0, 0, 0])
        row[AFTER_N if after else BEFORE_N] = int(n)
        row[AFTER_GAPS if after else BEFORE_GAPS] = int(gaps or 0)
    return counts_array(rows.values())


def _completions(session: Session, module_id: int, now: datetime) -> dict[int, datetime]:
    """Treated agent id -> its user's first completion of the module before ``now``."""
    first = (
        select(Assignment.user_id, func.min(Assignment.completed_at))
        .where(
            Assignment.module_id == module_id,
            col(Assignment.completed_at).is_not(None),
            col(Assignment.completed_at) < now,
        )
        .group_by(col(Assignment.user_id))
    )
    by_user = {user: as_utc(done) for user, done in session.exec(first) if done is not None}
    if not by_user:
        return {}
    agents = select(Agent.id, Agent.user_id).where(col(Agent.user_id).in_(list(by_user)))
    return {
        int(agent): by_user[user]
        for agent, user in session.exec(agents)
        if agent is not None and user is not None
    }


def _median(times: Iterable[datetime]) -> datetime:
    return datetime.fromtimestamp(float(np.median([t.timestamp() for t in times])), UTC)


def module_effect(
    session: Session,
    module_id: int,
    *,
    min_group_size: int,
    days: int,
    now: datetime | None = None,
) -> Effect:
    """The coaching effect of one module on its theme's gap rate (see the module docstring)."""
    module = session.get(CoachingModule, module_id)
    if module is None:
        raise NotFound(N_("No such coaching module."))
    now = as_utc(now) if now else utcnow()
    empty = np.zeros((0, 4), dtype=np.int64)
    ids = theme_queries.live_successors(session, module.theme_id)
    if not ids:
        result = compute(empty, empty, min_group_size=min_group_size, days=days)
        reason = gettext("Not enough data: this module is not linked to a theme.")
        return replace(result, reason=reason)
    window = timedelta(days=days)
    splits = _completions(session, module_id, now)
    if not splits:
        result = compute(empty, empty, min_group_size=min_group_size, days=days)
        reason = gettext("Not enough data: no agent in the logs has completed this module yet.")
        return replace(result, reason=reason)
    treated = _treated_counts(session, splits, ids, window, now)
    control = _control_counts(session, module_id, _median(splits.values()), ids, window, now)
    return compute(treated, control, min_group_size=min_group_size, days=days)


def theme_effects(
    session: Session,
    theme_id: int,
    *,
    min_group_size: int,
    days: int,
    now: datetime | None = None,
) -> list[tuple[CoachingModule, Effect]]:
    """Each published module about this theme (or a theme merged into it), with its effect."""
    published = [
        m for m in module_queries.for_theme(session, theme_id, with_merged=True) if m.latest_version
    ]
    found = []
    for module in published:
        assert module.id is not None
        effect = module_effect(
            session, module.id, min_group_size=min_group_size, days=days, now=now
        )
        found.append((module, effect))
    return found
