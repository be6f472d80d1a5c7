"""The interaction-log import, end to end through the real job handler."""

from __future__ import annotations

import csv
import io
import json

from sqlmodel import Session, col, func, select

from api.presentation import problems_csv
from coaching.interactions import reader as import_reader
from coaching.interactions.importer import problems
from coaching.interactions.models import Agent, ImportProblem, Interaction, Signal, SignalKind
from foundation.accounts import Role, Team, User
from foundation.ids import pk
from foundation.pseudonyms import Pseudonyms
from jobs.models import JobStatus
from jobs.service import run_import_now
from tests.support.coaching import COLUMNS, key, row, write_csv


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
        report = list(csv.DictReader(io.StringIO(problems_csv(problems(session, pk(job))))))
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
    assert job.message is not None
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
    assert job.error is not None, job.status
    assert job.status == JobStatus.failed and "not UTF-8" in job.error, job.error
    assert "line 4" in job.error.lower()  # header, then row 2 on lines 2-3


def test_a_file_that_is_neither_csv_nor_json_lines_fails_clearly(
    import_engine, import_settings, tmp_path
):
    path = tmp_path / "notes.txt"
    path.write_text("Dear team,\nplease find the report attached.\n", encoding="utf-8")
    job = run_import_now(import_engine, import_settings, path)
    assert job.status == JobStatus.failed
    assert job.error is not None
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
    assert job.message is not None
    assert "1 agent ids match no user" in job.message
    with Session(import_engine) as session:
        agents = {a.code: a.user_id for a in session.exec(select(Agent))}
        first = session.exec(
            select(Interaction).where(Interaction.external_id == key(import_settings, "INT-00001"))
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
            .join(Signal, col(Signal.interaction_id) == Interaction.id)
            .where(Signal.kind == SignalKind.repeat_contact)
        ).all()
    assert repeat == [key(import_settings, "INT-00001")]


def test_duplicates_are_caught_across_batches(
    import_engine, import_settings, tmp_path, monkeypatch
):

    monkeypatch.setattr(import_reader, "BATCH_ROWS", 2)
    rows = [row(1), row(2), row(3), row(1, csat="1"), row(4)]
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "d.csv", rows))
    assert count(import_engine, Interaction) == 4
    with Session(import_engine) as session:
        problem = session.exec(select(ImportProblem)).one()
        kept = session.exec(
            select(Interaction).where(Interaction.external_id == key(import_settings, "INT-00001"))
        ).one()
    assert (problem.line, problem.field) == (8, "interaction_id")
    assert kept.csat == 4  # the first occurrence stands
    assert job.message is not None
    assert "4 interactions imported, 1 rows skipped" in job.message


# ------------------------------------------------------------------ every bad row is reported
def problems_of(engine, job_id: int) -> list[tuple[int, str | None, str]]:
    with Session(engine) as session:
        report = list(csv.DictReader(io.StringIO(problems_csv(problems(session, job_id)))))
    return [(int(r["line"]), r["field"] or None, r["reason"]) for r in report]


def imported_ids(engine) -> set[str]:
    with Session(engine) as session:
        return set(session.exec(select(Interaction.external_id)))


def any_row(n: int, **fields: object) -> dict[str, object]:
    """``row`` with values of any JSON type, as a JSON Lines file may hold."""
    return {**row(n), **fields}


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


