"""Pre-filled module drafts, written from a theme's evidence and never invented: why it
matters, what customers ask (their own words), what to say (the most central answers on contacts
that went well, and the actions that resolved most, in plain words with their counts), what goes
wrong, customers in vulnerable circumstances, passages of the linked guides, and draft check
questions. Every quote links to the contact or guide it comes from; no agent is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from coaching.guides import drafts as guide_drafts
from coaching.interactions import actions as action_labels
from coaching.interactions import answers, evidence
from coaching.modules.models import ModuleUpdate
from coaching.modules.questions import draft_questions
from ideas.themes import queries as theme_queries
from ideas.themes.models import Theme

SNIPPETS = answers.QUOTES  # quotes per section of a pre-filled draft
SNIPPET_CHARS = answers.QUOTE_CHARS
CANDIDATES = answers.CANDIDATES  # central gap members read to find the examples

EXPECTED_RESPONSE = (
    "Acknowledge what they told you in your own words, ask what support they need, and follow "
    "the vulnerable-customer process (a vulnerability note with their consent, and a referral to "
    "the right team)."
)


# ------------------------------------------------------------------------ pre-filled drafts
@dataclass(frozen=True)
class Evidence:
    """What a draft is written from: the theme page's figures and the contacts' own words."""

    theme: Theme
    series: list[int]
    inside: evidence.Outcomes
    outside: evidence.Outcomes
    enough: bool  # outcome figures may be shown (minimum group size)
    vulnerability: int
    remedies: list[Any]  # stats.ActionStats with figures, best resolution rate first
    resolved: list[str]  # "Customer: ... / Agent: ..." of the chosen good answers
    unresolved: list[str]  # "Customer: ... / Agent: ..." of unresolved contacts
    # The quotes with the ids of their contacts: questions, the chosen answers, unresolved ones.
    material: answers.Material | None = None
    labels: dict[str, str] = field(default_factory=dict)  # action code -> plain words
    min_sample: int = 5  # no claim about an action used on fewer contacts
    passages: list[guide_drafts.Passage] = field(default_factory=list)  # linked guides
    vulnerability_guide: list[guide_drafts.Passage] = field(default_factory=list)

    def action(self, code: str) -> str:
        """An action code in plain words (its admin label, else humanised)."""
        return action_labels.label(code, self.labels)


def gather(
    session: Session,
    theme: Theme,
    min_group_size: int,
    *,
    uncertainty_phrases: Sequence[str],
    now: datetime | None = None,
    embed: answers.Embed | None = None,
) -> Evidence:
    """The theme's evidence for a draft; ``uncertainty_phrases`` (the setting the gap signals
    use) tell an agent's answer from their hesitation; ``embed`` (the embedding model's
    ``encode``) finds the most central answers, else their words do."""
    assert theme.id is not None
    inside = evidence.outcomes(session, theme.id, inside=True)
    remedies = guide_drafts.remedies(session, theme.id, min_group_size)
    remedies.sort(key=lambda r: (-(r.resolution_rate or 0.0), -(r.uses or 0), r.action))
    material = answers.gather(session, theme.id, uncertainty_phrases, embed=embed)
    vulnerability = evidence.vulnerability_signals(session, theme.id)
    return Evidence(
        theme=theme,
        series=theme_queries.weekly_counts(session, [theme.id], weeks=12, now=now)[theme.id],
        inside=inside,
        outside=evidence.outcomes(session, theme.id, inside=False),
        enough=inside.agents >= min_group_size,
        vulnerability=vulnerability,
        remedies=remedies,
        resolved=[f"Customer: {q.question} / Agent: {q.answer}" for q in material.answers],
        unresolved=[
            f"Customer: {q.question} / Agent: {q.answer}" if q.answer else f"Customer: {q.question}"
            for q in material.unresolved
        ],
        material=material,
        labels=action_labels.labels(session, [r.action for r in remedies]),
        min_sample=min_group_size,
        passages=guide_drafts.linked_passages(session, theme.id),
        vulnerability_guide=guide_drafts.vulnerability_passages(session) if vulnerability else [],
    )


def draft_from_theme(
    session: Session,
    theme: Theme,
    min_group_size: int,
    *,
    uncertainty_phrases: list[str],
    now: datetime | None = None,
    embed: answers.Embed | None = None,
) -> ModuleUpdate:
    """A draft for the CX lead to edit, every part of it from the theme's evidence."""
    ev = gather(
        session,
        theme,
        min_group_size,
        uncertainty_phrases=uncertainty_phrases,
        now=now,
        embed=embed,
    )
    parts = [_why(ev), _ask(ev), _say(ev), _wrong(ev), _vulnerable(ev), _guides(ev)]
    body = "\n\n".join(p for p in parts if p)
    return ModuleUpdate(
        title=theme.name[:200],
        body=body,
        questions=draft_questions(session, theme, uncertainty_phrases=uncertainty_phrases),
    )


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
        cues, were = ("cue", "was") if ev.vulnerability == 1 else ("cues", "were")
        lines.append(
            f"- {ev.vulnerability} customer vulnerability {cues} (bereavement, illness, job loss, "
            f"financial difficulty and the like) {were} not acted on."
        )
    return "\n".join(lines)


