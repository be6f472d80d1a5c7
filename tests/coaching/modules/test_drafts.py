"""Module and guide drafts that teach: written from a theme's contacts (the customers' questions,
the most central answers on contacts that went well, what went wrong, vulnerability cues,
linked guides), with every quote linked to its evidence, actions in plain words and claims
only above the minimum sample (SQLite and PostgreSQL)."""

from __future__ import annotations

import re
from datetime import timedelta

import numpy as np
from sqlmodel import select

from coaching.guides import drafts as guide_drafts
from coaching.guides.models import Guide, GuidePassage, GuideStatus, GuideTheme, GuideVersion
from coaching.interactions import actions as action_labels
from coaching.interactions import answers
from coaching.interactions.models import ActionLabel, Outcome, Signal, SignalKind
from coaching.modules import drafts as module_drafts
from foundation.accounts import Role
from foundation.clock import utcnow
from foundation.ids import pk
from foundation.markdown import render
from foundation.settings import Settings
from tests.support.coaching import add_agents, add_interaction, add_to_theme, make_theme
from tests.support.harness import hx, sign_in

PHRASES = Settings().uncertainty_phrases

QUESTION = "Why is my card payment to the hotel still showing as pending?"
GREETING = "Hi, you're speaking to Priya at Northbank, how can I help?"
GOOD = [
    "That payment is still pending, which means the merchant has only reserved the money; it "
    "drops off within 7 days if they do not take it.",
    "Pending means the merchant has only reserved the money and not taken it yet; it drops off "
    "within 7 days.",
    "The hotel has only reserved the money while you stay; a pending payment drops off within 7 "
    "days if the merchant does not take it.",
    "It shows as pending because the merchant reserved the money; the reservation drops off "
    "within 7 days.",
]
ODD = "I have updated your postal address and ordered a brand new debit card for the account."
UNRESOLVED_QUESTION = "The pending payment has been on my account for two weeks, when will it go?"
UNSURE = "I'm not sure how long a retailer can hold a pending payment for, sorry."
CUE = 'customer cue "passed away" (bereavement; FCA driver: life events) with no agent ack'


def seed_pending(db, team):
    """A theme like the demo's pending card payments: five agents; nine contacts used the
    knowledge article (seven resolved well), one more went well with an odd answer, two were
    unresolved with the agent unsure, one customer's bereavement went unacted on."""
    theme = make_theme(db, "Pending card payments")
    agents = add_agents(db, 5, prefix="PEND-")
    when = utcnow() - timedelta(days=3)
    rows = []
    for i in range(9):
        resolved = i < 7
        row = add_interaction(
            db,
            agents[i % 5],
            team,
            when,
            signals=[SignalKind.negative_sentiment] if resolved else [SignalKind.uncertainty],
            actions=["KB_ARTICLE"],
            outcome=Outcome.resolved if resolved else Outcome.unresolved,
            csat=5 if resolved else 2,
        )
        answer = GOOD[i % len(GOOD)] if resolved else UNSURE
        row.turns = [
            {"speaker": "agent", "text": GREETING},
            {"speaker": "customer", "text": QUESTION if resolved else UNRESOLVED_QUESTION},
            {"speaker": "agent", "text": answer},
            {"speaker": "agent", "text": "Is there anything else I can help with today?"},
            {"speaker": "customer", "text": "No, thanks."},
            {"speaker": "agent", "text": "Thanks for calling, take care."},
        ]
        add_to_theme(db, theme, row)
        rows.append(row)
    odd = add_interaction(
        db, agents[0], team, when, actions=["VULN_FLAG"], outcome=Outcome.resolved, csat=5
    )
    odd.turns = [
        {"speaker": "customer", "text": QUESTION},
        {"speaker": "agent", "text": ODD},
        {"speaker": "agent", "text": "Thanks for calling, take care."},
    ]
    add_to_theme(db, theme, odd)
    db.add(
        Signal(
            interaction_id=pk(rows[7]),
            kind=SignalKind.missed_vulnerability,
            evidence="Customer: my husband passed away",
            reason=CUE,
        )
    )
    db.flush()
    return theme, agents, rows, odd


def _linked_ids(text: str) -> list[int]:
    return [int(i) for i in re.findall(r"\]\(/gaps/contacts/(\d+)\)", text)]


