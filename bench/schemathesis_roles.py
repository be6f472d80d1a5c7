"""schemathesis's command line against the real server, once per role: the failures it finds.

Serves the app (uvicorn, in this process) on a migrated SQLite database in a temporary folder,
with one person per role (agent, team leader, CX lead, admin) holding a read-write API token,
then runs ``schemathesis run`` on ``/api/v1/openapi.json`` as each of them, with every phase
(examples, coverage, fuzzing, stateful) and the checks the suite's test uses. Prints each role's
summary and ends with one JSON line: ``{"bench": "schemathesis_roles", "examples", "seed",
"failures": {role: count}, "cases": {role: count}}``.

    .venv/bin/python bench/schemathesis_roles.py [--examples 30] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import uvicorn
from sqlmodel import Session

from api.app import create_app
from api.models import ALL_SCOPES
from api.security import create_api_token
from bench.common import app_database
from foundation.accounts import Role, Team, User
from ideas.submissions.models import Category

CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    ]
)


def people(folder: str) -> tuple[object, dict[str, str]]:
    """The settings, and a read-write token for one person of each role (all in one team)."""
    engine, settings = app_database(folder)
    secrets: dict[str, str] = {}
    with Session(engine, expire_on_commit=False) as session:
        team = Team(name="Bench team", department="Retail banking")
        session.add_all([team, Category(name="General")])
        session.flush()
        for role in Role:
            user = User(
                email=f"{role.value}@bank.test",
                display_name=role.label,
                role=role,
                team_id=team.id,
                password_hash="x",
            )
            session.add(user)
            session.flush()
            _, secrets[role.value] = create_api_token(session, user, "bench", scopes=ALL_SCOPES)
        session.commit()
    engine.dispose()
    return settings, secrets


def serve(settings: object) -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(create_app(settings), port=port, log_level="warning")  # type: ignore[arg-type]
    server = uvicorn.Server(config)
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.1)
    return f"http://127.0.0.1:{port}"


def run(base: str, secret: str, examples: int, seed: int, folder: str) -> tuple[int, int, str]:
    """(failures, cases, summary) of one schemathesis run with ``secret``."""
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{base}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {secret}",
        "--checks",
        CHECKS,
        "--max-examples",
        str(examples),
        "--seed",
        str(seed),
        "--workers",
        "1",
        "--no-color",
    ]
    out = subprocess.run(command, capture_output=True, text=True, cwd=folder, check=False).stdout
    failures = re.search(r"(\d+) unique failures", out)
    cases = re.search(r"(\d+) generated", out)
    summary = "\n".join(line for line in out.splitlines() if "❌" in line or " generated, " in line)
    return (
        int(failures.group(1)) if failures else 0,
        int(cases.group(1)) if cases else 0,
        summary,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--examples", type=int, default=30)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        settings, secrets = people(folder)
        base = serve(settings)
        failures: dict[str, int] = {}
        cases: dict[str, int] = {}
        for role, secret in secrets.items():
            failures[role], cases[role], summary = run(
                base, secret, args.examples, args.seed, folder
            )
            print(f"{role}: {failures[role]} failures in {cases[role]} cases\n{summary}\n")
    print(
        json.dumps(
            {
                "bench": "schemathesis_roles",
                "examples": args.examples,
                "seed": args.seed,
                "failures": failures,
                "cases": cases,
            }
        )
    )


if __name__ == "__main__":
    main()
