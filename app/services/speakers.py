"""Speakers: the directory list and one speaker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.repositories import speakers as repo
from app.schemas.directory import SpeakerRead
from app.services.listing import ListEndpoint, one_or_404


def _reads(session: Session, rows: Sequence[Any]) -> list[SpeakerRead]:
    """Rows of (Speaker, quote_count, article_count), with each speaker's roles."""
    roles = repo.speaker_roles(session, [row[0].id for row in rows])
    return [SpeakerRead.from_row(row, roles.get(row[0].id, [])) for row in rows]


SPEAKERS = ListEndpoint(
    "speakers", SpeakerRead, repo.speaker_statement, lambda s, rows, _: _reads(s, rows)
)


def get_speaker(session: Session, speaker_id: str) -> SpeakerRead:
    row = one_or_404(repo.speaker_with_counts(session, speaker_id), "speaker", speaker_id)
    return _reads(session, [row])[0]
