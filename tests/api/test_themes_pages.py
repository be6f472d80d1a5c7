"""Theme pages and API: who may see them, what they show, and the review actions.

Themes are written through ``themes.apply_run`` from a hand-made clustering of real ideas and
real interactions, so the pages read exactly what a run leaves behind."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
from sqlalchemy import delete
from sqlmodel import Session, col, select

from coaching.interactions.evidence import Corpus
from coaching.interactions.models import Outcome, SignalKind
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.embeddings import Embedding, from_bytes, get_embedder
from foundation.ids import pk
from foundation.settings import get_settings
from ideas.submissions.models import Idea
from ideas.themes import clustering
from ideas.themes import documents as theme_documents
from ideas.themes import queries as theme_queries
from ideas.themes import runs as theme_runs
from ideas.themes.models import (
    DocumentKind,
    Theme,
    ThemeArea,
    ThemeEvent,
    ThemeMember,
    ThemeState,
    ThemeStatus,
)
from jobs.models import Job
from tests.support.coaching import add_agents, add_interaction
from tests.support.harness import hx, sign_in
from tests.support.ideas import make_idea

CARD_IDEAS = ("New cards take ten days to arrive", "Let customers track a replacement card")
CARD_CALLS = (
    "My new card still hasn't arrived, where is it?",
    "When will my replacement card be delivered?",
    "I ordered a card two weeks ago and nothing came.",
)
OTHER_IDEAS = ("Mortgage offers expire before valuations come back",)
OTHER_CALLS = ("Can I overpay my mortgage without a fee?", "How do I port my mortgage?")


def seed(db: Session, make) -> tuple[Theme, Theme]:
    """Two themes (cards, mortgages) from ideas and gap evidence of five agents' calls."""
    team = make.team("Cards team")
    agents = add_agents(db, 5, prefix="TH-")
    author = make.user(team=team)
    for title in CARD_IDEAS + OTHER_IDEAS:
        make_idea(db, author, title, body="")
    when = utcnow() - timedelta(days=3)
    for i, question in enumerate(CARD_CALLS * 2 + OTHER_CALLS):
        row = add_interaction(
            db,
            agents[i % 5],
            team,
            when,
            signals=[SignalKind.uncertainty, SignalKind.missed_vulnerability][: 1 + (i == 0)],
            actions=["card_reissued"],
            outcome=Outcome.resolved if i % 2 else Outcome.unresolved,
            csat=2 + i % 3,
        )
        row.turns = [{"speaker": "customer", "text": question}]
    db.flush()
    model = get_embedder(get_settings()).model_name
    docs = Corpus(model).documents(db)
    vectors = get_embedder(get_settings()).encode([d.text for d in docs])
    theme_documents.store_vectors(db, docs, vectors, model)
    groups = [
        [i for i, d in enumerate(docs) if ("card" in d.text.lower()) == wanted]
        for wanted in (True, False)
    ]
    infos = []
    for members in groups:
        centroid = vectors[members].mean(axis=0)
        infos.append(
            clustering.ClusterInfo(
                members=np.array(members),
                centroid=(centroid / np.linalg.norm(centroid)).astype(np.float32),
                keywords=["card", "arrive"] if members == groups[0] else ["mortgage", "overpay"],
                label="Card arrival" if members == groups[0] else "Mortgage overpayment",
                representatives=members[:3],
            )
        )
    labels = np.full(len(docs), -1)
    for c, members in enumerate(groups):
        labels[members] = c
    result = clustering.ClusterResult(labels=labels, clusters=infos, unthemed_share=0.0)
    theme_runs.apply_run(db, docs, vectors, result)
    db.commit()
    cards, mortgages = theme_queries.list_themes(db)
    return cards, mortgages