def test_json_values_of_any_type_size_or_depth_are_reported_rows(
    import_engine, import_settings, tmp_path
):
    """Each line below once failed the whole job (TypeError, OverflowError, RecursionError) or
    the database write (NaN, NUL, a lone surrogate), or stored a date that broke the gaps page.
    Now each is one reported row, and every good row around them imports."""
    good = [json.dumps(row(n)) for n in range(1, 4)]
    bad: list[tuple[str, str | None]] = [
        (json.dumps(any_row(10, transcript=["Customer: hi"])), "transcript"),
        (json.dumps(any_row(11, channel=["phone"])), "channel"),
        (json.dumps(any_row(12, interaction_id={"id": 1})), "interaction_id"),
        (json.dumps(any_row(13, team=["Thames"])), "team"),
        (json.dumps(any_row(14, agent_id=[1, 2])), "agent_id"),
        (json.dumps(any_row(15, customer_id=True)), "customer_id"),
        (json.dumps(any_row(16, handle_seconds=10**30)), "handle_seconds"),
        (json.dumps(any_row(17, handle_seconds=-1)), "handle_seconds"),
        (json.dumps(any_row(18, csat=2**63)), "csat"),
        (json.dumps(any_row(19, csat=4.5)), "csat"),
        (json.dumps(any_row(20, csat=[4])), "csat"),
        (json.dumps(any_row(21, actions=[["KB"]])), "actions"),
        (json.dumps(row(22, actions=";".join(f"A{i}" for i in range(51)))), "actions"),
        (json.dumps(any_row(23, actions=["X" * 65])), "actions"),
        (json.dumps(row(24, occurred_at="9999-12-31T23:59:59+14:00")), "occurred_at"),
        (json.dumps(row(25, occurred_at="9999-12-31T23:59:59-14:00")), "occurred_at"),
        (json.dumps(row(26, occurred_at="1999-12-31T23:59:59Z")), "occurred_at"),
        (json.dumps(row(27, occurred_at="2999-01-01T00:00:00Z")), "occurred_at"),
        (json.dumps(any_row(28, occurred_at=1700000000)), "occurred_at"),
        (json.dumps(row(29, interaction_id="X" * 129)), "interaction_id"),
        (json.dumps(row(30, disposition="a\x00b")), "disposition"),
        (json.dumps(row(31)).replace('"card query"', '"\\ud800"'), "disposition"),
        (json.dumps(row(32)).replace('"cards"', "NaN"), None),
        (json.dumps(row(33)).replace('"cards"', "1" + "0" * 5000), None),
        (json.dumps(row(34)).replace('"cards"', nested(100_000)), None),
        (json.dumps(row(35)).replace('"cards"', nested(6)), None),
        (json.dumps(any_row(36, queue_name=2**64)), None),
        (json.dumps(row(37, queue_name="q" * 2001)), None),
        (json.dumps({**row(38), **{f"extra_{i}": "x" for i in range(51)}}), None),
        (json.dumps(row(39, transcript="Customer: " + "x" * 1_100_000)), None),  # over 1 MiB
        (nested(100_000), None),
        ('"just a string"', None),
    ]
    lines = [good[0], *(line for line, _ in bad), good[1], "", good[2]]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    job = run_import_now(import_engine, import_settings, path)
    assert job.status == JobStatus.succeeded, job.error
    assert imported_ids(import_engine) == {key(import_settings, f"INT-{n:05d}") for n in (1, 2, 3)}
    reported = problems_of(import_engine, pk(job))
    assert [(line, field) for line, field, _ in reported] == [
        (i + 2, field) for i, (_, field) in enumerate(bad)
    ]
    for (_, _, reason), (line, _) in zip(reported, bad, strict=True):
        assert reason and reason not in line  # a reason, never the value
    assert "longer than the 1,048,576-byte limit" in reported[-3][2]
    assert "nested too deeply" in reported[-2][2]
    assert job.message is not None
    assert f"3 interactions imported, {len(bad)} rows skipped" in job.message
    assert list((tmp_path / "uploads").iterdir()) == []


def test_nested_values_within_the_limits_are_kept(import_engine, import_settings, tmp_path):
    path = tmp_path / "nested.jsonl"
    attributes = {"queue_name": {"a": [1, 2.5, True, None, {"b": "c"}]}, "level": 2**63 - 1}
    path.write_text(json.dumps({**row(1), **attributes, "csat": 4, "handle_seconds": 60.0}) + "\n")
    job = run_import_now(import_engine, import_settings, path)
    assert job.status == JobStatus.succeeded, job.error
    with Session(import_engine) as session:
        interaction = session.exec(select(Interaction)).one()
    assert interaction.attributes == attributes
    assert (interaction.csat, interaction.handle_seconds) == (4, 60)


