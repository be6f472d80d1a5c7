"""The outcomes report builders: the list with the period form, and one frozen report with its
summary by Consumer Duty outcome, its sections and its SVG charts."""

from __future__ import annotations

from datetime import date

from api.pages import reports as pages
from coaching.reports import queries as report_queries
from coaching.reports import service as report_service
from foundation.accounts import Role
from ideas.themes.duty import DutyOutcome
from ideas.themes.models import ActionPlan, Theme


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
