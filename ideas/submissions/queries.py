"""Reading ideas: look-ups that respect hiding, the lists, browse and search (keyword and
semantic, fused by reciprocal rank), comments and answers, receipts, and the rows of the CSV
export (``api.presentation`` writes the CSV)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, or_
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from foundation.accounts import Role, Team, User
from foundation.clock import as_utc, utcnow
from foundation.embeddings import Embedder
from foundation.errors import NotFound
from foundation.i18n import N_
from ideas.submissions.models import (
    Category,
    Comment,
    Idea,
    IdeaStatus,
    JourneyStage,
    StatusChange,
    Support,
)
from ideas.submissions.promise import answer_due
from ideas.submissions.similar import MIN_SIMILARITY, VectorIndex


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def get_idea(session: Session, idea_id: int, *, include_hidden: bool = False) -> Idea:
    idea = session.get(Idea, idea_id)
    if idea is None or (idea.hidden_reason is not None and not include_hidden):
        raise NotFound(N_("No such idea."))
    return idea


def can_moderate(user: User) -> bool:
    return user.role in (Role.cx_lead, Role.admin)


def get_visible_idea(session: Session, idea_id: int, user: User) -> Idea:
    """Hidden ideas stay readable by CX leads and by their (named) author, who sees why."""
    idea = get_idea(session, idea_id, include_hidden=True)
    require_visible(idea, user)
    return idea


def require_visible(idea: Idea, user: User) -> None:
    """To anyone else a hidden idea answers exactly like an unknown id, so nothing confirms
    that it exists."""
    if idea.hidden_reason is not None and not (can_moderate(user) or idea.author_id == user.id):
        raise NotFound(N_("No such idea."))


def categories(session: Session, *, active_only: bool = True) -> list[Category]:
    query = select(Category).order_by(col(Category.name))
    return list(session.exec(query.where(col(Category.active)) if active_only else query))


def stages(session: Session, *, active_only: bool = True) -> list[JourneyStage]:
    query = select(JourneyStage).order_by(col(JourneyStage.name))
    return list(session.exec(query.where(col(JourneyStage.active)) if active_only else query))


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
    # People without a team group under a NULL department, which the row type does not admit.
    teamless = sizes.pop(None, 0)  # type: ignore[call-overload]
    return sizes, teamless


def supports(session: Session, user: User, idea_ids: list[int]) -> set[int]:
    if not idea_ids:
        return set()
    query = select(Support.idea_id).where(
        Support.user_id == user.id, col(Support.idea_id).in_(idea_ids)
    )
    return set(session.exec(query))


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


def idea_for_receipt(session: Session, token: str) -> Idea:
    idea = None
    if 20 <= len(token) <= 100:
        idea = session.exec(select(Idea).where(Idea.receipt_hash == digest(token))).first()
    if idea is None:
        raise NotFound(N_("This receipt link is not valid. Check that you copied all of it."))
    return idea


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


def _sorted(query: SelectOfScalar[Idea], sort: str) -> SelectOfScalar[Idea]:
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
    query: SelectOfScalar[Idea],
    filters: IdeaFilters,
    index: VectorIndex | None,
    embedder: Embedder | None,
) -> tuple[list[Idea], int]:
    # Only called with a search term (``browse`` checks ``filters.q``).
    q = filters.q.strip()  # type: ignore[union-attr]
    escaped = q.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    # with_only_columns drops SQLModel's scalar-select type; the rows are still Idea ids.
    keyword_ids = list(
        session.exec(  # type: ignore[call-overload]
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
        hits = index.search(index.query_vector(embedder, q), 200)
        semantic_ids = [i for i, s in hits if s >= MIN_SIMILARITY]
    scores: dict[int, float] = {}
    for ranking in (keyword_ids, semantic_ids):
        for rank, idea_id in enumerate(ranking):
            scores[idea_id] = scores.get(idea_id, 0.0) + 1.0 / (60 + rank)
    allowed = set(
        session.exec(  # type: ignore[call-overload]  # as above: a scalar select of ids
            query.with_only_columns(col(Idea.id)).where(col(Idea.id).in_(list(scores)))
        )
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


def departments(session: Session) -> list[str]:
    query = select(Idea.department).where(col(Idea.department).is_not(None)).distinct()
    return sorted(d for d in session.exec(query) if d)


# The columns of the ideas export, in the order of ``export_rows``.
EXPORT_COLUMNS = [
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


def export_rows(session: Session, working_days: int) -> list[list[object]]:
    """Every idea that is not hidden, oldest first, as raw values in ``EXPORT_COLUMNS`` order
    (``api.presentation.ideas_csv`` writes them as CSV)."""
    cats = {c.id: c.name for c in categories(session, active_only=False)}
    stgs = {s.id: s.name for s in stages(session, active_only=False)}
    query = select(Idea).where(col(Idea.hidden_reason).is_(None))
    query = query.order_by(col(Idea.created_at), col(Idea.id))
    return [
        [
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
        for idea in session.exec(query)
    ]
