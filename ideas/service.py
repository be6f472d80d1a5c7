"""What can be done with ideas. Functions flush, never commit; errors are domain errors."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import secrets
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import numpy as np
from sqlalchemy import delete, func, or_
from sqlmodel import Session, col, select

from foundation.accounts import Role, Team, User
from foundation.clock import as_utc, utcnow
from foundation.db import random_id
from foundation.embeddings import Embedder, Embedding, text_hash, to_bytes
from foundation.errors import Conflict, Forbidden, Invalid, NotFound
from foundation.redaction import get_redactor
from ideas import themes
from ideas.models import (
    Category,
    Comment,
    CommentCreate,
    DocumentKind,
    Idea,
    IdeaCreate,
    IdeaStatus,
    JourneyStage,
    Notification,
    StatusChange,
    StatusUpdate,
    Support,
    idea_text,
)
from ideas.similar import VectorIndex

SOURCE = "idea"
MIN_SIMILARITY = 0.3


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# ------------------------------------------------------------------------------------ lookups
def get_idea(session: Session, idea_id: int, *, include_hidden: bool = False) -> Idea:
    idea = session.get(Idea, idea_id)
    if idea is None or (idea.hidden_reason is not None and not include_hidden):
        raise NotFound("No such idea.")
    return idea


def can_moderate(user: User) -> bool:
    return user.role in (Role.cx_lead, Role.admin)


def get_visible_idea(session: Session, idea_id: int, user: User) -> Idea:
    """Hidden ideas stay readable by CX leads and by their (named) author, who sees why."""
    idea = get_idea(session, idea_id, include_hidden=True)
    _require_visible(idea, user)
    return idea


def _require_visible(idea: Idea, user: User) -> None:
    """To anyone else a hidden idea answers exactly like an unknown id, so nothing confirms
    that it exists."""
    if idea.hidden_reason is not None and not (can_moderate(user) or idea.author_id == user.id):
        raise NotFound("No such idea.")


def categories(session: Session, *, active_only: bool = True) -> list[Category]:
    query = select(Category).order_by(col(Category.name))
    return list(session.exec(query.where(col(Category.active)) if active_only else query))


def stages(session: Session, *, active_only: bool = True) -> list[JourneyStage]:
    query = select(JourneyStage).order_by(col(JourneyStage.name))
    return list(session.exec(query.where(col(JourneyStage.active)) if active_only else query))


def add_list_item(
    session: Session, model: type[Category] | type[JourneyStage], name: str
) -> Category | JourneyStage:
    name = " ".join(name.split())
    if not 1 <= len(name) <= 80:
        raise Invalid("Give a name of 1 to 80 characters.", field="name")
    if session.exec(select(model).where(func.lower(model.name) == name.lower())).first():
        raise Conflict("That name is already in the list.", field="name")
    item = model(name=name)
    session.add(item)
    session.flush()
    return item


def set_list_item_active(
    session: Session, model: type[Category] | type[JourneyStage], item_id: int, active: bool
) -> None:
    item = session.get(model, item_id)
    if item is None:
        raise NotFound("No such list entry.")
    item.active = active
    session.add(item)
    session.flush()


# ------------------------------------------------------------------------------------- submit
def _check_lists(session: Session, data: IdeaCreate) -> None:
    category = session.get(Category, data.category_id)
    if category is None or not category.active:
        raise Invalid("Choose one of the listed categories.", field="category_id")
    if data.stage_id is not None:
        stage = session.get(JourneyStage, data.stage_id)
        if stage is None or not stage.active:
            raise Invalid("Choose one of the listed journey stages.", field="stage_id")


def _start_of_day(moment: datetime) -> datetime:
    return datetime.combine(moment.date(), datetime.min.time(), tzinfo=UTC)


def department_sizes(session: Session) -> tuple[dict[str, int], int]:
    """Active people per department, and active people in no team."""
    rows = session.exec(
        select(Team.department, func.count())
        .select_from(User)
        .join(Team, col(User.team_id) == Team.id, isouter=True)
        .where(col(User.is_active))
        .group_by(Team.department)
    )
    sizes = dict(rows.all())
    teamless = sizes.pop(None, 0)  # type: ignore[call-overload]
    return sizes, teamless


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


# ------------------------------------------------------------------------- customer details
# Staff write about customers. A card, phone number, email, account or NI number pasted into an
# idea, a comment or an answer is replaced by a placeholder such as [CARD] before anything is
# stored, like an imported transcript (``foundation.redaction``); the page then says so.
DETAIL_NAMES = {
    "CARD": "a card number",
    "IBAN": "an IBAN",
    "EMAIL": "an email address",
    "PHONE": "a phone number",
    "SORT_CODE": "a sort code",
    "ACCOUNT_NUMBER": "an account number",
    "NI_NUMBER": "a National Insurance number",
    "POSTCODE": "a postcode",
    "NAME": "a name",
}
_PLACEHOLDER = re.compile(r"\[([A-Z_]+)\]")


def without_customer_details(text: str) -> str:
    return get_redactor().redact(text)[0] if text.strip() else text


def removed_details(typed: str, stored: str) -> list[str]:
    """The kinds of customer detail (``CARD``, ``PHONE``...) replaced between what someone typed
    and what was stored, in a stable order."""
    before = Counter(m for m in _PLACEHOLDER.findall(typed) if m in DETAIL_NAMES)
    after = Counter(m for m in _PLACEHOLDER.findall(stored) if m in DETAIL_NAMES)
    return [kind for kind in DETAIL_NAMES if after[kind] > before[kind]]


def removed_notice(kinds: list[str]) -> str | None:
    """What the author is told, or None when nothing was removed."""
    names = [DETAIL_NAMES[k] for k in kinds if k in DETAIL_NAMES]
    if not names:
        return None
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    placeholders = "a placeholder" if len(names) == 1 else "placeholders"
    return (
        f"To protect customers, we replaced what looked like {listed} with {placeholders}. "
        "Please keep customers' details out of ideas and comments."
    )


def _new_idea_id(session: Session) -> int:
    # Random ids (``foundation.db.random_id``): draw again on the rare collision.
    while session.get(Idea, candidate := random_id()) is not None:
        pass
    return candidate


@dataclass(frozen=True)
class IdeaDraft:
    """An idea ready to store: customer details replaced, its text embedded. Made before the
    request touches the database, so the slow part never holds SQLite's write lock."""

    data: IdeaCreate
    title: str
    body: str
    model: str
    vector: np.ndarray