def _ask(ev: Evidence) -> str:
    if ev.material is None or not ev.material.questions:
        return ""
    lines = ["## What customers ask", "", "In their own words (redacted):", ""]
    lines += [
        f"- {guide_drafts.quoted(q.question)} {guide_drafts.source(q.interaction_id)}"
        for q in ev.material.questions
    ]
    return "\n".join(lines)


def _say(ev: Evidence) -> str:
    lines = ["## What to say", ""]
    material = ev.material
    if material is not None and material.answers:
        lines.append(
            "What agents said on contacts they resolved first time, with the customer's rating "
            f"good or not given (the most typical {len(material.answers)} of "
            f"{material.good} such contacts):"
        )
        lines.append("")
        lines += [
            f"- {guide_drafts.quoted(q.answer)} {guide_drafts.source(q.interaction_id)}"
            for q in material.answers
        ]
    else:
        lines.append("- No contact in this theme was resolved first time and rated well yet.")
    worked = guide_drafts.claims(ev.remedies, ev.labels, ev.min_sample)
    if worked:
        lines += ["", "What resolved most often:", ""]
        lines += [f"- {claim}" for claim in worked]
    elif ev.remedies:
        lines += [
            "",
            f"- No action was used on {ev.min_sample} or more contacts in this theme yet, so "
            "none is compared.",
        ]
    return "\n".join(lines)


def _wrong(ev: Evidence) -> str:
    lines = ["## What goes wrong", ""]
    if ev.material is not None and ev.material.unresolved:
        lines += [f"- {guide_drafts.unresolved_line(q)}" for q in ev.material.unresolved]
    else:
        lines.append("- No unresolved contacts in this theme yet.")
    return "\n".join(lines)


def _vulnerable(ev: Evidence) -> str:
    cues = ev.material.cues if ev.material is not None else []
    if not cues and not ev.vulnerability:
        return ""
    lines = ["## Customers in vulnerable circumstances", ""]
    met = [f"{c.category} ({c.count})" for c in cues if c.category]
    if met:
        lines.append(f"Cues customers gave in this theme that were not acted on: {', '.join(met)}.")
        lines.append("")
    lines.append(f"When a customer mentions one: {EXPECTED_RESPONSE}")
    if ev.vulnerability_guide:
        lines += ["", "From the guide:", ""]
        lines += [guide_drafts.passage_line(p) for p in ev.vulnerability_guide]
    return "\n".join(lines)


def _guides(ev: Evidence) -> str:
    if not ev.passages:
        return ""
    lines = ["## From the guides", ""]
    lines += [guide_drafts.passage_line(p) for p in ev.passages]
    return "\n".join(lines)
