"""Benchmark: the coaching-effect estimator on simulated agents with a known true effect
(issue 16), against the old never-assigned difference in differences in the same run.

Run: ``.venv/bin/python bench/effect_sim.py`` (a few minutes on 2 cores; ``--replications``).

Fixed settings, so the figures cannot be tuned: 60 agents in 6 teams of 10; 40 contacts per
agent per week for 26 weeks; each agent's baseline gap rate drawn from a gamma distribution
with mean 4 per 100 contacts and coefficient of variation 0.5; each week's rate is the agent's
plus a week effect shared by all (normal, sd 0.5 per 100), floored at 0, and the week's gap
signals are Poisson around it (capped at the contacts); coaching changes the rate by -1.5 per
100 contacts from the week after completion (floored at 0 too, so the realised true effect,
which coverage and bias are measured against, is the contact-weighted mean change over the
coached weeks the estimator counts; the run prints how far it is from -1.5).

Scenarios, 200 replications each:
- ``random``: 20 agents, chosen at random, coached in week 13;
- ``selected``: every four weeks from week 8, every agent not yet coached whose rate over the
  last 4 weeks is at least twice their team's is coached that week (so their rates regress to
  the mean after it);
- ``staggered``: a third of the agents coached in each of weeks 9, 14 and 19, at random.

Estimators:
- the product's (``coaching.modules.staggered.estimate``): the imputation estimator with
  not-yet-coached comparison, the coaching week left out of a coached agent's baseline, and for
  agents chosen by the rule (``selected``) the weeks the product leaves out for an accepted
  suggestion too (``coaching.modules.effect.EXCLUDE``: the rule's 30 days, rounded up to 5
  weeks, and the coaching week), 8 weeks after coaching counted, 95% interval from 199 cluster
  bootstrap replicates;
- the old one (the product's estimator before issue 16, kept here as the baseline): coached
  agents' 8 weeks before and after their completion against never-coached agents split at the
  median completion, pooled rates, 2,000 cluster-bootstrap replicates within each group. It
  has no estimate without never-coached agents (``staggered``).

Prints bias (mean estimate minus the realised truth) and coverage (share of 95% intervals
holding it) per scenario and estimator, and ends with one JSON line: ``{"bench": "effect_sim",
"coverage_random", "coverage_selected", "coverage_staggered", "bias_selected",
"old_bias_selected"}``. Goals: coverage between 0.90 and 0.98 in every scenario; absolute bias
under selection at most a third of the old estimator's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np

from coaching.modules import effect, staggered

AGENTS, TEAMS, WEEKS, CONTACTS = 60, 6, 26, 40
MEAN_RATE, CV, WEEK_SD, EFFECT = 4.0, 0.5, 0.5, -1.5
EXCLUDE, HORIZON, WINDOW = effect.EXCLUDE, 8, 8  # the product's left-out weeks when chosen
LOOKBACK = 4  # weeks the selection rule reads
BOOTSTRAP = 199
SCENARIOS = ("random", "selected", "staggered")


@dataclass(frozen=True)
class World:
    panel: staggered.Panel
    truth: float  # realised effect over the cells the product's estimator counts


def coaching_weeks(scenario: str, rng: np.random.Generator) -> np.ndarray:
    """Each agent's coaching week, 0-based (-1: never); ``selected`` fills it in as it goes."""
    coached = np.full(AGENTS, -1)
    if scenario == "random":
        coached[rng.choice(AGENTS, 20, replace=False)] = 12  # week 13, counted from 1
    elif scenario == "staggered":
        order = rng.permutation(AGENTS)
        for third, at in zip(np.array_split(order, 3), (8, 13, 18), strict=True):
            coached[third] = at
    return coached


def simulate(scenario: str, rng: np.random.Generator) -> World:
    shape = 1 / CV**2
    base = rng.gamma(shape, MEAN_RATE / shape, AGENTS)
    week = rng.normal(0, WEEK_SD, WEEKS)
    team = np.arange(AGENTS) % TEAMS
    contacts = np.full((AGENTS, WEEKS), CONTACTS)
    untreated_rate = np.maximum(base[:, None] + week[None, :], 0)
    noise = rng.random((AGENTS, WEEKS))  # one uniform per cell: the same draw with or without
    coached = coaching_weeks(scenario, rng)
    gaps = np.zeros((AGENTS, WEEKS), dtype=np.int64)
    rate = untreated_rate.copy()
    for t in range(WEEKS):
        if scenario == "selected" and t >= 7 and (t - 7) % 4 == 0:  # weeks 8, 12, ... from 1
            recent = gaps[:, t - LOOKBACK : t].sum(axis=1) / (CONTACTS * LOOKBACK)
            team_rate = np.array([recent[team == team[i]].mean() for i in range(AGENTS)])
            chosen = (coached == -1) & (recent >= 2 * team_rate) & (recent > 0)
            coached[chosen] = t
        active = (coached >= 0) & (t > coached)
        rate[:, t] = np.where(active, np.maximum(untreated_rate[:, t] + EFFECT, 0), rate[:, t])
        gaps[:, t] = np.minimum(poisson(rate[:, t] * CONTACTS / 100, noise[:, t]), CONTACTS)
    first = np.where(coached >= 0, coached + 1, staggered.NEVER)
    # As the product does: the selection window is left out only for agents chosen by the rule.
    left_out = np.full(AGENTS, EXCLUDE if scenario == "selected" else 1)
    panel = staggered.Panel(contacts, gaps, first, left_out)
    resid, found = staggered.residuals(panel, EXCLUDE, HORIZON)
    counted = found.treated & np.isfinite(resid)  # the cells the estimate is made of
    change = (rate - untreated_rate)[counted]
    return World(panel, float(change.mean()) if change.size else float("nan"))


