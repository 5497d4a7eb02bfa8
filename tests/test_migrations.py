"""Migrations on every engine: one head, upgrade from empty, models match the migrated schema
(autogenerate finds nothing), and every step down and up again."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from pytest_alembic.tests import (
    test_model_definitions_match_ddl,
    test_single_head_revision,
    test_up_down_consistency,
    test_upgrade,
)
from sqlalchemy import Engine, inspect

from app.core import migrate
from app.core.db import make_engine
from app.core.migrate import migrations_dir
from tests.dbutil import ENGINES, fresh_database

__all__ = [
    "test_model_definitions_match_ddl",
    "test_single_head_revision",
    "test_up_down_consistency",
    "test_upgrade",
]


@pytest.fixture(params=ENGINES)
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_database(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def alembic_engine(empty_database: str) -> Iterator[Engine]:
    engine = make_engine(empty_database)
    yield engine
    engine.dispose()


@pytest.fixture
def alembic_config() -> dict[str, str]:
    return {"script_location": str(migrations_dir())}


def test_alembic_check_and_full_round_trip(empty_database: str) -> None:
    cfg = migrate.alembic_config(empty_database)
    command.upgrade(cfg, "head")
    command.check(cfg)  # raises if autogenerate would emit anything
    command.downgrade(cfg, "base")
    engine = make_engine(empty_database)
    try:
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    finally:
        engine.dispose()
    command.upgrade(cfg, "head")
