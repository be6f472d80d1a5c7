"""Server-drawn SVG charts: accessible (role, title, description, labelled axes), every text
escaped, and the event study's zero line, coaching line and baseline weeks."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from api import presentation_svg as svg

EVIL = '<script>alert("x")</script> & "Fees"'
NS = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Week:
    event: int
    effect: float | None
    agents: int
    in_baseline: bool


def parse(markup: str) -> ET.Element:
    return ET.fromstring(str(markup))  # well-formed XML, or this raises


def title(root: ET.Element) -> str | None:
    found = root.find(f"{NS}title")
    assert found is not None
    return found.text


def texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def test_weekly_bars_have_a_title_labelled_axes_and_values():
    chart = svg.weekly_chart(
        ["02 Mar", "09 Mar", "16 Mar"], [3.0, None, 7.5], title=EVIL, y_label="Contacts"
    )
    assert "<script>" not in chart and "&lt;script&gt;" in chart
    root = parse(chart)
    assert root.get("role") == "img"
    assert title(root) == EVIL  # escaped in the markup, the same text read
    assert root.find(f"{NS}desc") is not None
    words = texts(root)
    assert "Contacts" in words and "Week starting (Monday)" in words
    assert {"3", "7.5"} <= set(words)  # few values: printed beside the bars
    assert len(root.findall(f"{NS}rect")) == 2  # no bar for the week without a figure


def test_weekly_line_and_many_weeks_without_value_labels():
    chart = svg.weekly_chart(
        [f"w{i}" for i in range(30)],
        [float(i % 5) for i in range(30)],
        title="t",
        y_label="y",
        line=True,
    )
    root = parse(chart)
    assert root.find(f"{NS}polyline") is not None
    assert len(root.findall(f"{NS}circle")) == 30
    assert "w0" in texts(root) and "w1" not in texts(root)  # labels thinned to fit


def test_horizontal_bars_escape_names():
    chart = svg.hbar_chart([(EVIL, 4.0), ("Price and value", 0.0)], title="By outcome", x_label="n")
    assert "<script>" not in chart
    root = parse(chart)
    assert title(root) == "By outcome"
    assert EVIL in texts(root) and "Price and value" in texts(root)


def test_event_study_marks_zero_coaching_and_the_baseline():
    weeks = [
        Week(-4, 0.2, 8, True),
        Week(-3, -0.1, 8, True),
        Week(-2, 0.0, 8, True),
        Week(-1, -0.5, 8, False),
        Week(0, -2.0, 7, False),
        Week(1, None, 0, False),
        Week(2, -3.0, 6, False),
    ]
    chart = svg.event_study_chart(weeks, title=EVIL)
    assert "<script>" not in chart
    root = parse(chart)
    assert root.get("role") == "img" and title(root) == EVIL
    circles = root.findall(f"{NS}circle")
    assert len(circles) == 6  # a point per week with a figure
    assert [c.get("fill") for c in circles][:3] == [svg.MUTED] * 3  # baseline weeks marked
    assert any(
        t.text and "Week 2: -3.0 per 100 contacts, 6 agents" in t.text
        for t in root.iter(f"{NS}title")
    )
    words = texts(root)
    assert "baseline" in words and "coaching week" in words and "Weeks from coaching" in words
    dashed = [line for line in root.iter(f"{NS}line") if line.get("stroke-dasharray")]
    assert len(dashed) == 1  # the vertical line at coaching


def test_event_study_without_weeks_still_draws():
    root = parse(svg.event_study_chart([]))
    assert title(root)
