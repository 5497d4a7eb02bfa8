"""Sources (publishers): the directory list and one source."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.repositories import sources as repo
from app.schemas.directory import SourceRead
from app.schemas.filters import SourceFilter
from app.services.listing import ListEndpoint, one_or_404

SOURCES: ListEndpoint[SourceFilter] = ListEndpoint(
    "sources",
    SourceRead,
    statement=lambda f, _dialect: repo.source_statement(f),
    render=lambda _session, rows, _: [SourceRead.from_row(r) for r in rows],
)


def get_source(session: Session, source_id: str) -> SourceRead:
    row = one_or_404(repo.source_with_count(session, source_id), "source", source_id)
    return SourceRead.from_row(row)
