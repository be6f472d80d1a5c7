"""CX-lead edits of themes (rename, status, merge, split, action plan) and, between full runs,
a new document joining the nearest theme at once (``join``) or leaving its theme (``leave``).

Functions flush, never commit, and raise ``foundation.errors`` domain errors.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import delete
from sqlmodel import Session, col, select

from foundation.accounts import User
from foundation.clock import utcnow
from foundation.embeddings import from_bytes
from foundation.errors import Conflict, Invalid
from foundation.i18n import N_
from foundation.ids import pk
from foundation.text import clean_line
from ideas.themes import clustering
from ideas.themes import summary as theme_summary
from ideas.themes.documents import Corpus, Document, document_language, load_vectors
from ideas.themes.duty import DutyOutcome
from ideas.themes.keywords import label_language
from ideas.themes.models import (
    NAME_MAX,
    ActionPlan,
    ActionPlanUpdate,
    DocumentKind,
    Theme,
    ThemeMember,
    ThemeState,
    ThemeStatus,
)
from ideas.themes.queries import get_plan
from ideas.themes.runs import Target, member_labels, record_event, write_members
from ideas.themes.vectors import nearest_theme

MERGED = N_("This theme was merged; edit the theme it went into.")
SPLIT = N_("This theme was split; edit the themes it went into.")


def join(session: Session, doc: Document, vector: np.ndarray) -> Theme | None:
    """Put a new document into the nearest active theme when it is close enough."""
    return join_many(session, [doc], vector[None, :])[0]


def join_many(
    session: Session, docs: Sequence[Document], vectors: np.ndarray
) -> list[Theme | None]:
    """``join`` for a batch: the themes are read once, and a document already in a theme stays
    where it is (so a retried job changes nothing)."""
    themes = list(
        session.exec(
            select(Theme).where(Theme.state == ThemeState.active, col(Theme.centroid).is_not(None))
        )
    )
    by_id = {t.id: t for t in themes}
    placed: list[Theme | None] = []
    # Live themes always carry a centroid (set when a run places them).
    centroids = np.stack([from_bytes(t.centroid) for t in themes]) if themes else None  # type: ignore[arg-type]
    for doc, vector in zip(docs, vectors, strict=True):
        existing = session.exec(
            select(ThemeMember.theme_id).where(
                ThemeMember.kind == doc.kind, ThemeMember.source_id == doc.id
            )
        ).first()
        if existing is not None:
            placed.append(by_id.get(existing) or session.get(Theme, existing))
            continue
        best, similarity = nearest_theme(centroids, vector) if centroids is not None else (-1, 0.0)
        if best < 0:
            placed.append(None)
            continue
        theme = themes[best]
        theme_summary.joined(theme, doc)
        session.add(
            ThemeMember(
                theme_id=pk(theme),
                kind=doc.kind,
                source_id=doc.id,
                similarity=round(float(similarity), 4),
                via="nearest",
                occurred_at=doc.occurred_at,
                team_id=doc.team_id,
            )
        )
        theme.size += 1
        if doc.kind == DocumentKind.idea:
            theme.idea_count += 1
        else:
            theme.gap_count += 1
        _count_language(theme, doc.language)
        placed.append(theme)
    session.flush()
    return placed


def _count_language(theme: Theme, language: str) -> None:
    """One more member in ``language`` (its keywords and name wait for the next run)."""
    language = label_language(language)
    labels = dict(theme.labels or {})
    entry = dict(labels.get(language) or {"name": "", "keywords": []})
    entry["count"] = int(entry.get("count", 0)) + 1
    labels[language] = entry
    theme.labels = labels  # a new object, so the JSON column is written


def leave(session: Session, kind: DocumentKind, source_id: int) -> None:
    """Take a document out of its theme (an idea hidden or merged away)."""
    member = session.exec(
        select(ThemeMember).where(ThemeMember.kind == kind, ThemeMember.source_id == source_id)
    ).first()
    if member is None:
        return
    theme = session.get(Theme, member.theme_id)
    session.delete(member)
    if theme is not None:
        theme_summary.left(theme, kind, member.occurred_at)
        theme.size = max(0, theme.size - 1)
        if kind == DocumentKind.idea:
            theme.idea_count = max(0, theme.idea_count - 1)
        else:
            theme.gap_count = max(0, theme.gap_count - 1)
    session.flush()


def _editable(theme: Theme) -> None:
    if theme.state in (ThemeState.merged, ThemeState.split_up):
        raise Conflict(MERGED if theme.state == ThemeState.merged else SPLIT)


def rename(session: Session, theme: Theme, name: str, by: User) -> Theme:
    _editable(theme)
    try:
        name = clean_line(name)
    except ValueError:
        raise Invalid(N_("Give the theme a name with letters or digits."), field="name") from None
    if len(name) > NAME_MAX:
        raise Invalid(
            N_("Names are at most %(limit)s characters."), field="name", params={"limit": NAME_MAX}
        )
    if name != theme.name:
        record_event(session, theme, "renamed", f"{theme.name} → {name}", by=by)
        theme.name, theme.renamed, theme.updated_at = name, True, utcnow()
    session.flush()
    return theme


def set_status(
    session: Session, theme: Theme, status: ThemeStatus, by: User, reason: str = ""
) -> Theme:
    _editable(theme)
    reason = reason.strip()
    if status == ThemeStatus.dismissed and not reason:
        raise Invalid(N_("Say why the theme is dismissed."), field="reason")
    if len(reason) > 500:
        raise Invalid(N_("Keep the reason under 500 characters."), field="reason")
    # The history is stored, in English.
    detail = f"{theme.status.english_label} → {status.english_label}" + (
        f": {reason}" if reason else ""
    )
    theme.status = status
    theme.dismiss_reason = reason if status == ThemeStatus.dismissed else None
    theme.updated_at = utcnow()
    record_event(session, theme, status.value, detail, by=by)
    session.flush()
    return theme


def set_duty_outcome(
    session: Session, theme: Theme, outcome: DutyOutcome | None, by: User
) -> Theme:
    """The Consumer Duty outcome a CX lead chose for the theme (None: use the suggestion)."""
    _editable(theme)
    if outcome == theme.duty_outcome:
        return theme
    before = theme.duty_outcome.english_label if theme.duty_outcome else "suggested"
    after = outcome.english_label if outcome else "suggested"
    theme.duty_outcome = outcome
    theme.updated_at = utcnow()
    record_event(session, theme, "duty outcome", f"{before} → {after}", by=by)
    session.flush()
    return theme


def merge(session: Session, source: Theme, target: Theme, by: User, corpus: Corpus) -> Theme:
    """Move every member of ``source`` into ``target``; ``source`` keeps its row and history,
    and every later run sends what it finds of ``source`` into ``target``."""
    _editable(source)
    _editable(target)
    if source.id == target.id:
        raise Invalid(N_("Choose a different theme to merge into."), field="into")
    session.exec(
        # SQLModel does not declare ``__table__`` on the class (here and the line below).
        ThemeMember.__table__.update()  # type: ignore[attr-defined]
        .where(ThemeMember.__table__.c.theme_id == source.id)  # type: ignore[attr-defined]
        .values(theme_id=target.id, via="merge")
    )
    source.state, source.merged_into_id = ThemeState.merged, target.id
    source.size = source.idea_count = source.gap_count = 0
    record_event(session, source, "merged", f"Merged into “{target.name}” (#{target.id}).", by=by)
    record_event(session, target, "merged", f"“{source.name}” (#{source.id}) merged in.", by=by)
    session.flush()
    _rebuild(session, target, corpus)
    return target


def split(
    session: Session, theme: Theme, by: User, corpus: Corpus, parts: int | None = None
) -> list[Theme]:
    """Re-cluster the theme's members into two or more new themes."""
    _editable(theme)
    docs = _member_documents(session, theme, corpus)
    if len(docs) < 4:
        raise Invalid(N_("A theme needs at least four members to split."), field="parts")
    if parts is not None and not 2 <= parts <= min(8, len(docs) // 2):
        raise Invalid(
            N_("Split into between 2 and 8 parts, two members each at least."), field="parts"
        )
    vectors = load_vectors(session, docs, corpus.model)
    part_of = clustering.split(vectors, [d.text for d in docs], k=parts)
    groups = [[i for i, p in enumerate(part_of) if p == g] for g in sorted(set(part_of.tolist()))]
    if len(groups) < 2:
        raise Invalid(N_("These members do not divide; try a number of parts."), field="parts")
    children: list[Theme] = []
    session.exec(delete(ThemeMember).where(col(ThemeMember.theme_id) == theme.id))
    # Labelled together, so each part's keywords are what sets it apart from the others.
    titles = member_labels([[docs[i] for i in g] for g in groups])
    keys = [d.key for d in docs]
    for members, labels in zip(groups, titles, strict=True):
        # A part stays in the parent's area until the next run groups the themes again.
        child = Theme(name="", auto_label="", split_from_id=theme.id, status=ThemeStatus.reviewing)
        child.area_id = theme.area_id
        session.add(child)
        session.flush()
        target = Target(child, members, rebuilt=True)
        write_members(session, target, docs, vectors, keys, via="split", labels=labels)
        child.name = child.auto_label
        record_event(session, child, "created", f"Split from “{theme.name}” (#{theme.id}).", by=by)
        children.append(child)
    names = ", ".join(f"“{c.name}” (#{c.id})" for c in children)
    theme.state, theme.size, theme.idea_count, theme.gap_count = ThemeState.split_up, 0, 0, 0
    record_event(session, theme, "split", f"Split into {names}.", by=by)
    session.flush()
    return children


def _member_documents(session: Session, theme: Theme, corpus: Corpus) -> list[Document]:
    """The theme's members as documents, with the text their stored vector was made from."""
    rows = session.exec(
        select(ThemeMember)
        .where(ThemeMember.theme_id == theme.id)
        .order_by(col(ThemeMember.kind), col(ThemeMember.source_id))
    ).all()
    texts, languages = _texts(session, rows, corpus)
    docs = []
    for m in rows:
        text = texts.get((m.kind, m.source_id), "")
        language = document_language(languages.get((m.kind, m.source_id)), text)
        docs.append(Document(m.kind, m.source_id, text, m.occurred_at, m.team_id, language))
    return docs


def _texts(
    session: Session, rows: Sequence[ThemeMember], corpus: Corpus
) -> tuple[dict[tuple[DocumentKind, int], str], dict[tuple[DocumentKind, int], str | None]]:
    """Each member's text and stored language."""
    texts: dict[tuple[DocumentKind, int], str] = {}
    languages: dict[tuple[DocumentKind, int], str | None] = {}
    for kind in DocumentKind:
        ids = [m.source_id for m in rows if m.kind == kind]
        if ids:
            texts.update(((kind, i), t) for i, t in corpus.texts(session, kind, ids).items())
            found = corpus.languages(session, kind, ids).items()
            languages.update(((kind, i), lang) for i, lang in found)
    return texts, languages


def _rebuild(session: Session, theme: Theme, corpus: Corpus) -> None:
    """Recompute centroid, counts, representatives and labels from the current members."""
    docs = _member_documents(session, theme, corpus)
    if not docs:
        return
    vectors = load_vectors(session, docs, corpus.model)
    session.exec(delete(ThemeMember).where(col(ThemeMember.theme_id) == theme.id))
    target = Target(theme, list(range(len(docs))), rebuilt=True)
    write_members(session, target, docs, vectors, [d.key for d in docs], via="merge")
    session.flush()


def save_plan(session: Session, theme: Theme, data: ActionPlanUpdate, by: User) -> ActionPlan:
    _editable(theme)
    if data.owner_id is not None and session.get(User, data.owner_id) is None:
        raise Invalid(N_("Choose an owner from the list."), field="owner_id")
    plan = get_plan(session, pk(theme)) or ActionPlan(theme_id=pk(theme))
    plan.owner_id, plan.due_date, plan.status, plan.note = (
        data.owner_id,
        data.due_date,
        data.status,
        data.note,
    )
    plan.updated_at = utcnow()
    session.add(plan)
    due = data.due_date.isoformat() if data.due_date else "no due date"
    record_event(
        session, theme, "plan", f"Action plan {data.status.english_label.lower()}, {due}.", by=by
    )
    session.flush()
    return plan
