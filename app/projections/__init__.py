"""Derived tables kept exact in the writer's transaction by SQLAlchemy ORM events, whatever
module did the write: the stored article documents (`read_model`: `article_document`) and
the daily figure rollup (`rollups`: `statistic_daily`).

Nothing is registered on import: `create_app` and the CLI call `register()` (the tests'
conftest too). Writes that bypass the ORM call the modules' `refresh()`/`rebuild()`."""

from __future__ import annotations

from app.projections import read_model, rollups


def register() -> None:
    """Register both projections' event listeners, once (calling it again does nothing).
    The read model's commit hook runs before the rollup's."""
    read_model.register()
    rollups.register()
