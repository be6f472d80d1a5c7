"""The interaction-log import, end to end through the real job handler."""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path

from sqlalchemy import select as sa_select
from sqlmodel import Session, func, select

from api.schema import metadata
from coaching.importer import COLUMNS as FORMAT_COLUMNS
from coaching.importer import problems_csv
from coaching.models import Agent, ImportProblem, Interaction, Signal, SignalKind
from foundation.accounts import Role, Team, User
from jobs.models import JobStatus
from jobs.service import run_import_now

# The import format's columns, plus one the importer does not know (kept as an attribute).
COLUMNS = [*FORMAT_COLUMNS, "queue_name"]


def row(n: int, **fields: str) -> dict[str, str]:
    base = {
        "interaction_id": f"INT-{n:05d}",
        "occurred_at": f"2026-10-{1 + n % 28:02d}T10:00:00Z",
        "agent_id": "AG-1",
        "team": "",
        "channel": "phone",
        "customer_id": f"C-{n}",
        "customer_name": "",
        "disposition": "card query",
        "outcome": "resolved",
        "csat": "4",
        "handle_seconds": "300",
        "actions": "KB_ARTICLE",
        "transcript": "Customer: My card has not arrived.\nAgent: I have ordered a new one.",
        "queue_name": "cards",
    }
    return {**base, **fields}


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as out:
        writer = csv.DictWriter(out, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def count(engine, model) -> int:
    with Session(engine) as session:
        return session.exec(select(func.count()).select_from(model)).one()


def test_good_rows_import_and_each_bad_row_is_reported_with_its_line(
    import_engine, import_settings, tmp_path
):
    # Lines: the header is line 1, and a two-turn transcript spans two lines of the file.
    rows = [
        row(1),  # lines 2-3
        row(2, interaction_id=""),  # line 4: missing required field
        row(3, occurred_at="yesterday"),  # line 6: unparseable time
        row(4, csat="7"),  # line 8: csat out of range
        row(5, outcome="lost"),  # line 10: unknown outcome
        row(1, transcript="Customer: again"),  # line 12: duplicate id in the file
        row(7, transcript="Customer: " + "x" * 3000),  # line 13: over the transcript limit
        row(8, channel="pigeon"),  # line 14: unknown channel
        row(9, csat="four"),  # line 16: not a number
        row(10),  # lines 18-19
    ]
    path = write_csv(tmp_path / "mixed.csv", rows)
    job = run_import_now(import_engine, import_settings, path)
    assert job.status == JobStatus.succeeded, job.error
    assert count(import_engine, Interaction) == 2
    with Session(import_engine) as session:
        report = list(csv.DictReader(io.StringIO(problems_csv(session, job.id))))
    assert [(r["line"], r["field"]) for r in report] == [
        ("4", "interaction_id"),
        ("6", "occurred_at"),
        ("8", "csat"),
        ("10", "outcome"),
        ("12", "interaction_id"),
        ("13", "transcript"),
        ("14", "channel"),
        ("16", "csat"),
    ]
    assert "duplicate" in report[4]["reason"]
    assert "2 interactions imported, 8 rows skipped" in job.message
    assert list((tmp_path / "uploads").iterdir()) == []  # the staged raw upload is gone


def test_json_lines_with_bad_lines(import_engine, import_settings, tmp_path):
    path = tmp_path / "log.jsonl"
    lines = [json.dumps(row(1)), "{not json", json.dumps([1, 2]), "", json.dumps(row(2))]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    job = run_import_now(import_engine, import_settings, path)
    assert job.status == JobStatus.succeeded and count(import_engine, Interaction) == 2
    with Session(import_engine) as session:
        lines_reported = session.exec(select(ImportProblem.line)).all()
    assert sorted(lines_reported) == [2, 3]


def test_reimporting_an_id_updates_it(import_engine, import_settings, tmp_path):
    run_import_now(import_engine, import_settings, write_csv(tmp_path / "a.csv", [row(1)]))
    changed = row(1, outcome="transferred", csat="1")
    run_import_now(import_engine, import_settings, write_csv(tmp_path / "b.csv", [changed]))
    assert count(import_engine, Interaction) == 1
    with Session(import_engine) as session:
        interaction = session.exec(select(Interaction)).one()
        kinds = sorted(s.kind for s in session.exec(select(Signal)))
    assert interaction.outcome == "transferred"
    assert kinds == sorted([SignalKind.transfer, SignalKind.low_csat])


def test_utf8_bom_imports_and_other_encodings_are_refused(import_engine, import_settings, tmp_path):
    bom = write_csv(
        tmp_path / "bom.csv", [row(1, transcript="Customer: café crème")], encoding="utf-8-sig"
    )
    assert run_import_now(import_engine, import_settings, bom).status == JobStatus.succeeded
    latin = write_csv(
        tmp_path / "latin.csv", [row(2), row(3, transcript="Customer: café")], encoding="latin-1"
    )
    job = run_import_now(import_engine, import_settings, latin)
    assert job.status == JobStatus.failed and "not UTF-8" in job.error, job.error
    assert "line 4" in job.error.lower()  # header, then row 2 on lines 2-3


def test_a_file_that_is_neither_csv_nor_json_lines_fails_clearly(
    import_engine, import_settings, tmp_path
):
    path = tmp_path / "notes.txt"
    path.write_text("Dear team,\nplease find the report attached.\n", encoding="utf-8")
    job = run_import_now(import_engine, import_settings, path)
    assert job.status == JobStatus.failed
    assert "neither a CSV" in job.error and "JSON Lines" in job.error
    assert count(import_engine, Interaction) == 0


def test_agents_map_to_users_and_unknown_ids_are_reported(import_engine, import_settings, tmp_path):
    with Session(import_engine) as session:
        team = Team(name="Thames", department="Retail")
        session.add(team)
        session.flush()
        session.add(
            User(
                email="a@bank.test",
                display_name="A",
                role=Role.staff,
                team_id=team.id,
                password_hash="x",
                agent_code="AG-1",
            )
        )
        session.commit()
    rows = [row(1, agent_id="AG-1"), row(2, agent_id="AG-404"), row(3, agent_id="AG-404")]
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "a.csv", rows))
    assert "1 agent ids match no user" in job.message
    with Session(import_engine) as session:
        agents = {a.code: a.user_id for a in session.exec(select(Agent))}
        first = session.exec(
            select(Interaction).where(Interaction.external_id == "INT-00001")
        ).one()
    assert agents["AG-1"] is not None and agents["AG-404"] is None
    assert first.team_id is not None  # from the linked user's team
    assert first.attributes == {"queue_name": "cards"}  # unknown columns are kept