def test_staff_and_team_leaders_cannot_see_themes(client, db, make, settings):
    cards, _ = seed(db, make)
    for role in (Role.staff, Role.team_lead):
        sign_in(client, db, settings, make.user(role, make.team()))
        for url in ("/themes", f"/themes/{cards.id}", "/api/v1/themes", "/themes/unthemed"):
            assert client.get(url).status_code == 403, (role, url)
        response = client.post(f"/themes/{cards.id}/rename", data={"name": "x"}, headers=hx(client))
        assert response.status_code == 403


def test_theme_list_shows_sizes_sources_trend_and_last_run(client, db, make, settings):
    cards, mortgages = seed(db, make)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    page = client.get("/themes")
    assert page.status_code == 200
    text = page.text
    assert "Card arrival" in text and "Mortgage overpayment" in text
    assert f"{cards.idea_count} / {cards.gap_count}" in text
    assert "data-chart-sparkline" in text
    assert "Last computed" in text and f"on {cards.size + mortgages.size} documents" in text
    assert "Cards team" in text  # five agents contributed: the team is named
    growth = client.get(
        "/themes?sort=growth&view=active", headers=hx(client, **{"HX-Target": "theme-table"})
    )
    assert growth.status_code == 200 and "<html" not in growth.text
    assert "Vary" in growth.headers and "HX-Request" in growth.headers["Vary"]


def test_theme_page_shows_both_sources_outcomes_and_history(client, db, make, settings):
    cards, _ = seed(db, make)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    page = client.get(f"/themes/{cards.id}")
    assert page.status_code == 200
    text = page.text
    assert CARD_IDEAS[0] in text and CARD_CALLS[1] in text
    assert "Uncertainty" in text and "Cards team" in text
    assert "Inside" in text and "Outside" in text
    assert "Card reissued" in text and "card_reissued" not in text  # the action in plain words
    assert "Vulnerability signals missed in this theme: <strong>1</strong>" in text
    assert "Found by a clustering run." in text
    assert client.get("/themes/999999").status_code == 404
    assert client.get("/themes/abc").status_code == 422


def test_review_actions_change_the_theme_and_its_history(client, db, make, settings):
    cards, _ = seed(db, make)
    lead = make.user(Role.cx_lead)
    sign_in(client, db, settings, lead)
    headers = hx(client)
    assert (
        client.post(
            f"/themes/{cards.id}/rename", data={"name": "Card delivery"}, headers=headers
        ).status_code
        == 204
    )
    bad = client.post(f"/themes/{cards.id}/status", data={"status": "dismissed"}, headers=headers)
    assert bad.status_code == 422 and "Say why" in bad.text
    assert (
        client.post(
            f"/themes/{cards.id}/status", data={"status": "nonsense"}, headers=headers
        ).status_code
        == 422
    )
    ok = client.post(f"/themes/{cards.id}/status", data={"status": "actioned"}, headers=headers)
    assert ok.status_code == 204
    plan = client.post(
        f"/themes/{cards.id}/plan",
        data={
            "owner_id": str(lead.id),
            "due_date": "2027-01-31",
            "status": "in_progress",
            "note": "Tracking link",
        },
        headers=headers,
    )
    assert plan.status_code == 204
    invalid = client.post(
        f"/themes/{cards.id}/plan", data={"due_date": "31/01/2027"}, headers=headers
    )
    assert invalid.status_code == 422 and "field-error" in invalid.text
    db.expire_all()
    theme = db.get(Theme, cards.id)
    assert theme.name == "Card delivery" and theme.renamed and theme.status == ThemeStatus.actioned
    actions = [e.action for e in theme_queries.history(db, pk(cards))]
    assert actions[:3] == ["plan", "actioned", "renamed"]
    page = client.get(f"/themes/{cards.id}").text
    assert "Tracking link" in page and lead.display_name in page


