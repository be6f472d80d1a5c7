"""The admin import page: upload to disk, a queued job, the error report; refused for others."""

from pathlib import Path

from sqlmodel import select

from coaching.interactions.models import ImportProblem
from foundation.accounts import Role
from foundation.ids import pk
from jobs.models import Job, JobStatus
from tests.support.harness import hx, sign_in


def test_admin_upload_stages_the_file_and_queues_an_import(
    client, app, make, db, settings, tmp_path
):
    settings.upload_dir = str(tmp_path / "uploads")
    sign_in(client, db, settings, make.user(Role.admin))
    before = app.state.queue.pending_count()
    body = b"interaction_id,occurred_at,agent_id,transcript\nI-1,2026-10-01T09:00:00Z,A1,Hi\n"
    response = client.post(
        "/admin/imports", headers=hx(client), files={"file": ("log.csv", body, "text/csv")}
    )
    assert response.status_code == 201 and "<progress" in response.text
    job = db.exec(select(Job).where(Job.kind == "interactions.import")).one()
    staged = Path(job.params["path"])
    assert staged.read_bytes() == body and staged.parent == tmp_path / "uploads"
    assert set(job.params) == {"path"}  # the payload is a path, never the data
    assert app.state.queue.pending_count() == before + 1


def test_upload_without_a_file_is_refused(client, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    response = client.post("/admin/imports", headers=hx(client), data={"x": "1"})
    assert response.status_code == 422
    assert db.exec(select(Job)).all() == []


def test_only_admins_import(client, make, db, settings):
    for role in (Role.staff, Role.team_lead, Role.cx_lead):
        sign_in(client, db, settings, make.user(role))
        assert client.get("/admin/imports").status_code == 403
        response = client.post(
            "/admin/imports", headers=hx(client), files={"file": ("log.csv", b"x", "text/csv")}
        )
        assert response.status_code == 403
    assert db.exec(select(Job)).all() == []


def test_error_report_download(client, make, db, settings):
    admin = make.user(Role.admin)
    job = Job(
        kind="interactions.import",
        params={"path": "/nowhere"},
        status=JobStatus.succeeded,
        started_by_id=admin.id,
    )
    db.add(job)
    db.flush()
    db.add(ImportProblem(job_id=pk(job), line=7, field="csat", reason="not a whole number"))
    db.commit()
    sign_in(client, db, settings, admin)
    report = client.get(f"/admin/imports/{job.id}/problems.csv")
    assert report.status_code == 200
    assert report.text.splitlines() == ["line,field,reason", "7,csat,not a whole number"]
    assert client.get("/admin/imports/999999/problems.csv").status_code == 404