def test_a_field_over_the_csv_module_limit_is_read_and_later_rows_still_import(
    import_engine, import_settings, tmp_path
):
    """150,000 characters is over the csv module's default field limit (131,072): that once
    ended the import with "not valid CSV" and silently lost every later row."""
    rows = [
        row(1),  # lines 2-3
        row(2, queue_name="q" * 150_000),  # lines 4-5: over the attribute limit, reported
        row(3),  # lines 6-7
        row(4, transcript="Customer: " + "long " * 30_000),  # line 8: over the transcript limit
        row(5),  # lines 9-10
        row(6, transcript="x", queue_name="x" * 1_200_000),  # line 11: over the row limit
        row(7),  # lines 12-13
    ]
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "long.csv", rows))
    assert job.status == JobStatus.succeeded, job.error
    assert imported_ids(import_engine) == {
        key(import_settings, f"INT-{n:05d}") for n in (1, 3, 5, 7)
    }
    reported = problems_of(import_engine, pk(job))
    assert [(line, field) for line, field, _ in reported] == [
        (4, None),
        (8, "transcript"),
        (11, None),
    ]
    assert "longer than 2,000" in reported[0][2]
    assert "longer than the 1,048,576-byte limit for one row" in reported[2][2]


def test_broken_quotes_are_reported_with_the_lines_they_swallowed(
    import_engine, import_settings, tmp_path
):
    def line(n: int) -> str:
        out = io.StringIO()
        csv.writer(out).writerow(row(n, transcript="Customer: hi").values())
        return out.getvalue().rstrip("\r\n")

    lines = [
        ",".join(COLUMNS),
        line(1),  # 2
        line(2).replace("card query", '"card query'),  # 3: a quote opens a field ...
        "more text",  # 4
        'end",x',  # 5: ... that closes here: lines 3-5 are one (bad) row
        line(3),  # 6
        '"never closed,',  # 7: the file ends inside this quoted field
        "last line",  # 8
    ]
    path = tmp_path / "quotes.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    job = run_import_now(import_engine, import_settings, path)
    assert job.status == JobStatus.succeeded, job.error
    assert imported_ids(import_engine) == {key(import_settings, f"INT-{n:05d}") for n in (1, 3)}
    reported = problems_of(import_engine, pk(job))
    assert [line for line, _, _ in reported] == [3, 7]
    assert reported[0][2] == "has 9 fields, the header has 14; lines 3-5 were read as one row"
    assert "never closed" in reported[1][2] and "lines 7-8" in reported[1][2]


def test_a_line_that_is_not_utf8_later_in_the_file_is_a_reported_row(
    import_engine, import_settings, tmp_path
):
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps(row(n)).encode() for n in range(1, 60)]
    latin = json.dumps(row(41, transcript="Customer: caf\u00e9"), ensure_ascii=False)
    lines[40] = latin.encode("latin-1")
    path.write_bytes(b"\n".join(lines) + b"\n")
    job = run_import_now(import_engine, import_settings, path)
    assert job.status == JobStatus.succeeded, job.error
    assert count(import_engine, Interaction) == 58
    assert [(line, reason) for line, _, reason in problems_of(import_engine, pk(job))] == [
        (41, "not UTF-8 text (save the file as UTF-8)")
    ]


def test_a_failed_import_deletes_its_upload_too(
    import_engine, import_settings, tmp_path, monkeypatch
):
    from coaching.interactions import store as import_store

    def broken_write(self, session, prepared, problems):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(import_store.Store, "write", broken_write)
    job = run_import_now(import_engine, import_settings, write_csv(tmp_path / "a.csv", [row(1)]))
    assert job.error is not None, job.status
    assert job.status == JobStatus.failed and "RuntimeError" in job.error
    assert list((tmp_path / "uploads").iterdir()) == []
    # And a file that is not an interaction log at all.
    path = tmp_path / "notes.txt"
    path.write_text("Dear team,\nplease see attached.\n", encoding="utf-8")
    assert run_import_now(import_engine, import_settings, path).status == JobStatus.failed
    assert list((tmp_path / "uploads").iterdir()) == []


