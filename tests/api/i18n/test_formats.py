"""Dates and numbers in each language: ``foundation.i18n``'s formatters and the template filters
built on them (English keeps the pages' old look, strftime's "05 Mar 2026")."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from api.formats import date_filter, datetime_filter, number_filter, percent_filter, signed_filter
from api.web import templates
from foundation import i18n

DAY = date(2026, 9, 5)
MOMENT = datetime(2026, 9, 5, 14, 3, 22)


@pytest.mark.parametrize(
    ("locale", "medium"),
    [("en", "5 Sept 2026"), ("zh_Hans", "2026年9月5日"), ("ja", "2026/09/05")],
)
def test_foundation_formats_a_fixed_date_per_locale(locale: str, medium: str) -> None:
    with i18n.use_locale(locale):
        assert i18n.format_date(DAY) == medium


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_foundation_formats_numbers_per_locale(locale: str) -> None:
    # The three write numbers alike (grouped thousands, a point for decimals).
    with i18n.use_locale(locale):
        assert i18n.format_number(1234567.89, 1) == "1,234,567.9"
        assert i18n.format_percent(0.125, 1) == "12.5%"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", ["05 Sep 2026", "05 Sep", "05 Sep 2026 14:03", "05 Sep 14:03:22"]),
        ("zh_Hans", ["2026年9月5日", "9月5日", "2026年9月5日 14:03", "9月5日 14:03:22"]),
        ("ja", ["2026年9月5日", "9月5日", "2026年9月5日 14:03", "9月5日 14:03:22"]),
    ],
)
def test_date_filters_per_locale(locale: str, expected: list[str]) -> None:
    with i18n.use_locale(locale):
        shown = [
            date_filter(DAY),
            date_filter(MOMENT, "day"),
            datetime_filter(MOMENT),
            datetime_filter(MOMENT, "day_second"),
        ]
    assert shown == expected


def test_number_filters() -> None:
    with i18n.use_locale("ja"):
        assert number_filter(12.25, 1) == "12.2"
        assert number_filter(5000) == "5,000"
        assert signed_filter(1.25) == "+1.2" and signed_filter(-3.0) == "-3.0"
        assert percent_filter(0.666) == "67%"
    assert date_filter(None) == number_filter(None) == signed_filter(None) == ""


def test_templates_have_the_filters_and_translate_in_the_current_locale() -> None:
    source = '{{ d|date }} · {{ x|number(1) }} · {{ s|percent }} · {{ _("Hello %(n)s", n=n) }}'
    rendered = templates.env.from_string(source)
    assert rendered.render(d=DAY, x=2.5, s=0.5, n="<b>") == (
        "05 Sep 2026 · 2.5 · 50% · Hello &lt;b&gt;"
    )
    with i18n.use_locale("ja"):
        assert rendered.render(d=DAY, x=2.5, s=0.5, n="x").startswith("2026年9月5日")