def draft_idea(data: IdeaCreate, embedder: Embedder) -> IdeaDraft:
    title, body = without_customer_details(data.title), without_customer_details(data.body)
    vector = embedder.encode([f"{title}\n{body}".strip()])[0]  # as ``idea_text`` joins them
    return IdeaDraft(data, title, body, embedder.model_name, vector)


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
        id=_new_idea_id(session),
        kind=data.kind,
        title=draft.title,
        body=draft.body,
        category_id=data.category_id,
        stage_id=data.stage_id,
        department=_department_for(session, user, anonymous=data.anonymous, min_group=min_group),
        anonymous=data.anonymous,
        author_id=None if data.anonymous else user.id,
        receipt_hash=digest(receipt) if receipt else None,
        created_at=_start_of_day(now) if data.anonymous else now,
        updated_at=_start_of_day(now) if data.anonymous else now,
    )
    session.add(idea)
    session.flush()
    _store_vector(session, idea, draft.model, draft.vector)
    # Between full clustering runs a new idea joins the nearest theme at once.
    themes.join(session, themes.idea_document(idea), draft.vector)
    return idea, receipt


def _store_vector(session: Session, idea: Idea, model: str, vector: np.ndarray) -> Embedding:
    row = Embedding(
        source=SOURCE,
        source_id=idea.id,  # type: ignore[arg-type]
        model=model,
        text_hash=text_hash(idea_text(idea)),
        vector=to_bytes(vector),
        # The idea's own (for anonymous ideas, day-coarsened) time: never a finer timestamp.
        updated_at=idea.updated_at,
    )
    session.add(row)
    session.flush()
    return row


# ------------------------------------------------------------------------------------ similar
@dataclass(frozen=True)
class Match:
    idea: Idea
    score: float


def similar_ideas(
    session: Session,
    index: VectorIndex,
    embedder: Embedder,
    text: str,
    *,
    k: int = 5,
    exclude: int | None = None,
) -> list[Match]:
    """The ``k`` visible ideas most similar to ``text`` (cosine >= MIN_SIMILARITY)."""
    text = text.strip()
    if len(text) < 3:
        return []
    index.refresh(session)
    query = embedder.encode([text])[0]
    return _visible_matches(session, index.search(query, k * 4), k, exclude)


