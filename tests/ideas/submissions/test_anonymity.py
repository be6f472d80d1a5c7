"""Anonymity, proved: after an anonymous submission, a reply through the receipt and an answer,
nothing in any table or log line joins the idea to the person who wrote it."""

import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select as sa_select
from sqlmodel import col

from api.accesslog import held_lines
from api.models import UserSession
from api.schema import metadata
from foundation.accounts import Role
from foundation.clock import as_utc
from ideas.submissions.models import Comment, Idea
from tests.support.harness import csrf_token, hx, sign_in
from tests.support.ideas import idea_form

RECEIPT = re.compile(r'value="http://testserver(/receipts/[^"]+)"')


def submit_anonymously(client, db):
    form = idea_form(
        db,
        title="Targets push us to rush vulnerable customers",
        anonymous="on",
        csrf_token=csrf_token(client),
    )
    response = client.post("/ideas", data=form)  # answers 303, like a named one; followed
    assert [r.status_code for r in response.history] == [303]
    assert response.status_code == 200 and response.url.path == "/receipts/new"
    found = RECEIPT.search(response.text)
    assert found is not None, response.text
    return found.group(1)


def rows_about(db, idea_id):
    """Every row of every table that refers to the idea, as (table, row mapping)."""
    found = []
    for table in metadata.sorted_tables:
        idea_fks = [
            c for c in table.columns if any(fk.column.table.name == "idea" for fk in c.foreign_keys)
        ]
        for row in db.execute(sa_select(table)).mappings():
            if (
                (table.name == "idea" and row["id"] == idea_id)
                or any(row[c.name] == idea_id for c in idea_fks)
                or (
                    table.name == "embedding"
                    and (row["source"], row["source_id"]) == ("idea", idea_id)
                )
                or (table.name == "job" and str(idea_id) in str(row["params"]))
            ):
                found.append((table.name, dict(row)))
    return found


def user_columns(table_name):
    table = metadata.tables[table_name]
    return [
        c.name
        for c in table.columns
        if any(fk.column.table.name == "user" for fk in c.foreign_keys)
    ]


def test_nothing_joins_an_anonymous_idea_to_its_author(client, make, db, settings, caplog):
    caplog.set_level(logging.DEBUG)
    author = make.user(Role.staff, make.team())
    sign_in(client, db, settings, author)
    receipt = submit_anonymously(client, db)
    client.cookies.clear()  # the receipt works without signing in
    reply = client.post(
        f"{receipt}/reply",
        data={"body": "More detail from me"},
        headers={"HX-Request": "true", "X-CSRFToken": csrf_token(client)},
    )
    assert reply.status_code == 201
    sign_in(client, db, settings, make.user(Role.cx_lead))
    idea = db.exec(sa_select(Idea)).scalars().one()
    client.post(
        f"/ideas/{idea.id}/status",
        data={"status": "under_review", "response": "Thank you, looking into it"},
        headers=hx(client),
    )

    db.refresh(idea)
    assert idea.author_id is None and idea.anonymous
    assert (idea.created_at.hour, idea.created_at.minute, idea.created_at.second) == (0, 0, 0)
    identifying = {author.email, author.display_name}
    rows = rows_about(db, idea.id)
    assert {t for t, _ in rows} >= {"idea", "idea_comment", "idea_status_change", "embedding"}
    for table, row in rows:
        for column in user_columns(table):
            assert row[column] != author.id, (table, column)
        for value in row.values():
            assert not any(s in str(value) for s in identifying), (table, value)
    # And from the author's side: no row that names them refers to the idea.
    for table in metadata.sorted_tables:
        for column in user_columns(table.name):
            for row in db.execute(sa_select(table).where(table.c[column] == author.id)).mappings():
                assert idea.id not in [
                    row.get(c.name) for c in table.columns if c.name.endswith("idea_id")
                ], table.name
    # No timestamp finer than the day sits beside the idea (the reply and the embedding too);
    # the CX lead's answer is their own act and keeps its time.
    for table, row in rows:
        if table in ("idea_status_change", "notification"):
            continue
        for name, value in row.items():
            if isinstance(value, datetime) and name != "first_response_at":
                assert (value.hour, value.minute, value.second) == (0, 0, 0), (table, name)
    comment = db.exec(sa_select(Comment)).scalars().one()
    assert comment.author_id is None and comment.from_submitter
    token = receipt.rsplit("/", 1)[1]
    # Every log record of the app; the test's own HTTP client (httpx) logs the URLs it calls.
    for record in [r for r in caplog.records if not r.name.startswith("httpx")]:
        line = record.getMessage()
        assert token not in line and author.email not in line
        assert not re.search(rf"\buser(_id)?[=: ]+{author.id}\b", line)
    held_lines.flush(everything=True)
    assert any("POST /ideas 303" in r.getMessage() for r in caplog.records)  # logs were captured


