"""The outcomes report builder: the report for a period, or the form with the refused date."""

from __future__ import annotations

from datetime import date

import pytest

from api.pages import reports as pages
from foundation.errors import Invalid


def test_a_period_gives_the_report(db, settings):
    page = pages.outcomes_page(db, settings, " 2026-01-01", "2026-01-31")
    assert page.report is not None and page.errors == {}
    assert (page.report.start, page.report.end) == (date(2026, 1, 1), date(2026, 1, 31))
    assert page.values == {"start": "2026-01-01", "end": "2026-01-31"}  # as read
    assert page.report.rows == []


def test_a_default_period_when_blank(db, settings):
    page = pages.outcomes_page(db, settings, None, "")
    assert page.report is not None and page.report.start <= page.report.end
    assert page.values == {
        "start": page.report.start.isoformat(),
        "end": page.report.end.isoformat(),
    }


def test_a_refused_date_comes_back_with_why(db, settings):
    page = pages.outcomes_page(db, settings, "2026-01-01", "soon")
    assert page.report is None
    assert page.values == {"start": "2026-01-01", "end": "soon"}  # as typed
    assert page.errors == {"end": "Give a date as YYYY-MM-DD."}
    with pytest.raises(Invalid):  # the CSV's report: the route answers 422
        pages.outcomes_report(db, settings, "2026-01-01", "soon")
