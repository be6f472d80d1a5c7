"""The outcomes evidence report pages: who may see them, the printable page, bad dates, and
the CSV with its headers and formula injection neutralised (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from api.web import templates
from coaching.modules import effect
from coaching.reports import queries as report
from foundation.accounts import Role
from foundation.clock import utcnow
from ideas.themes.models import Theme
from tests.support.coaching import add_agents, add_interaction
from tests.support.harness import sign_in
from tests.support.ideas import add_member

EVIL = '=HYPERLINK("http://evil.example","Click")'
URLS = ("/reports/outcomes", "/reports/outcomes.csv")


def seed(db: Session) -> Theme:
    """One theme named like a spreadsheet formula, with two recent calls and an old one."""
    theme = Theme(name=EVIL, auto_label="cards", size=3)
    db.add(theme)
    db.flush()
    agent = add_agents(db, 1, prefix="RPG-")[0]
    for days in (2, 5, 200):
        when = utcnow() - timedelta(days=days)
        row = add_interaction(db, agent, None, when)
        add_member(db, theme, row.id, when)  # type: ignore[arg-type]
    db.commit()
    return theme


def test_staff_and_team_leaders_cannot_see_reports(client, db, make, settings):
    seed(db)
    for role in (Role.staff, Role.team_lead):
        sign_in(client, db, settings, make.user(role, make.team()))
        for url in URLS:
            assert client.get(url).status_code == 403, (role, url)


def test_the_report_page_states_period_generation_and_group_size(client, db, make, settings):
    theme = seed(db)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    page = client.get("/reports/outcomes")
    assert page.status_code == 200
    text = page.text
    today = utcnow().date()
    start = today - timedelta(days=89)
    assert f"{start:%d %b %Y} to {today:%d %b %Y}" in text
    assert "generated " in text and f"minimum group size {settings.min_group_size} agents" in text
    assert '<label for="f-start">' in text and 'type="date"' in text
    assert f'value="{start.isoformat()}"' in text
    assert f'href="/themes/{theme.id}"' in text
    assert "=HYPERLINK(&#34;http://evil.example&#34;" in text  # escaped, not markup
    assert "2 interactions" in text  # the 200-day-old call is outside the period
    assert f"/reports/outcomes.csv?start={start.isoformat()}&amp;end={today.isoformat()}" in text
    wide = client.get(
        "/reports/outcomes", params={"start": (today - timedelta(days=365)).isoformat()}
    )
    assert wide.status_code == 200 and "3 interactions" in wide.text


def test_admins_see_it_too(client, db, make, settings):
    sign_in(client, db, settings, make.user(Role.admin))
    assert client.get("/reports/outcomes").status_code == 200


def test_bad_dates_re_render_the_form(client, db, make, settings):
    sign_in(client, db, settings, make.user(Role.cx_lead))
    bad = client.get("/reports/outcomes", params={"start": "2026-02-30", "end": "2026-03-31"})
    assert bad.status_code == 422
    assert 'aria-invalid="true" aria-describedby="e-start"' in bad.text
    assert "Give a date as YYYY-MM-DD." in bad.text
    assert 'value="2026-02-30"' in bad.text  # what was typed comes back to fix
    backwards = client.get("/reports/outcomes", params={"start": "2026-04-01", "end": "2026-03-01"})
    assert backwards.status_code == 422
    assert "The end date must be on or after the start date." in backwards.text
    assert "Ideas answered within the promise" not in backwards.text
    csv_bad = client.get("/reports/outcomes.csv", params={"start": "soon"})
    assert csv_bad.status_code == 422


def test_csv_download(client, db, make, settings):
    theme = seed(db)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    today = utcnow().date()
    start = today - timedelta(days=30)
    response = client.get(
        "/reports/outcomes.csv", params={"start": start.isoformat(), "end": today.isoformat()}
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="voiceloop-outcomes-{start.isoformat()}-to-{today.isoformat()}.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.text)))
    mine = next(r for r in rows if r["theme_id"] == str(theme.id))
    assert mine["theme"] == "'" + EVIL  # a spreadsheet shows it as text, never runs it
    assert mine["gap_interactions_in_period"] == "2"
    assert rows[-1]["theme"] == "All ideas"
    assert not any(cell[:1] in "=+-@" for row in rows for cell in row.values() if cell)


def test_effect_partial_shows_estimate_chart_and_table_or_why_not():
    partial = templates.env.get_template("coaching/_effect.html")
    known = effect.compute(
        effect.counts_array([(100, 10, 100, 4)] * 10),
        effect.counts_array([(100, 10, 100, 9)] * 10),
        min_group_size=5,
        days=56,
    )
    html = partial.render(effect=known)
    assert "Coached agents&#39; rate fell by 5.0 more per 100 interactions" in html
    assert "(95% interval -5.0 to -5.0)" in html
    assert 'role="img" aria-label="Bar chart' in html
    chart = html.split("data-chart='")[1].split("'")[0]
    assert json.loads(chart.replace("&#34;", '"'))["datasets"][0]["data"] == [10.0, 4.0]
    assert "<details><summary>Figures</summary>" in html and "<td>-6.0</td>" in html
    assert "10 coached agents (2000 interactions)" in html
    small = effect.compute(
        effect.counts_array([(100, 10, 100, 4)] * 4),
        effect.counts_array([(100, 10, 100, 9)] * 10),
        min_group_size=5,
        days=56,
    )
    html = partial.render(effect=small)
    assert "Not enough data: 4 coached agents" in html
    assert "data-chart" not in html and "per 100 interactions (95%" not in html


def test_report_table_shows_an_estimate_when_there_is_one():
    known = effect.compute(
        effect.counts_array([(100, 10, 100, 4)] * 10),
        effect.counts_array([(100, 10, 100, 9)] * 10),
        min_group_size=5,
        days=56,
    )
    row = report.ThemeRow(
        theme_id=7,
        name="Card delivery",
        status="Actioned",
        ideas=1,
        gaps=2,
        plan=None,
        modules=[report.ModuleLine(3, "Card delivery times", 2, known)],
    )
    built = report.Report(
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        generated_at=datetime(2026, 4, 1, 9, 30, tzinfo=UTC),
        min_group_size=5,
        effect_days=56,
        working_days=10,
        rows=[row],
        overall=report.Responses(4, 3, 4),
    )
    page = templates.env.get_template("reports/outcomes.html")
    html = page.render(report=built, values={}, errors={}, nav=[], csrf_token="")
    assert "01 Mar 2026 to 31 Mar 2026 · generated 01 Apr 2026 09:30 UTC" in html
    assert "<strong>-5.0</strong> per 100" in html and "10 coached, 10 uncoached agents" in html
    assert 'Card delivery times <small class="muted">v2</small>' in html
    assert "<strong>75% (3 of 4)</strong>" in html