def test_receipt_shows_status_and_history_without_signing_in(client, make, db, settings):
    sign_in(client, db, settings, make.user())
    receipt = submit_anonymously(client, db)
    idea = db.exec(sa_select(Idea)).scalars().one()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    client.post(
        f"/ideas/{idea.id}/status",
        data={"status": "planned", "response": "Coming in the spring release"},
        headers=hx(client),
    )
    client.cookies.clear()
    page = client.get(receipt)
    assert page.status_code == 200
    assert "Planned" in page.text and "Coming in the spring release" in page.text
    assert page.headers["Referrer-Policy"] == "no-referrer"
    view = client.get(f"/ideas/{idea.id}", follow_redirects=False)
    assert view.status_code == 303  # the idea page itself still needs a sign-in


@pytest.mark.parametrize("token", ["forged-token-that-is-long-enough-000", "x", "a" * 300])
def test_forged_receipts_get_a_clear_message_and_change_nothing(client, make, db, settings, token):
    sign_in(client, db, settings, make.user())
    submit_anonymously(client, db)
    client.cookies.clear()
    page = client.get(f"/receipts/{token}")
    assert page.status_code == 404 and "receipt link is not valid" in page.text
    reply = client.post(
        f"/receipts/{token}/reply",
        data={"body": "hello"},
        headers={"X-CSRFToken": csrf_token(client), "HX-Request": "true"},
    )
    assert reply.status_code == 404
    assert db.exec(sa_select(Comment)).scalars().all() == []


def test_cx_lead_view_of_an_anonymous_idea_shows_no_author(client, make, db, settings):
    author = make.user()
    sign_in(client, db, settings, author)
    submit_anonymously(client, db)
    idea = db.exec(sa_select(Idea)).scalars().one()
    sign_in(client, db, settings, make.user(Role.cx_lead))
    html = client.get(f"/ideas/{idea.id}").text
    assert "shared anonymously" in html and author.display_name not in html
    csv_text = client.get("/ideas/export.csv").text
    assert author.display_name not in csv_text and author.email not in csv_text
    api = client.get(f"/api/v1/ideas/{idea.id}").json()
    assert "author_id" not in api and api["anonymous"] is True


# ------------------------------------------------------------------------ the timing attacker
# The attacker of DESIGN.md's threat model: they hold the database, every log line, and know who
# was signed in. Five people are signed in and browsing; one of them writes an idea (opens the
# form, gets similar ideas while typing, submits anonymously, lands on the next page) while the
# others keep browsing. The attacker joins every log line with every table and guesses. The test
# passes only when the best guess is no better than chance: every one of the five stays an
# equally good suspect.
MINUTE = datetime(2026, 12, 7, 10, 31, tzinfo=UTC)


class Clock:
    """Seconds passing inside one minute, so a real minute boundary cannot split the journey."""

    def __init__(self) -> None:
        self.now = MINUTE

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=137)
        return self.now


def snapshot(db):
    return {
        table.name: {
            tuple(row[c.name] for c in table.primary_key.columns): dict(row)
            for row in db.execute(sa_select(table)).mappings()
        }
        for table in metadata.sorted_tables
    }


def people_in(table_name, row, user_ids):
    """Which of the people a row points at (a user id column, or the user row itself)."""
    named = {row[c] for c in user_columns(table_name)}
    if table_name == "user":
        named.add(row["id"])
    return named & user_ids


def changed_people(before, after, user_ids):
    suspects = set()
    for table, rows in after.items():
        for key, row in rows.items():
            if before[table].get(key) != row:
                suspects |= people_in(table, row, user_ids)
        for key, row in before[table].items():
            if key not in rows:
                suspects |= people_in(table, row, user_ids)
    return suspects


def times_of(tables, user_ids):
    """Every timestamp in every row that points at each person."""
    found: dict[int, list[datetime]] = {uid: [] for uid in user_ids}
    for table, rows in tables.items():
        for row in rows.values():
            for uid in people_in(table, row, user_ids):
                found[uid] += [v for v in row.values() if isinstance(v, datetime)]
    return found


def submit_time(records):
    """When the log says the idea was submitted: its own time, or the minute a held line names."""
    for record in records:
        line = record.getMessage()
        if line.startswith("POST /ideas "):
            held = re.search(r"\(minute (\S+)Z\)", line)
            if held:
                return datetime.fromisoformat(held.group(1)).replace(tzinfo=UTC)
            return datetime.fromtimestamp(record.created, UTC)
    raise AssertionError("the submit left no access-log line")


def attackers_suspects(before, after, final, records, user_ids):
    """The people the attacker cannot tell apart as the most likely author."""
    changed = changed_people(before, after, user_ids)
    if changed:
        return changed
    at = submit_time(records)
    distance = {
        uid: min((abs(as_utc(t) - at) for t in times), default=timedelta.max)
        for uid, times in times_of(final, user_ids).items()
    }
    best = min(distance.values())
    return {uid for uid, d in distance.items() if d == best}