def _visible_matches(
    session: Session, hits: list[tuple[int, float]], k: int, exclude: int | None
) -> list[Match]:
    hits = [(i, s) for i, s in hits if s >= MIN_SIMILARITY and i != exclude]
    if not hits:
        return []
    ideas = {
        idea.id: idea
        for idea in session.exec(select(Idea).where(col(Idea.id).in_([i for i, _ in hits])))
        if idea.visible
    }
    return [Match(ideas[i], s) for i, s in hits if i in ideas][:k]


# ------------------------------------------------------------------------------------ support
def support(session: Session, user: User, idea: Idea) -> None:
    _require_visible(idea, user)
    if not idea.visible:
        target = f" #{idea.merged_into_id}" if idea.merged_into_id else ""
        raise Conflict(
            f"This idea was merged into{target}: support that one instead."
            if idea.merged_into_id
            else "This idea is hidden and cannot be supported."
        )
    exists = session.exec(
        select(Support).where(Support.idea_id == idea.id, Support.user_id == user.id)
    ).first()
    if exists:
        raise Conflict("You already support this idea.")
    session.add(Support(idea_id=idea.id, user_id=user.id))  # type: ignore[arg-type]
    session.flush()
    _recount(session, idea)


def withdraw_support(session: Session, user: User, idea: Idea) -> None:
    _require_visible(idea, user)
    removed = session.exec(  # type: ignore[call-overload]
        delete(Support).where(col(Support.idea_id) == idea.id, col(Support.user_id) == user.id)
    ).rowcount
    if not removed:
        raise Conflict("You do not support this idea.")
    _recount(session, idea)


def supports(session: Session, user: User, idea_ids: list[int]) -> set[int]:
    if not idea_ids:
        return set()
    query = select(Support.idea_id).where(
        Support.user_id == user.id, col(Support.idea_id).in_(idea_ids)
    )
    return set(session.exec(query))


def _recount(session: Session, idea: Idea) -> None:
    idea.support_count = session.exec(
        select(func.count()).select_from(Support).where(Support.idea_id == idea.id)
    ).one()
    session.add(idea)
    session.flush()


# ---------------------------------------------------------------------------------- comments
def add_comment(
    session: Session,
    idea: Idea,
    data: CommentCreate,
    *,
    user: User | None,
    from_submitter: bool = False,
) -> Comment:
    if not idea.visible:
        raise Conflict("This idea is closed for comments.")
    comment = Comment(
        idea_id=idea.id,  # type: ignore[arg-type]
        author_id=user.id if user else None,
        from_submitter=from_submitter or (user is not None and user.id == idea.author_id),
        body=without_customer_details(data.body),
        created_at=_start_of_day(utcnow()) if user is None else utcnow(),
    )
    session.add(comment)
    session.flush()
    return comment


def comments(session: Session, idea: Idea, *, include_hidden: bool = False) -> list[Comment]:
    query = select(Comment).where(Comment.idea_id == idea.id).order_by(col(Comment.id))
    if not include_hidden:
        query = query.where(col(Comment.hidden_reason).is_(None))
    return list(session.exec(query))


def display_names(session: Session, user_ids: set[int | None]) -> dict[int, str]:
    ids = [i for i in user_ids if i is not None]
    if not ids:
        return {}
    query = select(User.id, User.display_name).where(col(User.id).in_(ids))
    return {uid: name for uid, name in session.exec(query) if uid is not None}


def history(session: Session, idea: Idea) -> list[StatusChange]:
    query = select(StatusChange).where(StatusChange.idea_id == idea.id)
    return list(session.exec(query.order_by(col(StatusChange.id))))


# ----------------------------------------------------------------------- status and responses
def change_status(session: Session, actor: User, idea: Idea, data: StatusUpdate) -> StatusChange:
    """Answer an idea: a status with a response. ``duplicate`` is set by merging, not here."""
    if not can_moderate(actor):
        raise Forbidden("Only CX leads change the status of ideas.")
    if data.status == IdeaStatus.duplicate:
        raise Invalid("To mark a duplicate, merge it into the idea it repeats.", field="status")
    return _record_status(session, actor, idea, data)


def _record_status(session: Session, actor: User, idea: Idea, data: StatusUpdate) -> StatusChange:
    if idea.merged_into_id is not None:
        raise Conflict("This idea was merged; answer the idea it was merged into.")
    if idea.hidden_reason is not None:
        raise Conflict("This idea is hidden; it cannot be answered.")
    change = StatusChange(
        idea_id=idea.id,  # type: ignore[arg-type]
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
        f"“{idea.title}” is now {data.status.label.lower()}: {_short(change.response)}",
        skip=actor.id,
    )
    return change


