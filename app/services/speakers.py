"""Speakers: the directory list and one speaker."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from app.repositories import speakers as repo
from app.schemas.directory import SpeakerRead
from app.services.listing import ListEndpoint, one_or_404


def _reads(session: Session, rows: Sequence[Any]) -> list[SpeakerRead]:
    """Rows of (Speaker, quote_count, article_count, latest_quote_at), with each speaker's
    roles; an article count the sorted lists leave out (None) is read for the page."""
    ids = [row[0].id for row in rows]
    roles = repo.speaker_roles(session, ids)
    missing = any(row[2] is None for row in rows)
    counts = repo.article_counts(session, ids) if missing else {}
    return [
        SpeakerRead.from_row(
            (row[0], row[1], counts.get(row[0].id, 0) if row[2] is None else row[2], row[3]),
            roles.get(row[0].id, []),
        )
        for row in rows
    ]


SPEAKERS = ListEndpoint(
    "speakers", SpeakerRead, repo.speaker_statement, lambda s, rows, _: _reads(s, rows)
)


def get_speaker(session: Session, speaker_id: str) -> SpeakerRead:
    row = one_or_404(repo.speaker_with_counts(session, speaker_id), "speaker", speaker_id)
    return _reads(session, [row])[0]
