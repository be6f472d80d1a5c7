"""The coaching loop in a real browser: a CX lead turns a theme into a module and publishes it,
a team leader assigns it with a due date, an agent passes the check, the team leader sees the
completion; and an agent finds a guide with words that are not in its title."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from foundation.accounts import Role
from tests.support.browser import ACCOUNTS, sign_in

pytestmark = pytest.mark.browser

Screenshot = Callable[[Page, str], Path]
TITLE = "Coached in the browser"


def _right_answers(page: Page) -> list[str]:
    """The right option of each question, as the module page shows it to its author."""
    answers = []
    questions = page.locator("section[aria-labelledby='h-latest'] ol > li")
    for i in range(questions.count()):
        right = questions.nth(i).locator("li", has_text="right answer")
        answers.append(right.inner_text().replace("right answer", "").strip())
    return answers


def _publish_a_module_from_a_theme(page: Page) -> tuple[str, list[str]]:
    sign_in(page, ACCOUNTS[Role.cx_lead][0])
    page.goto("/themes")
    page.locator("table.themes tbody tr").first.get_by_role("link").click()
    expect(page.get_by_role("heading", name="Coaching and guides")).to_be_visible()
    page.get_by_role("button", name="Create a module from this theme").click()
    expect(page.get_by_text("Draft", exact=True).first).to_be_visible()
    expect(page.get_by_label("Body")).to_have_value(re.compile(r"## Why it matters"))
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_text("Version 1", exact=True).first).to_be_visible()
    answers = _right_answers(page)
    assert answers, "a module drafted from a theme comes with check questions"
    return page.url, answers


def test_from_theme_to_module_to_completion(
    page: Page, new_page: Callable[[], Page], screenshot: Screenshot
) -> None:
    module_url, answers = _publish_a_module_from_a_theme(page)
    screenshot(page, "coaching-module")

    leader = new_page()
    sign_in(leader, ACCOUNTS[Role.team_lead][0])
    leader.get_by_role("link", name="Coaching", exact=True).click()
    leader.locator("li", has_text=TITLE).get_by_role("link", name="Assign").click()
    agent_name = ACCOUNTS[Role.staff][1]
    leader.get_by_label(agent_name).check()
    due = date.today() + timedelta(days=7)
    leader.get_by_label("Due date").fill(due.isoformat())
    leader.get_by_role("button", name="Assign").click()
    expect(leader.get_by_text("Assigned to 1 agent.")).to_be_visible()

    agent = new_page()
    sign_in(agent, ACCOUNTS[Role.staff][0])
    expect(agent.get_by_role("heading", name="My coaching")).to_be_visible()
    agent.get_by_role("link", name=TITLE).first.click()
    expect(agent.get_by_role("heading", name=TITLE, level=1)).to_be_visible()
    expect(agent.get_by_text(f"Due {due.strftime('%d %b %Y')}")).to_be_visible()
    for i, answer in enumerate(answers):
        agent.locator("#check fieldset").nth(i).get_by_label(answer, exact=True).check()
    agent.get_by_role("button", name="Check my answers").click()
    expect(agent.get_by_text(f"You got {len(answers)} of {len(answers)} right.")).to_be_visible()
    agent.get_by_role("button", name="I have read and understood").click()
    expect(agent.get_by_text(re.compile(r"^Completed on "))).to_be_visible()
    screenshot(agent, "coaching-assignment-complete")

    leader.goto("/coaching")
    row = leader.locator("tr", has_text=agent_name)
    expect(row).to_contain_text(re.compile(rf"{TITLE}: Completed \d\d \w+ \d{{4}}"))
    screenshot(leader, "coaching-team-leader")

    page.goto(module_url)
    expect(page.get_by_role("heading", name="Completion across teams")).to_be_visible()
    _report_tells_the_loop(page, screenshot)


def _report_tells_the_loop(page: Page, screenshot: Screenshot) -> None:
    """The CX lead closes the loop: a report for the last 30 days, whose first page is the
    summary (kept as an image) and whose story sections include the module just completed; its
    PDF is a real PDF, kept beside the screenshots."""
    page.get_by_role("link", name="Reports", exact=True).click()
    page.get_by_label("From (first day)").fill((date.today() - timedelta(days=30)).isoformat())
    page.get_by_label("To (last day)").fill(date.today().isoformat())
    page.get_by_role("button", name="Generate report").click()
    summary = page.locator("section.report-summary")
    expect(summary.get_by_role("heading", name="Consumer Duty outcomes report")).to_be_visible()
    expect(summary).to_contain_text("Consumer understanding")
    expect(summary.locator("svg[role=img]").first).to_be_visible()
    shots = screenshot(page, "report").parent  # the whole report, and its parts below
    summary.screenshot(path=str(shots / "report-first-page.png"))
    story = page.locator("article.report-theme", has_text=TITLE)
    expect(story).to_contain_text("Found")
    expect(story).to_contain_text(re.compile(r"\d+ of \d+ agents assigned coaching in the period"))
    story.screenshot(path=str(shots / "report-theme-story.png"))
    pdf = page.request.get(page.url + ".pdf")
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    (shots.parent / "outcomes-report.pdf").write_bytes(pdf.body())


def test_an_agent_finds_a_guide_in_their_own_words(page: Page, screenshot: Screenshot) -> None:
    sign_in(page, ACCOUNTS[Role.staff][0])
    page.get_by_role("link", name="Guides", exact=True).click()
    search = page.get_by_label("Search guides")
    expect(search).to_be_focused()
    search.press_sequentially("someone nicked my purse with my bank card in it", delay=10)
    hit = page.locator("#guide-results a").first
    expect(hit).to_contain_text("Lost or stolen card")
    screenshot(page, "guide-search")
    hit.click()
    expect(page.get_by_role("heading", name="Lost or stolen card", level=1)).to_be_visible()


def test_the_demo_measures_the_effect_of_its_coaching(page: Page, screenshot: Screenshot) -> None:
    """The demo's Severn agents were coached on disputed payments (and the generator handles
    their later contacts better), so the module page has an estimate, not "not enough data",
    and it is negative: the coached agents' gap rate fell, and by more than the others'."""
    sign_in(page, ACCOUNTS[Role.cx_lead][0])
    page.get_by_role("link", name="Coaching", exact=True).click()
    page.get_by_role("link", name="Disputed card payments and chargebacks").click()
    effect = page.locator(".coaching-effect")
    summary = effect.locator("strong").first.inner_text()
    found = re.search(r"had (\d+\.\d) (fewer|more) gap signals per 100 contacts", summary)
    assert found, summary
    assert found[2] == "fewer", f"the coached agents' gap rate should fall: {summary}"
    # The event study: drawn on the server, with the weeks before and after coaching.
    expect(effect.locator("svg[role=img]")).to_be_visible()
    expect(effect.locator("svg[role=img] title").first).to_contain_text("path without coaching")
    effect.get_by_text("What this estimate assumes").click()
    expect(effect).to_contain_text("moved in parallel")
    screenshot(page, "coaching-effect")


def test_an_agent_is_reminded_of_overdue_coaching(page: Page) -> None:
    sign_in(page, ACCOUNTS[Role.staff][0])
    expect(page.locator("li.overdue").first).to_contain_text("Overdue")
    page.get_by_role("link", name=re.compile(r"^Notifications")).click()
    page.get_by_role("link", name=re.compile(r"^Coaching overdue: ")).first.click()
    expect(page.get_by_text("Overdue", exact=True)).to_be_visible()
