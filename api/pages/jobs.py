"""The jobs pages' data: the background jobs a user may see, and one job."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from foundation.accounts import Role, User
from jobs import service
from jobs.models import Job


@dataclass(frozen=True)
class JobsPage:
    jobs: list[Job]


@dataclass(frozen=True)
class JobPage:
    job: Job


def jobs_page(session: Session, user: User) -> JobsPage:
    # Admins see every job; a CX lead sees the jobs they started.
    started_by_id = None if user.role == Role.admin else user.id
    return JobsPage(service.list_jobs(session, started_by_id=started_by_id))


def job_page(job: Job) -> JobPage:
    """One job (the route has checked it may be seen) with its progress and error."""
    return JobPage(job)
