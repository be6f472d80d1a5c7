"""Generating an outcomes report: built once for a period and stored whole, dated and frozen,
as a new ``ReportSnapshot`` (a later version beside earlier ones for the same period)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func
from sqlmodel import Session, select

from coaching.reports import queries
from coaching.reports.content import Report
from coaching.reports.models import ReportSnapshot
from foundation.accounts import User
from foundation.clock import as_utc, utcnow


def generate(
    session: Session,
    *,
    start: date,
    end: date,
    by: User,
    min_group_size: int,
    effect_days: int,
    working_days: int,
    now: datetime | None = None,
) -> ReportSnapshot:
    """Build the report for [start, end] as it stands now and store it (flushes)."""
    now = as_utc(now) if now else utcnow()
    report = queries.build(
        session,
        start=start,
        end=end,
        min_group_size=min_group_size,
        effect_days=effect_days,
        working_days=working_days,
        now=now,
        user_id=by.id,
    )
    earlier = session.exec(
        select(func.max(ReportSnapshot.version)).where(
            ReportSnapshot.period_start == start, ReportSnapshot.period_end == end
        )
    ).one()
    snapshot = ReportSnapshot(
        period_start=start,
        period_end=end,
        version=(earlier or 0) + 1,
        generated_by_id=by.id,
        generated_at=now,
        source=_plain_source(report),
        content=report.to_json(),
    )
    session.add(snapshot)
    session.flush()
    return snapshot


def _plain_source(report: Report) -> dict[str, object]:
    source = report.source
    return {
        "imported_up_to": source.imported_up_to.isoformat() if source.imported_up_to else None,
        "contacts": source.contacts,
        "ideas": source.ideas,
        "themes": source.themes,
    }
