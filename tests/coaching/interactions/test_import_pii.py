"""No customer PII survives an import, anywhere: a CSV file and a JSON Lines file holding every
case (cards and phones with dots, emails on private domains, names with and without accents,
PII in the ids, the disposition, the actions, the team, attribute values, attribute keys and
nested values) are imported on SQLite and PostgreSQL, and then every text and JSON column of
every row of every table, the SQLite file and its write-ahead log (bytes), the error report and
all log output are searched for each raw value: none may appear. Every value here is synthetic
(published test card numbers, Ofcom drama phone ranges, example and private domains).
"""

from __future__ import annotations

import csv
import json
import logging
import re
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import Engine
from sqlmodel import Session

from api.migrate import upgrade
from api.presentation import problems_csv
from api.schema import metadata
from coaching.interactions.importer import problems
from foundation.db import make_engine
from foundation.ids import pk
from foundation.pseudonyms import Pseudonyms
from foundation.settings import get_settings
from jobs.models import JobStatus
from jobs.service import run_import_now
from tests.support.harness import drop_postgres_schema, fresh_postgres_schema

CARDS = ["4111.1111.1111.1111", "5555-5555-5555-4444", "4012888888881881", "3782 822463 10005"]
PHONES = ["07700.900.124", "07700.900124", "+44.7700.900124", "07700 900123", "020 7946 0018"]
EMAILS = ["someone@corp.internal", "a.b@localhost", "zoe.abernathy@example.org"]
# The row's customer_name is one spelling; the transcript and the other fields use others.
CUSTOMERS = [
    ("Siobhán Gallagher", ["Siobhan", "SIOBHAN GALLAGHER", "Gallagher"]),
    ("Jose Fernandez", ["José Fernández", "JOSÉ", "Fernández"]),
    ("ZOË Abernathy", ["Zoe", "Zoë Abernathy", "ABERNATHY"]),
]
NAMES = ["Siobhán", "Siobhan", "Gallagher", "José", "Jose", "Fernández", "Fernandez"]
NAMES += ["Zoë", "ZOË", "Zoe", "Abernathy"]
RAW = CARDS + PHONES + EMAILS + NAMES


def records() -> list[dict[str, Any]]:
    """Three contacts, each carrying PII in every field that can hold it."""
    out = []
    for n, (name, spellings) in enumerate(CUSTOMERS):
        other, shout, surname = spellings
        card, phone, email = CARDS[n], PHONES[n], EMAILS[n]
        transcript = (
            f"Agent: Good morning, who am I speaking to?\n"
            f"Customer: It's {other}. My card is {card} and my mobile {phone}.\n"
            f"Agent: Thanks {shout}. And your email?\n"
            f"Customer: {email}, or call {PHONES[3]} or {PHONES[4]}. {surname} is the surname.\n"
            f"Customer: The other card was {CARDS[3]}, mobile {PHONES[(n + 1) % 3]}."
        )
        out.append(
            {
                "interaction_id": email if n == 0 else f"{phone}/{n}",  # PII in the id
                "occurred_at": f"2026-03-0{n + 1}T10:00:00Z",
                "agent_id": "AG-1",
                "team": f"{other}'s team",  # not a known team: kept as an attribute
                "channel": "phone",
                "customer_id": card,  # a card number as the customer reference
                "customer_name": name,
                "disposition": f"callback {phone} for {other}",
                "outcome": "resolved",
                "csat": "4",
                "handle_seconds": "300",
                "actions": f"KB_ARTICLE;CALLBACK {PHONES[n]};SENT_TO {email};{surname}",
                "transcript": transcript,
                "queue_name": f"{shout} / {card}",  # an extra column with PII in its value
                email: f"{other} {phone}",  # an extra column whose name is PII
            }
        )
    return out


