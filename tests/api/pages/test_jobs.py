"""The jobs page builders: admins see every job, a CX lead the jobs they started."""

from __future__ import annotations

from api.pages import jobs as pages
from foundation.accounts import Role
from jobs.models import Job


def test_who_sees_which_jobs(db, make):
    admin, cx = make.user(Role.admin), make.user(Role.cx_lead)
    mine, theirs = Job(kind="demo.count", started_by_id=cx.id), Job(kind="demo.count")
    db.add_all([mine, theirs])
    db.flush()
    assert [j.id for j in pages.jobs_page(db, cx).jobs] == [mine.id]
    assert {j.id for j in pages.jobs_page(db, admin).jobs} == {mine.id, theirs.id}
    assert pages.job_page(mine).job is mine
