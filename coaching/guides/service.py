"""Best-practice guides: a working draft, immutable published versions, searchable passages.

A guide is written from scratch or from a theme, linked to themes, published (a new
``GuideVersion``; its passages are rewritten and embedded so search finds the latest text),
reviewed every ``guide_review_days`` and archived when it no longer applies. Agents mark a
guide helpful or not, and every open from the search page counts as a reuse. A draft from a
theme is written by ``coaching.guides.drafts`` (``draft_from_theme``, re-exported here).

Functions flush, never commit, and raise ``foundation.errors`` domain errors.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import delete, update
from sqlmodel import Session, col, select

from coaching.guides.drafts import draft_from_theme as draft_from_theme  # re-exported
from coaching.guides.models import (
    Guide,
    GuideFeedback,
    GuidePassage,
    GuideStatus,
    GuideTheme,
    GuideUpdate,
    GuideVersion,
)
from coaching.guides.queries import SOURCE
from foundation.accounts import User
from foundation.clock import utcnow
from foundation.embeddings import Embedder, Embedding, text_hash, to_bytes
from foundation.errors import Conflict, Invalid
from foundation.i18n import N_
from foundation.ids import pk
from foundation.markdown import blocks
from ideas.themes.models import Theme


# ------------------------------------------------------------------------------------ writing
def _check_themes(session: Session, ids: list[int]) -> list[int]:
    wanted = sorted(set(ids))
    if not wanted:
        return []
    found = set(session.exec(select(Theme.id).where(col(Theme.id).in_(wanted))))
    if missing := [i for i in wanted if i not in found]:
        raise Invalid(N_("No such theme: %(id)s"), field="theme_ids", params={"id": missing[0]})
    return wanted


def _link_themes(session: Session, guide: Guide, ids: list[int]) -> None:
    session.exec(delete(GuideTheme).where(col(GuideTheme.guide_id) == guide.id))
    session.add_all(GuideTheme(guide_id=pk(guide), theme_id=i) for i in ids)


def create(session: Session, data: GuideUpdate, user: User) -> Guide:
    ids = _check_themes(session, data.theme_ids)
    guide = Guide(title=data.title.strip(), body=data.body, created_by_id=user.id)
    session.add(guide)
    session.flush()
    _link_themes(session, guide, ids)
    session.flush()
    return guide


def update_draft(session: Session, guide: Guide, data: GuideUpdate) -> Guide:
    """Edit the working draft; readers keep the latest published version until the next
    publish."""
    ids = _check_themes(session, data.theme_ids)
    title = data.title.strip()
    if title != guide.title or data.body != guide.body:
        guide.title, guide.body, guide.draft_changed = title, data.body, True
    guide.updated_at = utcnow()
    session.add(guide)
    _link_themes(session, guide, ids)
    session.flush()
    return guide


def publish(
    session: Session,
    guide: Guide,
    user: User,
    embedder: Embedder,
    review_days: int,
    *,
    today: date | None = None,
) -> GuideVersion:
    """Freeze the draft as version latest+1, re-write and embed its passages, and set the next
    review ``review_days`` after today. Publishing an archived guide brings it back."""
    if guide.status == GuideStatus.published and not guide.draft_changed:
        raise Conflict(N_("Nothing changed since the last version was published."))
    today = today or utcnow().date()
    version = GuideVersion(
        guide_id=pk(guide),
        number=guide.latest_version + 1,
        title=guide.title,
        body=guide.body,
        published_by_id=user.id,
    )
    session.add(version)
    session.flush()
    guide.latest_version = version.number
    guide.status = GuideStatus.published
    guide.draft_changed = False
    guide.review_due_on = today + timedelta(days=review_days)
    guide.updated_at = utcnow()
    session.add(guide)
    write_passages(session, guide, version, embedder)
    return version


def archive(session: Session, guide: Guide) -> None:
    """Take the guide out of search and agents' reach; its versions and passages stay."""
    if guide.status == GuideStatus.archived:
        return
    guide.status = GuideStatus.archived
    guide.updated_at = utcnow()
    session.add(guide)
    session.flush()


