"""The Shanghai and Tokyo teams in the loaded demo (``demo_engine``, conftest.py): their people,
their ideas and contacts in Chinese and Japanese (the language stored by the ordinary submit and
import code, never by the demo), the gap signals those contacts raise, and no invented PII from
the Chinese and Japanese transcripts left after the real import's redaction."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from coaching.interactions.models import Interaction, Signal, SignalKind
from demo import contacts_cjk
from demo.centres import CENTRES
from demo.interactions import write_csv
from foundation.accounts import Role, Team, User
from foundation.db import make_engine
from ideas.submissions.models import Idea, Support
from jobs.models import JobStatus
from jobs.service import run_import_now
from tests.support.coaching import key
from tests.support.harness import make_settings, migrated_database

CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
NUMBER = re.compile(r"[0-9０-９][0-9０-９ \-－\u3000()（）+＋.]*[0-9０-９]")


@pytest.fixture
def db(demo_engine: Engine) -> Iterator[Session]:
    with Session(demo_engine) as session:
        yield session


def _teams(db: Session) -> dict[str, Team]:
    return {team.name: team for team in db.exec(select(Team))}


def test_the_shanghai_and_tokyo_teams_have_a_leader_and_agents(db: Session) -> None:
    teams = _teams(db)
    for centre in CENTRES:
        team = teams[centre.team]
        assert team.department == centre.department
        leader = db.get_one(User, team.leader_id)
        assert (leader.role, leader.email) == (Role.team_lead, centre.leader[1])
        people = db.exec(select(User).where(User.team_id == team.id)).all()
        agents = [u for u in people if u.role == Role.staff]
        assert len(agents) == len(centre.agents) == 5
        assert sorted(u.agent_code or "" for u in agents) == [
            f"{centre.code}{k:03d}" for k in range(1, 6)
        ]
        for user in people:
            assert CJK.fullmatch(user.display_name.replace(" ", "")[:1]), user.display_name
            assert user.email.isascii() and user.email.endswith("@northbank.test")


def test_ideas_come_in_english_chinese_and_japanese(db: Session) -> None:
    ideas = db.exec(select(Idea)).all()
    languages = Counter(idea.language for idea in ideas)
    for lang in ("zh", "ja"):
        assert 0.15 <= languages[lang] / len(ideas) <= 0.20, languages
    assert languages["en"] >= 0.6 * len(ideas), languages
    team_of = {u.id: u.team_id for u in db.exec(select(User))}
    teams = _teams(db)
    home = {"zh": teams["Shanghai"].id, "ja": teams["Tokyo"].id}
    for idea in ideas:
        if idea.language in home and idea.author_id is not None:
            assert team_of[idea.author_id] == home[idea.language], idea.title
    # Staff in those centres write in English too, and only their colleagues support what they
    # write in Chinese or Japanese.
    assert any(i.language == "en" and team_of.get(i.author_id) in home.values() for i in ideas)
    supports = db.exec(select(Support.idea_id, Support.user_id)).all()
    language_of = {idea.id: idea.language for idea in ideas}
    for idea_id, user_id in supports:
        if language_of[idea_id] in home:
            assert team_of[user_id] == home[language_of[idea_id] or ""]


def test_contacts_come_in_english_chinese_and_japanese(db: Session) -> None:
    rows = db.exec(
        select(Interaction.language, Team.name).join(Team, col(Interaction.team_id) == Team.id)
    ).all()
    by_team: dict[str, Counter[str | None]] = defaultdict(Counter)
    for language, team in rows:
        by_team[team][language] += 1
    for team, lang in (("Shanghai", "zh"), ("Tokyo", "ja")):
        counts = by_team[team]
        assert 0.15 <= sum(counts.values()) / len(rows) <= 0.18, counts
        assert counts[lang] >= 0.9 * sum(counts.values()), counts
    for team in ("Thames", "Severn", "Trent"):
        assert by_team[team]["en"] >= 0.95 * sum(by_team[team].values()), by_team[team]


def test_chinese_and_japanese_contacts_raise_the_gap_signals(db: Session) -> None:
    raised = db.exec(
        select(Team.name, Signal.kind)
        .join(Interaction, col(Signal.interaction_id) == Interaction.id)
        .join(Team, col(Interaction.team_id) == Team.id)
        .where(col(Team.name).in_(["Shanghai", "Tokyo"]))
    ).all()
    kinds = {team: Counter(k for t, k in raised if t == team) for team in ("Shanghai", "Tokyo")}
    for team, counts in kinds.items():
        for kind in (
            SignalKind.uncertainty,
            SignalKind.transfer,
            SignalKind.escalation,
            SignalKind.missed_vulnerability,
        ):
            assert counts[kind] >= 10, (team, kind, counts)


# --------------------------------------------------------------------------- redaction


def _digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


def _left(value: str, stored: str) -> bool:
    """Whether ``value`` (or seven or more of its digits in a row) is still in ``stored``."""
    if value.lower() in stored.lower():
        return True
    digits = _digits(value)
    if len(digits) < 6:
        return False
    runs = [_digits(run) for run in NUMBER.findall(stored)]
    return any(digits in run or (len(run) >= 7 and run in digits) for run in runs)


def _stored_text(session: Session, interaction: Interaction) -> str:
    signals = session.exec(select(Signal).where(Signal.interaction_id == interaction.id)).all()
    parts = [turn["text"] for turn in interaction.turns]
    parts += [json.dumps(interaction.attributes, ensure_ascii=False), *interaction.actions]
    parts += [s.evidence for s in signals] + [s.reason for s in signals]
    return "\n".join([*parts, interaction.disposition or ""])


def test_no_invented_pii_survives_the_import(tmp_path: Path) -> None:
    """Every PII value written into a Chinese or Japanese demo transcript is gone from what the
    import stores (turns, attributes, actions, signal evidence). The message lists what is left,
    by language, for the redaction owners."""
    start = datetime(2026, 1, 5, tzinfo=UTC)
    made = []
    for centre in CENTRES:
        agents = [(f"{centre.code}{k:03d}", centre.team) for k in range(1, 6)]
        for row, values in contacts_cjk.generate_with_pii(
            800, lang=centre.lang, agents=agents, start=start, seed=2027
        ):
            if values:
                made.append((centre.lang, row, values))
    assert all(_left(v, row["transcript"]) for _, row, values in made for v in values)
    with migrated_database("sqlite", tmp_path) as url:
        settings = make_settings(tmp_path, url)
        path = tmp_path / "cjk.csv"
        write_csv(path, [row for _, row, _ in made])
        engine = make_engine(url)
        try:
            job = run_import_now(engine, settings, path)
            assert job.status == JobStatus.succeeded, job.error
            left: dict[str, list[str]] = defaultdict(list)
            with Session(engine) as session:
                for lang, row, values in made:
                    external = key(settings, row["interaction_id"])
                    stored = session.exec(
                        select(Interaction).where(Interaction.external_id == external)
                    ).one()
                    text = _stored_text(session, stored)
                    left[lang].extend(v for v in values if _left(v, text))
        finally:
            engine.dispose()
    total = {lang: sum(len(v) for lg, _, v in made if lg == lang) for lang in ("zh", "ja")}
    report = {lang: f"{len(left[lang])} of {total[lang]}: {left[lang][:40]}" for lang in total}
    assert not any(left.values()), f"PII left after redaction: {report}"
