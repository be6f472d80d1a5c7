"""The response-time promise: every visible idea is answered within a number of working days
(``VOICELOOP_IDEA_RESPONSE_WORKING_DAYS``); what is due, what is overdue, and the share answered
in time."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from foundation.clock import as_utc, utcnow
from ideas.submissions.models import Idea


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
        responded = idea.first_response_at
        answered = responded is not None
        if responded is not None and as_utc(responded).date() <= deadline:
            on_time += 1
            due += 1
        elif deadline < today or answered:
            due += 1
    return ideas, on_time, due


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
