"""In-app notifications: followers of an idea hear about its answers; each person's list and
unread count. Writes flush, never commit."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import Session, col, select

from foundation.accounts import User
from foundation.clock import utcnow
from ideas.submissions.models import Idea, Notification, Support


def short(text: str, limit: int = 200) -> str:
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
    followers.discard(skip)
    session.add_all(
        Notification(user_id=uid, idea_id=idea.id, message=short(message, 500))
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