def test_a_job_the_reaper_gives_up_on_deletes_its_upload(import_engine, import_settings, tmp_path):
    from datetime import timedelta

    from coaching.interactions.importer import stage_upload
    from foundation.clock import utcnow
    from jobs.models import Job
    from jobs.reaper import MAX_ATTEMPTS, reap

    with write_csv(tmp_path / "a.csv", [row(1)]).open("rb") as source:
        staged = stage_upload(source, tmp_path / "uploads")
    with Session(import_engine) as session:
        stale = utcnow() - timedelta(hours=1)
        job = Job(
            kind="interactions.import",
            params={"path": str(staged)},
            status=JobStatus.running,
            attempts=MAX_ATTEMPTS,
            heartbeat_at=stale,
            owner="a-dead-worker",
        )
        session.add(job)
        session.commit()
        job_id = job.id
    enqueued: list[int] = []

    class Recorder:
        def enqueue(self, job_id: int) -> None:
            enqueued.append(job_id)

    assert staged.is_file()
    reap(import_engine, Recorder(), stale_seconds=60)
    with Session(import_engine) as session:
        assert session.get_one(Job, job_id).status == JobStatus.failed
    assert not staged.exists() and enqueued == []


# ------------------------------------------------------------------------------ keyed hashes
def test_ids_are_stored_only_as_keyed_hashes(import_engine, import_settings, tmp_path):
    rows = [row(1, customer_id="C-1"), row(2, customer_id="C-1", interaction_id="1234")]
    run_import_now(import_engine, import_settings, write_csv(tmp_path / "a.csv", rows))
    pseudonyms = Pseudonyms.from_settings(import_settings)
    with Session(import_engine) as session:
        stored = sorted((i.external_id, i.customer_ref) for i in session.exec(select(Interaction)))
    ref = pseudonyms.of("customer", "C-1")
    assert stored == sorted(
        [(key(import_settings, "INT-00001"), ref), (key(import_settings, "1234"), ref)]
    )
    assert all(len(external) == 64 for external, _ in stored)
    assert pseudonyms.of("interaction", "C-1") != ref  # the kinds never collide
    assert Pseudonyms("another-key-" + "x" * 32).of("customer", "C-1") != ref


def test_a_key_rotation_keeps_reimports_and_repeat_contacts_working(
    import_engine, import_settings, tmp_path, monkeypatch
):
    from foundation.settings import get_settings

    old = import_settings.pii_key.get_secret_value()
    first = [row(1, customer_id="C-9", occurred_at="2026-10-01T09:00:00Z", outcome="unresolved")]
    run_import_now(import_engine, import_settings, write_csv(tmp_path / "a.csv", first))

    new = "a-new-pii-key-after-rotation-" + "y" * 16
    monkeypatch.setenv("VOICELOOP_PII_KEY", new)
    monkeypatch.setenv("VOICELOOP_PII_KEY_PREVIOUS", old)
    get_settings.cache_clear()
    rotated = get_settings()
    later = [
        row(1, customer_id="C-9", occurred_at="2026-10-01T09:00:00Z", csat="2"),  # re-imported
        row(2, customer_id="C-9", occurred_at="2026-10-03T09:00:00Z"),  # the customer again
    ]
    job = run_import_now(import_engine, rotated, write_csv(tmp_path / "b.csv", later))
    assert job.status == JobStatus.succeeded, job.error
    current = Pseudonyms.from_settings(rotated)
    with Session(import_engine) as session:
        stored = {i.external_id: i for i in session.exec(select(Interaction))}
        repeat = session.exec(
            select(Interaction.external_id)
            .join(Signal, col(Signal.interaction_id) == Interaction.id)
            .where(Signal.kind == SignalKind.repeat_contact)
        ).all()
    assert set(stored) == {
        current.of("interaction", "INT-00001"),
        current.of("interaction", "INT-00002"),
    }
    assert stored[current.of("interaction", "INT-00001")].csat == 2  # updated, not duplicated
    assert {i.customer_ref for i in stored.values()} == {current.of("customer", "C-9")}
    assert repeat == [current.of("interaction", "INT-00001")]
