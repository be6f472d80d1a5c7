"""Moderation by CX leads: merging a duplicate into the idea it repeats, hiding an idea or a
comment with a reason the named author is told. Functions flush, never commit."""

from __future__ import annotations

from sqlmodel import Session, select

from foundation.accounts import User
from foundation.errors import Forbidden, Invalid
from foundation.i18n import N_
from foundation.ids import pk
from ideas.submissions.customer_details import without_customer_details
from ideas.submissions.models import Comment, Idea, IdeaStatus, Notification, StatusUpdate, Support
from ideas.submissions.notifications import short
from ideas.submissions.queries import can_moderate
from ideas.submissions.service import record_status, recount
from ideas.themes import service as themes
from ideas.themes.models import DocumentKind


def merge(session: Session, actor: User, duplicate: Idea, target: Idea) -> None:
    """Merge ``duplicate`` into ``target``: supporters move over without double counting."""
    if not can_moderate(actor):
        raise Forbidden(N_("Only CX leads merge ideas."))
    if duplicate.id == target.id or not target.visible or not duplicate.visible:
        raise Invalid(N_("Merge into a different, visible idea."), field="target_id")
    # Answer first, so the duplicate's author and supporters are all told.
    response = f"Merged into #{target.id} “{target.title}”. Follow and support it there."
    record_status(
        session, actor, duplicate, StatusUpdate(status=IdeaStatus.duplicate, response=response)
    )
    already = set(session.exec(select(Support.user_id).where(Support.idea_id == target.id)))
    for row in session.exec(select(Support).where(Support.idea_id == duplicate.id)).all():
        if row.user_id in already or row.user_id == target.author_id:
            session.delete(row)  # no double counting, and nobody supports their own idea
        else:
            row.idea_id = pk(target)
            session.add(row)
    session.flush()
    duplicate.merged_into_id = target.id
    session.add(duplicate)
    themes.leave(session, DocumentKind.idea, pk(duplicate))
    recount(session, duplicate)
    recount(session, target)


def hide_idea(session: Session, actor: User, idea: Idea, reason: str) -> None:
    reason = _reason(actor, reason)
    idea.hidden_reason = reason
    session.add(idea)
    session.flush()
    themes.leave(session, DocumentKind.idea, pk(idea))
    _tell_author(
        session,
        idea.author_id,
        idea.id,
        f"Your idea “{short(idea.title, 80)}” was hidden: {reason}",
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
        raise Forbidden(N_("Only CX leads moderate."))
    reason = " ".join(reason.split())
    if not 3 <= len(reason) <= 500:
        raise Invalid(
            N_("Give a reason of 3 to 500 characters; the author will see it."), field="reason"
        )
    return without_customer_details(reason)