def _short(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def notify_followers(
    session: Session, idea: Idea, message: str, *, skip: int | None = None
) -> None:
    """The named author and every supporter hear about it (the anonymous author reads the
    receipt page instead: there is nobody to address)."""
    followers = set(session.exec(select(Support.user_id).where(Support.idea_id == idea.id)))
    if idea.author_id is not None:
        followers.add(idea.author_id)
    followers.discard(skip)  # type: ignore[arg-type]
    session.add_all(
        Notification(user_id=uid, idea_id=idea.id, message=_short(message, 500))
        for uid in sorted(followers)
    )
    session.flush()


def notifications(session: Session, user: User, limit: int = 30) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == user.id)
    return list(session.exec(query.order_by(col(Notification.id).desc()).limit(limit)))


def unread_count(session: Session, user: User) -> int:
    query = select(func.count()).select_from(Notification)
    return session.exec(
        query.where(Notification.user_id == user.id, col(Notification.read_at).is_(None))
    ).one()


def mark_all_read(session: Session, user: User) -> None:
    for note in session.exec(
        select(Notification).where(
            Notification.user_id == user.id, col(Notification.read_at).is_(None)
        )
    ):
        note.read_at = utcnow()
        session.add(note)
    session.flush()


# --------------------------------------------------------------------------------- moderation
def merge(session: Session, actor: User, duplicate: Idea, target: Idea) -> None:
    """Merge ``duplicate`` into ``target``: supporters move over without double counting."""
    if not can_moderate(actor):
        raise Forbidden("Only CX leads merge ideas.")
    if duplicate.id == target.id or not target.visible or not duplicate.visible:
        raise Invalid("Merge into a different, visible idea.", field="target_id")
    # Answer first, so the duplicate's author and supporters are all told.
    response = f"Merged into #{target.id} “{target.title}”. Follow and support it there."
    _record_status(
        session, actor, duplicate, StatusUpdate(status=IdeaStatus.duplicate, response=response)
    )
    already = set(session.exec(select(Support.user_id).where(Support.idea_id == target.id)))
    for row in session.exec(select(Support).where(Support.idea_id == duplicate.id)).all():
        if row.user_id in already or row.user_id == target.author_id:
            session.delete(row)  # no double counting, and nobody supports their own idea
        else:
            row.idea_id = target.id  # type: ignore[assignment]
            session.add(row)
    session.flush()
    duplicate.merged_into_id = target.id
    session.add(duplicate)
    themes.leave(session, DocumentKind.idea, duplicate.id)  # type: ignore[arg-type]
    _recount(session, duplicate)
    _recount(session, target)


def hide_idea(session: Session, actor: User, idea: Idea, reason: str) -> None:
    reason = _reason(actor, reason)
    idea.hidden_reason = reason
    session.add(idea)
    session.flush()
    themes.leave(session, DocumentKind.idea, idea.id)  # type: ignore[arg-type]
    _tell_author(
        session,
        idea.author_id,
        idea.id,
        f"Your idea “{_short(idea.title, 80)}” was hidden: {reason}",
    )


def hide_comment(session: Session, actor: User, comment: Comment, reason: str) -> None:
    comment.hidden_reason = _reason(actor, reason)
    session.add(comment)
    session.flush()
    _tell_author(
        session,
        comment.author_id,
        comment.idea_id,
        f"Your comment was hidden: {comment.hidden_reason}",
    )


def _tell_author(
    session: Session, author_id: int | None, idea_id: int | None, message: str
) -> None:
    """Moderation is explained to the named author (an anonymous one reads the receipt page)."""
    if author_id is not None:
        session.add(Notification(user_id=author_id, idea_id=idea_id, message=message))
        session.flush()


def _reason(actor: User, reason: str) -> str:
    if not can_moderate(actor):
        raise Forbidden("Only CX leads moderate.")
    reason = " ".join(reason.split())
    if not 3 <= len(reason) <= 500:
        raise Invalid(
            "Give a reason of 3 to 500 characters; the author will see it.", field="reason"
        )
    return without_customer_details(reason)


