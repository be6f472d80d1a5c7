"""Coaching pages: CX leads write and publish modules, team leaders assign inside their own team
and act on suggestions, agents read, answer and acknowledge. Bad input and other people's ids
get the same answers as unknown ones."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from coaching.modules import assignments, snapshots
from coaching.modules import service as module_service
from coaching.modules.models import Assignment, CoachingModule, ModuleUpdate, Suggestion
from foundation.accounts import Role
from foundation.clock import utcnow
from tests.support.coaching import (
    QUESTION,
    RESOLVED_CALL,
    SECOND,
    published_module,
    seed_suggestion,
    seed_theme,
)
from tests.support.harness import csrf_token, hx, sign_in

TODAY = utcnow().date()


def form(client, **fields: object) -> dict[str, object]:
    return {"csrf_token": csrf_token(client), **fields}


def post(client, url: str, **fields: object):
    """A plain form post, as a browser without JavaScript sends it."""
    return client.post(url, data=form(client, **fields), follow_redirects=False)


def test_cx_lead_writes_a_module_from_a_theme_and_publishes_it(client, db, make, settings):
    theme = seed_theme(db, make.team())
    db.commit()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    new = client.get(f"/coaching/modules/new?theme_id={theme.id}")
    assert new.status_code == 200 and theme.name in new.text
    created = post(client, "/coaching/modules", theme_id=theme.id)
    assert created.status_code == 303
    url = created.headers["location"]
    module = db.exec(select(CoachingModule)).one()
    assert url == f"/coaching/modules/{module.id}"
    page = client.get(url)
    assert page.status_code == 200
    assert "Why it matters" in page.text and RESOLVED_CALL in page.text
    assert "Coaching effect" in page.text
    # The draft's preview: the action in plain words, and the quotes linked to their contacts.
    assert "Card reissued: resolved 5 of 5 contacts" in page.text
    assert '<a href="/gaps/contacts/' in page.text
    # No resolved contact of seed_theme was rated well, so no answer question: the one drafted
    # question quotes the missed vulnerability cue, to review; and a blank set to add one.
    assert 'name="q1-prompt"' in page.text and 'name="q2-prompt"' not in page.text
    assert "To review" in page.text and "still to review" in page.text
    refused = post(client, f"{url}/publish")
    assert refused.status_code == 422
    assert "Review the drafted check questions before publishing" in refused.text
    db.refresh(module)
    assert module.latest_version == 0
    edited = {
        "title": "Replacing cards",
        "body": "## Why it matters\n\nCustomers wait.",
        "q0-prompt": "What do you do first?",
        "q0-options": "Check the address\nClose the account",
        "q0-answer": "1",
        "q0-explanation": "A wrong address is the usual cause.",
    }
    assert post(client, url, **edited).status_code == 303
    db.refresh(module)
    assert module.title == "Replacing cards" and len(module.questions) == 1
    assert post(client, f"{url}/publish").status_code == 303
    assert post(client, f"{url}/publish").status_code == 409  # unchanged
    page = client.get(url)
    assert "Version 1" in page.text and "Version history" in page.text
    listing = client.get("/coaching")
    assert "Replacing cards" in listing.text and "Not assigned yet" in listing.text


def test_a_malformed_question_form_is_shown_again_with_its_errors(client, db, make, settings):
    lead = make.user(Role.cx_lead)
    module = module_service.create_module(db, ModuleUpdate(title="Draft", body="Text"), lead)
    db.commit()
    sign_in(client, db, settings, lead)
    bad = {"title": "Draft", "body": "Text", "q0-prompt": "Which?", "q0-options": "Only one",
           "q0-answer": "nine"}  # fmt: skip
    response = post(client, f"/coaching/modules/{module.id}", **bad)
    assert response.status_code == 422
    assert "Give the number of the right option" in response.text
    assert 'value="Which?"' in response.text  # what was typed is kept
    db.refresh(module)
    assert module.questions == []
    empty = module_service.create_module(db, ModuleUpdate(title="Empty"), lead)
    db.commit()
    assert post(client, f"/coaching/modules/{empty.id}/publish").status_code == 422
    missing = post(client, "/coaching/modules", title="")
    assert missing.status_code == 422 and "This field is required." in missing.text


def test_bad_ids_and_wrong_roles(client, db, make, settings):
    team = make.team()
    module = published_module(db, make.user(Role.cx_lead))
    db.commit()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    assert client.get("/coaching/modules/abc").status_code == 422
    assert client.get("/coaching/modules/999999").status_code == 404
    assert client.get("/coaching/modules/new?theme_id=abc").status_code == 422
    assert client.get("/coaching/modules/new?theme_id=999999").status_code == 404
    assert post(client, "/coaching/modules", theme_id="999999").status_code == 404
    assert post(client, "/coaching/modules", theme_id="x").status_code == 422
    sign_in(client, db, settings, make.user(Role.staff, team))
    assert client.get("/coaching/modules/new").status_code == 403
    assert client.get(f"/coaching/modules/{module.id}").status_code == 403
    sign_in(client, db, settings, make.user(Role.team_lead, team))
    assert post(client, "/coaching/modules", title="x").status_code == 403
    assert post(client, f"/coaching/modules/{module.id}/publish").status_code == 403
    assert client.get(f"/coaching/modules/{module.id}").status_code == 200  # published: readable


def test_team_leaders_assign_only_their_own_agents(client, db, make, settings):
    team, other = make.team(), make.team()
    leader = make.user(Role.team_lead, team)
    mine, theirs = make.user(Role.staff, team), make.user(Role.staff, other)
    mine.display_name, theirs.display_name = "Mina Own", "Theo Other"
    module = published_module(db, make.user(Role.cx_lead))
    db.commit()
    sign_in(client, db, settings, leader)
    url = f"/coaching/modules/{module.id}/assign"
    page = client.get(url)
    assert page.status_code == 200
    assert "Mina Own" in page.text and "Theo Other" not in page.text
    assert (TODAY + timedelta(days=settings.coaching_default_due_days)).isoformat() in page.text
    due = TODAY.isoformat()
    for bad in ({"user_id": theirs.id}, {"team_id": other.id}, {"user_id": [mine.id, theirs.id]}):
        response = post(client, url, due_on=due, **bad)
        assert response.status_code == 404, bad
    assert post(client, url, user_id="x", due_on=due).status_code == 422
    past = (TODAY - timedelta(days=1)).isoformat()
    response = post(client, url, user_id=mine.id, due_on=past)
    assert response.status_code == 422 and "cannot be in the past" in response.text
    assert db.exec(select(Assignment)).all() == []
    done = post(client, url, whole_team="1", due_on=due)
    assert done.status_code == 200 and "Assigned to 1 agent." in done.text
    again = post(client, url, user_id=mine.id, due_on=due)
    assert "Assigned to 0 agents" in again.text and "Mina Own" in again.text  # skipped, named
    overview = client.get("/coaching")
    assert "Mina Own" in overview.text and "Theo Other" not in overview.text
    assert module.title in overview.text
    # Another team's leader sees none of it, whatever id they type.
    (assignment,) = db.exec(select(Assignment)).all()
    sign_in(client, db, settings, make.user(Role.team_lead, other))
    assert "Mina Own" not in client.get("/coaching").text
    assert client.get(f"/coaching/assignments/{assignment.id}").status_code == 404
    assert client.get("/coaching/assignments/abc").status_code == 422
    assert "Mina Own" not in client.get(url).text
    # Across teams, one assigned agent is fewer than the minimum group: withheld for CX leads.
    sign_in(client, db, settings, make.user(Role.cx_lead))
    for page in (client.get("/coaching"), client.get(f"/coaching/modules/{module.id}")):
        assert "Withheld: fewer than 5 agents" in page.text and "Mina Own" not in page.text


def test_agents_read_answer_and_acknowledge_their_own_assignment(client, db, make, settings):
    team, cx = make.team(), make.user(Role.cx_lead)
    agent, colleague = make.user(Role.staff, team), make.user(Role.staff, team)
    module = published_module(db, cx, questions=(QUESTION, SECOND))
    late = utcnow().date() - timedelta(days=2)
    (assignment,) = assignments.assign(
        db, module, cx, due_on=late, user_ids=[agent.id], today=late
    ).created
    db.commit()
    url = f"/coaching/assignments/{assignment.id}"
    sign_in(client, db, settings, colleague)
    assert client.get(url).status_code == 404
    assert post(client, f"{url}/attempt", a0="0", a1="1").status_code == 404
    sign_in(client, db, settings, agent)
    mine = client.get("/coaching")
    assert "My coaching" in mine.text and "Lost cards" in mine.text and "Overdue" in mine.text
    page = client.get(url)
    assert page.status_code == 200 and "Which action fixes a lost card?" in page.text
    # "I have read and understood" waits for the answers: disabled, and refused if posted.
    disabled = r'<button type="submit" class="secondary" disabled[^>]*>I have read'
    assert re.search(disabled, page.text)
    early = post(client, f"{url}/acknowledge")
    assert early.status_code == 422 and "Answer the check questions first" in early.text
    wrong = client.post(f"{url}/attempt", data={"a0": "0", "a1": "0"}, headers=hx(client))
    assert wrong.status_code == 200 and "<html" not in wrong.text
    assert (
        "You got 1 of 2 right" in wrong.text and "Reissuing resolved most contacts." in wrong.text
    )
    # The wrong answer gets a hint, never the right option, while retries remain.
    not_quite = r'<p class="field-error"><strong>Not quite.</strong>(.*?)</p>'
    (feedback,) = re.findall(not_quite, wrong.text)
    assert SECOND.options[SECOND.answer] not in feedback and "right answer" not in feedback
    assert "Think about what the customer asked" in feedback
    bad = client.post(f"{url}/attempt", data={"a0": "x"}, headers=hx(client))
    assert bad.status_code == 422 and "Choose one of the answers." in bad.text
    ack = post(client, f"{url}/acknowledge")
    assert ack.status_code == 303  # answered once: it may be acknowledged
    right = client.post(f"{url}/attempt", data={"a0": "0", "a1": "1"}, headers=hx(client))
    assert right.status_code == 200
    # Completed at once: in the fragment (the heading's status swapped out of band) and on a
    # full page load, with no stale "Try again" or "Overdue".
    for shown in (right.text, client.get(url).text):
        assert "Completed" in shown and "Try again" not in shown and "Overdue" not in shown
    assert 'id="assignment-status" hx-swap-oob="true"' in right.text
    db.refresh(assignment)
    assert assignment.best_score == 1.0 and assignment.attempts == 2
    assert assignment.completed_at is not None
    done = client.get("/coaching")
    assert "Nothing to do" in done.text and "100%" in done.text


def test_suggestions_are_offered_and_remembered(client, db, make, settings):
    _, leader, users, module = seed_suggestion(db, make, utcnow())
    db.commit()
    sign_in(client, db, settings, leader)
    page = client.get("/coaching")
    assert f"Assign to {users[0].display_name}" in page.text
    choice = {"module_id": module.id, "user_id": users[0].id}
    assert post(client, "/coaching/suggestions", **choice, decision="x").status_code == 422
    bad = post(client, "/coaching/suggestions", module_id="a", user_id=1, decision="dismissed")
    assert bad.status_code == 422
    response = post(client, "/coaching/suggestions", **choice, decision="dismissed")
    assert response.status_code == 303
    assert db.exec(select(Suggestion)).one().status == "dismissed"
    assert f"Assign to {users[0].display_name}" not in client.get("/coaching").text
    sign_in(client, db, settings, make.user(Role.team_lead, make.team()))
    again = post(client, "/coaching/suggestions", **choice, decision="accepted")
    assert again.status_code == 404  # another team's agent
    assert db.exec(select(Assignment)).all() == []  # neither decision assigned anything


def test_a_closed_periods_estimate_is_kept_and_computed_again_as_a_new_version(
    client, db, make, settings
):
    cx = make.user(Role.cx_lead)
    theme = seed_theme(db, make.team())
    module = published_module(db, cx, theme=theme)
    start, end = TODAY - timedelta(days=40), TODAY - timedelta(days=10)
    assert module.id is not None
    kept = snapshots.period_effect(
        db, module.id, start=start, end=end, min_group_size=3, days=56, user_id=cx.id
    )
    assert kept.version == 1
    db.commit()
    sign_in(client, db, settings, make.user(Role.team_lead, make.team()))
    period = {"start": start.isoformat(), "end": end.isoformat()}
    assert post(client, f"/coaching/modules/{module.id}/effects", **period).status_code == 403
    sign_in(client, db, settings, cx)
    page = client.get(f"/coaching/modules/{module.id}")
    assert page.status_code == 200 and "Estimates kept for closed periods" in page.text
    assert "Estimate (95% interval)" in page.text and "Compute again" in page.text
    again = post(client, f"/coaching/modules/{module.id}/effects", **period)
    assert again.status_code == 303
    assert [found.version for _, found in snapshots.versions(db, module.id)] == [2, 1]
    still_open = {"start": start.isoformat(), "end": TODAY.isoformat()}
    refused = post(client, f"/coaching/modules/{module.id}/effects", **still_open)
    assert refused.status_code == 422 and "has ended" in refused.text
    assert post(client, f"/coaching/modules/{module.id}/effects", start="x").status_code == 422
