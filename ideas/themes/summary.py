"""A theme's members counted once, when they are written, so the theme list never reads them.

``Theme.summary`` holds what the list, the home page and the areas show of each theme besides
its size: its members per day from ``since`` (a list, that day first: the weekly trend) and,
for gap evidence, per team with the distinct agents behind it
(``coaching.interactions.evidence.teams_touched`` names a team only when enough of its agents
contributed). At 200,000 documents counting the members on every request cost most of a
second (``bench/theme_job.py``).

The summary is written with the members (a run, a merge, a split) and kept up to date by
``service.join_many`` and ``service.leave``. It records the size it was counted at: when that
is not the theme's size (a path that changed the members and not the summary), or when it
does not reach back far enough, readers count the members instead, so a stale summary is never
shown. ``teams`` is None when the documents did not say who handled them (a CX lead's merge or
split rebuilds from the stored members, which do not): readers count the members then too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import inspect
from sqlmodel import Session, col, select

from foundation.clock import as_utc, utcnow
from ideas.themes.documents import Document
from ideas.themes.models import DocumentKind, Theme

# Days kept back from the day a summary is written: the longest trend shown is 12 weeks, so
# a summary serves for about 14 weeks after it was written (runs are nightly).
KEPT_DAYS = 26 * 7

Summary = dict[str, Any]


def day_of(moment: datetime) -> date:
    return as_utc(moment).date()


def summarise(docs: Sequence[Document], today: date | None = None) -> Summary:
    """The summary of a theme whose members are ``docs``."""
    today = today or utcnow().date()
    since = today - timedelta(days=KEPT_DAYS)
    days = [0] * (KEPT_DAYS + 1)
    for doc in docs:
        _count(days, since, doc.occurred_at, 1)
    gaps = [doc for doc in docs if doc.kind == DocumentKind.gap]
    known = all(doc.agent_id is not None for doc in gaps)
    teams: dict[str, dict[str, Any]] | None = None
    if known:
        evidence: Counter[int] = Counter()
        agents: dict[int, set[int]] = defaultdict(set)
        for doc in gaps:
            if doc.team_id is not None and doc.agent_id is not None:
                evidence[doc.team_id] += 1
                agents[doc.team_id].add(doc.agent_id)
        teams = {
            str(team): {"evidence": evidence[team], "agents": sorted(agents[team])}
            for team in sorted(evidence)
        }
    return {"size": len(docs), "since": since.isoformat(), "days": days, "teams": teams}


def _count(days: list[int], since: date, moment: datetime, step: int) -> None:
    """Add ``step`` to the day of ``moment`` (days before ``since`` are not kept; a later day
    than the list holds extends it)."""
    offset = (day_of(moment) - since).days
    if offset < 0:
        return
    if offset >= len(days):
        days.extend([0] * (offset + 1 - len(days)))
    days[offset] = max(0, days[offset] + step)


def current(theme: Theme) -> Summary | None:
    """The theme's summary when it still counts its members, else None."""
    return valid(theme.summary, theme.size)


def valid(summary: Mapping[str, Any] | None, size: int) -> Summary | None:
    """``summary`` if it was counted at ``size`` members, else None."""
    if not summary or summary.get("size") != size or not isinstance(summary.get("days"), list):
        return None
    return dict(summary)


def stored(session: Session, theme_ids: Sequence[int]) -> dict[int, Summary]:
    """The current summaries of these themes (those that have one): from the themes the session
    has loaded already (a page lists them first), else read without loading the themes."""
    out: dict[int, Summary] = {}
    unread: list[int] = []
    mapper = inspect(Theme)
    for theme_id in theme_ids:
        theme = session.identity_map.get(mapper.identity_key_from_primary_key((theme_id,)))
        if isinstance(theme, Theme) and not inspect(theme).expired_attributes:
            checked = current(theme)
            if checked is not None:
                out[theme_id] = checked
        else:
            unread.append(theme_id)
    if unread:
        query = select(Theme.id, Theme.size, Theme.summary).where(col(Theme.id).in_(unread))
        for found, size, summary in session.exec(query):
            checked = valid(summary, size)
            if found is not None and checked is not None:
                out[found] = checked
    return out


def joined(theme: Theme, doc: Document) -> None:
    """Count a document that just joined (call before ``theme.size`` is raised)."""
    summary = current(theme)
    if summary is None:
        return
    days = list(summary["days"])
    _count(days, date.fromisoformat(summary["since"]), doc.occurred_at, 1)
    fresh = {**summary, "size": summary["size"] + 1, "days": days}
    if doc.kind == DocumentKind.gap and fresh["teams"] is not None:
        fresh["teams"] = _with_agent(fresh["teams"], doc)
    theme.summary = fresh  # a new object, so the JSON column is written


def left(theme: Theme, kind: DocumentKind, occurred_at: datetime) -> None:
    """Uncount a member that left (call before ``theme.size`` is lowered). Gap evidence never
    leaves between runs; if it did, its team's agents could not be uncounted, so the summary
    is dropped and readers count."""
    summary = current(theme)
    if summary is None:
        return
    if kind == DocumentKind.gap:
        theme.summary = None
        return
    days = list(summary["days"])
    _count(days, date.fromisoformat(summary["since"]), occurred_at, -1)
    theme.summary = {**summary, "size": summary["size"] - 1, "days": days}


def _with_agent(teams: dict[str, Any], doc: Document) -> dict[str, Any] | None:
    """``teams`` with one more piece of evidence from ``doc``'s team and agent (None: not
    known who handled it, so readers count)."""
    if doc.team_id is None:
        return teams
    if doc.agent_id is None:
        return None
    entry = teams.get(str(doc.team_id), {"evidence": 0, "agents": []})
    agents = sorted(set(entry["agents"]) | {doc.agent_id})
    return {**teams, str(doc.team_id): {"evidence": entry["evidence"] + 1, "agents": agents}}


def weekly(summary: Summary, start: date, weeks: int) -> list[int] | None:
    """Members per week from ``start`` (a day), oldest first, or None when the summary does not
    reach back to ``start``."""
    since = date.fromisoformat(summary["since"])
    skip = (start - since).days
    if skip < 0:
        return None
    counts = [0] * weeks
    for offset, n in enumerate(summary["days"][skip:]):
        if n:
            counts[min(weeks - 1, offset // 7)] += n
    return counts