# ----------------------------------------------------------------------------------- receipts
def idea_for_receipt(session: Session, token: str) -> Idea:
    idea = None
    if 20 <= len(token) <= 100:
        idea = session.exec(select(Idea).where(Idea.receipt_hash == digest(token))).first()
    if idea is None:
        raise NotFound("This receipt link is not valid. Check that you copied all of it.")
    return idea


# ------------------------------------------------------------------------- response promises
def add_working_days(start: date, days: int) -> date:
    current = start
    while days > 0:
        current += timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


def answer_due(idea: Idea, working_days: int) -> date:
    return add_working_days(as_utc(idea.created_at).date(), working_days)


def is_overdue(idea: Idea, working_days: int, today: date | None = None) -> bool:
    today = today or utcnow().date()
    return idea.first_response_at is None and answer_due(idea, working_days) < today


def answered_in_time_share(session: Session, working_days: int, since: datetime) -> tuple[int, int]:
    """(answered within the promise, ideas whose promise has come due), since ``since``."""
    _, on_time, due = response_counts(session, working_days, since)
    return on_time, due


def response_counts(
    session: Session,
    working_days: int,
    since: datetime,
    until: datetime | None = None,
    idea_ids: list[int] | None = None,
    today: date | None = None,
) -> tuple[int, int, int]:
    """(ideas, answered within the promise, ideas whose promise has come due) among the visible
    ideas submitted in [since, until), optionally only ``idea_ids``. An idea answered late, or
    not answered by its deadline, is due but not on time."""
    today = today or utcnow().date()
    query = select(Idea).where(
        col(Idea.created_at) >= since,
        col(Idea.merged_into_id).is_(None),
        col(Idea.hidden_reason).is_(None),
    )
    if until is not None:
        query = query.where(col(Idea.created_at) < until)
    if idea_ids is not None:
        query = query.where(col(Idea.id).in_(idea_ids))
    ideas = on_time = due = 0
    for idea in session.exec(query):
        ideas += 1
        deadline = answer_due(idea, working_days)
        answered = idea.first_response_at is not None
        if answered and as_utc(idea.first_response_at).date() <= deadline:  # type: ignore[arg-type]
            on_time += 1
            due += 1
        elif deadline < today or answered:
            due += 1
    return ideas, on_time, due


# ---------------------------------------------------------------------------- browse & search
@dataclass(frozen=True)
class IdeaFilters:
    status: IdeaStatus | None = None
    category_id: int | None = None
    stage_id: int | None = None
    department: str | None = None
    kind: str | None = None
    q: str | None = None
    sort: str = "newest"  # newest | supported | trending
    page: int = 1


PAGE_SIZE = 20
TRENDING_DAYS = 14


def browse(
    session: Session,
    filters: IdeaFilters,
    *,
    index: VectorIndex | None = None,
    embedder: Embedder | None = None,
) -> tuple[list[Idea], int]:
    """One page of visible ideas and the total count. With ``q``: keyword matches and semantic
    matches fused by reciprocal rank, in that order of relevance."""
    query = select(Idea).where(
        col(Idea.hidden_reason).is_(None), col(Idea.merged_into_id).is_(None)
    )
    if filters.status:
        query = query.where(Idea.status == filters.status)
    if filters.category_id:
        query = query.where(Idea.category_id == filters.category_id)
    if filters.stage_id:
        query = query.where(Idea.stage_id == filters.stage_id)
    if filters.department:
        query = query.where(Idea.department == filters.department)
    if filters.kind:
        query = query.where(Idea.kind == filters.kind)
    if filters.q and filters.q.strip():
        return _search(session, query, filters, index, embedder)
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    query = _sorted(query, filters.sort)
    offset = (max(filters.page, 1) - 1) * PAGE_SIZE
    return list(session.exec(query.offset(offset).limit(PAGE_SIZE))), total


def _sorted(query, sort: str):  # type: ignore[no-untyped-def]
    if sort == "supported":
        return query.order_by(col(Idea.support_count).desc(), col(Idea.id).desc())
    if sort == "trending":
        since = utcnow() - timedelta(days=TRENDING_DAYS)
        recent = (
            select(func.count())
            .select_from(Support)
            .where(Support.idea_id == Idea.id, col(Support.created_at) >= since)
            .correlate(Idea)
            .scalar_subquery()
        )
        return query.order_by(recent.desc(), col(Idea.id).desc())
    return query.order_by(col(Idea.created_at).desc(), col(Idea.id).desc())


