"""Coaching effect from the database: the agent-by-week panel the staggered estimator reads, on a
small built data set whose answer is known (SQLite and PostgreSQL), and the frozen estimates of
closed periods (``snapshots``). The estimator itself is checked in ``test_staggered.py``."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import Session

from coaching.interactions.models import Agent
from coaching.modules import effect, snapshots
from coaching.modules.models import (
    Assignment,
    CoachingModule,
    ModuleVersion,
    Suggestion,
    SuggestionStatus,
)
from foundation.accounts import User
from ideas.themes.models import Theme, ThemeState
from tests.support.coaching import add_agents, add_interaction
from tests.support.ideas import add_member

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # coaching completed (a Monday)
NOW = T0 + timedelta(weeks=4)
DAYS = 14  # two weeks after coaching counted


def _theme(db: Session, name: str, **fields: object) -> Theme:
    theme = Theme(name=name, auto_label=name, **fields)  # type: ignore[arg-type]
    db.add(theme)
    db.flush()
    return theme


def _weeks(
    db: Session, agent: Agent, theme: Theme, rates: dict[int, int], **fields: object
) -> None:
    """Ten contacts in each week ``w`` (weeks counted from T0's week, noon each day), the first
    ``rates[w]`` of them the theme's gap evidence; imported as they happened unless ``fields``
    say otherwise."""
    for week, gaps in rates.items():
        for k in range(10):
            when = T0.replace(hour=12) + timedelta(weeks=week, days=k % 7, minutes=k)
            row = add_interaction(db, agent, None, when)
            row.created_at = when
            for name, value in fields.items():
                setattr(row, name, value)
            if k < gaps:
                add_member(db, theme, row.id, when)  # type: ignore[arg-type]
    db.flush()


def _module(db: Session, theme: Theme) -> tuple[CoachingModule, ModuleVersion]:
    module = CoachingModule(title="Card delivery times", theme_id=theme.id, latest_version=1)
    db.add(module)
    db.flush()
    version = ModuleVersion(module_id=module.id, number=1, title=module.title, body="")  # type: ignore[arg-type]
    db.add(version)
    db.flush()
    return module, version


def _assign(
    db: Session, user: User, module: CoachingModule, version: ModuleVersion, done: datetime | None
) -> None:
    db.add(
        Assignment(
            module_id=module.id,  # type: ignore[arg-type]
            version_id=version.id,  # type: ignore[arg-type]
            user_id=user.id,  # type: ignore[arg-type]
            due_on=date(2026, 3, 10),
            completed_at=done,
        )
    )
    db.flush()


@pytest.fixture
def world(db, make):
    """Three agents coached at T0 (40 gaps per 100 before, 10 after), four not (30 throughout,
    one of them assigned but not finished): the answer is -30 per 100 exactly."""
    old = _theme(db, "Card arrival (old)")
    live = _theme(db, "Card arrival")
    other = _theme(db, "Mortgages")
    old.state, old.merged_into_id = ThemeState.merged, live.id  # the module points at the old one
    db.add(old)
    module, version = _module(db, old)
    coached = add_agents(db, 3, prefix="EF-T")
    for i, agent in enumerate(coached):
        user = make.user()
        agent.user_id = user.id
        _assign(db, user, module, version, T0 + timedelta(hours=i))
        _weeks(db, agent, live, {w: 4 if w <= 0 else 1 for w in range(-10, 4)})
    others = add_agents(db, 4, prefix="EF-C")
    pending = make.user()
    others[0].user_id = pending.id
    _assign(db, pending, module, version, None)  # not finished: still a comparison agent
    for agent in others:
        _weeks(db, agent, live, {w: 3 for w in range(-10, 4)})
    _weeks(db, others[1], other, {w: 5 for w in range(-10, 4)})  # another theme's gaps: ignored
    db.flush()
    return module, version, live, other, coached


def test_the_known_answer_from_the_database(db, world):
    module, _, live, other, _ = world
    result = effect.module_effect(db, module.id, min_group_size=3, days=DAYS, now=NOW)
    assert result.enough, result.reason
    assert (result.coached_agents, result.comparison_agents) == (3, 4)
    assert result.estimate == pytest.approx(-30.0)
    assert result.low == pytest.approx(-30.0) and result.high == pytest.approx(-30.0)
    assert result.conclusive and not result.selected
    assert "30.0 fewer gap signals per 100 contacts" in result.summary
    after = [w for w in result.weeks if w.event >= 0 and w.effect is not None]
    assert [round(w.effect or 0.0, 6) for w in after] == [-30.0, -30.0]
    assert all(abs(w.effect or 0) < 1e-9 for w in result.weeks if w.in_baseline)
    listed = effect.theme_effects(db, live.id, min_group_size=3, days=DAYS, now=NOW)
    assert [(m.id, e.estimate) for m, e in listed] == [(module.id, result.estimate)]
    assert effect.theme_effects(db, other.id, min_group_size=3, days=DAYS, now=NOW) == []
    assert effect.Effect.from_json(result.to_json()) == result


def test_no_estimate_before_anyone_completed_or_with_too_few_agents(db, world):
    module = world[0]
    early = effect.module_effect(db, module.id, min_group_size=3, days=DAYS, now=T0)
    assert not early.enough and "has completed this module yet" in (early.reason or "")
    small = effect.module_effect(db, module.id, min_group_size=4, days=DAYS, now=NOW)
    assert not small.enough and small.estimate is None
    assert "3 coached agents have contacts" in (small.reason or "")
    assert "at least 4" in (small.reason or "")


def test_agents_chosen_for_a_high_rate_are_said_to_be(db, world, make):
    module, _, _, _, coached = world
    db.add(
        Suggestion(
            module_id=module.id,
            user_id=coached[0].user_id,
            status=SuggestionStatus.accepted,
            agent_rate=40.0,
            team_rate=15.0,
        )
    )
    db.flush()
    result = effect.module_effect(db, module.id, min_group_size=3, days=DAYS, now=NOW)
    assert result.selected
    assert any("well above their team's" in c for c in result.cautions)
    assert any("moved in parallel" in c for c in result.cautions)


def test_a_closed_period_is_frozen_and_computing_again_adds_a_version(db, world, make):
    module, version, _, _, coached = world
    start, end = date(2026, 3, 1), date(2026, 3, 28)  # closed a day before NOW
    first = snapshots.period_effect(
        db, module.id, start=start, end=end, min_group_size=3, days=DAYS, user_id=None, now=NOW
    )
    assert first.version == 1 and first.effect.enough
    # Later: another agent completes, and old contacts of the period are imported late.
    late = add_agents(db, 1, prefix="EF-L")[0]
    user = make.user()
    late.user_id = user.id
    _assign(db, user, module, version, NOW + timedelta(days=3))
    _weeks(db, coached[0], world[2], {2: 10}, created_at=NOW + timedelta(days=5))
    again = snapshots.period_effect(
        db, module.id, start=start, end=end, min_group_size=3, days=DAYS, user_id=None
    )
    assert again == first  # the stored estimate, unchanged
    redone = snapshots.recompute(
        db, module.id, start=start, end=end, min_group_size=3, days=DAYS, user_id=user.id
    )
    assert redone.version == 2 and redone.effect.estimate != first.effect.estimate
    kept = snapshots.versions(db, module.id)
    assert [found.version for _, found in kept] == [2, 1]


def test_an_open_period_is_live_and_not_stored(db, world):
    module = world[0]
    found = snapshots.period_effect(
        db,
        module.id,
        start=date(2026, 3, 1),
        end=date(2026, 3, 31),
        min_group_size=3,
        days=DAYS,
        user_id=None,
        now=NOW,
    )
    assert found.version == 0 and found.effect.enough
    assert snapshots.versions(db, module.id) == []


def test_the_reason_names_the_group_that_is_short():
    from coaching.modules import staggered

    short = staggered.Estimate(False, 6, 2, None, None, None, [])
    assert "only 2 agents not yet coached" in effect._not_enough(short, 5)
    few = staggered.Estimate(False, 1, 20, None, None, None, [])
    assert "1 coached agents have contacts" in effect._not_enough(few, 5)
