"""The imports page builder: the latest interaction imports with their problem counts."""

from __future__ import annotations

from api.pages import imports as pages
from coaching.interactions.models import ImportProblem
from jobs.models import Job


def test_imports_newest_first_with_problem_counts(db, settings):
    older, newer = Job(kind=pages.KIND), Job(kind=pages.KIND)
    other = Job(kind="demo.count")
    db.add_all([older, newer, other])
    db.flush()
    assert newer.id is not None
    db.add_all([ImportProblem(job_id=newer.id, line=n, reason="Bad date.") for n in (2, 5)])
    db.flush()
    page = pages.imports_page(db, settings)
    assert page.imports == [(newer, 2), (older, 0)]  # not the other kind of job
    assert page.limit_mb == settings.upload_max_bytes // 1024**2


def test_at_most_thirty_imports(db, settings):
    db.add_all([Job(kind=pages.KIND) for _ in range(31)])
    db.flush()
    assert len(pages.imports_page(db, settings).imports) == 30
