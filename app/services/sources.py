"""Sources (publishers): the directory list and one source."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from app.repositories import sources as repo
from app.schemas.directory import SourceRead, SourceUpdate
from app.schemas.filters import SourceFilter
from app.services import changes
from app.services.listing import ListEndpoint, one_or_404


def _render(_session: Any, rows: list[Any], _filters: SourceFilter) -> list[SourceRead]:
    return [SourceRead.from_row(row) for row in rows]


SOURCES = ListEndpoint("sources", SourceRead, repo.source_statement, _render)


def get_source(session: Session, source_id: str) -> SourceRead:
    found = repo.source_with_count(session, source_id)
    return SourceRead.from_row(one_or_404(found, "source", source_id))


def update_source(session: Session, source_id: str, data: SourceUpdate) -> SourceRead:
    """Set a publisher's licence and attribution (the fields sent); recorded in the feed.
    The documents of its articles are re-rendered by the read model's events."""
    source = one_or_404(repo.get_source(session, source_id), "source", source_id)
    fields = data.model_dump(exclude_unset=True)
    if any(getattr(source, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(source, name, value)
        changes.record(session, "source", source.id, "updated")
        session.flush()
    return get_source(session, source_id)
