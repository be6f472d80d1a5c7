"""Pre-filled module drafts: a theme's evidence as why it matters, what good looks like, what goes
wrong, and draft check questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from coaching.interactions import evidence
from coaching.interactions.models import Outcome, SignalKind
from coaching.modules.models import ModuleUpdate
from coaching.modules.questions import draft_questions
from ideas.themes import queries as theme_queries
from ideas.themes.models import Theme

SNIPPETS = 3  # representative snippets per section of a pre-filled draft
SNIPPET_CHARS = 300
CANDIDATES = 60  # central gap members read to find resolved and unresolved examples


# ------------------------------------------------------------------------ pre-filled drafts
@dataclass(frozen=True)
class Evidence:
    """What a draft is written from: the theme page's figures."""

    theme: Theme
    series: list[int]
    inside: evidence.Outcomes
    outside: evidence.Outcomes
    enough: bool  # outcome figures may be shown (minimum group size)
    vulnerability: int
    remedies: list[Any]  # stats.ActionStats with figures, best resolution rate first
    resolved: list[str]
    unresolved: list[str]


def gather(
    session: Session,
    theme: Theme,
    min_group_size: int,
    *,
    uncertainty_phrases: list[str],
    now: datetime | None = None,
) -> Evidence:
    """The theme's evidence for a draft; ``uncertainty_phrases`` (the setting the gap signals
    use) tell an agent's answer from their hesitation."""
    assert theme.id is not None
    inside = evidence.outcomes(session, theme.id, inside=True)
    remedies = [
        r
        for r in evidence.remediation(session, theme.id, min_group_size)
        if r.suppressed is None and r.uses
    ]
    remedies.sort(key=lambda r: (-(r.resolution_rate or 0.0), -(r.uses or 0), r.action))
    members, _ = evidence.gap_members(session, theme.id, limit=CANDIDATES)
    # Good practice: resolved contacts where the agent was not unsure, in their own answer.
    resolved = [
        m.interaction_id
        for m in members
        if m.outcome == Outcome.resolved and SignalKind.uncertainty not in m.kinds
    ]
    answers = evidence.resolution_texts(session, resolved, uncertainty_phrases)
    good = [answers[i] for i in resolved if i in answers]
    bad = [m.evidence for m in members if m.outcome is None or m.outcome.value != "resolved"]
    return Evidence(
        theme=theme,
        series=theme_queries.weekly_counts(session, [theme.id], weeks=12, now=now)[theme.id],
        inside=inside,
        outside=evidence.outcomes(session, theme.id, inside=False),
        enough=inside.agents >= min_group_size,
        vulnerability=evidence.vulnerability_signals(session, theme.id),
        remedies=remedies,
        resolved=_distinct(good),
        unresolved=_distinct(bad),
    )


def draft_from_theme(
    session: Session,
    theme: Theme,
    min_group_size: int,
    *,
    uncertainty_phrases: list[str],
    now: datetime | None = None,
) -> ModuleUpdate:
    """A draft for the CX lead to edit: why it matters, what good looks like, what goes wrong,
    and two or three check questions, all from the theme's evidence."""
    ev = gather(session, theme, min_group_size, uncertainty_phrases=uncertainty_phrases, now=now)
    body = "\n\n".join([_why(ev), _good(ev), _wrong(ev)])
    return ModuleUpdate(
        title=theme.name[:200],
        body=body,
        questions=draft_questions(session, theme, uncertainty_phrases=uncertainty_phrases),
    )


def _distinct(texts: list[str]) -> list[str]:
    """Up to SNIPPETS different snippets, most central first."""
    return list(dict.fromkeys(_snippet(t) for t in texts if t.strip()))[:SNIPPETS]


def _snippet(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= SNIPPET_CHARS else text[: SNIPPET_CHARS - 1].rstrip() + "…"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}%"


def _why(ev: Evidence) -> str:
    t = ev.theme
    recent, before = sum(ev.series[-4:]), sum(ev.series[-8:-4])
    trend = "growing" if recent > before else "shrinking" if recent < before else "steady"
    lines = [
        "## Why it matters",
        "",
        f"- {t.size} items in this theme: {t.gap_count} customer contacts with knowledge-gap "
        f"signals and {t.idea_count} ideas from colleagues.",
        f"- Trend: {trend} ({recent} in the last 4 weeks, {before} in the 4 weeks before).",
    ]
    if ev.enough:
        lines.append(
            f"- Resolved first time: {_pct(ev.inside.resolution_rate)} of contacts in this theme "
            f"against {_pct(ev.outside.resolution_rate)} elsewhere; repeat contact "
            f"{_pct(ev.inside.repeat_rate)} against {_pct(ev.outside.repeat_rate)}."
        )
    else:
        lines.append("- Outcome figures are withheld: too few agents in this theme so far.")
    if ev.vulnerability:
        lines.append(
            f"- {ev.vulnerability} customer vulnerability cue{'s' if ev.vulnerability != 1 else ''}"
            " (bereavement, illness, job loss, financial difficulty) went unacted on."
        )
    return "\n".join(lines)


def _good(ev: Evidence) -> str:
    lines = ["## What good looks like", ""]
    for r in [r for r in ev.remedies if (r.resolution_rate or 0) > 0][:3]:
        lines.append(
            f"- **{r.action}** resolved {_pct(r.resolution_rate)} of {r.uses} contacts "
            f"where it was used."
        )
    if not ev.remedies:
        lines.append("- No remediation action has enough uses in this theme yet to compare.")
    if ev.resolved:
        lines += ["", "Contacts that were resolved well (redacted):", ""]
        lines += [f"- “{s}”" for s in ev.resolved]
    return "\n".join(lines)


def _wrong(ev: Evidence) -> str:
    lines = ["## What goes wrong", ""]
    if ev.unresolved:
        lines.append("Contacts that were not resolved (redacted):")
        lines.append("")
        lines += [f"- “{s}”" for s in ev.unresolved]
    else:
        lines.append("- No unresolved contacts in this theme yet.")
    return "\n".join(lines)
