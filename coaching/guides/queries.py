"""Reading guides: lookups, versions, linked themes, review dates and feedback counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func
from sqlmodel import Session, col, select

from coaching.guides.models import (
    Guide,
    GuideFeedback,
    GuideStatus,
    GuideTheme,
    GuideVersion,
)
from foundation.accounts import Role, User
from foundation.clock import utcnow
from foundation.errors import NotFound
from foundation.i18n import N_
from ideas.themes.models import Theme

SOURCE = "guide_passage"  # Embedding.source of passage vectors
EDITORS = frozenset({Role.cx_lead, Role.admin})
NOT_FOUND = N_("No such guide")
SKELETON_ACTIONS = 3


# ------------------------------------------------------------------------------------ reading
def get_guide(session: Session, guide_id: int) -> Guide:
    guide = session.get(Guide, guide_id)
    if guide is None:
        raise NotFound(NOT_FOUND)
    return guide


def readable(session: Session, guide_id: int, user: User) -> Guide:
    """The guide if ``user`` may read it: everyone reads published guides, only CX leads and
    admins drafts and archived ones. Anything else is a 404, like an unknown id."""
    guide = get_guide(session, guide_id)
    if guide.status != GuideStatus.published and user.role not in EDITORS:
        raise NotFound(NOT_FOUND)
    return guide


def list_guides(session: Session, status: GuideStatus | None = None) -> list[Guide]:
    query = select(Guide)
    if status is not None:
        query = query.where(Guide.status == status)
    return list(session.exec(query.order_by(col(Guide.title), col(Guide.id))))


def published_among(session: Session, ids: list[int]) -> list[Guide]:
    """The guides among ``ids`` that are published now."""
    if not ids:
        return []
    query = select(Guide).where(col(Guide.id).in_(ids), Guide.status == GuideStatus.published)
    return list(session.exec(query))


def latest_version(session: Session, guide: Guide) -> GuideVersion | None:
    return session.exec(
        select(GuideVersion)
        .where(GuideVersion.guide_id == guide.id)
        .order_by(col(GuideVersion.number).desc())
        .limit(1)
    ).first()


def versions(session: Session, guide: Guide) -> list[GuideVersion]:
    query = select(GuideVersion).where(GuideVersion.guide_id == guide.id)
    return list(session.exec(query.order_by(col(GuideVersion.number).desc())))


def theme_ids(session: Session, guide: Guide) -> list[int]:
    query = select(GuideTheme.theme_id).where(GuideTheme.guide_id == guide.id)
    return sorted(session.exec(query))


def linked_themes(session: Session, guide: Guide) -> list[Theme]:
    ids = theme_ids(session, guide)
    if not ids:
        return []
    return list(session.exec(select(Theme).where(col(Theme.id).in_(ids)).order_by(Theme.name)))


def for_theme(session: Session, theme_id: int) -> list[Guide]:
    """Guides linked to a theme (any status; callers choose what to show), by title."""
    query = (
        select(Guide)
        .join(GuideTheme, col(GuideTheme.guide_id) == col(Guide.id))
        .where(GuideTheme.theme_id == theme_id)
        .order_by(col(Guide.title), col(Guide.id))
    )
    return list(session.exec(query))


def review_overdue(session: Session, today: date | None = None) -> list[Guide]:
    """Published guides whose review date has passed, most overdue first."""
    today = today or utcnow().date()
    query = select(Guide).where(
        Guide.status == GuideStatus.published,
        col(Guide.review_due_on).is_not(None),
        col(Guide.review_due_on) < today,
    )
    return list(session.exec(query.order_by(col(Guide.review_due_on), col(Guide.id))))


# ----------------------------------------------------------------------------------- feedback
@dataclass(frozen=True)
class FeedbackCounts:
    helpful: int
    not_helpful: int


def my_feedback(session: Session, guide: Guide, user: User) -> bool | None:
    return session.exec(
        select(GuideFeedback.helpful).where(
            GuideFeedback.guide_id == guide.id, GuideFeedback.user_id == user.id
        )
    ).first()


def feedback_counts(session: Session, guide: Guide) -> FeedbackCounts:
    rows = session.exec(
        select(GuideFeedback.helpful, func.count())
        .where(GuideFeedback.guide_id == guide.id)
        .group_by(col(GuideFeedback.helpful))
    ).all()
    counts = {bool(helpful): n for helpful, n in rows}
    return FeedbackCounts(helpful=counts.get(True, 0), not_helpful=counts.get(False, 0))