def test_repeat_contact_within_the_limit_marks_the_earlier_contact(
    import_engine, import_settings, tmp_path
):
    rows = [
        row(1, customer_id="C-9", occurred_at="2026-10-01T09:00:00Z", outcome="unresolved"),
        row(2, customer_id="C-9", occurred_at="2026-10-04T09:00:00Z"),
        row(3, customer_id="C-7", occurred_at="2026-10-01T09:00:00Z"),
        row(4, customer_id="C-7", occurred_at="2026-10-20T09:00:00Z"),
    ]
    run_import_now(import_engine, import_settings, write_csv(tmp_path / "r.csv", rows))
    with Session(import_engine) as session:
        repeat = session.exec(
            select(Interaction.external_id)
            .join(Signal, Signal.interaction_id == Interaction.id)
            .where(Signal.kind == SignalKind.repeat_contact)
        ).all()
    assert repeat == ["INT-00001"]


GOLDEN = {
    "card": "4111 1111 1111 1111",
    "iban": "GB82 WEST 1234 5698 7654 32",
    "email": "jane.doe@example.co.uk",
    "phone": "07700 900123",
    "name": "Jane Doe",
    "ni": "QQ 12 34 56 C",
    "postcode": "SW1A 1AA",
}


def test_no_pii_anywhere_after_importing_the_golden_rows(
    import_engine, import_settings, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    transcript = (
        f"Customer: Hi, I'm {GOLDEN['name']}, card {GOLDEN['card']}, email {GOLDEN['email']}.\n"
        f"Agent: Thanks Jane. I'll call {GOLDEN['phone']} and post to {GOLDEN['postcode']}.\n"
        f"Customer: My IBAN is {GOLDEN['iban']} and NI number {GOLDEN['ni']}."
    )
    rows = [
        row(
            1,
            customer_name=GOLDEN["name"],
            transcript=transcript,
            disposition=f"callback {GOLDEN['phone']}",
            queue_name=GOLDEN["email"],
        ),
        row(2, csat="9", transcript=transcript, customer_name=GOLDEN["name"]),
    ]
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "pii.csv", rows))
    assert job.status == JobStatus.succeeded, job.error
    needles = [v.replace(" ", "") for v in GOLDEN.values()] + list(GOLDEN.values()) + ["Jane"]
    with Session(import_engine) as session:
        for table in metadata.sorted_tables:
            for record in session.execute(sa_select(table)).mappings():
                blob = json.dumps({k: str(v) for k, v in record.items()})
                for needle in needles:
                    assert needle not in blob and needle not in blob.replace(" ", ""), table.name
        report = problems_csv(session, job.id)
    for needle in needles:
        assert needle not in report
        assert not any(needle in r.getMessage() for r in caplog.records)


def test_duplicates_are_caught_across_batches(
    import_engine, import_settings, tmp_path, monkeypatch
):
    from coaching import importer

    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    rows = [row(1), row(2), row(3), row(1, csat="1"), row(4)]
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "d.csv", rows))
    assert count(import_engine, Interaction) == 4
    with Session(import_engine) as session:
        problem = session.exec(select(ImportProblem)).one()
        kept = session.exec(select(Interaction).where(Interaction.external_id == "INT-00001")).one()
    assert (problem.line, problem.field) == (8, "interaction_id")
    assert kept.csat == 4  # the first occurrence stands
    assert "4 interactions imported, 1 rows skipped" in job.message
