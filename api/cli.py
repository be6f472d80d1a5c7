"""The ``voiceloop`` command line: migrate, demo data, admin accounts, worker and server."""

from __future__ import annotations

import getpass
import logging
import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlmodel import select

from api import accounts
from api import migrate as migrations
from demo.loader import (
    DEMO_PASSWORD,
    load_demo,
    load_demo_coaching,
    load_demo_interactions,
    load_demo_themes,
)
from foundation.accounts import Role, User, UserCreate
from foundation.db import make_engine, session_scope
from foundation.errors import DomainError
from foundation.settings import Settings, get_settings

# Applied by uvicorn in every web process (``basicConfig`` here would reach only the first).
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
LOG_CONFIG: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": LOG_FORMAT}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"level": "INFO", "handlers": ["stderr"]},
}

app = typer.Typer(help="VoiceLoop: employee voice and coaching.", no_args_is_help=True)


@app.command()
def migrate() -> None:
    """Bring the database schema up to date (Alembic)."""
    settings = get_settings()
    migrations.upgrade(settings.database_url)
    typer.echo("Database is up to date.")


@app.command("create-admin")
def create_admin(
    email: Annotated[str, typer.Option(prompt=True)],
    name: Annotated[str, typer.Option(prompt="Display name")] = "Administrator",
) -> None:
    """Create an administrator account (asks for the password)."""
    password = os.environ.get("VOICELOOP_ADMIN_PASSWORD") or getpass.getpass("Password: ")
    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as session:
            data = UserCreate(email=email, display_name=name, role=Role.admin, password=password)
            accounts.create_user(session, data)
    except (DomainError, ValueError) as exc:
        typer.echo(f"Could not create the admin: {exc}", err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    typer.echo(f"Admin {email} created.")


@app.command()
def demo() -> None:
    """Load the synthetic demo data (development only) and print the demo logins."""
    settings = get_settings()
    if settings.environment != "development":
        typer.echo("Demo data has known passwords: refused outside development.", err=True)
        raise typer.Exit(1)
    engine = make_engine(settings.database_url)
    try:
        with session_scope(engine) as session:
            logins = load_demo(session)
        typer.echo("Importing the synthetic demo interactions (first run only)...")
        imported = load_demo_interactions(engine, settings)
        if imported:
            typer.echo(f"  {imported}")
        typer.echo("Clustering the demo ideas and gap evidence into themes (first run only)...")
        clustered = load_demo_themes(engine, settings)
        if clustered:
            typer.echo(f"  {clustered}")
        typer.echo("Publishing demo guides and coaching modules (first run only)...")
        coached = load_demo_coaching(engine, settings)
        if coached:
            typer.echo(f"  {coached}")
    finally:
        engine.dispose()
    typer.echo(f"\nDemo logins (development only), password for all: {DEMO_PASSWORD}")
    for login in logins:
        if login.role != Role.staff or login.email.startswith(("aisha", "ben.")):
            typer.echo(f"  {login.role.label:<16} {login.email:<34} {login.team or ''}")
    typer.echo(f"  ...and {sum(lg.role == Role.staff for lg in logins) - 2} more agents.\n")


@app.command()
def worker(workers: Annotated[int, typer.Option(min=1, max=16)] = 1) -> None:
    """Start a job worker (Huey consumer with our durable job table)."""
    from jobs.worker import run_worker

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    settings = get_settings()
    # Jobs are background work: people waiting for a page go first for the processor.
    os.nice(settings.worker_nice)
    run_worker(settings, workers=workers)


@app.command()
def serve(
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: Annotated[
        int | None, typer.Option(min=1, help="web processes; default: one per CPU, up to 4")
    ] = None,
) -> None:
    """Start the web server."""
    # One Python process serves about one CPU (the GIL): one per CPU, so pages stay quick while
    # an import runs. Each process keeps its own search indexes, refreshed from the database.
    workers = workers or min(os.cpu_count() or 1, 4)
    import uvicorn

    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    # The web process embeds one short text per request: one thread has the lower tail latency
    # on 2 cores (bench/similar_ideas.py), and the embedder's lock serialises calls anyway.
    import torch

    torch.set_num_threads(1)
    os.environ.setdefault("VOICELOOP_EMBEDDING_THREADS", "1")  # the same for ONNX Runtime
    get_settings.cache_clear()  # read again with that default (`run` read them before it)
    options = server_options(get_settings())
    uvicorn.run(
        "api.main:app", host=host, port=port, workers=workers, log_config=LOG_CONFIG, **options
    )


def server_options(settings: Settings) -> dict[str, Any]:
    """uvicorn's options for ``serve``."""
    return {
        # uvicorn's httptools protocol plus a deadline for each request to arrive whole.
        "http": "api.limits:DeadlineProtocol",
        # X-Forwarded-For sets the address the per-IP sign-in throttle counts: honour it only
        # from the proxies the settings name (uvicorn would trust loopback, or its environment).
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": settings.trusted_proxies,
        # uvicorn's own access log prints raw paths and client addresses; ours does not.
        "access_log": False,
        # A web process imports the ML stack before it answers (8 s on an idle 2-core machine,
        # 40 s while tests run beside it); uvicorn's default 5 s would kill and restart it forever.
        "timeout_worker_healthcheck": 120,
    }


@app.command()
def run(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Everything for local use: migrate, demo data, one worker and the web server."""
    migrate()
    demo()
    worker_process = subprocess.Popen([sys.executable, "-m", "api.cli", "worker"])
    typer.echo(f"Worker started (pid {worker_process.pid}). Open http://{host}:{port}/")
    try:
        serve(host=host, port=port)
    finally:
        worker_process.terminate()
        worker_process.wait(timeout=30)


@app.command("import")
def import_file(path: Annotated[Path, typer.Argument(exists=True, dir_okay=False)]) -> None:
    """Import an interaction log (CSV or JSON Lines) as a job, here and now."""
    from jobs.service import run_import_now

    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        job = run_import_now(engine, settings, path)
    finally:
        engine.dispose()
    if job.error:
        typer.echo(f"Import failed: {job.error}", err=True)
        raise typer.Exit(1)
    typer.echo(f"Import job #{job.id}: {job.message}")


@app.command("users")
def list_users() -> None:
    """List accounts (email, role, active)."""
    engine = make_engine(get_settings().database_url)
    with session_scope(engine) as session:
        for user in session.exec(select(User).order_by(User.email)):
            status = "active" if user.is_active else "disabled"
            typer.echo(f"{user.email:<40} {user.role.value:<10} {status}")
    engine.dispose()


if __name__ == "__main__":
    app()
