"""The jobs page and API: who sees which job, and starting the demonstration job."""

from sqlmodel import col, select

from foundation.accounts import Role
from jobs.models import Job, JobStatus
from tests.support.harness import hx, sign_in


def test_admin_starts_the_demo_job_and_it_is_enqueued_after_commit(client, app, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    before = app.state.queue.pending_count()
    response = client.post("/jobs/demo", data={"n": "30"}, headers=hx(client))
    assert response.status_code == 201
    job = db.exec(select(Job).order_by(col(Job.id).desc())).first()
    assert job.kind == "demo.count" and job.params["n"] == 30 and job.status == JobStatus.queued
    assert app.state.queue.pending_count() == before + 1
    assert f'href="/jobs/{job.id}"' in response.text and "<progress" in response.text
    assert 'hx-trigger="every 1s"' in response.text  # polls while the job is live


def test_a_refused_start_enqueues_nothing(client, app, make, db, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    before = app.state.queue.pending_count()
    for n in ["0", "abc", "1000001"]:
        assert client.post("/jobs/demo", data={"n": n}, headers=hx(client)).status_code == 422
    assert app.state.queue.pending_count() == before
    assert db.exec(select(Job)).all() == []


def test_cx_lead_sees_own_jobs_only_and_admin_sees_all(client, make, db, settings):
    admin, cx = make.user(Role.admin), make.user(Role.cx_lead)
    admins_job = Job(kind="demo.count", params={"n": 1}, started_by_id=admin.id)
    cx_job = Job(
        kind="demo.count",
        params={"n": 1},
        started_by_id=cx.id,
        status=JobStatus.failed,
        error="ValueError: <b>boom</b>",
    )
    db.add_all([admins_job, cx_job])
    db.commit()
    sign_in(client, db, settings, cx)
    page = client.get("/jobs").text
    assert f"/jobs/{cx_job.id}" in page and f"/jobs/{admins_job.id}" not in page
    assert "&lt;b&gt;boom&lt;/b&gt;" in page  # errors are shown, escaped
    assert client.get(f"/jobs/{admins_job.id}").status_code == 404
    assert client.get(f"/api/v1/jobs/{admins_job.id}").status_code == 404
    assert [j["id"] for j in client.get("/api/v1/jobs").json()] == [cx_job.id]
    sign_in(client, db, settings, admin)
    ids = {j["id"] for j in client.get("/api/v1/jobs").json()}
    assert {admins_job.id, cx_job.id} <= ids
    assert client.get(f"/jobs/{cx_job.id}").status_code == 200


def test_job_page_stops_polling_when_finished(client, make, db, settings):
    admin = make.user(Role.admin)
    job = Job(
        kind="demo.count",
        params={"n": 5},
        started_by_id=admin.id,
        total=5,
        done=5,
        status=JobStatus.succeeded,
    )
    db.add(job)
    db.commit()
    sign_in(client, db, settings, admin)
    html = client.get(f"/jobs/{job.id}").text
    assert 'value="5" max="5"' in html and "every 1s" not in html