def mark_reviewed(
    session: Session, guide: Guide, review_days: int, *, today: date | None = None
) -> date:
    """A CX lead checked the guide still holds: the next review is ``review_days`` on."""
    if guide.status != GuideStatus.published:
        raise Conflict(N_("Only a published guide is reviewed."))
    today = today or utcnow().date()
    guide.review_due_on = today + timedelta(days=review_days)
    session.add(guide)
    session.flush()
    return guide.review_due_on


def count_reuse(session: Session, guide_id: int) -> None:
    """One more open from search. A single UPDATE in SQL, so concurrent opens never lose a
    count the way read-modify-write would."""
    session.exec(
        update(Guide).where(col(Guide.id) == guide_id).values(reuses=col(Guide.reuses) + 1)
    )


def set_feedback(session: Session, guide: Guide, user: User, helpful: bool) -> GuideFeedback:
    """Record or change ``user``'s verdict on the guide (one per person)."""
    row = session.exec(
        select(GuideFeedback).where(
            GuideFeedback.guide_id == guide.id, GuideFeedback.user_id == user.id
        )
    ).first()
    if row is None:
        row = GuideFeedback(guide_id=pk(guide), user_id=pk(user), helpful=helpful)
    else:
        row.helpful, row.created_at = helpful, utcnow()
    session.add(row)
    session.flush()
    return row


# ----------------------------------------------------------------------------------- passages
_MARKUP = re.compile(r"^(?:[-*]|\d{1,3}[.)])\s+|\*\*|`")


_SOURCE_LINK = re.compile(r"\s*\(\[[^\]]+\]\(/gaps/contacts/\d+\)\)")
_LINK = re.compile(r"\[([^\]]+)\]\([^)\s]+\)")


def plain(line: str) -> str:
    """A markdown line as plain text for search: no list markers, bold, code ticks, links to
    the quoted contacts' evidence, or link addresses (a link is its text)."""
    line = _LINK.sub(r"\1", _SOURCE_LINK.sub("", line))
    return _MARKUP.sub("", line).replace("**", "").replace("`", "").strip()


def split_passages(title: str, body: str) -> list[tuple[str, str]]:
    """(heading, text) pairs: the title alone, then each text block under its nearest
    heading."""
    out = [("", title.strip())]
    heading = ""
    for kind, lines in blocks(body):
        if kind == "text":
            text = " ".join(p for p in (plain(line) for line in lines) if p)
            if text:
                out.append((heading, text))
        else:
            heading = plain(lines[0])[:200]
    return out


def passage_text(title: str, heading: str, text: str) -> str:
    """What is embedded and keyword-indexed: the passage in the context of its guide."""
    if not heading and text == title:
        return title
    return f"{title} - {heading}: {text}" if heading else f"{title} - {text}"


def write_passages(
    session: Session, guide: Guide, version: GuideVersion, embedder: Embedder
) -> list[GuidePassage]:
    """Replace the guide's passages with the version's, each embedded (a new Embedding row id,
    so every process's index sees the change)."""
    old = list(session.exec(select(GuidePassage.id).where(GuidePassage.guide_id == guide.id)))
    if old:
        session.exec(
            delete(Embedding).where(
                col(Embedding.source) == SOURCE, col(Embedding.source_id).in_(old)
            )
        )
        session.exec(delete(GuidePassage).where(col(GuidePassage.guide_id) == guide.id))
    pairs = split_passages(version.title, version.body)
    rows = [
        GuidePassage(
            guide_id=pk(guide),
            version_id=pk(version),
            position=i,
            heading=heading,
            text=text,
        )
        for i, (heading, text) in enumerate(pairs)
    ]
    session.add_all(rows)
    session.flush()
    texts = [passage_text(version.title, h, t) for h, t in pairs]
    encoded = embedder.encode_for_storage(texts)
    xvectors = encoded.xvectors if encoded.xvectors is not None else [None] * len(texts)
    session.add_all(
        Embedding(
            source=SOURCE,
            source_id=pk(row),
            model=embedder.model_name,
            text_hash=text_hash(text),
            vector=to_bytes(vector),
            xvector=None if xvector is None else to_bytes(xvector),
            anchor=bool(anchor),
        )
        for row, text, vector, xvector, anchor in zip(
            rows, texts, encoded.vectors, xvectors, encoded.anchor, strict=True
        )
    )
    session.flush()
    return rows
