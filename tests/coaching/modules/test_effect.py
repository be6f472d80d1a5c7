"""Coaching effect (difference in differences): the computation on constructed counts whose
answer is known, the minimum group size, and the database loader on a small built data set
(SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import numpy as np
import pytest
from sqlmodel import Session

from api.presentation import effect_chart
from coaching.interactions.models import Agent
from coaching.modules import effect
from coaching.modules.models import Assignment, CoachingModule, ModuleVersion
from foundation.accounts import User
from ideas.themes.models import Theme, ThemeState
from tests.support.coaching import add_agents, add_interaction
from tests.support.ideas import add_member


def group(n: int, before: tuple[int, int], after: tuple[int, int]) -> np.ndarray:
    return effect.counts_array([(*before, *after)] * n)


# ------------------------------------------------------------------------ the computation
def test_known_answer_is_exact_with_a_tight_interval():
    treated = group(10, (100, 10), (100, 4))
    control = group(10, (100, 10), (100, 9))
    result = effect.compute(treated, control, min_group_size=5, days=56)
    assert result.enough and result.reason is None
    assert result.estimate == pytest.approx(-5.0)
    assert result.low == pytest.approx(-5.0) and result.high == pytest.approx(-5.0)
    assert result.rates == effect.Rates(10.0, 4.0, 10.0, 9.0)
    assert (result.treated_agents, result.control_agents) == (10, 10)
    assert (result.treated_interactions, result.control_interactions) == (2000, 2000)
    assert result.summary == (
        "Coached agents' rate fell by 5.0 more per 100 interactions than uncoached agents' "
        "(95% interval -5.0 to -5.0)."
    )
    assert result.conclusive
    chart = effect_chart(result)
    assert chart is not None and chart["type"] == "bar"
    assert [d["data"] for d in chart["datasets"]] == [[10.0, 4.0], [10.0, 9.0]]


def test_noisy_data_gives_an_interval_around_the_estimate_reproducibly():
    rng = np.random.default_rng(1)
    n = rng.integers(20, 60, size=(30, 2))
    treated = effect.counts_array(
        (b, rng.binomial(b, 0.12), a, rng.binomial(a, 0.05)) for b, a in n[:15]
    )
    control = effect.counts_array(
        (b, rng.binomial(b, 0.12), a, rng.binomial(a, 0.11)) for b, a in n[15:]
    )
    first = effect.compute(treated, control, min_group_size=5, days=56)
    again = effect.compute(treated, control, min_group_size=5, days=56)
    assert first == again  # fixed seed
    assert first.low is not None and first.high is not None and first.estimate is not None
    assert first.low < first.estimate < first.high
    assert first.high - first.low > 1.0  # real noise: not a point
    assert first.estimate < 0


def test_a_rise_is_called_a_rise():
    result = effect.compute(
        group(5, (50, 5), (50, 10)), group(5, (50, 5), (50, 5)), min_group_size=5, days=56
    )
    assert result.estimate == pytest.approx(10.0)
    assert "rose by 10.0 more" in result.summary


def test_below_the_minimum_group_size_there_is_no_estimate():
    result = effect.compute(
        group(4, (100, 10), (100, 4)), group(10, (100, 10), (100, 9)), min_group_size=5, days=56
    )
    assert not result.enough
    assert result.estimate is None and result.low is None and result.rates is None
    assert effect_chart(result) is None
    assert result.reason is not None
    assert "4 coached agents" in result.reason and "at least 5" in result.reason
    assert "uncoached" not in result.reason  # the control group is big enough
    assert result.summary == result.reason
    assert result.treated_agents == 4  # counts are still reported


def test_agents_without_interactions_in_both_periods_do_not_count():
    treated = np.vstack([group(5, (100, 10), (100, 4)), group(3, (50, 50), (0, 0))])
    control = np.vstack([group(5, (100, 10), (100, 9)), group(2, (0, 0), (30, 30))])
    result = effect.compute(treated, control, min_group_size=5, days=56)
    assert (result.treated_agents, result.control_agents) == (5, 5)
    assert result.estimate == pytest.approx(-5.0)
    assert effect.compute(treated, control, min_group_size=6, days=56).enough is False


def test_counts_must_be_consistent():
    with pytest.raises(ValueError):
        effect.counts_array([(10, 11, 10, 1)])


# ---------------------------------------------------------------------------- the loader
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
DAYS = 14


def _theme(db: Session, name: str, **fields: object) -> Theme:
    theme = Theme(name=name, auto_label=name, **fields)  # type: ignore[arg-type]
    db.add(theme)
    db.flush()
    return theme


def _calls(db: Session, agent: Agent, theme: Theme, *, before: int, after: int) -> None:
    """Ten calls either side of T0, a day apart; the first ``before`` / ``after`` of them are
    the theme's gap evidence."""
    for side, gaps in ((-1, before), (1, after)):
        for k in range(10):
            when = T0 + side * timedelta(days=k + 1) - timedelta(hours=4 * (side < 0))
            row = add_interaction(db, agent, None, when)
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


