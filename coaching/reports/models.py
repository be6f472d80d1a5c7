"""Frozen outcomes reports: each one generated for a period, dated, and never changed after."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from foundation.clock import utcnow


class ReportSnapshot(SQLModel, table=True):
    """One generated outcomes report. Generating again for the same period adds a new version
    beside the earlier ones; nothing here is updated once written."""

    __tablename__ = "report_snapshot"
    __table_args__ = (Index("ix_report_snapshot_period", "period_start", "period_end"),)

    id: int | None = Field(default=None, primary_key=True)
    period_start: date
    period_end: date
    # 1 for the first report of this period, 2 for the next one generated for it, ...
    version: int = 1
    generated_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    generated_at: datetime = Field(default_factory=utcnow, index=True)
    # What it was built from: {"interactions_up_to": ISO time or None, "contacts": N,
    # "ideas": M, "themes": K} (``coaching.reports.content.Source``).
    source: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # The whole report (``coaching.reports.content.Report.to_json``).
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