def test_a_module_draft_teaches_from_the_contacts(db, make):
    theme, agents, rows, odd = seed_pending(db, make.team())
    draft = module_drafts.draft_from_theme(db, theme, 5, uncertainty_phrases=PHRASES)
    body = draft.body
    assert draft.title == "Pending card payments"
    for heading in (
        "## Why it matters",
        "## What customers ask",
        "## What to say",
        "## What goes wrong",
        "## Customers in vulnerable circumstances",
    ):
        assert heading in body
    ask, say = body.split("## What customers ask")[1].split("## What to say")
    say, wrong = say.split("## What goes wrong")
    assert QUESTION in ask
    # An agent's own answer from a resolved contact of the theme; not their hesitation.
    assert any(answer in say for answer in GOOD) and UNSURE not in say
    # The most central answers, not the odd one.
    assert ODD not in body
    # Plain words with the count, never the raw code.
    assert "Used the knowledge article: resolved 7 of 9 contacts" in say
    for code in ("KB_ARTICLE", "VULN_FLAG"):
        assert code not in body
    assert UNRESOLVED_QUESTION in wrong and UNSURE in wrong
    assert "bereavement (1)" in body and "ask what support they need" in body
    # Nobody named: not the agent's code, not the name they gave in the greeting.
    assert "Priya" not in body and not any(a.code in body for a in agents)
    # Every quote links to its contact's evidence, a member of the theme; links render.
    members = {pk(r) for r in rows} | {pk(odd)}
    linked = _linked_ids(body)
    assert linked and set(linked) <= members
    good_ids = {pk(r) for r in rows[:7]}
    assert set(_linked_ids(say)) <= good_ids
    assert f'<a href="/gaps/contacts/{linked[0]}"' in render(body)


def test_the_most_central_good_answer_is_chosen():
    texts = [*GOOD, ODD]
    scores = answers.centrality(texts)
    assert scores.index(min(scores)) == len(GOOD)

    def embed(batch: list[str]) -> np.ndarray:  # a model that sees "pending" and "reserved"
        rows = [[t.count("pending") + t.count("reserved") + 0.1, "card" in t] for t in batch]
        vectors = np.array(rows, dtype=np.float32)
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

    scores = answers.centrality(texts, embed)
    assert scores.index(min(scores)) == len(GOOD)


def test_claims_only_above_the_minimum_sample(db, make):
    theme, *_ = seed_pending(db, make.team())
    small = module_drafts.draft_from_theme(db, theme, 10, uncertainty_phrases=PHRASES).body
    assert "resolved 7 of 9" not in small and "KB_ARTICLE" not in small
    guide = guide_drafts.draft_from_theme(db, pk(theme), 5, uncertainty_phrases=PHRASES)
    assert "Used the knowledge article: resolved 7 of 9 contacts" in guide.body
    assert "What has worked" not in guide_drafts.draft_from_theme(db, pk(theme), 10).body


def test_a_guide_draft_is_written_from_the_contacts(db, make):
    theme, agents, rows, _ = seed_pending(db, make.team())
    data = guide_drafts.draft_from_theme(db, pk(theme), 5, uncertainty_phrases=PHRASES)
    body = data.body
    assert data.title == "Pending card payments" and data.theme_ids == [pk(theme)]
    applies = body.split("## When this applies")[1].split("## What to say")[0]
    assert QUESTION in applies and "pending, payment" not in applies
    say = body.split("## What to say")[1].split("## What has worked")[0]
    assert any(answer in say for answer in GOOD) and ODD not in body
    assert UNSURE in body.split("## What to avoid")[1]
    assert "Confirm what the customer needs" not in body and "KB_ARTICLE" not in body
    assert not any(a.code in body for a in agents) and "Priya" not in body
    assert set(_linked_ids(body)) <= {pk(r) for r in rows}


def test_unknown_codes_are_humanised(db):
    assert action_labels.humanise("KB_ARTICLE") == "Kb article"
    assert action_labels.plain(db, ["NEW_THING", "kb_article"]) == {
        "NEW_THING": "New thing",
        "kb_article": "Used the knowledge article",
    }


def test_the_admin_renames_an_action_and_the_draft_uses_it(client, db, make, settings):
    theme, *_ = seed_pending(db, make.team())
    row = db.exec(select(ActionLabel).where(ActionLabel.code == "KB_ARTICLE")).one()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    refused = client.post(
        f"/admin/lists/actions/{row.id}", data={"label": "Nope"}, headers=hx(client)
    )
    assert refused.status_code == 403
    sign_in(client, db, settings, make.user(Role.admin))
    page = client.get("/admin/lists")
    assert page.status_code == 200 and "Contact actions" in page.text
    renamed = client.post(
        f"/admin/lists/actions/{row.id}",
        data={"label": " Sent the help article "},
        headers=hx(client),
    )
    assert renamed.status_code == 200 and "Sent the help article" in renamed.text
    empty = client.post(f"/admin/lists/actions/{row.id}", data={"label": " "}, headers=hx(client))
    assert empty.status_code == 422
    added = client.post(
        "/admin/lists/actions",
        data={"code": "new thing", "label": "Did the new thing"},
        headers=hx(client),
    )
    assert added.status_code == 201 and "NEW_THING" in added.text
    body = module_drafts.draft_from_theme(db, theme, 5, uncertainty_phrases=PHRASES).body
    assert "Sent the help article: resolved 7 of 9 contacts" in body


