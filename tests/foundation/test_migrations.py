"""Migrations: upgrade from empty, downgrade one step, and no drift from the models."""

from typing import cast

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from api.migrate import alembic_config, downgrade, upgrade
from api.schema import metadata
from foundation.db import make_engine
from tests.support.harness import drop_postgres_schema, fresh_postgres_schema

HEAD = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.db'}"
        return
    url, admin, schema = fresh_postgres_schema()
    try:
        yield url
    finally:
        drop_postgres_schema(admin, schema)


def tables(url):
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_upgrade_from_empty_then_downgrade_one_step_and_back(empty_database):
    assert tables(empty_database) == set()
    assert HEAD is not None
    previous = ScriptDirectory.from_config(alembic_config("sqlite://")).get_revision(HEAD)
    down = cast("str | None", previous.down_revision)  # one parent: the migrations are linear
    upgrade(empty_database, down or "base")
    before_head = tables(empty_database)
    upgrade(empty_database)
    assert {t.name for t in metadata.sorted_tables} | {"alembic_version"} == tables(empty_database)
    downgrade(empty_database, "-1")
    assert tables(empty_database) == before_head
    upgrade(empty_database)
    assert {t.name for t in metadata.sorted_tables} | {"alembic_version"} == tables(empty_database)


def test_models_and_migrations_do_not_drift(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert context.get_current_revision() == HEAD
        diff = compare_metadata(context, metadata)
    assert diff == [], f"models and migrations differ; write a migration: {diff}"
