"""The durable job table. Huey only carries a job id; everything else lives here."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from foundation.accounts import string_enum
from foundation.clock import utcnow
from foundation.i18n import N_, gettext


class JobStatus(StrEnum):
    queued = "queued"
    running = "running"
    succeeded = "succeeded"
    failed = "failed"

    @property
    def label(self) -> str:
        """In the current locale: read where it is shown, not at import."""
        labels = {
            "queued": N_("Queued"),
            "running": N_("Running"),
            "succeeded": N_("Succeeded"),
            "failed": N_("Failed"),
        }
        return gettext(labels[self.value])

    @property
    def finished(self) -> bool:
        return self in (JobStatus.succeeded, JobStatus.failed)


class Job(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=64, index=True)
    # Parameters and checkpoint must never hold personal data: ids and counts only.
    params: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    status: JobStatus = Field(default=JobStatus.queued, index=True, sa_type=string_enum(JobStatus))
    done: int = 0
    total: int | None = None
    message: str | None = Field(default=None, max_length=500)
    checkpoint: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    attempts: int = 0
    error: str | None = Field(default=None, max_length=2000)
    # A random token per claim: a worker that lost its claim cannot write progress any more.
    owner: str | None = Field(default=None, max_length=64)
    heartbeat_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    started_by_id: int | None = Field(
        default=None, foreign_key="user.id", ondelete="SET NULL", index=True
    )

    @property
    def percent(self) -> int | None:
        if not self.total:
            return 100 if self.status == JobStatus.succeeded else None
        return min(100, round(100 * self.done / self.total))


class JobPublic(SQLModel):
    id: int
    kind: str
    status: JobStatus
    done: int
    total: int | None
    message: str | None
    attempts: int
    error: str | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None


class DemoItem(SQLModel, table=True):
    """Written by the demonstration job: one row per processed item, so a test can prove
    that every item was processed exactly once across a killed worker."""

    __tablename__ = "demo_item"
    __table_args__ = (UniqueConstraint("job_id", "item"),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: int = Field(foreign_key="job.id", ondelete="CASCADE", index=True)
    item: int
    processed_at: datetime = Field(default_factory=utcnow)