def test_merge_and_split_from_the_page(client, db, make, settings):
    cards, mortgages = seed(db, make)
    total = cards.size + mortgages.size
    sign_in(client, db, settings, make.user(Role.cx_lead))
    headers = hx(client)
    assert (
        client.post(f"/themes/{cards.id}/merge", data={"into": "abc"}, headers=headers).status_code
        == 422
    )
    assert (
        client.post(
            f"/themes/{cards.id}/merge", data={"into": "999999"}, headers=headers
        ).status_code
        == 404
    )
    assert (
        client.post(
            f"/themes/{cards.id}/merge", data={"into": str(cards.id)}, headers=headers
        ).status_code
        == 422
    )
    merged = client.post(
        f"/themes/{mortgages.id}/merge", data={"into": str(cards.id)}, headers=headers
    )
    assert merged.status_code == 204 and merged.headers["HX-Location"] == f"/themes/{cards.id}"
    db.expire_all()
    assert db.get(Theme, mortgages.id).state == ThemeState.merged
    assert db.get(Theme, cards.id).size == total
    # The merged-away theme can no longer be edited; its page says where it went.
    assert (
        client.post(
            f"/themes/{mortgages.id}/rename", data={"name": "x"}, headers=headers
        ).status_code
        == 409
    )
    assert "Merged into" in client.get(f"/themes/{mortgages.id}").text

    assert (
        client.post(f"/themes/{cards.id}/split", data={"parts": "x"}, headers=headers).status_code
        == 422
    )
    split = client.post(f"/themes/{cards.id}/split", data={"parts": "2"}, headers=headers)
    assert split.status_code == 204
    db.expire_all()
    children = db.exec(select(Theme).where(Theme.split_from_id == cards.id)).all()
    assert len(children) == 2 and db.get(Theme, cards.id).state == ThemeState.split_up
    assert sum(c.size for c in children) == total
    assert all(e.action == "created" for c in children for e in theme_queries.history(db, c.id))


def test_rerun_button_starts_one_job_and_shows_progress(client, db, make, settings):
    seed(db, make)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    assert client.post("/themes/run", headers=hx(client)).status_code == 204
    assert client.post("/themes/run", headers=hx(client)).status_code == 204
    db.expire_all()
    assert len(db.exec(select(Job).where(Job.kind == "themes.cluster")).all()) == 1
    page = client.get("/themes")
    assert "<progress" in page.text and "Re-clustering" in page.text


def test_api_lists_themes_and_members(client, db, make, settings):
    cards, _ = seed(db, make)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    listed = client.get("/api/v1/themes").json()
    assert {t["name"] for t in listed["items"]} == {"Card arrival", "Mortgage overpayment"}
    assert listed["run"]["documents"] == sum(t["size"] for t in listed["items"])
    one = client.get(f"/api/v1/themes/{cards.id}").json()
    assert one["idea_count"] == cards.idea_count
    members = client.get(f"/api/v1/themes/{cards.id}/members?kind=gap").json()
    assert members["total"] == cards.gap_count and all(m["kind"] == "gap" for m in members["items"])
    assert client.get("/api/v1/themes/999999").status_code == 404
    assert client.get(f"/api/v1/themes/{cards.id}/members?page=0").status_code == 422
    # No author, anywhere: member rows carry the idea id only.
    assert all(
        set(m) == {"theme_id", "kind", "source_id", "similarity", "via", "occurred_at"}
        for m in members["items"]
    )


def test_a_submitted_idea_joins_its_theme_and_a_hidden_one_leaves(client, db, make, settings):
    cards, _ = seed(db, make)
    author = make.user()
    idea, _ = make_idea(
        db,
        author,
        "Replacement cards should arrive faster",
        body="Customers chase new cards that never arrive.",
    )
    member = db.exec(
        select(ThemeMember).where(ThemeMember.source_id == idea.id, ThemeMember.kind == "idea")
    ).first()
    assert member is not None and member.theme_id == cards.id and member.via == "nearest"
    from ideas.submissions import moderation as idea_moderation

    idea_moderation.hide_idea(db, make.user(Role.cx_lead), idea, "duplicate")
    assert (
        db.exec(
            select(ThemeMember).where(ThemeMember.source_id == idea.id, ThemeMember.kind == "idea")
        ).first()
        is None
    )
    assert db.exec(select(ThemeEvent)).first() is not None