def _search(
    session: Session,
    query,
    filters: IdeaFilters,  # type: ignore[no-untyped-def]
    index: VectorIndex | None,
    embedder: Embedder | None,
) -> tuple[list[Idea], int]:
    q = filters.q.strip()  # type: ignore[union-attr]
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    keyword_ids = list(
        session.exec(
            query.with_only_columns(col(Idea.id))
            .where(
                or_(
                    func.lower(Idea.title).like(pattern, escape="\\"),
                    func.lower(Idea.body).like(pattern, escape="\\"),
                )
            )
            .order_by(col(Idea.support_count).desc())
            .limit(200)
        )
    )
    semantic_ids: list[int] = []
    if index is not None and embedder is not None:
        index.refresh(session)
        hits = index.search(embedder.encode([q])[0], 200)
        semantic_ids = [i for i, s in hits if s >= MIN_SIMILARITY]
    scores: dict[int, float] = {}
    for ranking in (keyword_ids, semantic_ids):
        for rank, idea_id in enumerate(ranking):
            scores[idea_id] = scores.get(idea_id, 0.0) + 1.0 / (60 + rank)
    allowed = set(
        session.exec(query.with_only_columns(col(Idea.id)).where(col(Idea.id).in_(list(scores))))
    )
    ranked = sorted((i for i in scores if i in allowed), key=lambda i: (-scores[i], -i))
    offset = (max(filters.page, 1) - 1) * PAGE_SIZE
    page_ids = ranked[offset : offset + PAGE_SIZE]
    by_id = {i.id: i for i in session.exec(select(Idea).where(col(Idea.id).in_(page_ids)))}
    return [by_id[i] for i in page_ids], len(ranked)


def my_ideas(session: Session, user: User, limit: int = 5) -> list[Idea]:
    """The user's own named ideas, most recently changed first (anonymous ones are not theirs
    in the database: they follow those through their receipt)."""
    query = select(Idea).where(Idea.author_id == user.id)
    return list(session.exec(query.order_by(col(Idea.updated_at).desc()).limit(limit)))


def latest_answers(session: Session, idea_ids: list[int]) -> dict[int, StatusChange]:
    """Each idea's most recent CX answer (its latest status change), for the author's home."""
    if not idea_ids:
        return {}
    query = (
        select(StatusChange)
        .where(col(StatusChange.idea_id).in_(idea_ids))
        .order_by(col(StatusChange.created_at), col(StatusChange.id))
    )
    return {change.idea_id: change for change in session.exec(query)}


def awaiting_answer(session: Session, working_days: int, limit: int = 8) -> tuple[list[Idea], int]:
    """The oldest visible ideas nobody has answered yet, and how many of them are overdue."""
    query = select(Idea).where(
        col(Idea.first_response_at).is_(None),
        col(Idea.hidden_reason).is_(None),
        col(Idea.merged_into_id).is_(None),
    )
    waiting = list(session.exec(query.order_by(col(Idea.created_at))))
    overdue = sum(is_overdue(i, working_days) for i in waiting)
    return waiting[:limit], overdue


def departments(session: Session) -> list[str]:
    query = select(Idea.department).where(col(Idea.department).is_not(None)).distinct()
    return sorted(d for d in session.exec(query) if d)


# ------------------------------------------------------------------------------------- export
CSV_FIELDS = [
    "id",
    "kind",
    "title",
    "category",
    "stage",
    "department",
    "status",
    "support_count",
    "created_on",
    "first_response_on",
    "answer_due",
    "anonymous",
]


def csv_cell(value: object) -> str:
    # Spreadsheet formula injection: a cell starting with = + - @ is neutralised.
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(session: Session, working_days: int) -> str:
    cats = {c.id: c.name for c in categories(session, active_only=False)}
    stgs = {s.id: s.name for s in stages(session, active_only=False)}
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_FIELDS)
    query = select(Idea).where(col(Idea.hidden_reason).is_(None))
    query = query.order_by(col(Idea.created_at), col(Idea.id))
    for idea in session.exec(query):
        row = [
            idea.id,
            idea.kind.value,
            idea.title,
            cats.get(idea.category_id),
            stgs.get(idea.stage_id),
            idea.department,
            idea.status.value,
            idea.support_count,
            as_utc(idea.created_at).date(),
            as_utc(idea.first_response_at).date() if idea.first_response_at else None,
            answer_due(idea, working_days),
            idea.anonymous,
        ]
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()
