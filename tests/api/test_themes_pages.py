"""Theme pages and API: who may see them, what they show, and the review actions.

Themes are written through ``themes.apply_run`` from a hand-made clustering of real ideas and
real interactions, so the pages read exactly what a run leaves behind."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
from sqlmodel import Session, select

from coaching.interactions.evidence import Corpus
from coaching.interactions.models import Outcome, SignalKind
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.embeddings import get_embedder
from foundation.ids import pk
from foundation.settings import get_settings
from ideas.themes import clustering
from ideas.themes import documents as theme_documents
from ideas.themes import queries as theme_queries
from ideas.themes import runs as theme_runs
from ideas.themes.models import Theme, ThemeEvent, ThemeMember, ThemeState, ThemeStatus
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
    assert "card_reissued" in text
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
