"""The theme page builders, each against a session: the list by view and sort, the run
status, the unthemed ideas and one theme's evidence."""

from __future__ import annotations

from api.pages import themes as pages
from foundation.accounts import Role
from foundation.ids import pk
from ideas.themes.models import DocumentKind, ThemeStatus
from jobs.models import Job, JobStatus
from tests.support.coaching import make_theme, seed_theme
from tests.support.ideas import add_member, make_idea


def test_the_list_shows_current_themes_with_trends_and_falls_back_on_unknown_choices(
    db, make, settings
):
    theme = seed_theme(db, make.team())
    dismissed = make_theme(db, "Old news")
    dismissed.status = ThemeStatus.dismissed
    db.flush()
    page = pages.theme_list_page(db, settings, sort="nonsense", view="nonsense")
    assert (page.sort, page.view) == ("size", "active")
    assert [t.id for t in page.themes] == [theme.id]
    theme_id = pk(theme)
    assert sum(page.trends[theme_id]) == 10 and len(page.trends[theme_id]) == pages.WEEKS
    spark = page.sparklines[theme_id]
    assert spark["type"] == "line" and len(spark["labels"]) == pages.WEEKS
    assert spark["datasets"][0]["data"] == page.trends[theme_id]
    assert page.growth[theme_id] == 10  # all ten calls were three days ago
    assert page.job is None and page.run is None and page.unthemed == (0, 0.0)
    assert page.min_group_size == settings.min_group_size and page.sorts is pages.SORTS
    shown = pages.theme_list_page(db, settings, sort="growth", view="dismissed")
    assert (shown.sort, shown.view) == ("growth", "dismissed")
    assert [t.id for t in shown.themes] == [dismissed.id]


def test_the_run_status_names_a_pending_clustering_job(db, make, settings):
    status = pages.run_status(db)
    assert status.job is None and status.run is None
    db.add(Job(kind="import.interactions"))
    db.add(job := Job(kind=pages.CLUSTER_JOB))
    db.flush()
    assert pages.run_status(db).job == job
    job.status = JobStatus.succeeded
    db.flush()
    assert pages.run_status(db).job is None


def test_unthemed_ideas_are_the_visible_ideas_no_theme_took(db, make, settings):
    author = make.user(Role.staff, make.team())
    lone, _ = make_idea(db, author, "Longer hold music warnings", body="")
    taken, _ = make_idea(db, author, "Card replacement takes too long")
    theme = make_theme(db)  # after the ideas: neither joined a theme when submitted
    add_member(db, theme, pk(taken), taken.created_at, kind=DocumentKind.idea)
    page = pages.unthemed_page(db, 1)
    assert [i.id for i in page.ideas] == [lone.id]
    assert page.page == 1 and page.run is None and page.unthemed == (0, 0.0)
    assert pages.unthemed_page(db, 2).ideas == []


def test_a_themes_page_holds_its_evidence_outcomes_and_chart(db, make, settings):
    team = make.team()
    theme = seed_theme(db, team)
    author = make.user(Role.staff, team)
    idea, _ = make_idea(db, author)
    add_member(db, theme, pk(idea), idea.created_at, kind=DocumentKind.idea)
    cx = make.user(Role.cx_lead)
    page = pages.theme_page(db, settings, theme)
    assert page.theme.id == theme.id
    assert [i.id for i in page.ideas] == [idea.id] and page.idea_total == 1
    assert len(page.gaps) == 10 and page.gap_total == 10
    chart = page.trend_chart
    assert chart["type"] == "bar" and [d.get("label") for d in chart["datasets"]] == [
        "Ideas",
        "Gap evidence",
    ]
    assert len(page.trend_rows) == pages.WEEKS
    assert sum(r[2] for r in page.trend_rows) == 10 and sum(r[1] for r in page.trend_rows) == 1
    assert [r[0] for r in page.trend_rows] == chart["labels"]
    assert page.inside.agents == 5 and page.enough
    assert page.vulnerability == 1
    assert {r.action for r in page.remedies} >= {"card_reissued"}
    assert cx.id in {u.id for u in page.leads}
    assert page.plan is None and page.history == [] and page.children == []
    assert page.merged_into is None and page.split_from is None
    assert page.statuses is ThemeStatus and page.errors == {} and page.values == {}
    refused = pages.theme_page(db, settings, theme, errors={"due_date": "No"}, values={"x": 1})
    assert refused.errors == {"due_date": "No"} and refused.values == {"x": 1}
