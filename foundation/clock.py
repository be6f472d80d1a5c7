"""Timestamps: always timezone-aware UTC, so SQLite and PostgreSQL agree."""

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """SQLite hands back naive datetimes; treat them as the UTC we stored."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
