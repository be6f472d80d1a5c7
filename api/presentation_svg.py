"""Charts drawn on the server as SVG, for pages that are printed or made into a PDF (WeasyPrint
runs no JavaScript): a weekly bar or line chart, a horizontal bar chart and the event-study
chart of a coaching effect.

Every chart is an ``<svg role="img">`` with a ``<title>`` (and a ``<desc>``), labelled axes and
its values as text where there are few enough to read; every piece of text is escaped here,
so names typed by people can be passed as they are. Colours are presentation attributes (no
inline style: the pages' CSP allows none).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol

from markupsafe import Markup, escape

from foundation.i18n import gettext

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 48, 12, 12, 40
INK, MUTED, BAR, ACCENT, BASE = "#1f2933", "#7b8794", "#3b6ea8", "#c0392b", "#e4e7eb"
VALUES_UP_TO = 16  # values are printed beside their bars or points up to this many
COACHING_WEEK = -1  # the event week coaching was completed in (the first effect week is 0)


class EventWeekLike(Protocol):
    """One week of an event study (``coaching.modules.effect.EventWeek``)."""

    @property
    def event(self) -> int: ...  # weeks from the first effect week; negative before coaching
    @property
    def effect(self) -> float | None: ...  # gap signals per 100 contacts against the estimate
    @property
    def agents(self) -> int: ...
    @property
    def in_baseline(self) -> bool: ...


def _num(value: float) -> str:
    """A coordinate, short."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _label(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}"


def _text(
    x: float, y: float, text: str, anchor: str = "middle", fill: str = INK, **attrs: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="11" '
        f'fill="{escape(fill)}"{extra}>{escape(text)}</text>'
    )


def _svg(title: str, desc: str, body: list[str], height: int = HEIGHT) -> Markup:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="100%" preserveAspectRatio="xMidYMid meet" '
        f'font-family="DejaVu Sans, sans-serif"><title>{escape(title)}</title>'
        f"<desc>{escape(desc)}</desc>"
    )
    return Markup(head + "".join(body) + "</svg>")  # noqa: S704 - every text escaped above


def _nice_top(value: float) -> float:
    """A round number at or above ``value`` for the top of an axis."""
    if value <= 0:
        return 1.0
    power = float(10 ** math.floor(math.log10(value)))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if value <= step * power:
            return step * power
    return 10.0 * power


def _y_axis(low: float, high: float, y_label: str, height: int) -> tuple[list[str], float, float]:
    """Grid lines and tick labels from ``low`` to ``high``; returns them and the plot's scale."""
    plot_h = height - TOP - BOTTOM
    scale = plot_h / (high - low) if high > low else 1.0
    parts = []
    for i in range(5):
        value = low + (high - low) * i / 4
        y = height - BOTTOM - (value - low) * scale
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{BASE}" stroke-width="1"/>'
        )
        parts.append(_text(LEFT - 4, y + 4, _label(value), "end"))
    mid = TOP + plot_h / 2
    parts.append(_text(12, mid, y_label, transform=f"rotate(-90 12 {_num(mid)})"))
    return parts, scale, low


def _x_labels(labels: Sequence[str], xs: Sequence[float], x_label: str, height: int) -> list[str]:
    every = max(1, math.ceil(len(labels) / 8))  # at most about eight labels fit
    parts = [
        _text(x, height - BOTTOM + 14, label)
        for i, (label, x) in enumerate(zip(labels, xs, strict=True))
        if i % every == 0
    ]
    parts.append(_text(LEFT + (WIDTH - LEFT - RIGHT) / 2, height - 6, x_label))
    return parts


def weekly_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    y_label: str,
    x_label: str | None = None,
    line: bool = False,
    height: int = HEIGHT,
) -> Markup:
    """One figure per week as bars (or a line with a point per week; None leaves a gap)."""
    x_label = x_label or gettext("Week starting (Monday)")
    known = [v for v in values if v is not None]
    top = _nice_top(max(known, default=0.0))
    if all(float(v).is_integer() for v in known):  # counts: whole-number ticks
        top = max(4.0, math.ceil(top / 4) * 4.0)
    body, scale, low = _y_axis(0.0, top, y_label, height)
    n = max(1, len(values))
    step = (WIDTH - LEFT - RIGHT) / n
    xs = [LEFT + step * (i + 0.5) for i in range(len(values))]
    base_y = height - BOTTOM
    show_values = len(values) <= VALUES_UP_TO
    points: list[str] = []
    for x, value in zip(xs, values, strict=True):
        if value is None:
            if line and points:
                body.append(_polyline(points))
                points = []
            continue
        y = base_y - (value - low) * scale
        if line:
            points.append(f"{_num(x)},{_num(y)}")
            body.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{BAR}"/>')
        else:
            width = max(2.0, step * 0.7)
            body.append(
                f'<rect x="{_num(x - width / 2)}" y="{_num(y)}" width="{_num(width)}" '
                f'height="{_num(base_y - y)}" fill="{BAR}"/>'
            )
        if show_values:
            body.append(_text(x, y - 4, _label(value)))
    if line and points:
        body.append(_polyline(points))
    body += _x_labels(labels, xs, x_label, height)
    desc = gettext("%(count)s weeks; highest %(top)s.") % {
        "count": len(values),
        "top": _label(max(known, default=0.0)),
    }
    return _svg(title, desc, body, height)


