"""The outcomes evidence report on a small built data set: evidence in the period, the action
plan, modules and guides, coaching completion, the effect's minimum group size and idea response
times, the Consumer Duty outcome; the period filter, date parsing and the CSV; and the frozen
snapshot, which a later assignment does not change (SQLite and PostgreSQL)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime

import pytest
from sqlmodel import Session, select

from api import presentation
from coaching.guides.models import Guide, GuideStatus, GuideTheme
from coaching.modules.models import Assignment, CoachingModule, ModuleVersion
from coaching.reports import content
from coaching.reports import queries as report
from coaching.reports import service as report_service
from foundation.accounts import Role
from foundation.errors import Invalid
from foundation.ids import pk
from ideas.submissions.models import Idea
from ideas.themes.duty import DutyOutcome
from ideas.themes.models import ActionPlan, DocumentKind, PlanStatus, Theme, ThemeState, ThemeStatus
from tests.support.coaching import add_agents, add_interaction
from tests.support.ideas import add_member, first_category

NOW = datetime(2026, 4, 20, 12, 0, tzinfo=UTC)


def build(
    db: Session, start: date = date(2026, 3, 1), end: date = date(2026, 3, 31)
) -> content.Report:
    """The report for March (by default) as it stood on NOW, with a minimum group of 5."""
    return report.build(
        db, start=start, end=end, min_group_size=5, effect_days=56, working_days=10, now=NOW
    )


def at(month: int, day: int) -> datetime:
    return datetime(2026, month, day, 10, 0, tzinfo=UTC)


def _theme(db: Session, name: str, size: int, **fields: object) -> Theme:
    theme = Theme(name=name, auto_label=name, size=size, **fields)  # type: ignore[arg-type]
    db.add(theme)
    db.flush()
    return theme


def _idea(db: Session, theme: Theme | None, created: datetime, answered: datetime | None) -> Idea:
    idea = Idea(
        title=f"Idea of {created:%d %b}",
        category_id=first_category(db).id,  # type: ignore[arg-type]
        created_at=created,
        first_response_at=answered,
    )
    db.add(idea)
    db.flush()
    if theme is not None:
        add_member(db, theme, idea.id, created, DocumentKind.idea)  # type: ignore[arg-type]
        db.flush()
    return idea


def _gap(db: Session, theme: Theme, when: datetime) -> None:
    row = add_interaction(db, add_agents(db, 1, prefix="RP-")[0], None, when)
    add_member(db, theme, row.id, when)  # type: ignore[arg-type]
    db.flush()


def _assign(
    db: Session, module: CoachingModule, version: ModuleVersion, user_id: int, **fields: object
) -> None:
    db.add(Assignment(module_id=module.id, version_id=version.id, user_id=user_id, **fields))  # type: ignore[arg-type]
    db.flush()


def seed(db: Session, make) -> tuple[Theme, Theme]:
    lead = make.user(Role.cx_lead)
    lead.display_name = "Priya Shah"
    cards = _theme(db, "Card delivery", 10, status=ThemeStatus.actioned)
    quiet = _theme(db, "Mortgage porting fees", 3)
    gone = _theme(db, "Old cards", 0, state=ThemeState.merged, merged_into_id=cards.id)
    # Ideas: on time (deadline 16 Mar), late, unanswered and overdue, and one from February.
    _idea(db, cards, at(3, 2), at(3, 5))
    _idea(db, cards, at(3, 3), at(3, 30))
    _idea(db, cards, at(3, 20), None)
    _idea(db, cards, at(2, 10), at(2, 11))
    _idea(db, None, at(3, 10), at(3, 11))  # unthemed: only in the overall line
    for when in (at(3, 4), at(3, 28), at(2, 14)):
        _gap(db, cards, when)
    db.add(
        ActionPlan(
            theme_id=cards.id,  # type: ignore[arg-type]
            owner_id=lead.id,
            due_date=date(2026, 4, 30),
            status=PlanStatus.in_progress,
        )
    )
    # The module was written for a theme that was later merged into this one.
    module = CoachingModule(title="Card delivery times", theme_id=gone.id, latest_version=2)
    db.add(module)
    db.flush()
    version = ModuleVersion(module_id=module.id, number=2, title=module.title, body="")  # type: ignore[arg-type]
    guide = Guide(
        title="Where is my card?", body="Check the dispatch date.", status=GuideStatus.published
    )
    db.add_all([version, guide])
    db.flush()
    db.add(GuideTheme(guide_id=guide.id, theme_id=cards.id))  # type: ignore[arg-type]
    agents = [make.user(Role.staff).id for _ in range(4)]
    _assign(
        db,
        module,
        version,
        agents[0],
        assigned_at=at(3, 5),
        due_on=date(2026, 3, 19),
        completed_at=at(3, 10),
    )
    _assign(db, module, version, agents[1], assigned_at=at(3, 6), due_on=date(2026, 3, 20))
    _assign(db, module, version, agents[2], assigned_at=at(3, 25), due_on=date(2026, 4, 10))
    _assign(
        db,
        module,
        version,
        agents[3],
        assigned_at=at(2, 1),
        due_on=date(2026, 2, 15),
        completed_at=at(2, 2),
    )
    return cards, quiet


def test_rows_for_a_period(db, make):
    cards, quiet = seed(db, make)
    built = build(db)
    assert [r.theme_id for r in built.rows] == [cards.id, quiet.id]  # merged themes are left out
    row = built.rows[0]
    assert (row.name, row.status, row.ideas, row.gaps) == (
        "Card delivery",
        ThemeStatus.actioned,
        3,
        2,
    )
    assert (row.duty, row.duty_chosen) == (DutyOutcome.products_services, False)
    assert row.plan == content.Plan("Priya Shah", date(2026, 4, 30), PlanStatus.in_progress)
    assert [(m.title, m.version) for m in row.modules] == [("Card delivery times", 2)]
    assert [(g.title, g.status) for g in row.guides] == [
        ("Where is my card?", GuideStatus.published)
    ]
    # Made in March: one completed, one overdue by 31 March, one not yet due then.
    assert row.completion == content.Completion(assigned=3, completed=1, overdue=1)
    effect = row.modules[0].figures
    assert not effect.enough and effect.estimate is None  # one coached person: withheld
    assert row.responses == content.Responses(ideas=3, on_time=1, due=3)
    assert row.responses.share == pytest.approx(1 / 3)
    assert built.overall == content.Responses(ideas=4, on_time=2, due=4)
    assert sum(row.weekly) == 5 and len(row.weekly) == len(built.weeks) == 6  # 23 Feb .. 30 Mar
    empty = built.rows[1]
    assert (empty.ideas, empty.gaps, empty.plan, empty.modules) == (0, 0, None, [])
    assert empty.duty == DutyOutcome.price_value  # "fees" in its name
    assert empty.responses.share is None
    assert built.generated_at == NOW and built.min_group_size == 5
    assert (built.source.contacts, built.source.ideas, built.source.themes) == (2, 4, 2)
    assert [r.theme_id for r in built.acted] == [cards.id] and built.unacted == []
    assert built.coached == 1
    products = next(o for o in built.outcomes if o.outcome == DutyOutcome.products_services)
    assert (products.themes, products.acted_on, products.evidence) == (1, 1, 5)


def test_the_period_filters_evidence_coaching_and_ideas(db, make):
    cards, _ = seed(db, make)
    built = build(db, date(2026, 2, 1), date(2026, 2, 28))
    row = next(r for r in built.rows if r.theme_id == cards.id)
    assert (row.ideas, row.gaps) == (1, 1)
    assert row.completion == content.Completion(assigned=1, completed=1, overdue=0)
    assert row.responses == content.Responses(ideas=1, on_time=1, due=1)
    one_day = build(db, date(2026, 3, 4), date(2026, 3, 4))
    assert (one_day.rows[0].ideas, one_day.rows[0].gaps) == (0, 1)  # the end day is included


def test_a_chosen_outcome_wins_over_the_suggestion(db, make):
    cards, _ = seed(db, make)
    cards.duty_outcome = DutyOutcome.support
    db.add(cards)
    db.flush()
    row = build(db).rows[0]
    assert (row.duty, row.duty_chosen) == (DutyOutcome.support, True)


def test_parse_period():
    today = date(2026, 4, 20)
    assert report.parse_period(None, "", today) == (date(2026, 3, 1), date(2026, 3, 31))
    assert report.default_period(date(2026, 1, 1)) == (date(2025, 12, 1), date(2025, 12, 31))
    assert report.parse_period("2026-03-01", "2026-03-31", today) == (
        date(2026, 3, 1),
        date(2026, 3, 31),
    )
    for start, end, field in (
        ("2026-13-01", None, "start"),
        ("yesterday", None, "start"),
        (None, "2026-02-30", "end"),
        ("2026-04-01", "2026-03-01", "end"),
    ):
        with pytest.raises(Invalid) as caught:
            report.parse_period(start, end, today)
        assert caught.value.field == field


def test_csv_has_a_line_per_theme_with_plain_headers_and_neutralises_formulas(db, make):
    cards, _ = seed(db, make)
    cards.name = '=HYPERLINK("http://evil")'
    db.add(cards)
    db.flush()
    text = presentation.report_csv(build(db))
    rows = list(csv.DictReader(io.StringIO(text)))
    header = list(rows[0])
    assert header == presentation.REPORT_CSV_FIELDS
    assert all("_" not in h and h[0].isupper() for h in header)  # words, not keys
    first = rows[0]
    assert first["Theme"] == '\'=HYPERLINK("http://evil")'
    assert first["Consumer Duty outcome"] == "Consumer support"  # renamed: no word points
    assert first["Contacts with gap evidence in the period"] == "2"
    assert first["Plan owner"] == "Priya Shah" and first["Plan due"] == "2026-04-30"
    assert first["Action plan"] == "In progress"
    assert first["Coaching modules"] == "Card delivery times, version 2"
    assert first["Best-practice guides"] == "Where is my card? (published)"
    assert (
        first["Agents assigned coaching"],
        first["Agents who completed it"],
        first["Assignments overdue"],
    ) == ("3", "1", "1")
    assert first["Coaching effect"] == "Card delivery times: not enough data"
    assert first["Share answered within the promise"] == "33%"
    assert rows[-1]["Theme"] == "All ideas" and rows[-1]["Answered within the promise"] == "2"
    assert len(rows) == 3
    assert not any("None" in cell for row in rows for cell in row.values() if cell)


def test_a_snapshot_is_frozen_against_later_assignments(db, make):
    seed(db, make)
    lead = make.user(Role.cx_lead)
    snapshot = report_service.generate(
        db,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        by=lead,
        min_group_size=5,
        effect_days=56,
        working_days=10,
        now=NOW,
    )
    db.commit()
    before = report.snapshot_report(report.get_snapshot(db, pk(snapshot))).to_json()
    assert before["rows"][0]["completion"] == {"assigned": 3, "completed": 1, "overdue": 1}
    # Later, more agents are assigned the module in March's window and complete it.
    module = db.exec(select(CoachingModule)).one()
    version = db.exec(select(ModuleVersion)).one()
    for _ in range(3):
        agent = make.user(Role.staff)
        _assign(
            db,
            module,
            version,
            agent.id,
            assigned_at=at(3, 12),
            due_on=date(2026, 3, 30),
            completed_at=at(3, 13),
        )
    db.commit()
    assert build(db).rows[0].completion.assigned == 6  # a report built now would differ
    db.expire_all()
    again = report.snapshot_report(report.get_snapshot(db, pk(snapshot)))
    assert again.to_json() == before  # the stored report is the one generated
    assert again.rows[0].completion == content.Completion(3, 1, 1)
    second = report_service.generate(
        db,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        by=lead,
        min_group_size=5,
        effect_days=56,
        working_days=10,
        now=NOW,
    )
    assert (snapshot.version, second.version) == (1, 2)
    assert [s.id for s in report.snapshots(db)] == [second.id, snapshot.id]
    assert snapshot.source["contacts"] == 2 and snapshot.generated_by_id == lead.id


def test_the_json_round_trip_keeps_every_field(db, make):
    seed(db, make)
    built = build(db)
    assert content.Report.from_json(built.to_json()) == built