def write_files(folder: Path) -> list[Path]:
    rows = records()
    csv_path = folder / "pii.csv"
    columns = list(dict.fromkeys(k for r in rows for k in r))
    with csv_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=columns, restval="")
        writer.writeheader()
        writer.writerows(rows)
    jsonl_path = folder / "pii.jsonl"
    with jsonl_path.open("w", encoding="utf-8") as out:
        for n, record in enumerate(rows):
            other = CUSTOMERS[n][1][0]
            record = {
                **record,
                "interaction_id": f"json-{record['interaction_id']}",
                "actions": record["actions"].split(";"),
                "csat": 4,
                # nested values and keys, and a card number as a JSON number
                "contact": {
                    "phones": [PHONES[n], {"work": PHONES[4]}],
                    EMAILS[(n + 1) % 3]: {"card": int(CARDS[2]), "holder": other},
                },
            }
            out.write(json.dumps(record, ensure_ascii=n % 2 == 0) + "\n")
    return [csv_path, jsonl_path]


def variants(value: str) -> set[str]:
    """The value as written, in other cases, without accents, and its bare digits."""
    bare = "".join(
        ch for ch in unicodedata.normalize("NFD", value) if not unicodedata.combining(ch)
    )
    out = {value, value.lower(), value.upper(), bare, bare.lower()}
    digits = re.sub(r"\D", "", value)
    if len(digits) >= 9:
        out |= {digits, digits.lstrip("0"), digits.removeprefix("44")}
    return out


def leaks_in_text(text: str) -> list[str]:
    """Raw values in ``text``, matched case-insensitively on word boundaries."""
    folded = text.casefold()
    found = []
    for raw in RAW:
        for variant in variants(raw):
            if re.search(rf"(?<!\w){re.escape(variant.casefold())}(?!\w)", folded):
                found.append(variant)
    return found


def leaks_in_bytes(data: bytes) -> list[str]:
    """Raw values of five or more bytes in a binary file, as UTF-8 or JSON-escaped (shorter
    needles would turn up by chance in a few MB of binary pages)."""
    folded = data.lower()
    found = []
    for raw in RAW:
        for variant in variants(raw):
            for form in (variant, json.dumps(variant)[1:-1]):
                needle = form.encode("utf-8")
                if len(needle) >= 5 and (needle in data or needle.lower() in folded):
                    found.append(form)
    return found


@pytest.fixture
def import_caplog(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)
    return caplog


def test_the_fixture_data_really_holds_the_pii(tmp_path):
    """The scan itself works: every raw value is found in the files that are imported."""
    files = write_files(tmp_path)
    text = "\n".join(p.read_text(encoding="utf-8") for p in files)
    assert set(RAW) <= set(leaks_in_text(text))
    found = set(leaks_in_bytes(b"".join(p.read_bytes() for p in files)))
    assert {raw for raw in RAW if len(raw.encode()) >= 5} <= found


def test_no_raw_value_is_stored_or_logged_anywhere(
    import_engine, import_settings, import_db, tmp_path, import_caplog, capfd
):
    jobs = [run_import_now(import_engine, import_settings, path) for path in write_files(tmp_path)]
    for job in jobs:
        assert job.status == JobStatus.succeeded, job.error
        assert job.message is not None
        assert "3 interactions imported, 0 rows skipped" in job.message

    with Session(import_engine) as session:
        # every text and JSON column of every row of every table
        for table in metadata.sorted_tables:
            columns = [c for c in table.columns if not isinstance(c.type, sa.Integer | sa.Boolean)]
            if not columns:
                continue
            for record in session.execute(sa.select(*columns)).mappings():
                for column, value in record.items():
                    text = value if isinstance(value, str) else json.dumps(value, default=str)
                    leaks = leaks_in_text(text)
                    assert not leaks, f"{table.name}.{column} holds {leaks}"
        stored = session.execute(sa.text("SELECT turns, attributes, actions FROM interaction"))
        everything = json.dumps([list(r) for r in stored], ensure_ascii=False)
        for job in jobs:
            assert not leaks_in_text(problems_csv(problems(session, pk(job))))

    # the tokens are there: the PII was found, not dropped by accident
    for token in ("[CARD]", "[PHONE]", "[EMAIL]", "[NAME]"):
        assert token in everything
    # the SQLite file and its write-ahead log, byte for byte
    if import_db.startswith("sqlite"):
        database = Path(import_db.removeprefix("sqlite:///"))
        files = [p for p in database.parent.glob(database.name + "*") if p.is_file()]
        assert any(p.name.endswith("-wal") for p in files), files
        for path in files:
            leaks = leaks_in_bytes(path.read_bytes())
            assert not leaks, f"{path.name} holds {leaks}"
    # every log line (with tracebacks) and anything printed
    formatter = logging.Formatter("%(name)s %(levelname)s %(message)s")
    logged = "\n".join(formatter.format(r) for r in import_caplog.records)
    printed = "".join(capfd.readouterr())
    assert not leaks_in_text(logged + printed)
    # and the raw uploads are gone
    assert list((tmp_path / "uploads").iterdir()) == []


