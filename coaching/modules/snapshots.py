"""Effect snapshots: a module's coaching effect for a period, frozen once the period has closed.

A closed period's estimate is computed from what had happened and been imported by the period's
end, then stored; reading it again returns the stored one, so a later assignment (or a later
import of old contacts) cannot change evidence already shown. ``recompute`` adds a new version
beside the earlier ones; nothing is overwritten. An open period (ending today or later) is
computed live and not stored: it is still moving.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func
from sqlmodel import Session, col, select

from coaching.modules.effect import Effect, module_effect
from coaching.modules.models import EffectSnapshot
from foundation.clock import as_utc, utcnow


@dataclass(frozen=True)
class StoredEffect:
    version: int  # 0: a live estimate for a period still open
    computed_at: datetime
    effect: Effect


def period_end(end: date) -> datetime:
    """The instant a period ending on ``end`` (inclusive) closes."""
    return datetime.combine(end + timedelta(days=1), time(), tzinfo=UTC)


def _stored(session: Session, module_id: int, start: date, end: date) -> list[EffectSnapshot]:
    query = (
        select(EffectSnapshot)
        .where(
            EffectSnapshot.module_id == module_id,
            EffectSnapshot.period_start == start,
            EffectSnapshot.period_end == end,
        )
        .order_by(col(EffectSnapshot.version))
    )
    return list(session.exec(query))


def _as_stored(row: EffectSnapshot) -> StoredEffect:
    return StoredEffect(row.version, as_utc(row.computed_at), Effect.from_json(row.result))


def _store(
    session: Session,
    module_id: int,
    start: date,
    end: date,
    found: Effect,
    user_id: int | None,
) -> StoredEffect:
    latest = select(func.max(EffectSnapshot.version)).where(
        EffectSnapshot.module_id == module_id,
        EffectSnapshot.period_start == start,
        EffectSnapshot.period_end == end,
    )
    row = EffectSnapshot(
        module_id=module_id,
        period_start=start,
        period_end=end,
        version=(session.exec(latest).one() or 0) + 1,
        result=found.to_json(),
        computed_by_id=user_id,
    )
    session.add(row)
    session.flush()
    return _as_stored(row)


def period_effect(
    session: Session,
    module_id: int,
    *,
    start: date,
    end: date,
    min_group_size: int,
    days: int,
    user_id: int | None,
    now: datetime | None = None,
) -> StoredEffect:
    """The module's effect as the period ``start``..``end`` (inclusive) left it: the latest
    stored version once the period has closed (computed and stored on first read), live before.
    ``start`` names the period; the estimate reads the weeks it needs up to the period's end."""
    now = as_utc(now) if now else utcnow()
    closes = period_end(end)
    if closes > now:
        found = module_effect(session, module_id, min_group_size=min_group_size, days=days, now=now)
        return StoredEffect(0, now, found)
    versions = _stored(session, module_id, start, end)
    if versions:
        return _as_stored(versions[-1])
    found = module_effect(session, module_id, min_group_size=min_group_size, days=days, now=closes)
    return _store(session, module_id, start, end, found, user_id)


def recompute(
    session: Session,
    module_id: int,
    *,
    start: date,
    end: date,
    min_group_size: int,
    days: int,
    user_id: int | None,
) -> StoredEffect:
    """A new version of a closed period's estimate, from the data there is now up to the
    period's end (late imports included), stored beside the earlier versions."""
    found = module_effect(
        session,
        module_id,
        min_group_size=min_group_size,
        days=days,
        now=period_end(end),
        imported_by=utcnow(),
    )
    return _store(session, module_id, start, end, found, user_id)


def versions(session: Session, module_id: int) -> list[tuple[EffectSnapshot, StoredEffect]]:
    """Every stored estimate of the module, newest period first, its latest version first."""
    query = select(EffectSnapshot).where(EffectSnapshot.module_id == module_id)
    rows = sorted(
        session.exec(query), key=lambda r: (r.period_end, r.period_start, r.version), reverse=True
    )
    return [(row, _as_stored(row)) for row in rows]
