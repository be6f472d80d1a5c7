"""The coaching effect under staggered coaching: agents coached later are the comparison until
they are coached (issue 16). Pure numpy on an agent-by-week panel; the loaders build the panel.

Why not a plain difference in differences against never-coached agents: modules are offered to
agents whose gap rate stands out, so a coached agent's rate falls back towards the mean whether
or not coaching helped, and nothing checks that the groups moved in parallel before coaching.

The estimator is the imputation estimator of Borusyak, Jaravel and Spiess (2024), the
efficient member of the family that Callaway and Sant'Anna's not-yet-treated comparison
belongs to (it equals Gardner's two-stage ``did2s``; ``tests`` check it against pyfixest's):

1. **Untreated cells.** Every week of an agent never coached, and every week of a coached agent
   before ``exclude`` weeks ahead of their first effect week: the selection window (the weeks
   the suggestion rule read to choose the agent, in which a chosen agent's rate is high by
   chance) and the coaching week itself are left out, so regression to the mean is not counted
   as an effect.
2. **Fit** ``rate = agent level + week level`` on the untreated cells, weighted by contacts (so
   pooled rates, not an average of noisy small-week rates): each agent's own level and each
   week's shared movement.
3. **Impute** each coached agent's rate without coaching in each week from their first effect
   week on, for ``horizon`` weeks: agent level + week level.
4. **Effect** (ATT): the contact-weighted mean of observed minus imputed rate over those cells,
   in gap signals per 100 contacts; negative means the gap closed.
5. **Interval:** cluster bootstrap over agents (an agent's weeks are not independent),
   percentile 95%.
6. **Event study:** the same residuals by week relative to the first effect week, before and
   after. Before it they show whether coached agents were already moving apart from the others
   (the parallel-trends assumption); in the left-out weeks they show the selection.

What it assumes, said where the estimate is shown: without coaching, coached agents' rates
would have moved like the others' (parallel trends); an agent's level is stable outside the
selection window; at least ``min_agents`` coached agents and as many comparison agents.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEVER = -1  # ``Panel.first_week`` of an agent never coached
REPS = 999
SEED = 20_261_207


@dataclass(frozen=True)
class Panel:
    """Per agent (rows) and week (columns): contacts and gap signals; per agent the index of
    the first week coaching can have changed (the week after completion), or ``NEVER``."""

    contacts: np.ndarray  # (agents, weeks) int
    gaps: np.ndarray  # (agents, weeks) int, <= contacts
    first_week: np.ndarray  # (agents,) int
    # Per agent, weeks before the first effect week left out of their baseline; None: the
    # ``exclude`` argument for everyone. Only agents chosen for a high rate need the selection
    # window left out; for the others the coaching week is enough.
    exclude: np.ndarray | None = None

    def __post_init__(self) -> None:
        if self.contacts.shape != self.gaps.shape or self.contacts.ndim != 2:
            raise ValueError("contacts and gaps must be (agents, weeks) arrays of one shape")
        if len(self.first_week) != len(self.contacts):
            raise ValueError("one first week per agent")
        if (self.gaps < 0).any() or (self.gaps > self.contacts).any():
            raise ValueError("gaps must be between 0 and the contacts")

    def take(self, agents: np.ndarray) -> Panel:
        left_out = None if self.exclude is None else self.exclude[agents]
        return Panel(self.contacts[agents], self.gaps[agents], self.first_week[agents], left_out)


@dataclass(frozen=True)
class Cells:
    """Which cells are untreated (fit) and treated (imputed), and each cell's event time."""

    untreated: np.ndarray  # (agents, weeks) bool
    treated: np.ndarray  # (agents, weeks) bool
    event: np.ndarray  # (agents, weeks) int: week - first week (meaningless for NEVER)


def cells(panel: Panel, exclude: int, horizon: int) -> Cells:
    weeks = np.arange(panel.contacts.shape[1])
    first = panel.first_week[:, None]
    coached = first != NEVER
    event = weeks[None, :] - first
    seen = panel.contacts > 0
    left_out = np.full(len(first), exclude) if panel.exclude is None else panel.exclude
    untreated = seen & (~coached | (event < -left_out[:, None]))
    treated = seen & coached & (event >= 0) & (event < horizon)
    return Cells(untreated, treated, np.where(coached, event, 0))