def _idea_item(text: str, title: str) -> str:
    """The list item of one idea on a theme page."""
    start = text.index(f">{title}</a>")
    return text[start : text.index("</li>", start)]


def test_theme_page_says_why_each_idea_is_in_the_theme(client, db, make, settings):
    cards, _ = seed(db, make)
    writer = make.user()
    writer.display_name = "Quinn Anonymous-Writer"
    db.flush()
    anonymous, _ = make_idea(
        db, writer, "Replacement cards never arrive", body="Where is my card?", anonymous=True
    )
    model = get_embedder(get_settings()).model_name
    vectors = {
        (row.source, row.source_id): from_bytes(row.vector)
        for row in db.exec(select(Embedding).where(Embedding.model == model))
    }
    gap_ids = theme_queries.member_ids(db, pk(cards), DocumentKind.gap)
    assert cards.centroid is not None
    centroid = from_bytes(cards.centroid)
    idea = db.exec(select(Idea).where(Idea.title == CARD_IDEAS[0])).one()
    vector = vectors[("idea", pk(idea))]
    closest = max(float(vector @ vectors[("gap", g)]) for g in gap_ids)
    # The seed repeats each call: equally near copies are all right answers.
    nearest = {g for g in gap_ids if float(vector @ vectors[("gap", g)]) >= closest - 1e-6}
    sign_in(client, db, settings, make.user(Role.cx_lead))

    text = client.get(f"/themes/{cards.id}").text

    item = _idea_item(text, CARD_IDEAS[0])
    similarity = float(vector @ centroid)
    level = (
        "Close match" if similarity >= 0.7 else "Good match" if similarity >= 0.5 else "Loose match"
    )
    assert f"Why here: {level} ({similarity:.2f})" in item
    linked = re.search(r'href="#evidence-(\d+)"', item)
    assert linked is not None and int(linked[1]) in nearest
    assert f'id="evidence-{linked[1]}"' in text  # the evidence listed beside it
    assert "nearest evidence: " in item and "<q>Customer: " in item
    assert "a close match from 0.70, a good match from 0.50" in text
    # Anonymous: explained like any other, and nothing about who wrote it.
    assert pk(anonymous) in theme_queries.member_ids(db, pk(cards), DocumentKind.idea)
    assert "Why here: " in _idea_item(text, "Replacement cards never arrive")
    assert "Quinn" not in text
    # An idea whose vector is not stored (yet) is listed without an explanation.
    db.exec(
        delete(Embedding).where(
            col(Embedding.source) == "idea", col(Embedding.source_id) == idea.id
        )
    )
    db.commit()
    text = client.get(f"/themes/{cards.id}").text
    assert "Why here" not in _idea_item(text, CARD_IDEAS[0])
    assert "Why here" in _idea_item(text, CARD_IDEAS[1])
    # Role rules unchanged: the explanation is on a CX lead's page only.
    sign_in(client, db, settings, make.user(Role.team_lead, make.team()))
    assert client.get(f"/themes/{cards.id}").status_code == 403


def seed_areas(db: Session, make) -> tuple[Theme, Theme, ThemeArea, ThemeArea]:
    cards, mortgages = seed(db, make)
    return cards, mortgages, *add_areas(db, cards, mortgages)


def add_areas(db: Session, cards: Theme, mortgages: Theme) -> tuple[ThemeArea, ThemeArea]:
    """Each theme in an area of its own (a run groups into areas only from eight themes, so
    the areas are written here as ``area_runs.assign_areas`` leaves them)."""
    found = []
    for theme, name, words in (
        (cards, "Cards and delivery", ["card", "delivery"]),
        (mortgages, "Mortgages", ["mortgage", "valuation"]),
    ):
        labels = {"en": {"name": name, "keywords": words, "count": theme.size}}
        area = ThemeArea(name=name, keywords=words, labels=labels, centroid=theme.centroid)
        db.add(area)
        db.flush()
        theme.area_id = area.id
        found.append(area)
    db.commit()
    return found[0], found[1]