def test_ids_keep_working_as_keyed_hashes(import_engine, import_settings, tmp_path):
    """Re-importing the same files updates every interaction (never duplicates) and the
    customer references link the same customer's contacts."""
    files = write_files(tmp_path)
    for path in files + files:
        assert run_import_now(import_engine, import_settings, path).status == JobStatus.succeeded
    pseudonyms = Pseudonyms.from_settings(import_settings)
    with Session(import_engine) as session:
        ids = session.execute(sa.text("SELECT external_id, customer_ref FROM interaction")).all()
    assert len(ids) == 6
    raw_ids = [r["interaction_id"] for r in records()]
    expected = {pseudonyms.of("interaction", i) for i in raw_ids + [f"json-{i}" for i in raw_ids]}
    assert {external for external, _ in ids} == expected
    assert {ref for _, ref in ids} == {pseudonyms.of("customer", card) for card in CARDS[:3]}


# ----------------------------------------------------------------------------- migration 0008
@pytest.fixture(params=["sqlite", "postgresql"])
def url_at_0007(request: pytest.FixtureRequest, tmp_path: Path):
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.db'}"
        upgrade(url, "0007")
        yield url
        return
    url, admin, schema = fresh_postgres_schema()
    try:
        upgrade(url, "0007")
        yield url
    finally:
        drop_postgres_schema(admin, schema)


def test_migration_0008_rekeys_and_redacts_existing_interactions(url_at_0007: str):
    engine: Engine = make_engine(url_at_0007)
    try:
        when = datetime(2026, 1, 1, 10, tzinfo=UTC)
        with engine.begin() as connection:
            agent = sa.table("agent", sa.column("code"), sa.column("first_seen_at"))
            connection.execute(agent.insert().values(code="AG-1", first_seen_at=when))
            agent_id = connection.execute(sa.text("SELECT id FROM agent")).scalar()
            interaction = sa.table(
                "interaction",
                *(sa.column(c) for c in ("external_id", "occurred_at", "agent_id", "customer_ref")),
                sa.column("actions", sa.JSON),
                sa.column("attributes", sa.JSON),
                sa.column("turns", sa.JSON),
                sa.column("redactions", sa.JSON),
                sa.column("created_at"),
                sa.column("updated_at"),
            )
            for n, email in enumerate(EMAILS):
                connection.execute(
                    interaction.insert().values(
                        external_id=email,
                        occurred_at=when,
                        agent_id=agent_id,
                        customer_ref=CARDS[n] if n else None,
                        actions=["KB_ARTICLE", f"CALLBACK {PHONES[n]}"],
                        attributes={email: {"card": int(CARDS[2]), "note": PHONES[1]}},
                        turns=[],
                        redactions={},
                        created_at=when,
                        updated_at=when,
                    )
                )
        upgrade(url_at_0007)
        pseudonyms = Pseudonyms.from_settings(get_settings())
        with engine.connect() as connection:
            rows = (
                connection.execute(sa.select(interaction).order_by(sa.column("external_id")))
                .mappings()
                .all()
            )
        assert {r["external_id"] for r in rows} == {pseudonyms.of("interaction", e) for e in EMAILS}
        assert {r["customer_ref"] for r in rows} == {None} | {
            pseudonyms.of("customer", c) for c in CARDS[1:3]
        }
        for r in rows:
            assert r["actions"] == ["KB_ARTICLE", "CALLBACK [PHONE]"]
            assert r["attributes"] == {"[EMAIL]": {"card": "[CARD]", "note": "[PHONE]"}}
    finally:
        engine.dispose()