def time_passes(db, minutes=2):
    """Everybody's last activity moves into the past, as if they had been reading for a while."""
    for row in db.execute(sa_select(UserSession)).scalars():
        row.last_seen_at -= timedelta(minutes=minutes)
    db.commit()


@pytest.mark.parametrize("author_index", [0, 3])
def test_a_timing_attacker_cannot_tell_who_wrote_an_anonymous_idea(
    app, client, make, db, settings, caplog, monkeypatch, author_index
):
    clock = Clock()
    monkeypatch.setattr("api.security.utcnow", clock)
    monkeypatch.setattr("api.accesslog.utcnow", clock)
    caplog.set_level(logging.INFO, logger="voiceloop.access")
    team = make.team()
    people = [make.user(Role.staff, team) for _ in range(5)]
    browsers = [client] + [TestClient(app, base_url="http://testserver") for _ in people[1:]]
    for browser, person in zip(browsers, people, strict=True):
        sign_in(browser, db, settings, person)
    author = browsers[author_index]
    others = [b for i, b in enumerate(browsers) if i != author_index]

    def everyone_else_browses():
        for browser in others:
            assert browser.get("/ideas").status_code == 200

    time_passes(db)
    everyone_else_browses()
    assert author.get("/ideas/new").status_code == 200
    for typed in ("Cards", "Card replacement", "Card replacement takes too long"):
        assert author.get("/ideas/similar", params={"title": typed}).status_code == 200
    time_passes(db)  # the author takes a while to write it; the others carry on
    everyone_else_browses()
    before = snapshot(db)
    form = idea_form(db, title="Targets push us to rush vulnerable customers", anonymous="on")
    sent = author.post(
        "/ideas", data={**form, "csrf_token": csrf_token(author)}, follow_redirects=False
    )
    after = snapshot(db)
    assert sent.status_code == 303 and sent.headers["location"] == "/receipts/new"
    assert author.get("/receipts/new").status_code == 200  # lands on the next page
    everyone_else_browses()
    held_lines.flush(everything=True)

    suspects = attackers_suspects(
        before, after, snapshot(db), caplog.records, {p.id for p in people}
    )
    assert suspects == {p.id for p in people}, "the attacker can narrow the author down"


def test_named_and_anonymous_submits_answer_and_log_alike(client, make, db, settings, caplog):
    caplog.set_level(logging.INFO, logger="voiceloop.access")
    sign_in(client, db, settings, make.user(Role.staff, make.team()))
    answers = []
    for anonymous in ("", "on"):
        form = idea_form(db, title=f"Idea {anonymous or 'named'}", anonymous=anonymous)
        token = csrf_token(client)
        plain = client.post("/ideas", data={**form, "csrf_token": token}, follow_redirects=False)
        htmx = client.post("/ideas", data=form, headers=hx(client))
        answers.append((plain.status_code, htmx.status_code, "HX-Location" in htmx.headers))
    assert answers[0] == answers[1] == (303, 204, True)
    held_lines.flush(everything=True)
    submits = [r.getMessage().split()[:3] for r in caplog.records if " /ideas " in r.getMessage()]
    # Held to the minute and sorted, so not even their order says which was which.
    assert submits == [["POST", "/ideas", "204"]] * 2 + [["POST", "/ideas", "303"]] * 2


def _department_of_anonymous_idea(client, db, settings, author):
    sign_in(client, db, settings, author)
    submit_anonymously(client, db)
    return db.exec(sa_select(Idea).where(col(Idea.anonymous))).scalars().one()


def test_an_anonymous_idea_shows_a_department_of_at_least_the_minimum_group(
    client, make, db, settings
):
    team = make.team()
    people = [make.user(Role.staff, team) for _ in range(settings.min_group_size)]
    idea = _department_of_anonymous_idea(client, db, settings, people[0])
    assert idea.department == team.department
    assert team.department in client.get(f"/ideas/{idea.id}").text


def test_a_small_department_is_not_shown_on_an_anonymous_idea(client, make, db, settings):
    team = make.team()
    people = [make.user(Role.staff, team) for _ in range(settings.min_group_size - 1)]
    idea = _department_of_anonymous_idea(client, db, settings, people[0])
    assert idea.department is None
    page = client.get(f"/ideas/{idea.id}").text
    assert "department not shown to protect anonymity" in page
    named = client.post("/ideas", data=idea_form(db, title="Named one"), headers=hx(client))
    assert named.status_code == 204
    assert db.exec(sa_select(Idea).where(~col(Idea.anonymous))).scalars().one().department


def test_no_department_is_shown_when_its_absence_would_point_at_a_few(client, make, db, settings):
    """Two people in no team (a CX lead and an admin): an anonymous idea without a department
    would be theirs. So no anonymous idea shows one, however large the author's department."""
    team = make.team()
    people = [make.user(Role.staff, team) for _ in range(settings.min_group_size + 3)]
    make.user(Role.cx_lead)
    make.user(Role.admin)
    assert _department_of_anonymous_idea(client, db, settings, people[0]).department is None
