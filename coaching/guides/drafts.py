"""A guide's draft from a theme, written from its contacts and never invented: when it applies
(the customers' own most representative questions), what to say (the most central answers on
contacts that went well), what has worked (actions in plain words, with their counts, above the
minimum sample) and what to avoid (what was said on contacts left unresolved). Every quote links
to the contact it comes from.

Also the published guides' passages a coaching module's draft quotes (``linked_passages``,
``vulnerability_passages``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from coaching.guides.models import Guide, GuidePassage, GuideStatus, GuideTheme, GuideUpdate
from coaching.interactions import actions as action_labels
from coaching.interactions import answers, evidence
from coaching.interactions.remediation import ActionStats
from foundation.errors import NotFound
from foundation.i18n import N_
from ideas.themes.models import Theme

GUIDE_URL = "/guides/{id}"
PASSAGES = 3
PASSAGE_CHARS = 400


@dataclass(frozen=True)
class Passage:
    guide_id: int
    guide_title: str
    heading: str
    text: str

    @property
    def url(self) -> str:
        return GUIDE_URL.format(id=self.guide_id)


def source(interaction_id: int) -> str:
    """A markdown link to a quoted contact's evidence."""
    return f"([contact]({answers.contact_url(interaction_id)}))"


def quoted(text: str) -> str:
    """A quote for markdown: no backticks or asterisks to turn it into code or emphasis."""
    return "“" + text.replace("`", "'").replace("*", "") + "”"


def claims(remedies: list[ActionStats], labels: dict[str, str], min_sample: int) -> list[str]:
    """The actions that resolved most, in plain words, each with its count; only for actions
    used on at least ``min_sample`` contacts (and shown under the minimum group size rule)."""
    shown = [
        r
        for r in remedies
        if r.suppressed is None and (r.uses or 0) >= min_sample and (r.resolved or 0) > 0
    ]
    shown.sort(key=lambda r: (-(r.resolution_rate or 0.0), -(r.uses or 0), r.action))
    return [
        f"{action_labels.label(r.action, labels)}: resolved {r.resolved} of {r.uses} contacts "
        f"where it was used ({r.resolution_rate:.0f}%)."
        for r in shown[:PASSAGES]
    ]


def remedies(session: Session, theme_id: int, min_group_size: int) -> list[ActionStats]:
    return [
        r
        for r in evidence.remediation(session, theme_id, min_group_size)
        if r.suppressed is None and r.uses
    ]


def _passages(session: Session, query: Any, limit: int) -> list[Passage]:
    rows = session.exec(query).all()
    out: list[Passage] = []
    for passage, title in rows:
        if passage.position == 0:  # the title alone
            continue
        out.append(
            Passage(
                passage.guide_id, title, passage.heading, answers.clip(passage.text, PASSAGE_CHARS)
            )
        )
        if len(out) >= limit:
            break
    return out


def linked_passages(session: Session, theme_id: int, limit: int = PASSAGES) -> list[Passage]:
    """Passages of the published guides linked to the theme, each guide's first ones first."""
    query = (
        select(GuidePassage, Guide.title)
        .join(Guide, col(Guide.id) == col(GuidePassage.guide_id))
        .join(GuideTheme, col(GuideTheme.guide_id) == col(Guide.id))
        .where(GuideTheme.theme_id == theme_id, Guide.status == GuideStatus.published)
        .order_by(col(GuidePassage.position), col(Guide.title), col(GuidePassage.id))
    )
    return _passages(session, query, limit)


def vulnerability_passages(session: Session, limit: int = 2) -> list[Passage]:
    """The opening passages of a published guide about customers in vulnerable circumstances."""
    about = func.lower(Guide.title).contains("vulnerab")
    guide = session.exec(
        select(Guide.id)
        .where(Guide.status == GuideStatus.published, about)
        .order_by(col(Guide.id))
        .limit(1)
    ).first()
    if guide is None:
        return []
    query = (
        select(GuidePassage, Guide.title)
        .join(Guide, col(Guide.id) == col(GuidePassage.guide_id))
        .where(col(Guide.id) == guide)
        .order_by(col(GuidePassage.position))
    )
    return _passages(session, query, limit)


def passage_line(p: Passage) -> str:
    heading = f"**{p.heading}**: " if p.heading else ""
    return f"- {heading}{quoted(p.text)} ([{p.guide_title}]({p.url}))"


def unresolved_line(q: answers.Quote) -> str:
    """What went wrong on one contact: the question, what the agent said, how it ended."""
    said = f" and was told {quoted(q.answer)}" if q.answer else ""
    ended = f"the contact was {q.outcome.value}" if q.outcome else "no outcome recorded"
    return f"The customer asked {quoted(q.question)}{said} ({ended}) {source(q.interaction_id)}"


# ------------------------------------------------------------------------------ a guide draft
def draft_from_theme(
    session: Session,
    theme_id: int,
    min_group_size: int,
    *,
    uncertainty_phrases: Sequence[str] = (),
    embed: answers.Embed | None = None,
) -> GuideUpdate:
    """A starting draft for a theme, from its contacts (``uncertainty_phrases``: the setting
    that tells an agent's answer from their hesitation; ``embed``: the embedding model's
    ``encode``, else answers are compared by their words)."""
    theme = session.get(Theme, theme_id)
    if theme is None:
        raise NotFound(N_("No such theme"))
    material = answers.gather(session, theme_id, uncertainty_phrases, embed=embed)
    found = remedies(session, theme_id, min_group_size)
    labels = action_labels.labels(session, [r.action for r in found])
    lines = ["## When this applies", ""]
    if material.questions:
        lines.append("Customers ask, in their own words:")
        lines.append("")
        lines += [f"- {quoted(q.question)} {source(q.interaction_id)}" for q in material.questions]
    else:
        lines.append(f"Contacts about {theme.name}.")
    lines += ["", "## What to say", ""]
    if material.answers:
        lines.append(
            "What agents said on contacts resolved first time and rated well "
            f"({len(material.answers)} of {material.good} such contacts quoted):"
        )
        lines.append("")
        lines += [f"- {quoted(q.answer)} {source(q.interaction_id)}" for q in material.answers]
    else:
        lines.append("No contact in this theme was resolved first time and rated well yet.")
    if worked := claims(found, labels, min_group_size):
        lines += ["", "## What has worked", ""]
        lines += [f"- {claim}" for claim in worked]
    if material.unresolved:
        lines += ["", "## What to avoid", ""]
        for q in material.unresolved:
            lines.append(f"- {unresolved_line(q)}")
    return GuideUpdate(title=theme.name[:200], body="\n".join(lines), theme_ids=[theme_id])