def test_module_effect_from_the_database(db, make):
    old = _theme(db, "Card arrival (old)")
    live = _theme(db, "Card arrival")
    other = _theme(db, "Mortgages")
    old.state, old.merged_into_id = ThemeState.merged, live.id  # the module points at the old one
    db.add(old)
    module, version = _module(db, old)
    treated = add_agents(db, 3, prefix="EF-T")
    for i, agent in enumerate(treated):
        user = make.user()
        agent.user_id = user.id
        # Completions an hour apart: the controls split at the middle one.
        _assign(db, user, module, version, T0 + timedelta(hours=i))
        _calls(db, agent, live, before=4, after=1)
    controls = add_agents(db, 3, prefix="EF-C")
    controls[0].user_id = make.user().id  # a user with no assignment is a control too
    for agent in controls:
        _calls(db, agent, live, before=4, after=3)
    # Noise the design must ignore: an agent assigned but not finished, gap evidence of another
    # theme, calls outside the window, and a control with no calls after the split.
    pending = add_agents(db, 1, prefix="EF-P")[0]
    pending_user = make.user()
    pending.user_id = pending_user.id
    _assign(db, pending_user, module, version, None)
    _calls(db, pending, live, before=10, after=0)
    _calls(db, controls[1], other, before=10, after=10)
    add_interaction(db, treated[0], None, T0 - timedelta(days=DAYS + 2))
    add_interaction(db, controls[2], None, T0 + timedelta(days=DAYS + 2))
    lonely = add_agents(db, 1, prefix="EF-L")[0]
    add_interaction(db, lonely, None, T0 - timedelta(days=1))
    db.flush()

    now = T0 + timedelta(days=30)
    assert module.id is not None and live.id is not None and other.id is not None
    result = effect.module_effect(db, module.id, min_group_size=3, days=DAYS, now=now)
    assert result.enough, result.reason
    assert (result.treated_agents, result.control_agents) == (3, 3)
    assert result.treated_interactions == 60
    assert result.control_interactions == 80
    assert result.rates is not None
    assert result.rates.treated_before == pytest.approx(40.0)
    assert result.rates.treated_after == pytest.approx(10.0)
    assert result.rates.control_before == pytest.approx(100 * 12 / 40)
    assert result.rates.control_after == pytest.approx(100 * 9 / 40)
    assert result.estimate == pytest.approx(-30.0 - (22.5 - 30.0))

    # Before anyone completed: nothing to measure. Too small a group: no estimate.
    early = effect.module_effect(db, module.id, min_group_size=3, days=DAYS, now=T0)
    assert not early.enough and "has completed this module yet" in (early.reason or "")
    small = effect.module_effect(db, module.id, min_group_size=4, days=DAYS, now=now)
    assert not small.enough and small.estimate is None and small.treated_agents == 3

    listed = effect.theme_effects(db, live.id, min_group_size=3, days=DAYS, now=now)
    assert [(m.id, e.estimate) for m, e in listed] == [(module.id, result.estimate)]
    assert effect.theme_effects(db, other.id, min_group_size=3, days=DAYS, now=now) == []