def test_theme_list_opens_on_areas_with_size_and_trend(client, db, make, settings):
    cards, mortgages = seed(db, make)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    assert 'id="h-areas"' not in client.get("/themes").text  # too few themes: no areas
    card_area, _ = add_areas(db, cards, mortgages)
    text = client.get("/themes").text
    areas = text[text.index('id="h-areas"') : text.index('id="theme-filters"')]
    assert "Cards and delivery" in areas and "Mortgages" in areas
    assert areas.index("Cards and delivery") < areas.index("Mortgages")  # largest first
    assert f'href="/themes?area={card_area.id}"' in areas
    assert f'hx-get="/themes?area={card_area.id}"' in areas
    assert f"{cards.idea_count} / {cards.gap_count}" in areas
    assert areas.count("data-chart-sparkline") == 2 and "vs previous 4 weeks" in areas


def test_an_area_filters_the_theme_table(client, db, make, settings):
    cards, _, card_area, mortgage_area = seed_areas(db, make)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    page = client.get(f"/themes?area={card_area.id}")
    assert page.status_code == 200
    table = page.text[page.text.index('id="theme-table"') :]
    assert "Card arrival" in table and "Mortgage overpayment" not in table
    assert "All areas" in table and 'href="/themes?view=active&amp;sort=size"' in table
    assert f'name="area" value="{card_area.id}" form="theme-filters"' in table
    fragment = client.get(
        f"/themes?area={mortgage_area.id}&sort=growth",
        headers=hx(client, **{"HX-Target": "theme-table"}),
    )
    assert fragment.status_code == 200 and "<html" not in fragment.text
    assert "Mortgage overpayment" in fragment.text and "Card arrival" not in fragment.text
    everything = client.get("/themes").text
    assert "Card arrival" in everything and "Mortgage overpayment" in everything
    assert "All areas" not in everything
    detail = client.get(f"/themes/{cards.id}").text
    assert f'<a href="/themes?area={card_area.id}"' in detail and "Cards and delivery" in detail


def test_unknown_area_is_not_found_and_roles_are_checked(client, db, make, settings):
    _, _, card_area, _ = seed_areas(db, make)
    for role in (Role.staff, Role.team_lead):
        sign_in(client, db, settings, make.user(role, make.team()))
        assert client.get(f"/themes?area={card_area.id}").status_code == 403, role
    sign_in(client, db, settings, make.user(Role.cx_lead))
    missing = client.get("/themes?area=999999")
    assert missing.status_code == 404 and "No such area" in missing.text
    assert client.get("/themes?area=abc").status_code == 422
    assert client.get("/themes?area=0").status_code == 422


def test_api_lists_areas_and_filters_themes_by_area(client, db, make, settings):
    cards, _, _, mortgage_area = seed_areas(db, make)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    areas = client.get("/api/v1/themes/areas").json()["items"]
    assert [a["name"] for a in areas] == ["Cards and delivery", "Mortgages"]  # largest first
    assert areas[0]["themes"] == 1 and areas[0]["size"] == cards.size
    assert len(areas[0]["weekly"]) == 12 and areas[0]["keywords"] == ["card", "delivery"]
    inside = client.get(f"/api/v1/themes?area_id={mortgage_area.id}").json()["items"]
    assert [t["name"] for t in inside] == ["Mortgage overpayment"]
    assert inside[0]["area_id"] == mortgage_area.id
    assert client.get("/api/v1/themes?area_id=999999").status_code == 404
    assert client.get("/api/v1/themes?area_id=x").status_code == 422
    sign_in(client, db, settings, make.user(Role.team_lead, make.team()))
    assert client.get("/api/v1/themes/areas").status_code == 403
