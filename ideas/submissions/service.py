"""What can be done with ideas: the configurable lists, submitting, supporting, commenting and
answering. Functions flush, never commit; errors are ``foundation.errors`` domain errors."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

import numpy as np
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from foundation.accounts import Team, User
from foundation.clock import utcnow
from foundation.embeddings import Embedder, Embedding, text_hash, to_bytes
from foundation.errors import Conflict, Forbidden, Invalid, NotFound
from foundation.i18n import N_
from foundation.ids import pk
from foundation.language import detect_language
from ideas.submissions.customer_details import without_customer_details
from ideas.submissions.models import (
    Category,
    Comment,
    CommentCreate,
    Idea,
    IdeaCreate,
    IdeaStatus,
    JourneyStage,
    StatusChange,
    StatusUpdate,
    Support,
    idea_text,
)
from ideas.submissions.notifications import notify_followers, short
from ideas.submissions.queries import can_moderate, department_sizes, digest, require_visible
from ideas.submissions.similar import SOURCE, VectorIndex
from ideas.themes import service as themes
from ideas.themes.documents import idea_document


def add_list_item(
    session: Session, model: type[Category] | type[JourneyStage], name: str
) -> Category | JourneyStage:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise Invalid(N_("Give a name of 1 to 80 characters."), field="name")
    if session.exec(select(model).where(func.lower(model.name) == name.lower())).first():
        raise Conflict(N_("That name is already in the list."), field="name")
    item = model(name=name)
    session.add(item)
    session.flush()
    return item


def set_list_item_active(
    session: Session, model: type[Category] | type[JourneyStage], item_id: int, active: bool
) -> None:
    item = session.get(model, item_id)
    if item is None:
        raise NotFound(N_("No such list entry."))
    item.active = active
    session.add(item)
    session.flush()


def _check_lists(session: Session, data: IdeaCreate) -> None:
    category = session.get(Category, data.category_id)
    if category is None or not category.active:
        raise Invalid(N_("Choose one of the listed categories."), field="category_id")
    if data.stage_id is not None:
        stage = session.get(JourneyStage, data.stage_id)
        if stage is None or not stage.active:
            raise Invalid(N_("Choose one of the listed journey stages."), field="stage_id")


def _start_of_day(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), datetime.min.time(), tzinfo=UTC)


def _department_for(session: Session, user: User, *, anonymous: bool, min_group: int) -> str | None:
    """The author's department. On an anonymous idea it is kept only when it cannot narrow the
    author below ``min_group`` people: the department is that large, and so is the group an idea
    *without* a department would then point at (people in no team or in small departments), or
    that group is empty (README, security notes)."""
    team = session.get(Team, user.team_id) if user.team_id else None
    if team is None or not anonymous:
        return team.department if team else None
    sizes, teamless = department_sizes(session)
    withheld = teamless + sum(n for n in sizes.values() if n < min_group)
    if sizes.get(team.department, 0) < min_group or 0 < withheld < min_group:
        return None
    return team.department


@dataclass(frozen=True)
class IdeaDraft:
    """An idea ready to store: customer details replaced, its text embedded. Made before the
    request touches the database, so the slow part never holds SQLite's write lock."""

    data: IdeaCreate
    title: str
    body: str
    model: str
    vector: np.ndarray
    xvector: np.ndarray | None = None
    anchor: bool = True
    language: str = "und"  # of the title and body (foundation.language)


def draft_idea(data: IdeaCreate, embedder: Embedder, index: VectorIndex | None = None) -> IdeaDraft:
    """``index``: the similar-ideas index, among whose English ideas a Chinese or Japanese idea
    is placed (foundation.crosslingual); without it, the multilingual model's linear map."""
    title, body = without_customer_details(data.title), without_customer_details(data.body)
    encoded = embedder.encode_for_storage([f"{title}\n{body}".strip()])  # as ``idea_text``
    vector, anchor = encoded.vectors[0], bool(encoded.anchor[0])
    xvector = None if encoded.xvectors is None else encoded.xvectors[0]
    if not anchor and index is not None and xvector is not None:
        vector = index.place(xvector[None, :])[0]
    language = detect_language(f"{title}\n{body}")
    return IdeaDraft(data, title, body, embedder.model_name, vector, xvector, anchor, language)


