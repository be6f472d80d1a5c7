"""The outcomes reports: generating a frozen report for a period, the list and one report, its
PDF (the summary on page 1) and CSV, who may do what, and a theme's Consumer Duty outcome set
from its page or a report (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from sqlmodel import Session, select

from coaching.reports import queries as report_queries
from coaching.reports.models import ReportSnapshot
from foundation.accounts import Role
from foundation.clock import utcnow
from ideas.themes.duty import DutyOutcome
from ideas.themes.models import ActionPlan, Theme
from tests.support.coaching import add_agents, add_interaction
from tests.support.harness import hx, sign_in
from tests.support.ideas import add_member

EVIL = '=HYPERLINK("http://evil.example","Click")'


def seed(db: Session) -> tuple[Theme, Theme]:
    """A theme named like a spreadsheet formula with a plan and two calls last month, and a
    fees theme nobody acted on."""
    acted = Theme(name=EVIL, auto_label="cards", size=3)
    fees = Theme(name="Overdraft fees", auto_label="fees", keywords=["fees", "charges"], size=1)
    db.add_all([acted, fees])
    db.flush()
    db.add(ActionPlan(theme_id=acted.id))  # type: ignore[arg-type]
    agent = add_agents(db, 1, prefix="RPG-")[0]
    start, _ = report_queries.default_period()
    for days, theme in ((2, acted), (5, acted), (3, fees)):
        when = utcnow().replace(year=start.year, month=start.month, day=days)
        row = add_interaction(db, agent, None, when)
        add_member(db, theme, row.id, when)  # type: ignore[arg-type]
    db.commit()
    return acted, fees


def generate(client, **period: str):
    return client.post("/reports", data=period, headers=hx(client))


def snapshot_id(response) -> int:
    assert response.status_code == 204, response.text[:300]
    return int(response.headers["hx-location"].rsplit("/", 1)[1])


def test_agents_and_team_leaders_are_refused(client, db, make, settings):
    seed(db)
    for role in (Role.staff, Role.team_lead):
        sign_in(client, db, settings, make.user(role, make.team()))
        assert generate(client).status_code == 403
        for url in ("/reports", "/reports/1", "/reports/1.pdf", "/reports/1.csv"):
            assert client.get(url).status_code == 403, (role, url)


def test_generate_list_and_open_a_report(client, db, make, settings):
    acted, _ = seed(db)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    listing = client.get("/reports")
    start, end = report_queries.default_period()
    assert listing.status_code == 200 and "Generate report" in listing.text
    assert f'value="{start.isoformat()}"' in listing.text  # the last full month
    assert f'value="{end.isoformat()}"' in listing.text
    first = snapshot_id(generate(client, start=start.isoformat(), end=end.isoformat()))
    second = snapshot_id(generate(client, start=start.isoformat(), end=end.isoformat()))
    listing = client.get("/reports").text
    assert listing.index(f'href="/reports/{second}"') < listing.index(f'href="/reports/{first}"')
    page = client.get(f"/reports/{second}")
    assert page.status_code == 200
    text = page.text
    assert "Consumer Duty outcomes report" in text and "version 2" in text
    assert "=HYPERLINK(&#34;http://evil.example&#34;" in text  # escaped, not markup
    assert "Themes with no action yet" in text and "Overdraft fees" in text
    assert 'role="img"' in text and "<title>" in text  # server-drawn charts
    assert f'action="/themes/{acted.id}/duty"' in text  # the lead can set the outcome here
    for machine in ("None", "price_value", "in_progress", "products_services"):
        assert f">{machine}<" not in text and f" {machine} " not in text


def test_bad_periods_re_render_the_form(client, db, make, settings):
    sign_in(client, db, settings, make.user(Role.cx_lead))
    bad = generate(client, start="2026-02-30", end="2026-03-31")
    assert bad.status_code == 422 and "Give a date as YYYY-MM-DD." in bad.text
    assert 'value="2026-02-30"' in bad.text
    backwards = generate(client, start="2026-04-01", end="2026-03-01")
    assert backwards.status_code == 422
    assert "The end date must be on or after the start date." in backwards.text
    assert db.exec(select(ReportSnapshot)).first() is None


def test_unknown_reports_answer_404(client, db, make, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    for url in ("/reports/999999", "/reports/999999.pdf", "/reports/999999.csv"):
        assert client.get(url).status_code == 404, url


def test_the_old_address_leads_to_the_list(client, db, make, settings):
    sign_in(client, db, settings, make.user(Role.cx_lead))
    response = client.get("/reports/outcomes", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/reports"


def test_csv_download_has_plain_headers_and_a_dated_name(client, db, make, settings):
    seed(db)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    report_id = snapshot_id(generate(client))
    snapshot = db.get(ReportSnapshot, report_id)
    response = client.get(f"/reports/{report_id}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    name = (
        f"voiceloop-outcomes-{snapshot.period_start}-to-{snapshot.period_end}-v1-"
        f"generated-{snapshot.generated_at.date()}.csv"
    )
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert "Theme" in rows[0] and "Consumer Duty outcome" in rows[0]
    assert all("_" not in header for header in rows[0])
    mine = next(r for r in rows if r["Theme"] == "'" + EVIL)  # shown as text, never run
    assert mine["Contacts with gap evidence in the period"] == "2"
    fees = next(r for r in rows if r["Theme"] == "Overdraft fees")
    assert fees["Consumer Duty outcome"] == "Price and value"
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row.values() if cell)


def test_pdf_has_the_summary_on_its_first_page(client, db, make, settings):
    pypdf = pytest.importorskip("pypdf")
    pytest.importorskip("weasyprint")
    seed(db)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    report_id = snapshot_id(generate(client))
    response = client.get(f"/reports/{report_id}.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].endswith(
        "-v1-generated-" + str(utcnow().date()) + '.pdf"'
    )
    pages = pypdf.PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) >= 2
    first = " ".join(pages[0].extract_text().split())
    for heading in (
        "Consumer Duty outcomes report",
        "Summary",
        "themes found in the period",
        "agents completed coaching",
        "vulnerability signals missed",
        "Price and value",
        "Consumer understanding",
        "Customers in vulnerable circumstances",
    ):
        assert heading in first, heading
    assert "What was done, theme by theme" not in first  # the summary has its own page
    rest = " ".join(" ".join(p.extract_text().split()) for p in pages[1:])
    assert "What was done, theme by theme" in rest and "Overdraft fees" in rest


def test_a_cx_lead_sets_the_outcome_and_an_agent_cannot(client, db, make, settings):
    _, fees = seed(db)
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    url = f"/themes/{fees.id}/duty"
    assert client.post(url, data={"outcome": "support"}, headers=hx(client)).status_code == 403
    sign_in(client, db, settings, make.user(Role.cx_lead))
    page = client.get(f"/themes/{fees.id}").text
    assert "Suggested: Price and value" in page
    done = client.post(
        url, data={"outcome": "understanding", "back": "/reports/7"}, headers=hx(client)
    )
    assert done.status_code == 204 and done.headers["hx-location"] == "/reports/7"
    db.expire_all()
    assert db.get(Theme, fees.id).duty_outcome == DutyOutcome.understanding
    elsewhere = client.post(
        url, data={"outcome": "", "back": "https://evil.example/"}, headers=hx(client)
    )
    assert elsewhere.headers["hx-location"] == f"/themes/{fees.id}"  # only our own addresses
    db.expire_all()
    assert db.get(Theme, fees.id).duty_outcome is None  # back to the suggestion
    bad = client.post(url, data={"outcome": "nonsense"}, headers=hx(client))
    assert bad.status_code == 422


def test_the_navigation_and_home_lead_to_the_list(client, db, make, settings):
    sign_in(client, db, settings, make.user(Role.cx_lead))
    home = client.get("/").text
    assert 'href="/reports"' in home and "/reports/outcomes" not in home
    assert (utcnow() - timedelta(days=1)).year  # the page rendered