def test_the_contact_page_shows_the_evidence_without_the_agent(client, db, make, settings):
    team = make.team()
    _, agents, rows, _ = seed_pending(db, team)
    sign_in(client, db, settings, make.user(Role.cx_lead))
    page = client.get(f"/gaps/contacts/{pk(rows[0])}")
    assert page.status_code == 200
    assert QUESTION in page.text and "Used the knowledge article" in page.text
    assert agents[0].code not in page.text and "KB_ARTICLE" not in page.text
    assert client.get("/gaps/contacts/999999").status_code == 404
    sign_in(client, db, settings, make.user(Role.team_lead, make.team()))
    assert client.get(f"/gaps/contacts/{pk(rows[0])}").status_code == 404  # another team's
    sign_in(client, db, settings, make.user(Role.staff, team))
    assert client.get(f"/gaps/contacts/{pk(rows[0])}").status_code == 403


def test_drafts_quote_the_linked_and_the_vulnerability_guides(db, make):
    theme, *_ = seed_pending(db, make.team())
    lead = make.user(Role.cx_lead)
    linked = Guide(title="Pending payments", body="x", status=GuideStatus.published)
    vulnerable = Guide(
        title="Supporting customers in vulnerable circumstances",
        body="x",
        status=GuideStatus.published,
        created_by_id=lead.id,
    )
    draft_only = Guide(title="Unpublished pending notes", body="x")
    db.add_all([linked, vulnerable, draft_only])
    db.flush()
    db.add_all([GuideTheme(guide_id=pk(g), theme_id=pk(theme)) for g in (linked, draft_only)])
    version = GuideVersion(guide_id=pk(linked), number=1, title="t", body="x")
    v2 = GuideVersion(guide_id=pk(vulnerable), number=1, title="t", body="x")
    v3 = GuideVersion(guide_id=pk(draft_only), number=1, title="t", body="x")
    db.add_all([version, v2, v3])
    db.flush()
    said = "Tell the customer the merchant has only reserved the money."
    acknowledge = "Acknowledge what they told you in your own words before carrying on."
    unpublished = "Not published yet."
    for guide, v, text in (
        (linked, version, said),
        (vulnerable, v2, acknowledge),
        (draft_only, v3, unpublished),
    ):
        db.add(GuidePassage(guide_id=pk(guide), version_id=pk(v), position=0, text=guide.title))
        db.add(
            GuidePassage(guide_id=pk(guide), version_id=pk(v), position=1, heading="Say", text=text)
        )
    db.flush()
    body = module_drafts.draft_from_theme(db, theme, 5, uncertainty_phrases=PHRASES).body
    guides = body.split("## From the guides")[1]
    assert said in guides and f"](/guides/{linked.id})" in guides
    assert unpublished not in body
    vulnerable_part = body.split("## Customers in vulnerable circumstances")[1]
    assert acknowledge in vulnerable_part and f"](/guides/{vulnerable.id})" in vulnerable_part
    assert f'<a href="/guides/{linked.id}"' in render(body)


def test_a_theme_of_failures_learns_from_contacts_beside_it_in_its_own_language(db, make):
    """A theme holds only gap evidence: when none of its contacts went well, the good answer
    comes from a contact with the same disposition and question that had no signal at all; a
    contact in another language, or about something else, is not quoted."""
    team = make.team()
    theme = make_theme(db, "Pending card payments abroad")
    agent = add_agents(db, 1, prefix="NEAR-")[0]
    when = utcnow() - timedelta(days=2)

    def contact(question: str, answer: str, **fields: object):
        row = add_interaction(db, agent, team, when, **fields)  # type: ignore[arg-type]
        row.disposition, row.language = "Card payments", "en"
        row.turns = [
            {"speaker": "customer", "text": question},
            {"speaker": "agent", "text": answer},
        ]
        return row

    for _ in range(3):
        add_to_theme(
            db,
            theme,
            contact(QUESTION, UNSURE, signals=[SignalKind.uncertainty], outcome=Outcome.unresolved),
        )
    beside = contact(QUESTION, GOOD[0], outcome=Outcome.resolved, csat=5)
    other_topic = contact(
        "How do I change my postal address?", ODD, outcome=Outcome.resolved, csat=5
    )
    foreign = contact(QUESTION, GOOD[1], outcome=Outcome.resolved, csat=5)
    foreign.language = "ja"
    db.flush()
    found = answers.gather(db, pk(theme), PHRASES)
    assert [q.interaction_id for q in found.answers] == [beside.id]
    assert other_topic.id not in {q.interaction_id for q in found.answers}


def test_agents_read_a_lesson_without_links_to_other_peoples_contacts():
    body = (
        "- “It drops off within 7 days.” ([contact](/gaps/contacts/12))\n"
        "- See [the guide](/guides/3) and ([contact](/gaps/contacts/9))."
    )
    assert answers.without_contact_links(body) == (
        "- “It drops off within 7 days.”\n- See [the guide](/guides/3) and."
    )