def _polyline(points: list[str]) -> str:
    return f'<polyline points="{" ".join(points)}" fill="none" stroke="{BAR}" stroke-width="2"/>'


def hbar_chart(
    rows: Sequence[tuple[str, float]], *, title: str, x_label: str, label_width: int = 250
) -> Markup:
    """One horizontal bar per row (its name on the left, its value at the bar's end)."""
    bar_h, gap = 18, 6
    height = TOP + len(rows) * (bar_h + gap) + 30
    top = _nice_top(max((v for _, v in rows), default=0.0))
    plot_w = WIDTH - label_width - RIGHT - 40
    body = []
    for i, (name, value) in enumerate(rows):
        y = TOP + i * (bar_h + gap)
        width = plot_w * value / top if top else 0.0
        shown = name if len(name) <= 40 else name[:39] + "…"
        body.append(_text(label_width - 6, y + 13, shown, "end"))
        body.append(
            f'<rect x="{label_width}" y="{y}" width="{_num(width)}" height="{bar_h}" fill="{BAR}"/>'
        )
        body.append(_text(label_width + width + 4, y + 13, _label(value), "start"))
    axis_y = TOP + len(rows) * (bar_h + gap)
    body.append(
        f'<line x1="{label_width}" x2="{label_width + plot_w}" y1="{axis_y}" y2="{axis_y}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    body.append(_text(label_width + plot_w / 2, axis_y + 18, x_label))
    desc = gettext("%(count)s bars.") % {"count": len(rows)}
    return _svg(title, desc, body, height)


def event_study_chart(
    weeks: Sequence[EventWeekLike], *, title: str | None = None, height: int = HEIGHT
) -> Markup:
    """The effect per week around coaching: a point per event week (gap signals per 100
    contacts against the estimated path without coaching), a zero line, a vertical line at the
    week coaching was completed in (event -1; the first effect week is 0), and the baseline
    weeks shaded."""
    title = title or gettext("Gap signals per 100 contacts against the path without coaching")
    shown = [w for w in weeks if w.effect is not None]
    events = [w.event for w in weeks] or [0]
    first, last = min(*events, -1), max(*events, 1)
    span = max(1, last - first)
    extent = max((abs(w.effect) for w in shown if w.effect is not None), default=0.0)
    top = _nice_top(extent)
    body, scale, low = _y_axis(-top, top, gettext("Per 100 contacts"), height)
    plot_w = WIDTH - LEFT - RIGHT - 20

    def x_at(event: float) -> float:
        return LEFT + 10 + plot_w * (event - first) / span

    base_y = height - BOTTOM
    baseline = [w.event for w in weeks if w.in_baseline]
    if baseline:
        x0 = max(float(LEFT), x_at(min(baseline) - 0.5))
        x1 = min(float(WIDTH - RIGHT), x_at(max(baseline) + 0.5))
        body.append(
            f'<rect x="{_num(x0)}" y="{TOP}" width="{_num(x1 - x0)}" '
            f'height="{base_y - TOP}" fill="{BASE}" fill-opacity="0.6"/>'
        )
        body.append(_text((x0 + x1) / 2, TOP + 12, gettext("baseline"), fill=MUTED))
    zero_y = base_y - (0 - low) * scale
    body.append(
        f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{_num(zero_y)}" y2="{_num(zero_y)}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    coach_x = x_at(COACHING_WEEK)
    body.append(
        f'<line x1="{_num(coach_x)}" x2="{_num(coach_x)}" y1="{TOP}" y2="{base_y}" '
        f'stroke="{ACCENT}" stroke-width="1.5" stroke-dasharray="4 3"/>'
    )
    body.append(_text(coach_x + 4, TOP + 26, gettext("coaching week"), "start", fill=ACCENT))
    for w in shown:
        assert w.effect is not None
        x, y = x_at(w.event), base_y - (w.effect - low) * scale
        fill = MUTED if w.in_baseline else BAR
        body.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" fill="{fill}">'
            f"<title>{escape(_point_title(w))}</title></circle>"
        )
    step = 1 if span <= 16 else 4
    ticks = sorted({first, 0, last, *range(first - first % step, last + 1, step)})
    labels = [str(t) for t in ticks if first <= t <= last]
    xs = [x_at(t) for t in ticks if first <= t <= last]
    body += _x_labels(labels, xs, gettext("Weeks from coaching"), height)
    desc = gettext("%(count)s weeks with a figure, %(baseline)s of them the baseline.") % {
        "count": len(shown),
        "baseline": len([w for w in shown if w.in_baseline]),
    }
    return _svg(title, desc, body, height)


def _point_title(week: EventWeekLike) -> str:
    text = gettext("Week %(event)s: %(effect)s per 100 contacts, %(agents)s agents")
    return text % {
        "event": week.event,
        "effect": f"{week.effect:+.1f}" if week.effect is not None else "",
        "agents": week.agents,
    }
