"""Themes in a real browser: the demo's themes mix ideas and gap evidence, a CX lead reviews
one, and a re-run shows its progress and keeps the CX lead's edits."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from foundation.accounts import Role
from tests.support.browser import ACCOUNTS, JOB_TIMEOUT_MS, sign_in

pytestmark = pytest.mark.browser

Screenshot = Callable[[Page, str], Path]


def test_cx_lead_reviews_a_mixed_theme_and_reruns_clustering(
    page: Page, screenshot: Screenshot
) -> None:
    sign_in(page, ACCOUNTS[Role.cx_lead][0])
    page.get_by_role("link", name="Themes", exact=True).click()
    expect(page.get_by_role("heading", name="Themes", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"Last computed .* on [\d,]+ documents"))).to_be_visible()
    rows = page.locator("table.themes tbody tr")
    assert rows.count() >= 5
    # Themes that hold both ideas and gap evidence ("3 / 40"; neither side zero).
    mixed = [
        i
        for i in range(rows.count())
        if re.fullmatch(r"[1-9]\d* / [1-9]\d*", rows.nth(i).locator("td").nth(1).inner_text())
    ]
    assert len(mixed) >= 3, "the demo should give themes that mix ideas and gap evidence"
    expect(page.get_by_role("link", name=re.compile(r"^Unthemed"))).to_be_visible()
    screenshot(page, "themes-list")

    page.get_by_label("Sort by").select_option("growth")
    expect(page).to_have_url(re.compile(r"sort=growth"))

    row = rows.nth(mixed[0])
    row.get_by_role("link").click()
    expect(page.get_by_role("heading", name=re.compile(r"^Ideas \(\d+\)"))).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile(r"^Gap evidence \(\d+\)"))).to_be_visible()
    expect(
        page.get_by_role("heading", name="Outcomes inside and outside the theme")
    ).to_be_visible()
    theme_url = page.url
    screenshot(page, "theme-detail")

    name = page.get_by_label("Name")
    name.fill("Reviewed in the browser")
    name.press("Enter")
    expect(page.get_by_role("heading", name="Reviewed in the browser", level=1)).to_be_visible()
    expect(page.get_by_text(re.compile(r"→ Reviewed in the browser"))).to_be_visible()

    page.goto("/themes")
    page.get_by_role("button", name="Re-cluster now").click()
    expect(page.get_by_label("Clustering progress")).to_be_visible()
    expect(page.get_by_role("button", name="Re-cluster now")).to_be_visible(
        timeout=JOB_TIMEOUT_MS * 2
    )
    page.goto(theme_url)
    expect(page.get_by_role("heading", name="Reviewed in the browser", level=1)).to_be_visible()
