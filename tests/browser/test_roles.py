"""What each role sees and can reach, driven through a real browser against a live server."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Locator, Page, expect

from api.errors import TITLES
from api.web import navigation
from demo.loader import DEMO_PASSWORD
from foundation.accounts import Role
from tests.support.browser import ACCOUNTS, JOB_TIMEOUT_MS, sign_in

if TYPE_CHECKING:
    from tests.support.browser import PageErrors

pytestmark = pytest.mark.browser

Screenshot = Callable[[Page, str], Path]

ERROR_TITLES = set(TITLES.values()) | {"Something went wrong"}


UNREAD = re.compile(r" \d+ unread$")


def nav_links(page: Page) -> list[tuple[str, str]]:
    """Visible links of the main navigation (the brand link aside), as (label, href)."""
    links = page.get_by_role("navigation", name="Main").get_by_role("link")
    found = []
    for i in range(links.count()):
        link = links.nth(i)
        if not link.is_visible() or "brand" in (link.get_attribute("class") or "").split():
            continue
        # The Notifications link carries its unread count ("Notifications 3 unread").
        label = UNREAD.sub("", " ".join(link.inner_text().split()))
        found.append((label, link.get_attribute("href") or ""))
    return found


def nav_link(page: Page, label: str) -> Locator:
    name = re.compile(rf"^{re.escape(label)}( \d+ unread)?$")
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name)


def job_links(page: Page) -> list[str]:
    return page.locator("#jobs a[href^='/jobs/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def assert_not_error_page(page: Page) -> None:
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    assert heading.inner_text().strip() not in ERROR_TITLES, f"{page.url} shows an error page"
    expect(page.get_by_role("link", name="Back to the home page")).to_have_count(0)


@pytest.mark.parametrize("role", list(ACCOUNTS), ids=[r.value for r in ACCOUNTS])
def test_role_sees_its_navigation_and_every_page_renders(
    page: Page, live_server: str, screenshot: Screenshot, role: Role
) -> None:
    email, name = ACCOUNTS[role]
    sign_in(page, email)

    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}")
    expect(page.locator("footer")).to_contain_text(f"Signed in as {name}")

    expected = navigation(SimpleNamespace(role=role))  # type: ignore[arg-type]
    assert nav_links(page) == expected
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()

    for label, href in expected:
        with page.expect_navigation() as navigated:
            nav_link(page, label).click()
        response = navigated.value
        assert response is not None and response.status == 200, (
            f"{label} ({href}) answered {response and response.status}"
        )
        assert_not_error_page(page)
        # The nav stays the same on every page.
        assert nav_links(page) == expected, f"navigation differs on {page.url}"
        if page.url == live_server + href:
            expect(nav_link(page, label)).to_have_attribute("aria-current", "page")
        screenshot(page, f"{role.value}-{slug(label)}")

    # The same home page on a phone-sized screen, for a human to check the header wrapping.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot(page, f"{role.value}-home-mobile")


def test_wrong_password_shows_error_and_does_not_sign_in(
    page: Page, page_errors: PageErrors, live_server: str, screenshot: Screenshot
) -> None:
    # The page itself answers 401; chromium logs that as a console error for the document.
    page_errors.allow(r"status of 401", url=re.escape(f"{live_server}/login"))
    sign_in(page, "ben.carter@northbank.test", "not-the-password")

    expect(page).to_have_url(f"{live_server}/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to VoiceLoop")
    error = page.get_by_role("alert")
    expect(error).to_be_visible()
    expect(error).not_to_be_empty()
    expect(page.get_by_label("Work email")).to_have_value("ben.carter@northbank.test")
    expect(page.get_by_label("Work email")).to_have_attribute("aria-describedby", "login-error")
    expect(page.get_by_label("Password")).to_have_value("")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    screenshot(page, "anonymous-login-wrong-password")

    # Still signed out: the home page sends us back to the login form.
    page.goto("/")
    expect(page).to_have_url(re.compile(re.escape(f"{live_server}/login")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to VoiceLoop")


def focused(page: Page) -> str:
    """A short description of the focused element: tag#id, or tag "text" for links/buttons."""
    return page.evaluate(
        """() => {
          const el = document.activeElement;
          if (!el || el === document.body) return "body";
          const tag = el.tagName.toLowerCase();
          if (el.id) return tag + "#" + el.id;
          return tag + ' "' + el.textContent.trim() + '"';
        }"""
    )


