"""Coaching effect: how far a module's theme's gap rate fell for coached agents beyond what their
own level and the weeks' shared movement predict (issue 16).

The estimator is :mod:`coaching.modules.staggered` (the imputation estimator with agents not yet
coached as the comparison, the selection weeks left out of a coached agent's baseline, a cluster
bootstrap and an event study). This module builds its agent-by-week panel from the database:

- **Outcome.** Per agent and week, contacts and those that are gap evidence of the module's
  theme (``ThemeMember`` of kind ``gap``; a merged theme is followed to the live one, a split one
  to its parts): gap signals per 100 contacts.
- **Coached.** Agents (log agent codes) whose user first completed the module before ``until``;
  the first week coaching can have changed is the week after completion. Everyone else is a
  comparison agent until (and unless) they are coached.
- **Left out.** For each coached agent, the completion week; and for an agent offered the
  module because their rate was high (an accepted suggestion), the weeks the suggestion rule
  reads too (``suggestions.WINDOW_DAYS``): such a rate is high partly by chance, and counting
  those weeks as the agent's usual level would credit coaching with the fall back to it.
- **Weeks** end at ``until``; only contacts that happened and were imported (``created_at``)
  before ``until`` count, so a period's estimate, once the period has closed, does not move
  with later assignments or late imports (``snapshots`` stores it per period).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import asdict, dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
from sqlalchemy import and_, case, func
from sqlmodel import Session, col, select

from coaching.interactions.models import Agent, Interaction
from coaching.modules import queries as module_queries
from coaching.modules import staggered
from coaching.modules.models import Assignment, CoachingModule, Suggestion, SuggestionStatus
from coaching.modules.suggestions import WINDOW_DAYS
from foundation.clock import as_utc, utcnow
from foundation.errors import NotFound
from foundation.i18n import N_, gettext
from ideas.themes import queries as theme_queries
from ideas.themes.models import DocumentKind, ThemeMember

WEEK = timedelta(days=7)
# Weeks left out before a chosen agent's first effect week: the rule's and the completion week.
EXCLUDE = math.ceil(WINDOW_DAYS / 7) + 1
BEFORE = 8  # event-study weeks shown ahead of the first effect week
MAX_WEEKS = 52  # the longest panel read
CHUNK = 500  # agent ids per IN (...) list


@dataclass(frozen=True)
class Effect:
    """The estimate (gap signals per 100 contacts; negative = the gap closed) and what it rests
    on. Stored as JSON (``to_json``) in effect and report snapshots."""

    enough: bool
    reason: str | None  # why there is no estimate (in the locale it was computed in)
    coached_agents: int
    comparison_agents: int
    contacts: int
    estimate: float | None
    low: float | None  # 95% cluster-bootstrap interval
    high: float | None
    weeks: list[staggered.EventWeek]
    horizon: int  # weeks after coaching counted
    excluded: int  # weeks before the first effect week left out of a chosen agent's baseline
    selected: bool  # some coached agents were offered the module for a high rate
    until: datetime
    min_group_size: int

    @property
    def summary(self) -> str:
        if not self.enough or self.estimate is None:
            return self.reason or gettext("Not enough data.")
        values = {
            "size": f"{abs(self.estimate):.1f}",
            "low": f"{self.low:.1f}",
            "high": f"{self.high:.1f}",
            "weeks": self.horizon,
        }
        if round(self.estimate, 1) == 0:
            text = gettext(
                "In the %(weeks)s weeks after coaching, coached agents' gap rate was what their "
                "own usual level and the other agents' weeks predict (95%% interval %(low)s to "
                "%(high)s per 100 contacts)."
            )
        elif self.estimate < 0:
            text = gettext(
                "In the %(weeks)s weeks after coaching, coached agents had %(size)s fewer gap "
                "signals per 100 contacts than expected without coaching (95%% interval %(low)s "
                "to %(high)s)."
            )
        else:
            text = gettext(
                "In the %(weeks)s weeks after coaching, coached agents had %(size)s more gap "
                "signals per 100 contacts than expected without coaching (95%% interval %(low)s "
                "to %(high)s)."
            )
        return text % values

    @property
    def conclusive(self) -> bool:
        """The interval excludes zero: the difference is unlikely to be chance."""
        return self.low is not None and self.high is not None and (self.high < 0 or self.low > 0)

    @property
    def pre_trend(self) -> float | None:
        """The largest distance from zero of coached agents' baseline weeks in the event study
        (near zero when the groups moved in parallel before coaching); None without any."""
        before = [w.effect for w in self.weeks if w.in_baseline and w.effect is not None]
        return max((abs(v) for v in before), default=None)

    @property
    def cautions(self) -> list[str]:
        """What the estimate assumes, and where this one is weak, in plain words."""
        out = [
            gettext(
                "It assumes that without coaching, coached agents' gap rate would have moved "
                "like the other agents' did in the same weeks. The chart's weeks before coaching "
                "show whether the groups moved in parallel: points far from zero there mean the "
                "estimate should not be trusted."
            )
        ]
        if self.selected:
            out.append(
                gettext(
                    "Some agents were offered this module because their rate was well above "
                    "their team's. Such rates fall back on their own, so the %(weeks)s weeks "
                    "before coaching are left out of those agents' usual level; the chart shows "
                    "them apart."
                )
                % {"weeks": self.excluded}
            )
        apart = self.pre_trend
        if self.enough and self.estimate is not None and apart and apart > abs(self.estimate):
            out.append(
                gettext(
                    "Before coaching, coached agents' weeks already differed from the others' by "
                    "up to %(size)s per 100 contacts, more than the estimate itself: read it as "
                    "a hint, not a measurement."
                )
                % {"size": f"{apart:.1f}"}
            )
        if self.enough and min(self.coached_agents, self.comparison_agents) < 2 * max(
            self.min_group_size, 1
        ):
            out.append(
                gettext(
                    "Few agents take part (%(coached)s coached, %(others)s for comparison): one "
                    "agent's unusual weeks can move the estimate, which is why the interval is "
                    "wide."
                )
                % {"coached": self.coached_agents, "others": self.comparison_agents}
            )
        return out

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["until"] = self.until.isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Effect:
        fields = dict(data)
        fields["weeks"] = [staggered.EventWeek(**w) for w in data["weeks"]]
        fields["until"] = datetime.fromisoformat(data["until"])
        return cls(**fields)


# ---------------------------------------------------------------------------- the loaders
def _completions(session: Session, module_id: int, until: datetime) -> dict[int, datetime]:
    """Coached agent id -> its user's first completion of the module before ``until``."""
    first = (
        select(Assignment.user_id, func.min(Assignment.completed_at))
        .where(
            Assignment.module_id == module_id,
            col(Assignment.completed_at).is_not(None),
            col(Assignment.completed_at) < until,
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


def _selected(session: Session, module_id: int, agents: list[int]) -> set[int]:
    """The coached agents whose user accepted a suggestion of this module (chosen for a high
    rate)."""
    accepted = select(Suggestion.user_id).where(
        Suggestion.module_id == module_id, Suggestion.status == SuggestionStatus.accepted
    )
    users = set(session.exec(accepted))
    if not users:
        return set()
    coached = select(Agent.id, Agent.user_id).where(col(Agent.id).in_(agents))
    return {int(agent) for agent, user in session.exec(coached) if agent and user in users}


def _day_counts(
    session: Session, ids: list[int], start: datetime, until: datetime, imported_by: datetime
) -> list[tuple[int, Any, int, int]]:
    """(agent, day, contacts, gap contacts) per agent and day, counted in SQL."""
    member = and_(
        col(ThemeMember.source_id) == col(Interaction.id),
        col(ThemeMember.kind) == DocumentKind.gap,
        col(ThemeMember.theme_id).in_(ids),
    )
    day = func.date(Interaction.occurred_at)
    gap = case((col(ThemeMember.id).is_not(None), 1), else_=0)
    query = (
        select(Interaction.agent_id, day, func.count(), func.sum(gap))
        .outerjoin(ThemeMember, member)
        .where(
            col(Interaction.occurred_at) >= start,
            col(Interaction.occurred_at) < until,
            col(Interaction.created_at) < imported_by,
        )
        .group_by(col(Interaction.agent_id), day)
    )
    return [(int(a), d, int(n), int(g or 0)) for a, d, n, g in session.exec(query)]


def _as_datetime(day: Any) -> datetime:
    if isinstance(day, str):  # SQLite's date() answers text
        day = date.fromisoformat(day)
    return datetime(day.year, day.month, day.day, 12, tzinfo=UTC)


def panel(
    session: Session,
    module_id: int,
    ids: list[int],
    until: datetime,
    horizon: int,
    imported_by: datetime,
) -> tuple[staggered.Panel, dict[int, datetime]]:
    """Agents by weeks ending at ``until``, long enough for the earliest completion's baseline;
    and the coached agents' completion times."""
    done = _completions(session, module_id, until)
    earliest = min(done.values(), default=until)
    wanted = math.ceil((until - earliest) / WEEK) + EXCLUDE + BEFORE + horizon
    weeks = max(1, min(MAX_WEEKS, wanted))
    start = until - weeks * WEEK
    by_agent: dict[int, np.ndarray] = defaultdict(lambda: np.zeros((2, weeks), dtype=np.int64))
    for agent, day, contacts, gaps in _day_counts(session, ids, start, until, imported_by):
        week = min(weeks - 1, max(0, int((_as_datetime(day) - start) / WEEK)))
        by_agent[agent][0, week] += contacts
        by_agent[agent][1, week] += gaps
    agents = sorted(by_agent)
    first = [int((done[a] - start) / WEEK) + 1 if a in done else staggered.NEVER for a in agents]
    chosen = _selected(session, module_id, sorted(done))
    cells = np.stack([by_agent[a] for a in agents]) if agents else np.zeros((0, 2, weeks))
    return (
        staggered.Panel(
            cells[:, 0].astype(np.int64),
            cells[:, 1].astype(np.int64),
            np.asarray(first, dtype=np.int64),
            np.asarray([EXCLUDE if a in chosen else 1 for a in agents], dtype=np.int64),
        ),
        {a: done[a] for a in agents if a in done},
    )


def _empty(until: datetime, horizon: int, min_group_size: int, reason: str) -> Effect:
    return Effect(
        enough=False,
        reason=reason,
        coached_agents=0,
        comparison_agents=0,
        contacts=0,
        estimate=None,
        low=None,
        high=None,
        weeks=[],
        horizon=horizon,
        excluded=EXCLUDE,
        selected=False,
        until=until,
        min_group_size=min_group_size,
    )


def _not_enough(found: staggered.Estimate, min_group_size: int) -> str:
    values = {
        "coached": found.coached_agents,
        "others": found.comparison_agents,
        "min": min_group_size,
    }
    if found.coached_agents < min_group_size:
        text = gettext(
            "Not enough data yet: %(coached)s coached agents have contacts in the weeks after "
            "their coaching; at least %(min)s are needed."
        )
    else:
        text = gettext(
            "Not enough data: only %(others)s agents not yet coached had contacts in the same "
            "weeks to compare with; at least %(min)s are needed."
        )
    return text % values


def module_effect(
    session: Session,
    module_id: int,
    *,
    min_group_size: int,
    days: int,
    now: datetime | None = None,
    imported_by: datetime | None = None,
) -> Effect:
    """The coaching effect of one module on its theme's gap rate up to ``now`` (default: the
    present), from the contacts imported before ``imported_by`` (default: ``now``); ``days``
    after coaching are counted (whole weeks)."""
    module = session.get(CoachingModule, module_id)
    if module is None:
        raise NotFound(N_("No such coaching module."))
    until = as_utc(now) if now else utcnow()
    horizon = max(1, days // 7)
    ids = theme_queries.live_successors(session, module.theme_id)
    if not ids:
        reason = gettext("Not enough data: this module is not linked to a theme.")
        return _empty(until, horizon, min_group_size, reason)
    built, done = panel(
        session, module_id, ids, until, horizon, as_utc(imported_by) if imported_by else until
    )
    if not done:
        reason = gettext("Not enough data: no agent in the logs has completed this module yet.")
        return _empty(until, horizon, min_group_size, reason)
    found = staggered.estimate(
        built, exclude=EXCLUDE, horizon=horizon, min_agents=min_group_size, before=BEFORE
    )
    result = replace(
        _empty(until, horizon, min_group_size, ""),
        enough=found.enough,
        reason=None if found.enough else _not_enough(found, min_group_size),
        coached_agents=found.coached_agents,
        comparison_agents=found.comparison_agents,
        contacts=int(built.contacts.sum()),
        estimate=found.estimate,
        low=found.low,
        high=found.high,
        weeks=found.weeks,
        selected=bool(built.exclude is not None and (built.exclude > 1).any()),
    )
    return result


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
        measured = module_effect(
            session, module.id, min_group_size=min_group_size, days=days, now=now
        )
        found.append((module, measured))
    return found