def two_way_fit(rates: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Fitted ``agent level + week level`` for every cell, by weighted least squares on the
    cells with weight > 0; NaN where the agent or the week has no such cell. The agent levels
    are eliminated, leaving a weeks-by-weeks system, so the cost grows with agents only
    linearly."""
    w = np.where(np.isfinite(rates), weights, 0.0)
    y = np.where(w > 0, rates, 0.0)
    per_agent, per_week = w.sum(axis=1), w.sum(axis=0)
    agents = per_agent > 0
    scaled = w[agents] / per_agent[agents, None]
    mean_agent = (scaled * y[agents]).sum(axis=1)
    system = np.diag(per_week) - scaled.T @ w[agents]
    target = (w * y).sum(axis=0) - (w[agents] * mean_agent[:, None]).sum(axis=0)
    week_level = np.linalg.lstsq(system, target, rcond=None)[0]
    agent_level = np.full(len(w), np.nan)
    agent_level[agents] = (scaled * (y[agents] - week_level)).sum(axis=1)
    fitted: np.ndarray = agent_level[:, None] + week_level[None, :]
    fitted[:, per_week == 0] = np.nan
    return fitted


def residuals(panel: Panel, exclude: int, horizon: int) -> tuple[np.ndarray, Cells]:
    """Observed minus imputed rate (per 100 contacts) for every cell, and the cells."""
    found = cells(panel, exclude, horizon)
    with np.errstate(invalid="ignore", divide="ignore"):
        rates = 100.0 * panel.gaps / panel.contacts
    fitted = two_way_fit(rates, np.where(found.untreated, panel.contacts, 0).astype(float))
    return rates - fitted, found


def att(panel: Panel, exclude: int, horizon: int) -> float:
    """The contact-weighted mean residual over treated cells that could be imputed (NaN when
    there is none)."""
    resid, found = residuals(panel, exclude, horizon)
    use = found.treated & np.isfinite(resid)
    weight = panel.contacts * use
    total = weight.sum()
    return float((np.where(use, resid, 0.0) * weight).sum() / total) if total else float("nan")


@dataclass(frozen=True)
class EventWeek:
    event: int  # weeks from the first effect week (-1: the coaching week)
    effect: float | None  # contact-weighted mean residual, None without cells
    agents: int
    in_baseline: bool  # an untreated week the fit used (its residual is near 0 by construction)


@dataclass(frozen=True)
class Estimate:
    enough: bool
    coached_agents: int  # with at least one imputed week
    comparison_agents: int  # not (yet) coached in a week when a coached agent's week counts
    estimate: float | None
    low: float | None
    high: float | None
    weeks: list[EventWeek]


def event_study(panel: Panel, exclude: int, horizon: int, before: int) -> list[EventWeek]:
    """Mean residual of coached agents by event week, ``before`` weeks ahead to ``horizon``."""
    resid, found = residuals(panel, exclude, horizon)
    coached = panel.first_week != NEVER
    out = []
    for event in range(-before, horizon):
        use = coached[:, None] & (found.event == event) & np.isfinite(resid)
        use &= panel.contacts > 0
        weight = panel.contacts * use
        total = weight.sum()
        value = float((np.where(use, resid, 0.0) * weight).sum() / total) if total else None
        # A baseline week: every coached agent's cell at it was fitted on (not left out).
        baseline = bool(found.untreated[use].all()) if use.any() else event < -exclude
        out.append(EventWeek(event, value, int(use.any(axis=1).sum()), baseline))
    return out


def estimate(
    panel: Panel,
    *,
    exclude: int,
    horizon: int,
    min_agents: int,
    before: int = 8,
    reps: int = REPS,
    seed: int = SEED,
) -> Estimate:
    """The module docstring's effect, interval and event study."""
    found = cells(panel, exclude, horizon)
    coached = int(found.treated.any(axis=1).sum())
    # Agents not (yet) coached in weeks when others' coaching counts: the comparison.
    comparison = int((found.untreated & found.treated.any(axis=0)).any(axis=1).sum())
    point = att(panel, exclude, horizon)
    weeks = event_study(panel, exclude, horizon, before)
    if coached < min_agents or comparison < min_agents or not np.isfinite(point):
        return Estimate(False, coached, comparison, None, None, None, weeks)
    rng = np.random.default_rng(seed)
    n = len(panel.first_week)
    samples = (panel.take(rng.integers(0, n, n)) for _ in range(reps))
    draws = np.array([att(sample, exclude, horizon) for sample in samples])
    low, high = np.nanpercentile(draws, [2.5, 97.5])
    return Estimate(True, coached, comparison, point, float(low), float(high), weeks)
