"""The staggered coaching-effect estimator (``coaching.modules.staggered``): pure numpy, checked
against a maintained implementation (pyfixest's Gardner two-stage ``did2s``, which equals the
imputation estimator)."""

from __future__ import annotations

import numpy as np
import pytest

from coaching.modules import staggered
from coaching.modules.staggered import NEVER, Panel


def world(seed: int = 1, effect: float = -1.5) -> tuple[Panel, np.ndarray]:
    """40 agents over 20 weeks, two coached cohorts (weeks 8 and 13) and 20 never coached."""
    rng = np.random.default_rng(seed)
    agents, weeks = 40, 20
    contacts = rng.integers(20, 60, size=(agents, weeks))
    contacts[0, 3] = 0  # a week off
    first = np.full(agents, NEVER)
    first[:10], first[10:20] = 8, 13
    after = (first[:, None] != NEVER) & (np.arange(weeks)[None, :] >= first[:, None])
    rate = rng.gamma(4, 1, agents)[:, None] + rng.normal(0, 0.5, weeks)[None, :]
    rate = np.clip(rate + np.where(after, effect, 0.0), 0, None)
    return Panel(contacts, rng.binomial(contacts, rate / 100), first), rate


def test_the_estimate_equals_pyfixest_did2s_on_the_same_cells() -> None:
    import pandas as pd  # the dev extra's, with pyfixest
    import pyfixest as pf

    panel, _ = world()
    exclude, horizon = 3, 100
    rows = []
    for agent, week in zip(*np.nonzero(panel.contacts), strict=True):
        event = week - panel.first_week[agent]
        coached = panel.first_week[agent] != NEVER
        if coached and -exclude <= event < 0:
            continue  # the left-out weeks, as the estimator leaves them out
        rows.append(
            {
                "agent": agent,
                "week": week,
                "rate": 100 * panel.gaps[agent, week] / panel.contacts[agent, week],
                "contacts": float(panel.contacts[agent, week]),
                "treat": bool(coached and event >= 0),
            }
        )
    fit = pf.did2s(
        pd.DataFrame(rows),
        yname="rate",
        first_stage="~ 0 | agent + week",
        second_stage="~ 0 + treat",
        treatment="treat",
        cluster="agent",
        weights="contacts",
    )
    expected = float(fit.coef().iloc[0])
    assert staggered.att(panel, exclude, horizon) == pytest.approx(expected, abs=1e-5)


def test_a_noise_free_effect_is_found_exactly_with_parallel_weeks_before() -> None:
    agents, weeks = 12, 16
    level = (np.arange(agents) % 5 + 2)[:, None] + (np.arange(weeks) % 3)[None, :]  # exact
    first = np.array([6] * 4 + [10] * 4 + [NEVER] * 4)
    after = (first[:, None] != NEVER) & (np.arange(weeks)[None, :] >= first[:, None])
    contacts = np.full((agents, weeks), 1000)
    gaps = ((level - np.where(after, 1.5, 0.0)) * 10).astype(np.int64)
    found = staggered.estimate(
        Panel(contacts, gaps, first), exclude=2, horizon=4, min_agents=3, reps=50
    )
    assert found.enough and found.estimate == pytest.approx(-1.5, abs=1e-6)
    assert found.low == pytest.approx(-1.5, abs=1e-6) and found.high == pytest.approx(
        -1.5, abs=1e-6
    )
    before = [w.effect for w in found.weeks if w.event < 0 and w.effect is not None]
    assert before and all(abs(effect) < 1e-6 for effect in before)  # parallel before coaching
    assert [w.effect for w in found.weeks if w.event >= 0] == pytest.approx([-1.5] * 4)


def test_weeks_read_to_choose_an_agent_are_left_out_of_the_baseline() -> None:
    """An agent chosen because the last weeks were high: those weeks must not set the level
    the coached weeks are compared with (that would count regression to the mean)."""
    agents, weeks = 10, 12
    contacts = np.full((agents, weeks), 100)
    gaps = np.full((agents, weeks), 4)
    gaps[0, 5:8] = 12  # a chance high run, which chose agent 0 in week 8
    first = np.array([9] + [NEVER] * 9)
    panel = Panel(contacts, gaps, first)
    assert staggered.att(panel, exclude=4, horizon=3) == pytest.approx(0.0)
    assert staggered.att(panel, exclude=0, horizon=3) < -1  # the old mistake, for contrast
    weeks_shown = staggered.event_study(panel, exclude=4, horizon=3, before=6)
    chosen = [w.effect for w in weeks_shown if -4 <= w.event <= -2]
    assert chosen == pytest.approx([8.0, 8.0, 8.0])  # the selection, visible on the chart


def test_too_few_agents_or_no_comparison_give_no_estimate() -> None:
    panel, _ = world()
    few = staggered.estimate(
        panel.take(np.array([0, 1, 20, 21])), exclude=3, horizon=8, min_agents=5
    )
    assert not few.enough and few.estimate is None and few.coached_agents == 2
    all_coached = Panel(panel.contacts[:10], panel.gaps[:10], panel.first_week[:10])
    alone = staggered.estimate(all_coached, exclude=3, horizon=8, min_agents=1, reps=10)
    assert not alone.enough and alone.comparison_agents == 0
    with pytest.raises(ValueError):
        Panel(panel.contacts, panel.contacts + 1, panel.first_week)
