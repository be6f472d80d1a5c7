"""The interaction-log imports page's data: the latest import jobs and their problem counts."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from coaching.interactions.importer import problem_count
from foundation.ids import pk
from foundation.settings import Settings
from jobs.models import Job

KIND = "interactions.import"


@dataclass(frozen=True)
class ImportsPage:
    imports: list[tuple[Job, int]]  # the latest 30 imports, newest first, with problem counts
    limit_mb: int  # the upload size limit


def imports_page(session: Session, settings: Settings) -> ImportsPage:
    query = select(Job).where(Job.kind == KIND).order_by(col(Job.id).desc()).limit(30)
    imports = [(job, problem_count(session, pk(job))) for job in session.exec(query)]
    return ImportsPage(imports=imports, limit_mb=settings.upload_max_bytes // 1024**2)