def settle(page: Page) -> None:
    """Wait two animation frames: by then the browser has run ``autofocus`` (it does so while
    updating the rendering, which can come after the load event that ``goto`` waits for)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")


LOGIN_TAB_ORDER = [
    'a "Skip to content"',
    'a "VoiceLoop"',
    "input#email",
    "input#password",
    'button "Sign in"',
    # The footer's language switcher (signed-out pages).
    "select#language-choice",
    'button "Change language"',
]


def test_keyboard_tab_order_and_sign_in_with_enter(page: Page, live_server: str) -> None:
    page.goto("/login")
    settle(page)
    # Tab until the skip link...
    for _ in range(2 * len(LOGIN_TAB_ORDER)):
        page.keyboard.press("Tab")
        if focused(page) == LOGIN_TAB_ORDER[0]:
            break
    # ...then the document's tab order is: skip link, brand link, the fields, the button, the
    # language switcher, and after it focus leaves the page (no other tab stops) and comes back
    # to the skip link.
    stops = [focused(page)]
    for _ in range(len(LOGIN_TAB_ORDER)):
        page.keyboard.press("Tab")
        stops.append(focused(page))
    assert stops == [*LOGIN_TAB_ORDER, "body"]
    page.keyboard.press("Tab")
    assert focused(page) == LOGIN_TAB_ORDER[0]

    # The skip link shows while focused and moves focus to the main content...
    expect(page.get_by_role("link", name="Skip to content")).to_be_visible()
    page.keyboard.press("Enter")
    assert focused(page) == "main#main"
    # ...from where the next Tab is the email field. Sign in by typing and pressing Enter.
    page.keyboard.press("Tab")
    assert focused(page) == "input#email"
    page.keyboard.type(ACCOUNTS[Role.staff][0])
    page.keyboard.press("Tab")
    assert focused(page) == "input#password"
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {ACCOUNTS[Role.staff][1]}")


def test_first_tab_on_login_page_reaches_skip_link(page: Page) -> None:
    page.goto("/login")
    settle(page)
    order = []
    for _ in range(len(LOGIN_TAB_ORDER)):
        page.keyboard.press("Tab")
        order.append(focused(page))
    assert order == LOGIN_TAB_ORDER


def test_demo_job_progress_updates_live_until_done(
    page: Page, live_server: str, screenshot: Screenshot
) -> None:
    sign_in(page, ACCOUNTS[Role.admin][0])
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Hello"))
    page.goto("/jobs")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobs")
    before = set(job_links(page))

    page.get_by_text("Run the demonstration job").click()
    items = page.get_by_label("Number of items")
    expect(items).to_be_visible()
    items.fill("50")
    with page.expect_response(
        lambda r: r.url == f"{live_server}/jobs/demo" and r.request.method == "POST"
    ) as started:
        page.get_by_role("button", name="Start").click()
    assert started.value.status == 201

    new = [href for href in job_links(page) if href not in before]
    assert len(new) == 1, f"expected one new job row, got {new}"
    row = page.locator("#jobs tr", has=page.locator(f"a[href='{new[0]}']"))
    expect(row).to_have_count(1)
    # Only htmx polling (every 1 s) updates the row from here on: nothing reloads the page.
    progress = row.locator("progress")
    expect(row.locator("td").nth(3).locator("small")).to_have_text(
        "50 / 50 (100%)", timeout=JOB_TIMEOUT_MS
    )
    expect(row.locator(".badge")).to_have_text("succeeded", timeout=JOB_TIMEOUT_MS)
    expect(progress).to_have_attribute("value", "50")
    expect(progress).to_have_attribute("max", "50")
    # With nothing left running, the polling stops.
    expect(page.locator("#jobs > div[hx-trigger]")).to_have_count(0, timeout=5_000)
    screenshot(page, "admin-jobs-finished")


def _team_id(database_path: Path, name: str) -> int:
    with sqlite3.connect(f"file:{database_path}?mode=ro", uri=True) as db:
        row = db.execute("SELECT id FROM team WHERE name = ?", (name,)).fetchone()
    assert row is not None, f"no team {name!r} in the demo data"
    return int(row[0])


def test_team_leader_cannot_open_another_teams_roster(
    page: Page,
    page_errors: PageErrors,
    live_server: str,
    database_path: Path,
    screenshot: Screenshot,
) -> None:
    severn = _team_id(database_path, "Severn")
    thames = _team_id(database_path, "Thames")
    page_errors.allow(r"status of 404", url=re.escape(f"{live_server}/teams/{severn}"))
    sign_in(page, ACCOUNTS[Role.team_lead][0])
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("^Hello"))

    # Their own team opens.
    page.goto(f"/teams/{thames}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Thames")

    response = page.goto(f"/teams/{severn}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
    expect(page.get_by_role("table")).to_have_count(0)
    expect(page.get_by_text("Severn")).to_have_count(0)
    expect(page.get_by_text("Grace Lin")).to_have_count(0)  # Severn's leader
    expect(page.get_by_text("Ben Carter")).to_have_count(0)  # a Severn agent
    screenshot(page, "team_lead-other-team-not-found")


def test_page_fixture_catches_csp_violations_and_script_errors(
    page: Page, page_errors: PageErrors, live_server: str
) -> None:
    """Guards the guard: the collector behind ``page`` sees what it is meant to fail on."""
    page.goto("/login")
    page.evaluate(
        """() => {
          const s = document.createElement("script");
          s.textContent = "window.inlineRan = true";
          document.head.appendChild(s);
          setTimeout(() => { throw new Error("deliberate test error"); }, 0);
        }"""
    )
    for _ in range(50):
        if len(page_errors.problems) >= 3:
            break
        page.wait_for_timeout(100)
    found = "\n".join(page_errors.problems)
    assert page.evaluate("() => window.inlineRan") is None  # the CSP blocked it
    assert "inline script violates the following Content Security Policy" in found  # chromium
    assert "[CSP violation] Content Security Policy violation (securitypolicyviolation" in found
    assert "[pageerror] deliberate test error" in found
    page_errors.problems.clear()  # all expected: let the teardown check pass