def submit_idea(
    session: Session, user: User, draft: IdeaDraft, *, min_group: int
) -> tuple[Idea, str | None]:
    """Store a new idea; returns it with the receipt token for an anonymous one (shown once).
    An anonymous idea keeps no author, its times only to the day, and its department only when
    the department is at least ``min_group`` people."""
    data = draft.data
    _check_lists(session, data)
    now = utcnow()
    receipt = secrets.token_urlsafe(32) if data.anonymous else None
    idea = Idea(
        kind=data.kind,
        title=draft.title,
        body=draft.body,
        category_id=data.category_id,
        stage_id=data.stage_id,
        department=_department_for(session, user, anonymous=data.anonymous, min_group=min_group),
        anonymous=data.anonymous,
        author_id=None if data.anonymous else user.id,
        receipt_hash=digest(receipt) if receipt else None,
        language=draft.language,
        created_at=_start_of_day(now) if data.anonymous else now,
        updated_at=_start_of_day(now) if data.anonymous else now,
    )
    session.add(idea)
    session.flush()
    _store_vector(session, idea, draft)
    # Between full clustering runs a new idea joins the nearest theme at once.
    themes.join(session, idea_document(idea), draft.vector)
    return idea, receipt


def _store_vector(session: Session, idea: Idea, draft: IdeaDraft) -> Embedding:
    row = Embedding(
        source=SOURCE,
        source_id=pk(idea),
        model=draft.model,
        text_hash=text_hash(idea_text(idea)),
        vector=to_bytes(draft.vector),
        xvector=None if draft.xvector is None else to_bytes(draft.xvector),
        anchor=draft.anchor,
        # The idea's own (for anonymous ideas, day-coarsened) time: never a finer timestamp.
        updated_at=idea.updated_at,
    )
    session.add(row)
    session.flush()
    return row


def support(session: Session, user: User, idea: Idea) -> None:
    require_visible(idea, user)
    if not idea.visible:
        if idea.merged_into_id:
            raise Conflict(
                N_("This idea was merged into #%(id)s: support that one instead."),
                params={"id": idea.merged_into_id},
            )
        raise Conflict(N_("This idea is hidden and cannot be supported."))
    exists = session.exec(
        select(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
    ).first()
    if exists:
        raise Conflict(N_("You already support this idea."))
    session.add(Support(idea_id=pk(idea), user_id=pk(user)))
    session.flush()
    recount(session, idea)


def withdraw_support(session: Session, user: User, idea: Idea) -> None:
    require_visible(idea, user)
    removed = session.exec(
        delete(Support).where(col(Support.idea_id) == idea.id, col(Support.user_id) == user.id)
    ).rowcount
    if not removed:
        raise Conflict(N_("You do not support this idea."))
    recount(session, idea)


def recount(session: Session, idea: Idea) -> None:
    idea.support_count = session.exec(
        select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
    ).one()
    session.add(idea)
    session.flush()


def add_comment(
    session: Session,
    idea: Idea,
    data: CommentCreate,
    *,
    user: User | None,
    from_submitter: bool = False,
) -> Comment:
    if not idea.visible:
        raise Conflict(N_("This idea is closed for comments."))
    comment = Comment(
        idea_id=pk(idea),
        author_id=user.id if user else None,
        from_submitter=from_submitter or (user is not None and user.id == idea.author_id),
        body=without_customer_details(data.body),
        created_at=_start_of_day(utcnow()) if user is None else utcnow(),
    )
    session.add(comment)
    session.flush()
    return comment


def change_status(session: Session, actor: User, idea: Idea, data: StatusUpdate) -> StatusChange:
    """Answer an idea: a status with a response. ``duplicate`` is set by merging, not here."""
    if not can_moderate(actor):
        raise Forbidden(N_("Only CX leads change the status of ideas."))
    if data.status == IdeaStatus.duplicate:
        raise Invalid(N_("To mark a duplicate, merge it into the idea it repeats."), field="status")
    return record_status(session, actor, idea, data)


def record_status(session: Session, actor: User, idea: Idea, data: StatusUpdate) -> StatusChange:
    if idea.merged_into_id is not None:
        raise Conflict(N_("This idea was merged; answer the idea it was merged into."))
    if idea.hidden_reason is not None:
        raise Conflict(N_("This idea is hidden; it cannot be answered."))
    change = StatusChange(
        idea_id=pk(idea),
        from_status=idea.status,
        to_status=data.status,
        response=without_customer_details(data.response),
        by_id=actor.id,
    )
    idea.status = data.status
    idea.first_response_at = idea.first_response_at or utcnow()
    idea.updated_at = _start_of_day(utcnow()) if idea.anonymous else utcnow()
    session.add_all([change, idea])
    session.flush()
    notify_followers(
        session,
        idea,
        f"“{idea.title}” is now {data.status.english_label.lower()}: {short(change.response)}",
        skip=actor.id,
    )
    return change