def poisson(mean: np.ndarray, uniform: np.ndarray) -> np.ndarray:
    """Poisson draws by inverting the CDF at given uniforms (vectorised, small means)."""
    out = np.zeros(mean.shape, dtype=np.int64)
    term = np.exp(-mean)
    cdf = term.copy()
    for k in range(1, 200):
        below = uniform > cdf
        if not below.any():
            break
        out += below
        term = term * mean / k
        cdf = cdf + term
    return out


def product_estimate(world: World) -> tuple[float, float, float] | None:
    found = staggered.estimate(
        world.panel, exclude=EXCLUDE, horizon=HORIZON, min_agents=5, reps=BOOTSTRAP
    )
    if not found.enough or found.estimate is None:
        return None
    return found.estimate, found.low or 0.0, found.high or 0.0


def _change(counts: np.ndarray) -> np.ndarray:
    """After-minus-before pooled rate per 100 of (..., agents, 4) counts."""
    sums = counts.sum(axis=-2)
    return 100.0 * (sums[..., 3] / sums[..., 2] - sums[..., 1] / sums[..., 0])


def old_estimate(world: World) -> tuple[float, float, float] | None:
    """The never-assigned difference in differences on the same panel (8 weeks each side):
    coached agents split at their own completion, the others at the median one; agents need
    contacts on both sides; bootstrap resamples agents within each group."""
    panel = world.panel
    first = panel.first_week
    coached = first != staggered.NEVER
    if not coached.any() or coached.all():
        return None
    split_control = int(np.median(first[coached]))

    def counts(rows: np.ndarray, split: np.ndarray) -> np.ndarray:
        out = []
        for i, s in zip(rows, split, strict=True):
            before = slice(max(0, s - WINDOW), s)
            after = slice(s, min(WEEKS, s + WINDOW))
            row = (
                panel.contacts[i, before].sum(),
                panel.gaps[i, before].sum(),
                panel.contacts[i, after].sum(),
                panel.gaps[i, after].sum(),
            )
            if row[0] and row[2]:
                out.append(row)
        return np.asarray(out, dtype=np.int64).reshape(-1, 4)

    treated_rows, control_rows = np.flatnonzero(coached), np.flatnonzero(~coached)
    treated = counts(treated_rows, first[treated_rows])
    control = counts(control_rows, np.full(len(control_rows), split_control))
    if len(treated) < 5 or len(control) < 5:
        return None
    rng = np.random.default_rng(20_260_302)
    draws = _change(treated[rng.integers(0, len(treated), (2000, len(treated)))]) - _change(
        control[rng.integers(0, len(control), (2000, len(control)))]
    )
    low, high = np.percentile(draws, [2.5, 97.5])
    return float(_change(treated) - _change(control)), float(low), float(high)


@dataclass
class Tally:
    errors: list[float]
    covered: list[bool]
    missing: int = 0

    def add(self, result: tuple[float, float, float] | None, truth: float) -> None:
        if result is None:
            self.missing += 1
            return
        value, low, high = result
        self.errors.append(value - truth)
        self.covered.append(low <= truth <= high)

    @property
    def bias(self) -> float | None:
        return float(np.mean(self.errors)) if self.errors else None

    @property
    def coverage(self) -> float | None:
        return float(np.mean(self.covered)) if self.covered else None


def run(scenario: str, replications: int, seed: int) -> tuple[Tally, Tally, list[float]]:
    rng = np.random.default_rng([seed, SCENARIOS.index(scenario)])
    mine, old, truths = Tally([], []), Tally([], []), []
    estimators: list[tuple[Tally, Callable[[World], tuple[float, float, float] | None]]] = [
        (mine, product_estimate),
        (old, old_estimate),
    ]
    for _ in range(replications):
        world = simulate(scenario, rng)
        truths.append(world.truth)
        for tally, estimator in estimators:
            tally.add(estimator(world), world.truth)
    return mine, old, truths


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:+.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    line: dict[str, object] = {"bench": "effect_sim"}
    print(f"{args.replications} replications per scenario; true effect {EFFECT} per 100")
    for scenario in SCENARIOS:
        started = time.perf_counter()
        mine, old, truths = run(scenario, args.replications, args.seed)
        print(
            f"\n{scenario} ({time.perf_counter() - started:.0f} s): realised truth mean "
            f"{np.nanmean(truths):+.3f}"
        )
        for name, tally in (("product (imputation, not-yet-coached)", mine), ("old DiD", old)):
            coverage = "-" if tally.coverage is None else f"{tally.coverage:.3f}"
            print(
                f"  {name:40s} bias {fmt(tally.bias)}  coverage {coverage}  "
                f"no estimate {tally.missing}"
            )
        line[f"coverage_{scenario}"] = None if mine.coverage is None else round(mine.coverage, 3)
        if scenario == "selected":
            line["bias_selected"] = None if mine.bias is None else round(mine.bias, 3)
            line["old_bias_selected"] = None if old.bias is None else round(old.bias, 3)
    print(json.dumps(line))


if __name__ == "__main__":
    main()
