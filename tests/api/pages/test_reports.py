"""The outcomes report builders: the list with the period form, and one frozen report with its
summary by Consumer Duty outcome, its sections and its SVG charts."""

from __future__ import annotations

from datetime import UTC, date, datetime

from api.pages import reports as pages
from api.web import page_context, templates
from coaching.modules import effect
from coaching.modules.staggered import EventWeek
from coaching.reports import content
from coaching.reports import queries as report_queries
from coaching.reports import service as report_service
from coaching.reports.models import ReportSnapshot
from foundation.accounts import Role
from ideas.themes.duty import DutyOutcome
from ideas.themes.models import ActionPlan, Theme, ThemeStatus


def test_the_list_offers_the_last_full_month(db):
    page = pages.reports_page(db)
    start, end = report_queries.default_period()
    assert page.snapshots == [] and page.errors == {}
    assert page.values == {"start": start.isoformat(), "end": end.isoformat()}


def test_a_report_page_from_its_snapshot(db, make):
    lead = make.user(Role.cx_lead)
    lead.display_name = "Priya Shah"
    acted = Theme(name="Card delivery", auto_label="card", size=1)
    quiet = Theme(name="Statement letters", auto_label="letter", size=1)
    db.add_all([acted, quiet])
    db.flush()
    db.add(ActionPlan(theme_id=acted.id))  # type: ignore[arg-type]
    snapshot = report_service.generate(
        db,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        by=lead,
        min_group_size=5,
        effect_days=56,
        working_days=10,
    )
    listing = pages.reports_page(db)
    assert [(s.id, s.version, s.generated_by) for s in listing.snapshots] == [
        (snapshot.id, 1, "Priya Shah")
    ]
    page = pages.snapshot_page(db, snapshot)
    assert page.generated_by == "Priya Shah" and not page.printing
    assert [s.row.name for s in page.sections] == ["Card delivery"]  # acted on
    assert [o.summary.outcome for o in page.outcomes] == list(DutyOutcome)
    assert 'role="img"' in page.outcome_chart and "<title>" in page.vulnerable_chart
    assert 'role="img"' in page.sections[0].trend
    assert pages.filename(snapshot, "pdf").startswith(
        "voiceloop-outcomes-2026-03-01-to-2026-03-31-v1-"
    )


def _measured() -> effect.Effect:
    weeks = [
        EventWeek(event=e, effect=v, agents=8, in_baseline=e < -1)
        for e, v in [(-4, 0.1), (-3, -0.2), (-2, 0.1), (-1, -0.5), (0, -2.0), (1, -3.0)]
    ]
    return effect.Effect(
        enough=True,
        reason=None,
        coached_agents=8,
        comparison_agents=12,
        contacts=900,
        estimate=-2.5,
        low=-4.0,
        high=-1.0,
        weeks=weeks,
        horizon=8,
        excluded=0,
        selected=False,
        until=datetime(2026, 4, 1, tzinfo=UTC),
        min_group_size=5,
    )


def test_a_measured_effect_gets_its_event_study_and_headline(db):
    row = content.ThemeRow(
        theme_id=7,
        name="Disputed <card> payments",
        status=ThemeStatus.actioned,
        duty=DutyOutcome.support,
        duty_chosen=True,
        ideas=2,
        gaps=40,
        plan=None,
        modules=[content.ModuleLine(3, "Chargebacks", 2, _measured().to_json())],
        completion=content.Completion(10, 8, 1),
        weekly=[10, 12, 10, 8, 0, 2],
    )
    built = content.Report(
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        generated_at=datetime(2026, 4, 1, 9, 30, tzinfo=UTC),
        min_group_size=5,
        effect_days=56,
        working_days=10,
        rows=[row],
        overall=content.Responses(4, 3, 4),
        source=content.Source(datetime(2026, 3, 31, 23, 0, tzinfo=UTC), 500, 4, 1),
        weeks=report_queries.weeks_of(date(2026, 3, 1), date(2026, 3, 31)),
        vulnerable_weekly=[1, 0, 2, 0, 1, 0],
    )
    snapshot = ReportSnapshot(
        period_start=built.start, period_end=built.end, content=built.to_json()
    )
    db.add(snapshot)
    db.flush()
    page = pages.snapshot_page(db, snapshot, printing=True)
    [section] = page.sections
    [measured] = section.effects
    assert measured.figures.enough and measured.chart is not None
    assert "Coaching effect of Chargebacks, week by week" in measured.chart
    html = templates.env.get_template("reports/print.html").render(
        **page_context(page), csrf_token="", user=None
    )
    assert "Chargebacks: -2.5 per 100 contacts (95% interval -4.0 to -1.0)" in html
    assert "8 of 10 agents assigned coaching in the period completed it" in html
    assert "Disputed &lt;card&gt; payments" in html and "<card>" not in html
    assert "What the estimate assumes" in html
    assert "duty-form" not in html  # no forms in the PDF
